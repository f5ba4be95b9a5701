import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDeckFiles, loadDecksDir, MAX_DECK_BYTES } from '../../src/deck/load.ts';
import { formatDeckError, formatDeckWarning } from '../../src/deck/types.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'studybot-load-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

describe('loadDeckFiles', () => {
  it('loads the seed deck folder with no errors', async () => {
    const { decks, errors } = await loadDecksDir('decks');
    expect(errors).toEqual([]);
    expect(decks.map((d) => [d.name, d.file, d.notes.length, d.cards.length])).toEqual([['mlops wk9', path.join('decks', 'mlops-wk9.md'), 61, 186]]);
  });

  it('loads the good file of a folder and reports the broken one as file:line:column', async () => {
    await write('a-good.md', '# deck: mlops wk1\nA -good- note.\n');
    const broken = await write('b-broken.md', '# deck: mlops wk2\n\nFine -note-.\nThis -never closes.\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(decks.map((d) => d.name)).toEqual(['mlops wk1']);
    expect(errors.map(formatDeckError)).toEqual([`${broken}:4:6: blank never closes: no closing hyphen after this one`]);
  });

  it('reads .md and .txt files of a folder in name order and skips other files, hidden files and sub-folders', async () => {
    await write('b.txt', '# deck: b\n-x-\n');
    await write('a.md', '# deck: a\n-x-\n');
    await write('c.json', '{}');
    await write('.hidden.md', 'not a deck');
    await write('sub/d.md', '# deck: d\n-x-\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(errors).toEqual([]);
    expect(decks.map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('reads a file named directly whatever its extension, and names it as given', async () => {
    await write('deck.cloze', '# deck: direct\n-x-\n');
    const relative = path.relative(process.cwd(), path.join(dir, 'deck.cloze'));
    const { decks, errors } = await loadDeckFiles([relative]);
    expect(errors).toEqual([]);
    expect(decks[0]).toMatchObject({ name: 'direct', file: relative });
  });

  it('reads a file once when it is named and also inside a named folder', async () => {
    const file = await write('a.md', '# deck: a\n-x-\n');
    const { decks, errors } = await loadDeckFiles([file, dir]);
    expect(errors).toEqual([]);
    expect(decks).toHaveLength(1);
  });

  it('reports a second deck with the same name on the second file, naming the first, and keeps the others', async () => {
    const first = await write('1.md', '# deck: mlops wk9\n-x-\n');
    const second = await write('2.md', '# deck:  MLOps  WK9\n-y-\n');
    await write('3.md', '# deck: mlops wk10\n-z-\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(decks.map((d) => [d.name, d.file])).toEqual([
      ['mlops wk9', first],
      ['mlops wk10', path.join(dir, '3.md')],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: second, line: 1, column: 1 });
    expect(errors[0]!.message).toContain(first);
    expect(errors[0]!.message).toContain('mlops wk9');
  });

  it('reports a file that is not UTF-8 at 1:1 and loads the others', async () => {
    const latin1 = await write('latin1.md', Uint8Array.from([...Buffer.from('# deck: caf'), 0xe9, ...Buffer.from('\n-x-\n')]));
    await write('ok.md', '# deck: ok\n-x-\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(decks.map((d) => d.name)).toEqual(['ok']);
    expect(errors).toEqual([{ file: latin1, line: 1, column: 1, message: 'not UTF-8 text: save the deck as UTF-8' }]);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    await write('bom.md', Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('# deck: bom\n-x-\n')]));
    const { decks, errors } = await loadDecksDir(dir);
    expect(errors).toEqual([]);
    expect(decks[0]!.name).toBe('bom');
  });

  it('reports a path that does not exist at 1:1', async () => {
    const missing = path.join(dir, 'nope');
    const { decks, errors } = await loadDeckFiles([missing]);
    expect(decks).toEqual([]);
    expect(errors).toEqual([{ file: missing, line: 1, column: 1, message: 'cannot read: no such file or folder' }]);
  });

  it('refuses a deck file over 5 MB at 1:1 without parsing it and loads the others', async () => {
    const big = await write('big.md', `# deck: big\n${'A -note- here.\n'.repeat(Math.ceil((MAX_DECK_BYTES + 1) / 15))}`);
    await write('ok.md', '# deck: ok\n-x-\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(decks.map((d) => d.name)).toEqual(['ok']);
    expect(errors.map(formatDeckError)).toEqual([`${big}:1:1: deck file is 5 MB: the limit is 5 MB; split it into several decks`]);
  });

  it('loads a deck of exactly 5 MB', async () => {
    const head = '# deck: edge\nA -note- here.\n';
    const blankLine = `${' '.repeat(1999)}\n`;
    const lines = Math.floor((MAX_DECK_BYTES - head.length) / blankLine.length);
    await write('edge.md', head + blankLine.repeat(lines) + ' '.repeat(MAX_DECK_BYTES - head.length - lines * blankLine.length));
    const { decks, errors } = await loadDecksDir(dir);
    expect(errors).toEqual([]);
    expect(decks[0]!.notes).toHaveLength(1);
  });

  it('refuses a line over 2,000 characters as file:line and loads the other files', async () => {
    const long = await write('long.md', `# deck: long\nFine -note-.\nA -note- ${'x'.repeat(2000)}\n`);
    await write('ok.md', '# deck: ok\n-x-\n');
    const { decks, errors } = await loadDecksDir(dir);
    expect(decks.map((d) => d.name)).toEqual(['ok']);
    expect(errors.map(formatDeckError)).toEqual([`${long}:3:1: line is 2,009 characters long: the limit is 2,000 (Discord's message size); split the note`]);
  });

  it('loads a deck with probable mistakes and returns them as warnings', async () => {
    const file = await write('warn.md', '# deck: warn\nIn a few -weeks, it takes -months- of work.\nA - typo - here and -x-.\n');
    const { decks, errors, warnings } = await loadDecksDir(dir);
    expect(errors).toEqual([]);
    expect(decks.map((d) => d.cards.length)).toEqual([2]);
    expect(warnings.map(formatDeckWarning)).toEqual([
      `${file}:2:10: warning: blank of 4 words holds \`-months\` at column 27: a closing hyphen is probably missing earlier (the answer reads "weeks, it takes -months")`,
      `${file}:3:3: warning: \`- typo -\` has spaces inside its hyphens, so it is plain text: write \`-typo-\` to make it a blank`,
    ]);
  });

  it('loads nothing and reports nothing for an empty folder', async () => {
    expect(await loadDecksDir(dir)).toEqual({ decks: [], errors: [], warnings: [] });
  });
});
