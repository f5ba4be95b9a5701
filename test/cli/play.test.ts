import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main, parsePlayArgs } from '../../src/cli/play.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** Runs the command in this process with piped replies (one per line), as the terminal would give them. */
async function play(args: string[], input: string) {
  let stdout = '';
  let stderr = '';
  const lines = input.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const code = await main(args, { DECKS_DIR: new URL('../../decks', import.meta.url).pathname }, {
    lines: (async function* () {
      yield* lines;
    })(),
    write: (text) => (stdout += text),
    writeError: (text) => (stderr += text),
    now: () => 0,
    echo: true,
  });
  return { code, stdout, stderr };
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
  });

  it('a section with fewer sentences than questions asked says so and asks one blank per sentence', async () => {
    const result = await play(['mlops', '--section', 'DevOps, MLOps, DataOps', '--questions', '20', '--seed', '1'], '\n'.repeat(20));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^mlops · DevOps, MLOps, DataOps has only (\d) sentences to ask from, and a round never asks two blanks of one sentence \(one would show the other's answer\), so \1 questions instead of 20\.$/m);
    const asked = Number(/has only (\d+)/.exec(result.stdout)![1]);
    expect(result.stdout).toContain(`Question ${asked} of ${asked}`);
  });

  it('chat is not an answer: the question stays open for a real one', async () => {
    const skipped = await play(['mlops', '--questions', '1', '--seed', '1'], '\n');
    const answer = /Skipped\. Answer: (.+)/.exec(skipped.stdout)![1]!.split(' / ').join(', ');
    const result = await play(['mlops', '--questions', '1', '--seed', '1'], `um\n${answer}\n`);
    expect(result.stdout).toContain('That does not look like an answer: type the missing words');
    expect(result.stdout).toMatch(/Score: 1 of 1 correct/);
  });

  it('an unknown deck lists the available decks and exits 1', async () => {
    const result = await play(['biology'], '');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No deck "biology"');
    expect(result.stdout).toContain('mlops wk9 (186 cards)');
  });

  it('bad arguments print the usage and the decks on standard error and exit 1', async () => {
    const result = await play(['mlops', '--questions', 'many'], '');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--questions expects a whole number from 1 to 500, got "many"');
    expect(result.stderr).toContain('mlops wk9 (186 cards)');
  });

  it('as a child process: reads piped replies from standard input and exits 0', async () => {
    const child = run(process.execPath, ['--import', 'tsx', 'src/cli/play.ts', 'mlops', '--questions', '1', '--seed', '1'], { cwd: root, env: { ...process.env, DECKS_DIR: 'decks' } });
    child.child.stdin?.end('\n');
    const { stdout } = await child;
    expect(stdout).toContain('Question 1 of 1');
    expect(stdout).toMatch(/Skipped\. Answer: .+/);
    expect(stdout).toContain('Score: 0 of 1 correct, 0 points');
  }, 30_000);
});

describe('npm run play shows what a newcomer needs', () => {
  it('prints a one-line help before the first question', async () => {
    const result = await play(['mlops', '--questions', '1', '--seed', '1'], '\n');
    expect(result.stdout.split('\n')[0]).toBe('Type the answer and Enter. ? for a hint, an empty line to skip, /quit (or Ctrl+C) to stop.');
    expect(result.stdout.indexOf('? for a hint')).toBeLessThan(result.stdout.indexOf('Question 1 of 1'));
  });

  it('a hint line says what a right answer earns now, the speed bonus included', async () => {
    const result = await play(['mlops', '--questions', '1', '--seed', '1'], '?\n?\n\n');
    expect(result.stdout).toContain('Hint: F _ _ _ _ _ _   e _ _ _ _ _ _ _ _ _ _ (7, 11 letters) · now worth 12 points (7 + 5 for speed)');
    expect(result.stdout).toContain('Hint: F e _ _ _ _ _   e n _ _ _ _ _ _ _ _ _ (7, 11 letters) · now worth 9 points (4 + 5 for speed)');
  });

  it('/quit does not count the question it was typed on', async () => {
    const skipped = await play(['mlops', '--questions', '5', '--seed', '1'], '\n');
    const answer = /Skipped\. Answer: (.+)/.exec(skipped.stdout)![1]!;
    const result = await play(['mlops', '--questions', '5', '--seed', '1'], `${answer}\n\n/quit\n`);
    expect(result.stdout).toContain('Question 3 of 5');
    expect(result.stdout).toMatch(/Score: 1 of 2 correct, 15 points\n$/);
  });

  it('an unknown --section lists the sections of the deck', async () => {
    const result = await play(['mlops', '--section', 'tools'], '');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No section "tools" in "mlops". Sections of mlops:\n  MLOps Process\n');
    expect(result.stdout).toContain('\n  Tools of MLOps\n');
    expect(result.stdout).not.toContain('(186 cards)');
  });

  it('--questions 0 says the allowed range', async () => {
    const result = await play(['mlops', '--questions', '0'], '');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--questions expects a whole number from 1 to 500, got "0"');
  });

  it("the README's example prints exactly what the README shows", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```console\n\$ printf '([^']*)' \| npm run play -- ([^\n]+)\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    const [, input, args, shown] = block!;
    const result = await play(args!.split(' '), input!.replace(/\\n/g, '\n'));
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd()).toBe(shown);
  });

  it('as a child process: Ctrl+C (SIGINT) stops and prints the score', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/play.ts', 'mlops', '--questions', '3', '--seed', '1'], { cwd: root, env: { ...process.env, DECKS_DIR: 'decks' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.write('\n');
    while (!stdout.includes('Question 2 of 3')) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Score: 0 of 1 correct, 0 points\n$/);
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
