import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, checkPaths, formatCheckReport, formatDeckSummary, parseCheckArgs } from '../../src/cli/decks-check.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Deck } from '../../src/deck/types.ts';

const run = promisify(execFile);

/** Runs the command in this process; resolves with its exit code and what it prints. */
async function decksCheck(args: string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const report = await check(args, env);
  const text = (lines: readonly string[]) => lines.map((line) => `${line}\n`).join('');
  return { code: report.exitCode, stdout: text(report.stdout), stderr: text(report.stderr) };
}

/** Runs the command as a child process, as `npm run decks:check` does. */
async function decksCheckProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/decks-check.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function deck(source: string, file: string): Deck {
  const result = parseDeck(source, file);
  if (!result.deck) throw new Error(JSON.stringify(result.errors));
  return result.deck;
}

describe('decks:check formatting', () => {
  it('summarises a deck with its file and counts', () => {
    const d = deck('# deck: mlops wk1\nOne -a- -b-.\n', 'decks/one.md');
    expect(formatDeckSummary(d)).toBe('mlops wk1 (decks/one.md): 1 note, 2 cards, 0 sections');
  });

  it('exits 0 and prints one line per deck when nothing is wrong', () => {
    const d = deck('# deck: a\nX -y-.\n## S\nZ -w-.\n', 'a.md');
    expect(formatCheckReport({ decks: [d], errors: [] }, ['decks'])).toEqual({
      exitCode: 0,
      stdout: ['a (a.md): 2 notes, 2 cards, 1 section'],
      stderr: [],
    });
  });

  it('exits 1 and prints every problem as file:line:column when something is wrong', () => {
    const report = formatCheckReport({ decks: [], errors: [{ file: 'b.md', line: 3, column: 7, message: 'empty blank' }] }, ['b.md']);
    expect(report).toEqual({ exitCode: 1, stdout: [], stderr: ['b.md:3:7: empty blank', '1 problem found'] });
  });

  it('exits 1 when no deck file is found', () => {
    expect(formatCheckReport({ decks: [], errors: [] }, ['empty'])).toMatchObject({ exitCode: 1, stderr: ['no deck files found in empty'] });
  });

  const warning = { file: 'w.md', line: 2, column: 4, message: 'blank of 8 words holds `-months` at column 53: …' };

  it('exits 0 and prints warnings as file:line:column: warning: when nothing else is wrong', () => {
    const d = deck('# deck: w\nX -y-.\n', 'w.md');
    expect(formatCheckReport({ decks: [d], errors: [], warnings: [warning] }, ['w.md'])).toEqual({
      exitCode: 0,
      stdout: ['w (w.md): 1 note, 1 card, 0 sections'],
      stderr: ['w.md:2:4: warning: blank of 8 words holds `-months` at column 53: …', '1 warning (--strict counts them as errors)'],
    });
  });

  it('exits 1 with --strict and prints warnings as errors', () => {
    const d = deck('# deck: w\nX -y-.\n', 'w.md');
    expect(formatCheckReport({ decks: [d], errors: [], warnings: [warning] }, ['w.md'], { strict: true })).toMatchObject({
      exitCode: 1,
      stderr: ['w.md:2:4: blank of 8 words holds `-months` at column 53: …', '1 problem found'],
    });
  });

  it('counts warnings beside errors without --strict', () => {
    const report = formatCheckReport({ decks: [], errors: [{ file: 'b.md', line: 3, column: 7, message: 'empty blank' }], warnings: [warning] }, ['b.md']);
    expect(report.exitCode).toBe(1);
    expect(report.stderr.at(-1)).toBe('1 problem found, and 1 warning');
  });

  it.each([
    { argv: ['--strict'], expected: { strict: true, args: [] } },
    { argv: ['a.md', '--strict', 'b'], expected: { strict: true, args: ['a.md', 'b'] } },
    { argv: ['a.md'], expected: { strict: false, args: ['a.md'] } },
  ])('reads $argv as $expected', ({ argv, expected }) => {
    expect(parseCheckArgs(argv)).toEqual(expected);
  });

  it.each([
    { args: [], env: {}, expected: ['decks'] },
    { args: [], env: { DECKS_DIR: '/srv/decks' }, expected: ['/srv/decks'] },
    { args: ['a.md', 'more'], env: { DECKS_DIR: '/srv/decks' }, expected: ['a.md', 'more'] },
  ])('checks $expected given args $args and env $env', ({ args, env, expected }) => {
    expect(checkPaths(args, env)).toEqual(expected);
  });
});

