/**
 * `npm run bench`: every benchmark script of this folder, one after another,
 * each in its own process (so one's heap and JIT state do not colour the
 * next). Each prints its figures beside an anchor measured in the same run;
 * this runner adds which scripts missed a target (exit status 1 then).
 *
 * `npm run bench -- judge decks` runs only the scripts named.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPTS = ['judge', 'decks', 'leaderboard', 'images', 'render', 'simulate', 'soak', 'latency', 'rounds-heap'] as const;

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const { existsSync } = await import('node:fs');
const chosen = SCRIPTS.filter((name) => (wanted.length === 0 || wanted.includes(name)) && existsSync(`${here}${name}.ts`));
const unknown = wanted.filter((name) => !chosen.includes(name as (typeof SCRIPTS)[number]));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${SCRIPTS.filter((n) => existsSync(`${here}${n}.ts`)).join(', ')}.`);
  process.exit(2);
}

const missed: string[] = [];
for (const name of chosen) {
  console.log(`\n=== bench/${name}.ts`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `${here}${name}.ts`], { stdio: 'inherit' });
  if (run.status !== 0) missed.push(`${name} (exit ${run.status ?? run.signal})`);
}
console.log(missed.length === 0 ? '\nEvery benchmark met its targets.' : `\nMissed a target or failed: ${missed.join(', ')}.`);
process.exitCode = missed.length === 0 ? 0 : 1;
