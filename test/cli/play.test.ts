import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePlayArgs } from '../../src/cli/play.ts';

const run = promisify(execFile);

async function play(args: string[], input: string) {
  const child = run('npx', ['tsx', 'src/cli/play.ts', ...args], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, DECKS_DIR: 'decks' } });
  child.child.stdin?.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run play', () => {
  it('piped replies are judged one per question and the score is printed', async () => {
    // Learn the seeded questions' answers by skipping both, then answer the first right and the second wrong.
    const skipped = await play(['mlops', '--questions', '2', '--seed', '1'], '\n\n');
    const revealed = [...skipped.stdout.matchAll(/Skipped\. Answer: (.+)/g)].map((m) => m[1]!.split(' / ').join(', '));
    expect(revealed).toHaveLength(2);
    const result = await play(['mlops', '--questions', '2', '--seed', '1'], `${revealed[0]}\ndefinitely wrong\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Question 1 of 2');
    expect(result.stdout).toContain('Question 2 of 2');
    expect(result.stdout).toMatch(/Correct!/);
    expect(result.stdout).toMatch(/Not quite/);
    expect(result.stdout).toMatch(/Score: 1 of 2 correct, 1\d points/);
  }, 30_000);

  it('an unknown deck lists the available decks and exits 1', async () => {
    const result = await play(['biology'], '');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No deck "biology"');
    expect(result.stdout).toContain('mlops wk9 (186 cards)');
  }, 30_000);
});

describe('play arguments', () => {
  it.each([
    [['mlops'], { ok: true, options: { query: 'mlops', questions: 5, seed: 'S' } }],
    [['mlops', 'wk9', '--questions', '3', '--seed', '7'], { ok: true, options: { query: 'mlops wk9', questions: 3, seed: '7' } }],
    [['mlops', '--section', 'Tools of MLOps'], { ok: true, options: { query: 'mlops', questions: 5, seed: 'S', section: 'Tools of MLOps' } }],
  ])('%j is read as %j', (argv, expected) => {
    expect(parsePlayArgs(argv, 'S')).toEqual(expected);
  });

  it.each([[[]], [['mlops', '--questions', 'many']], [['mlops', '--questions', '0']], [['mlops', '--colour']]])('%j is refused with a message', (argv) => {
    const parsed = parsePlayArgs(argv, 'S');
    expect(parsed.ok).toBe(false);
  });
});