describe('decks:check as a command', () => {
  let good: string;
  let bad: string;

  beforeAll(async () => {
    good = await mkdtemp(path.join(tmpdir(), 'studybot-check-good-'));
    bad = await mkdtemp(path.join(tmpdir(), 'studybot-check-bad-'));
    await writeFile(path.join(good, 'wk1.md'), '# deck: mlops wk1\nOne -a- and 1.-b- 1.-c-.\n## Part\nTwo -d-.\n');
    await writeFile(path.join(bad, 'ok.md'), '# deck: ok\n-x-\n');
    await writeFile(path.join(bad, 'broken.md'), '# deck: broken\nNo blank here.\nFill 1.-- in.\n');
  });

  afterAll(async () => {
    await rm(good, { recursive: true, force: true });
    await rm(bad, { recursive: true, force: true });
  });

  it('exits 0 and prints counts for a good folder', async () => {
    const result = await decksCheck([good]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`mlops wk1 (${path.join(good, 'wk1.md')}): 2 notes, 3 cards, 1 section\n`);
    expect(result.stderr).toBe('');
  });

  it('exits 1 and prints the positions of the problems for a bad folder', async () => {
    const result = await decksCheck([bad]);
    expect(result.code).toBe(1);
    const broken = path.join(bad, 'broken.md');
    expect(result.stderr.split('\n')).toEqual([
      `${broken}:2:1: note has no blank: mark at least one answer as \`-text-\``,
      `${broken}:3:6: empty blank: group 1 has nothing between its hyphens`,
      '2 problems found',
      '',
    ]);
    expect(result.stdout).toContain(`ok (${path.join(bad, 'ok.md')}): 1 note, 1 card, 0 sections`);
  });

  it('checks the default decks/ folder when given no argument', async () => {
    const result = await decksCheck([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`mlops wk9 (${path.join('decks', 'mlops-wk9.md')}): 61 notes, 186 cards, 6 sections\n`);
  });

  it('as a child process: prints the problems on standard error and exits 1', async () => {
    const result = await decksCheckProcess([bad], process.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(bad, 'broken.md')}:3:6: empty blank`);
    expect(result.stderr).toContain('2 problems found');
    expect(result.stdout).toContain(`ok (${path.join(bad, 'ok.md')}): 1 note, 1 card, 0 sections`);
  }, 30_000);

  it('checks DECKS_DIR when it is set', async () => {
    const result = await decksCheck([], { DECKS_DIR: good });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mlops wk1');
  });
});

describe('decks:check warnings in-process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'studybot-check-warn-'));
    await writeFile(path.join(dir, 'w.md'), '# deck: w\nA model is - scalable - and -fast-.\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with the warning printed, and 1 with --strict', async () => {
    const file = path.join(dir, 'w.md');
    const relaxed = await check([dir], {});
    expect(relaxed.exitCode).toBe(0);
    expect(relaxed.stderr[0]).toBe(`${file}:2:12: warning: \`- scalable -\` has spaces inside its hyphens, so it is plain text: write \`-scalable-\` to make it a blank`);
    const strict = await check(['--strict', dir], {});
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toEqual([`${file}:2:12: \`- scalable -\` has spaces inside its hyphens, so it is plain text: write \`-scalable-\` to make it a blank`, '1 problem found']);
  });
});
