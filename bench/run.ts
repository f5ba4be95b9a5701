/**
 * Speed targets, run with `npm run bench`:
 *
 * - A /leaderboard page for a server of 5,000 scored members (100,000 score
 *   events over four weeks, SQLite store): under 1000 ms, aiming for under
 *   200 ms. Measured through the same code the command runs: `standings` (store
 *   reads, tallies, ranking) and `leaderboardEmbed` (the page and the caller's rank).
 * - A live question's record() into that server (what every closed question
 *   and every daily answer costs, inside the server's write lock): under 250 ms.
 * - The judge over every seed card (right, wrong and typo replies).
 *
 * Exits with status 1 when a target is missed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../src/clock.ts';
import { periodRange } from '../src/competition/periods.ts';
import type { Period, ScoreEvent } from '../src/competition/types.ts';
import { leaderboardEmbed } from '../src/bot/commands/leaderboard.ts';
import { standings, type StandingsContext } from '../src/bot/standings.ts';
import { isUserError } from '../src/bot/reply.ts';
import { DeckLibrary } from '../src/deck/library.ts';
import { parseDeck } from '../src/deck/parse.ts';
import type { Card, Deck } from '../src/deck/types.ts';
import { judge } from '../src/engine/judge.ts';
import { openKeyv } from '../src/storage/keyv.ts';
import { ScoreBook } from '../src/storage/scores.ts';
import { Store } from '../src/storage/store.ts';

const MEMBERS = 5_000;
const EVENTS_PER_MEMBER = 20;
const DAYS = 28;
const RUNS = 9;
const PAGE_LIMIT_MS = 1000;
const PAGE_AIM_MS = 200;
const RECORD_LIMIT_MS = 250;
const JUDGE_LIMIT_US = 1000;
const TIME_ZONE = 'America/New_York';
const GUILD = '900000000000000001';
const DAY_MS = 86_400_000;
// Friday 2026-11-27 12:00 UTC.
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

interface Result {
  readonly name: string;
  readonly median: number;
  readonly p95: number;
  readonly unit: string;
  readonly limit: number;
  readonly aim?: number;
}

const results: Result[] = [];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

async function time(name: string, runs: number, task: (run: number) => Promise<unknown> | unknown, limit: number, aim?: number): Promise<void> {
  const samples: number[] = [];
  await task(-1); // warm-up, not counted
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await task(run);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const result: Result = { name, median: percentile(samples, 50), p95: percentile(samples, 95), unit: 'ms', limit, ...(aim !== undefined ? { aim } : {}) };
  results.push(result);
  report(result);
}

function report(r: Result): void {
  const verdict = r.p95 < r.limit ? 'PASS' : 'FAIL';
  const target = `target < ${r.limit} ${r.unit}${r.aim !== undefined ? `; aim < ${r.aim} ${r.unit}${r.p95 < r.aim ? ' (met)' : ' (not met)'}` : ''}`;
  console.log(`${verdict}  ${r.name.padEnd(46)} median ${r.median.toFixed(1).padStart(8)} ${r.unit}  p95 ${r.p95.toFixed(1).padStart(8)} ${r.unit}  (${target})`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** A tiny deterministic generator, so every run seeds the same server. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function memberId(i: number): string {
  return String(800000000000000000n + BigInt(i));
}

const DECKS = [
  { deck: 'mlops wk9', sections: ['', 'MLOps Process', 'Data Engineering', 'Production deployment'] },
  { deck: 'mlops wk10', sections: ['', 'Monitoring', 'Pipelines'] },
  { deck: 'bio wk1', sections: ['Cells', 'Genetics'] },
];

/** 5,000 members × 20 events, live and daily, spread over the last four weeks. */
function seedEvents(): { events: ScoreEvent[]; names: Record<string, string> } {
  const random = rng(42);
  const events: ScoreEvent[] = [];
  const names: Record<string, string> = {};
  for (let i = 0; i < MEMBERS; i++) {
    const userId = memberId(i);
    names[userId] = i % 97 === 0 ? `=Student ${i}` : `Student ${i}`;
    const skill = 0.3 + random() * 0.6;
    for (let k = 0; k < EVENTS_PER_MEMBER; k++) {
      const d = DECKS[Math.floor(random() * DECKS.length)] as (typeof DECKS)[number];
      const section = d.sections[Math.floor(random() * d.sections.length)] as string;
      const at = NOW - Math.floor(random() * DAYS * DAY_MS);
      const correct = random() < skill;
      const daily = k % 5 === 0;
      events.push({
        userId,
        at,
        deck: d.deck,
        section,
        cardId: `card-${k}`,
        correct,
        points: correct ? (daily ? 10 + (random() < 0.05 ? 5 : 0) : 1 + Math.floor(random() * 15)) : 0,
        source: daily ? 'daily' : 'live',
        ...(daily ? { day: new Date(at).toISOString().slice(0, 10) } : { won: correct }),
      });
    }
  }
  events.sort((a, b) => a.at - b.at);
  return { events, names };
}

