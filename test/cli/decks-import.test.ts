import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deckFileName, formatSkipped, parseImportArgs, runImport } from '../../src/cli/decks-import.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { apkg, clozeNotes, collectionBytes } from '../deck/import/anki-fixtures.ts';

/** Runs the command as a child process: its exit code and output. */
function decksImport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/decks-import.ts', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'studybot-import-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decks:import arguments and output', () => {
  it.each([
    { args: ['a.apkg'], env: {}, expected: { file: 'a.apkg', out: 'decks', basic: false, force: false } },
    { args: ['a.csv', '--name', 'bio wk1', '--out', 'x/', '--basic'], env: { DECKS_DIR: 'd' }, expected: { file: 'a.csv', name: 'bio wk1', out: 'x/', basic: true, force: false } },
    { args: ['a.txt'], env: { DECKS_DIR: '/srv/decks' }, expected: { file: 'a.txt', out: '/srv/decks', basic: false, force: false } },
  ])('reads $args', ({ args, env, expected }) => {
    expect(parseImportArgs(args, env)).toEqual(expected);
  });

  it.each([[[]], [['a', 'b']], [['a', '--nope']]])('gives the usage for %j', (args) => {
    expect(parseImportArgs(args, {})).toEqual({ error: expect.stringContaining('usage: npm run decks:import') });
  });

  it('names the file after the deck', () => {
    expect(deckFileName('mlops wk9')).toBe('mlops-wk9.md');
    expect(deckFileName('a/b: c?')).toBe('a-b-c.md');
  });

  it('lists skipped notes up to 50 and counts the rest', () => {
    const skipped = Array.from({ length: 52 }, (_, i) => ({ where: `line ${i + 1}`, reason: 'why' }));
    const lines = formatSkipped(skipped);
    expect(lines[0]).toBe('skipped 52 notes:');
    expect(lines[1]).toBe('  line 1: why');
    expect(lines.at(-1)).toBe('  … and 2 more');
  });
});

describe('decks:import', () => {
  const command = (file: string, out: string, more: { name?: string; basic?: boolean; force?: boolean } = {}) =>
    runImport({ file, out, basic: more.basic ?? false, force: more.force ?? false, ...(more.name === undefined ? {} : { name: more.name }) });

  it('writes the deck, reports it as decks:check does, then the skipped notes; refuses to overwrite without --force', async () => {
    const seed = parseDeck(await readFile('decks/mlops-wk9.md', 'utf8'), 'seed').deck!;
    const notes = clozeNotes(seed).slice(0, 3).map((n) => ({ fields: [n.text, ''], deck: n.deck }));
    const file = path.join(dir, 'export.apkg');
    await writeFile(file, apkg(await collectionBytes([...notes, { fields: ['Front', 'Back'], deck: 'mlops wk9', basic: true }])));
    const out = path.join(dir, 'decks');
    const written = path.join(out, 'mlops-wk9.md');

    expect(await command(file, out)).toEqual({
      exitCode: 0,
      stdout: [
        `mlops wk9 (${written}): 3 notes, 8 cards, 0 sections`,
        'skipped 1 note:',
        '  note 4: front/back note, not a cloze (use --basic to import it as "front: -back-")',
      ],
      stderr: [],
    });
    expect(parseDeck(await readFile(written, 'utf8'), written).errors).toEqual([]);

    expect(await command(file, out)).toEqual({ exitCode: 1, stdout: [], stderr: [expect.stringContaining('already exists: add --force')] });
    expect(await command(file, out, { force: true, basic: true })).toEqual({
      exitCode: 0,
      stdout: [`mlops wk9 (${written}): 4 notes, 9 cards, 0 sections`],
      stderr: [],
    });
  });

  it('refuses a deck name already used by another file of the folder', async () => {
    await writeFile(path.join(dir, 'other.md'), '# deck: bio wk1\nA -b-.\n');
    const file = path.join(dir, 'sheet.csv');
    await writeFile(file, 'sentence,answer\nThe sky is blue,blue\n');
    const result = await command(file, dir, { name: 'Bio wk1' });
    expect(result).toEqual({ exitCode: 1, stdout: [], stderr: [`deck name "bio wk1" is already used by ${path.join(dir, 'other.md')}: choose another with --name`] });
  });

  it('writes to a named .md file', async () => {
    const file = path.join(dir, 'sheet.csv');
    await writeFile(file, 'sentence,answer\nThe sky is blue,blue\n');
    const target = path.join(dir, 'sub', 'colours.md');
    expect((await command(file, target, { name: 'art wk1' })).stdout).toEqual([`art wk1 (${target}): 1 note, 1 card, 0 sections`]);
  });

  it('runs as a command: exit 1, one message and nothing written for a malformed package', async () => {
    const file = path.join(dir, 'broken.apkg');
    await writeFile(file, 'PK\u0003\u0004 not really a zip');
    const out = path.join(dir, 'out');
    const result = await decksImport([file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/broken\.apkg: not an Anki package: no collection\.anki21b/);
    await expect(readdir(out)).rejects.toThrow();
  }, 60_000);
});
