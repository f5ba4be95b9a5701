/**
 * Image rendering speed, run with `npm run bench` (after bench/run.ts) or
 * `npm run bench:images`:
 *
 * - A /leaderboard page image (10 rows of 1,000 members, the caller's rank
 *   below, names in several scripts): under 50 ms from data to PNG bytes.
 * - The part of it that holds the event loop (drawing; the PNG encoding runs on
 *   a worker thread): under 50 ms.
 * - The bot draws in a worker process (src/images/renderer.ts): while it draws stats
 *   charts and pages there, the event loop's longest gap stays under 50 ms, so
 *   replies in a live round are not held up longer. The same pictures drawn on
 *   the loop are printed beside it.
 *
 * Each figure is printed beside an anchor from the same run: an empty canvas of
 * the same size encoded to PNG the same way. Exits with status 1 when a target is missed.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { png, surface } from '../src/images/draw.ts';
import { leaderboardHeight, LEADERBOARD_WIDTH, renderLeaderboard, type LeaderboardRow } from '../src/images/leaderboard.ts';
import { renderDailyReveal, renderMastery, renderPodium, renderStats } from '../src/images/index.ts';
import { ImageRenderer } from '../src/images/renderer.ts';

const RUNS = 30;
const PAGE_LIMIT_MS = 50;

const NAMES = ['Ada Lovelace', '山田 花子', 'محمد الأحمد', 'Zoë 🦊🎉', 'Maximiliana Alexandrovna von Hohenzollern-Sigmaringen', 'Grace Hopper', 'Alan Turing'];
const rows: LeaderboardRow[] = Array.from({ length: 1_000 }, (_, i) => ({ rank: i + 1, userId: `u${i}`, name: NAMES[i % NAMES.length] as string, points: 5_000 - i * 3, correct: 900 - i }));
const NOW = Date.UTC(2026, 10, 27, 12);

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  return { median: at(0.5), p95: at(0.95) };
}

/** Times `task` RUNS times after one warm-up: the synchronous part and the whole. */
async function time(task: () => Promise<unknown>): Promise<{ sync: { median: number; p95: number }; total: { median: number; p95: number } }> {
  await task();
  const sync: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const pending = task();
    sync.push(performance.now() - start);
    await pending;
    total.push(performance.now() - start);
  }
  return { sync: stats(sync), total: stats(total) };
}

function line(name: string, r: { median: number; p95: number }, anchor: number, limit?: number): boolean {
  const ok = limit === undefined || r.median < limit;
  const verdict = limit === undefined ? '    ' : ok ? 'PASS' : 'FAIL';
  console.log(`${verdict}  ${name.padEnd(44)} median ${r.median.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  (${(r.median / anchor).toFixed(1)}× anchor${limit === undefined ? '' : `; target < ${limit} ms`})`);
  return ok;
}

console.log(`Load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (timings grow with it; the ratios to the anchor much less).`);
const height = leaderboardHeight(10, true);
const anchor = await time(() => png(surface(LEADERBOARD_WIDTH, height)));
console.log(`Anchor: an empty ${LEADERBOARD_WIDTH}×${height} picture encoded to PNG: median ${anchor.total.median.toFixed(1)} ms.`);
const a = anchor.total.median;

const page = await time(() => renderLeaderboard({ rows, page: 99, period: 'this week (Mon 23 Nov – Sun 29 Nov)', deck: 'mlops', callerId: 'u7' }));
const results = [
  line('leaderboard page image: data to PNG', page.total, a, PAGE_LIMIT_MS),
  line('leaderboard page image: event loop held', page.sync, a, PAGE_LIMIT_MS),
];
const sections = Array.from({ length: 10 }, (_, i) => ({ deck: 'mlops wk9', section: `Section ${i + 1}`, answered: 10 + i, correct: 5 + i }));
const daily = Array.from({ length: 56 }, (_, i) => ({ day: new Date(NOW - i * 86_400_000).toISOString().slice(0, 10), answered: 1, correct: i % 4 ? 1 : 0 }));
const statsTime = await time(() => renderStats({ name: 'Ada Lovelace', sections, daily, now: NOW, timeZone: 'UTC' }));
line('stats image (10 sections): data to PNG', statsTime.total, a);
line('stats image: event loop held', statsTime.sync, a);
line('daily reveal image: data to PNG', (await time(() => renderDailyReveal({ title: 'Fri 27 Nov', solvedOnTry: [7, 3, 1], notSolved: 4 }))).total, a);
line('season podium image: data to PNG', (await time(() => renderPodium({ season: 'Autumn 2026', rows: rows.slice(0, 5) }))).total, a);
const mastery = sections.map((s) => ({ deck: s.deck, section: s.section, mastery: s.correct / s.answered, members: 12 }));
line('class mastery image: data to PNG', (await time(() => renderMastery({ title: 'MLOps class', sections: mastery }))).total, a);

// Off the event loop: the longest the loop waits (a 1 ms interval's longest gap) while the
// pictures are drawn on the worker, against drawing them on the loop itself, and against an
// idle wait of the same length (the machine's own timer jitter).
async function longestStall(task: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await task();
  clearInterval(timer);
  return Math.max(worst, performance.now() - last);
}
const renderer = new ImageRenderer({ timeoutMs: 60_000 });
await renderer.warmUp();
const statsInput = { name: 'Ada Lovelace', sections, daily, now: NOW, timeZone: 'UTC' };
const pageInput = { rows, page: 99, period: 'this week (Mon 23 Nov – Sun 29 Nov)', deck: 'mlops', callerId: 'u7' };
const startIdle = performance.now();
const onWorker = await longestStall(async () => {
  for (let i = 0; i < 10; i++) {
    await renderer.render({ kind: 'stats', input: statsInput });
    await renderer.render({ kind: 'leaderboard', input: pageInput });
  }
});
const idleFor = performance.now() - startIdle;
const idle = await longestStall(() => new Promise((resolve) => setTimeout(resolve, idleFor)));
const onLoop = await longestStall(async () => {
  for (let i = 0; i < 10; i++) {
    await renderStats(statsInput);
    await renderLeaderboard(pageInput);
  }
});
await renderer.close();
console.log(`Idle wait of ${idleFor.toFixed(0)} ms: the event loop's longest gap ${idle.toFixed(1)} ms (anchor).`);
results.push(line('10 stats + 10 page pictures on the worker: longest event-loop gap', { median: onWorker, p95: onWorker }, idle, PAGE_LIMIT_MS));
line('the same drawn on the event loop: longest gap', { median: onLoop, p95: onLoop }, idle);

const failed = results.filter((ok) => !ok).length;
console.log(failed === 0 ? 'PASS: a leaderboard page image renders within 50 ms.' : `FAIL: ${failed} image target(s) missed.`);
process.exitCode = failed === 0 ? 0 : 1;