async function seedDeck(): Promise<Deck> {
  const { deck } = parseDeck(await readFile(new URL('../decks/mlops-wk9.md', import.meta.url), 'utf8'), 'decks/mlops-wk9.md');
  if (!deck) throw new Error('the seed deck does not parse');
  return deck;
}

function typo(text: string): string {
  const i = text.search(/[a-z]{6,}/i);
  if (i < 0) return text;
  return `${text.slice(0, i + 2)}${text.slice(i + 3)}`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'studybot-bench-'));
  const databaseUrl = `sqlite://${join(dir, 'bench.sqlite')}`;
  let keyv = await openKeyv(databaseUrl);
  try {
    // Seeding writes thousands of records: skip the disk syncs on this connection only.
    // The timings below use a fresh connection opened as the bot opens it.
    await (keyv.opts.store as unknown as { query(sql: string): Promise<unknown> }).query('PRAGMA synchronous = OFF');
    let scores = new ScoreBook(new Store(keyv));
    const deck = await seedDeck();
    let now = NOW;
    const clock: Clock = { now: () => now, setTimeout: () => () => undefined };

    console.log(`Seeding ${MEMBERS.toLocaleString('en')} members × ${EVENTS_PER_MEMBER} events over ${DAYS} days…`);
    const seedStart = performance.now();
    const { events, names } = seedEvents();
    // A season change two weeks ago, so the season board differs from all time.
    const seasonStart = NOW - 14 * DAY_MS;
    let seasonStarted = false;
    for (let from = 0; from < events.length; ) {
      let to = from;
      const day = Math.floor((events[from] as ScoreEvent).at / DAY_MS);
      while (to < events.length && Math.floor((events[to] as ScoreEvent).at / DAY_MS) === day) to++;
      if (!seasonStarted && day * DAY_MS >= seasonStart) {
        await scores.newSeason(GUILD, 'Autumn 2026', seasonStart);
        seasonStarted = true;
      }
      await scores.record(GUILD, events.slice(from, to), names);
      from = to;
    }
    await keyv.disconnect();
    keyv = await openKeyv(databaseUrl);
    const store = new Store(keyv);
    scores = new ScoreBook(store);
    const totalsJson = JSON.stringify(await scores.totals(GUILD)).length;
    const ctx: StandingsContext = {
      library: new DeckLibrary([deck]),
      scores,
      clock,
      daily: { timeZoneOf: async () => TIME_ZONE },
    };
    console.log(`Seeded ${events.length.toLocaleString('en')} events in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; all-time totals ${(totalsJson / 1024 / 1024).toFixed(1)} MB of JSON.`);
    const week = periodRange('week', new Date(NOW), TIME_ZONE);
    console.log(`This week (${TIME_ZONE}): ${(await scores.events(GUILD, week)).length.toLocaleString('en')} events.`);
    console.log('');

    // The caller: someone in the middle of the board, so the page shows their rank below.
    const caller = memberId(2_345);
    const cases: { period: Period; deck: string | null }[] = [
      { period: 'all', deck: null },
      { period: 'week', deck: null },
      { period: 'month', deck: null },
      { period: 'season', deck: null },
      { period: 'all', deck: 'mlops' },
      { period: 'week', deck: 'mlops wk9' },
    ];
    let shownRows = 0;
    for (const { period, deck: deckQuery } of cases) {
      await time(
        `leaderboard page: ${period}${deckQuery ? ` · ${deckQuery}` : ''}`,
        RUNS,
        async (run) => {
          const result = await standings(ctx, GUILD, period, deckQuery);
          if (isUserError(result)) throw new Error(result.message);
          const { embed, pageCount } = leaderboardEmbed(result.rows, result.label, Math.max(0, run) % 3, caller);
          if (!embed.description || pageCount < 2) throw new Error(`unexpected page for ${period}: ${pageCount} pages`);
          shownRows = Math.max(shownRows, result.rows.length);
        },
        PAGE_LIMIT_MS,
        PAGE_AIM_MS,
      );
    }
    console.log(`  (largest board: ${shownRows.toLocaleString('en')} ranked members)`);

    // A live question closing: one winner and two wrong replies, recorded into the big server.
    await time(
      'record(): one live question, 3 members',
      RUNS,
      async (run) => {
        now = NOW + (run + 2) * 60_000;
        const at = now;
        const base = { at, deck: 'mlops wk9', section: 'MLOps Process', cardId: 'bench', source: 'live' as const };
        await scores.record(
          GUILD,
          [
            { ...base, userId: memberId(1), correct: true, points: 14, won: true },
            { ...base, userId: memberId(2), correct: false, points: 0, won: false },
            { ...base, userId: memberId(3), correct: false, points: 0, won: false },
          ],
          { [memberId(1)]: 'Student 1', [memberId(2)]: 'Student 2', [memberId(3)]: 'Student 3' },
        );
      },
      RECORD_LIMIT_MS,
    );

    // The judge over every seed card: the answer, a typo of it, and a wrong reply.
    const cards: readonly Card[] = deck.cards;
    const replies = cards.flatMap((card) => {
      const right = card.answers.join(', ');
      return [
        { card, reply: right },
        { card, reply: typo(right) },
        { card, reply: 'something else entirely' },
      ];
    });
    let judged = 0;
    const judgeSamples: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const { card, reply } of replies) {
        const start = performance.now();
        judge(card, reply);
        if (round > 0) judgeSamples.push((performance.now() - start) * 1000);
        judged++;
      }
    }
    judgeSamples.sort((a, b) => a - b);
    const judgeResult: Result = {
      name: `judge: ${cards.length} cards × 3 replies`,
      median: percentile(judgeSamples, 50),
      p95: percentile(judgeSamples, 95),
      unit: 'µs',
      limit: JUDGE_LIMIT_US,
    };
    results.push(judgeResult);
    report(judgeResult);
    const worst = judgeSamples[judgeSamples.length - 1] ?? 0;
    console.log(`  (${judged} calls; slowest ${worst.toFixed(0)} µs)`);

    const memory = process.memoryUsage();
    console.log('');
    console.log(`Memory: heap used ${mb(memory.heapUsed)}, rss ${mb(memory.rss)}.`);
    const failed = results.filter((r) => r.p95 >= r.limit);
    const aimMissed = results.filter((r) => r.aim !== undefined && r.p95 >= r.aim);
    console.log(failed.length === 0 ? 'PASS: every target met (page < 1000 ms).' : `FAIL: ${failed.length} target(s) missed: ${failed.map((r) => r.name).join('; ')}.`);
    if (aimMissed.length > 0) console.log(`Aim (page < 200 ms) not met for: ${aimMissed.map((r) => r.name).join('; ')}.`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await keyv.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
