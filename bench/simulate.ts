/**
 * Speed target of `npm run simulate`, run with `npm run bench:simulate`:
 * a 30-student, 28-day class on the seed deck (three scenarios) in under 30 s
 * on these 2-core machines. The anchor, measured in the same run, is a plain
 * pass of FSRS reviews (one per review the simulation made), so the figure can
 * be read as a ratio on any machine.
 *
 * Exits with status 1 when the target is missed.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseDeck } from '../src/deck/parse.ts';
import { DAY_MS, review, type MemoryState } from '../src/study/memory.ts';
import { formatSimulation, simulate } from '../src/study/simulate.ts';

const LIMIT_MS = 30_000;
const RUNS = 3;

const { deck } = parseDeck(await readFile(new URL('../decks/mlops-wk9.md', import.meta.url), 'utf8'), 'decks/mlops-wk9.md');
if (!deck) throw new Error('the seed deck does not parse');

const samples: number[] = [];
let table = '';
let reviews = 0;
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const result = simulate({ cards: deck.cards, students: 30, days: 28, seed: '1' });
  samples.push(performance.now() - start);
  table = formatSimulation(result);
  reviews = result.scenarios.reduce((n, s) => n + s.reviews, 0);
}
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)] as number;
const worst = samples[samples.length - 1] as number;

// Anchor: the same number of bare FSRS reviews.
const anchorStart = performance.now();
let state: MemoryState | undefined;
for (let i = 0; i < reviews; i++) state = review(i % 50 === 0 ? undefined : state, i % 3 === 0 ? 'again' : 'good', i * DAY_MS, 'practice');
const anchor = performance.now() - anchorStart;

console.log(table);
console.log('');
console.log(`simulate 30 students × 28 days × 3 scenarios: median ${median.toFixed(0)} ms, slowest ${worst.toFixed(0)} ms (target < ${LIMIT_MS} ms)`);
console.log(`anchor: ${reviews} bare FSRS reviews in ${anchor.toFixed(0)} ms; the simulation takes ${(median / Math.max(anchor, 0.001)).toFixed(1)}× that`);
const pass = worst < LIMIT_MS;
console.log(pass ? 'PASS' : 'FAIL');
process.exitCode = pass ? 0 : 1;
