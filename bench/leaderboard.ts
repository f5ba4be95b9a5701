/**
 * Leaderboards and awards against plain SQL, side by side on the same data:
 * `npx tsx bench/leaderboard.ts`.
 *
 * For a server of 5,000 and of 50,000 scored members (score events over five
 * weeks, a season change two weeks ago, two courses), the bench stores the
 * events twice: through the bot's ScoreBook into its Keyv SQLite store, and as
 * plain rows in SQL tables it builds itself with the raw `sqlite3` package
 * (`events`, `members`; indexes on day and season). Both files use the bot's
 * settings (WAL, synchronous NORMAL).
 *
 * - A leaderboard page of each period (all time, week, month, season) and with
 *   a deck filter: the bot's path (`standings` + `leaderboardEmbed`, as
 *   /leaderboard runs it, after the first page has filled the server's cache)
 *   against one SQL query (GROUP BY member, ORDER BY points, LIMIT 10).
 *   Target: ≤ 2×.
 * - The first page after a start, of each period: a freshly opened store and
 *   ScoreBook (nothing of the server in memory) against the same SQL query on a
 *   freshly opened `sqlite3` connection, median of COLD_RUNS, in turns, after
 *   COLD_WARMUP untimed runs of each: the data is cold, the code is not. The
 *   first page the process makes at all is printed for information (it also
 *   pays for compiling the code), and the next few still run partly in code V8
 *   has not optimised yet (a week's page took 5–6 ms in its first three runs
 *   and about 3 ms from the fourth).
 *   Target: ≤ 2×.
 * - Recording one award, 2,000 awards in a row: `ScoreBook.record` against raw
 *   SQLite writing the same data (the event and the member's name) in one
 *   transaction. Target: ≤ 2×, and flat: the bot's last 256 awards against its
 *   first 256 (two whole batches of the journal's fold each, so both pay for the
 *   same number of folds), divided by the same ratio of SQL in the same run
 *   (which does the same work throughout, so it measures the machine's drift),
 *   within 1.5×.
 *
 * Prints every figure with its SQL anchor and the ratio; exits 1 when a target is missed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sqlite3 from 'sqlite3';
import type { Clock } from '../src/clock.ts';
import { daysOf, periodRange } from '../src/competition/periods.ts';
import type { Period, ScoreEvent } from '../src/competition/types.ts';
import { leaderboardEmbed, PAGE_SIZE } from '../src/bot/commands/leaderboard.ts';
import type { BotContext } from '../src/bot/context.ts';
import { standingsPage } from '../src/bot/standings.ts';
import { isUserError } from '../src/bot/reply.ts';
import { DeckLibrary } from '../src/deck/library.ts';
import { parseDeck } from '../src/deck/parse.ts';
import type { Deck } from '../src/deck/types.ts';
import { seededRandom } from '../src/engine/random.ts';
import { localDay } from '../src/schedule/time.ts';
import { DailyStore } from '../src/storage/daily.ts';
import { openKeyv } from '../src/storage/keyv.ts';
import { FOLD_EVERY, ScoreBook } from '../src/storage/scores.ts';
import { Store } from '../src/storage/store.ts';

/** `BENCH_SIZES=5000` runs one size only. */
const SIZES = (process.env.BENCH_SIZES ?? '5000,50000').split(',').map(Number);
const EVENTS_PER_MEMBER = 3;
const DAYS = 35;
const RUNS = 7;
/** Cold pages: each a fresh connection and book, so fewer runs (after COLD_WARMUP untimed). */
const COLD_RUNS = 5;
/** Untimed cold pages of each period before those timed (see above). */
const COLD_WARMUP = 3;
const AWARDS = 2_000;
const PAGE_TARGET = 2;
const AWARD_TARGET = 2;
const FLAT_TARGET = 1.5;
/** Flatness compares the first and the last awards of this many: two whole batches of the journal's fold each, so both windows pay for the same number of folds. */
const WINDOW = 2 * FOLD_EVERY;
const TIME_ZONE = 'America/New_York';
const GUILD = '900000000000000001';
const DAY_MS = 86_400_000;
// Friday 2026-11-27 12:00 UTC.
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const SEASON_START = NOW - 14 * DAY_MS;
const DECKS = ['mlops wk9', 'mlops wk10', 'bio wk1'];

let failed = false;

function memberId(i: number): string {
  return `8${String(i).padStart(17, '0')}`;
}

function seedEvents(members: number): { events: ScoreEvent[]; names: Record<string, string> } {
  const random = seededRandom(42);
  const events: ScoreEvent[] = [];
  const names: Record<string, string> = {};
  for (let i = 0; i < members; i++) {
    const userId = memberId(i);
    names[userId] = `Student ${i}`;
    for (let k = 0; k < EVENTS_PER_MEMBER; k++) {
      const correct = random() < 0.6;
      events.push({
        userId,
        at: NOW - Math.floor(random() * DAYS * DAY_MS),
        deck: DECKS[Math.floor(random() * DECKS.length)] as string,
        section: '',
        cardId: `card-${k}`,
        correct,
        points: correct ? 1 + Math.floor(random() * 15) : 0,
        source: 'live',
        won: correct,
      });
    }
  }
  events.sort((a, b) => a.at - b.at);
  return { events, names };
}

// ---- the raw SQL side

class Sql {
  private constructor(private readonly db: sqlite3.Database) {}

  static async open(file: string): Promise<Sql> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(d)));
    });
    const sql = new Sql(db);
    await sql.run('PRAGMA journal_mode=WAL');
    await sql.run('PRAGMA synchronous=NORMAL');
    return sql;
  }

  run(query: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) => this.db.run(query, params, (error) => (error ? reject(error) : resolve())));
  }

  all<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all(query, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}

const INSERT_EVENT = 'INSERT INTO events (user, at, day, season, deck, points, correct, won) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const UPSERT_MEMBER = 'INSERT INTO members (user, name) VALUES (?, ?) ON CONFLICT(user) DO UPDATE SET name = excluded.name';

function eventRow(e: ScoreEvent): unknown[] {
  return [e.userId, e.at, localDay(new Date(e.at), TIME_ZONE), e.at >= SEASON_START ? 2 : 1, e.deck, e.points, e.correct ? 1 : 0, e.won ? 1 : 0];
}

async function buildSql(file: string, events: readonly ScoreEvent[], names: Record<string, string>): Promise<Sql> {
  const sql = await Sql.open(file);
  await sql.run('CREATE TABLE events (user TEXT NOT NULL, at INTEGER NOT NULL, day TEXT NOT NULL, season INTEGER NOT NULL, deck TEXT NOT NULL, points INTEGER NOT NULL, correct INTEGER NOT NULL, won INTEGER NOT NULL)');
  await sql.run('CREATE TABLE members (user TEXT PRIMARY KEY, name TEXT NOT NULL)');
  await sql.run('BEGIN');
  for (const e of events) await sql.run(INSERT_EVENT, eventRow(e));
  for (const [user, name] of Object.entries(names)) await sql.run(UPSERT_MEMBER, [user, name]);
  await sql.run('COMMIT');
  await sql.run('CREATE INDEX events_day ON events (day)');
  await sql.run('CREATE INDEX events_season ON events (season)');
  await sql.run('ANALYZE');
  await sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
  return sql;
}

/** The SQL leaderboard page: totals per member over the period's rows, best first, the first 10. */
function sqlPage(period: Period, deck: string | null): { query: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (period === 'week' || period === 'month') {
    const days = daysOf(periodRange(period, new Date(NOW), TIME_ZONE), TIME_ZONE);
    where.push('day BETWEEN ? AND ?');
    params.push(days[0], days[days.length - 1]);
  }
  if (period === 'season') {
    where.push('season = ?');
    params.push(2);
  }
  if (deck) {
    where.push(deck.includes(' ') ? 'deck = ?' : "(deck = ? OR deck LIKE ? || ' %')");
    params.push(deck, ...(deck.includes(' ') ? [] : [deck]));
  }
  const query = `SELECT e.user, m.name, SUM(e.points) AS points, COUNT(*) AS answered, SUM(e.correct) AS correct
    FROM events e JOIN members m ON m.user = e.user ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY e.user ORDER BY points DESC, correct DESC, m.name LIMIT 10`;
  return { query, params };
}

// ---- timing


function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Medians of two tasks run in turns (so that a busy machine slows both alike), after one warm-up each. */
async function mediansOf(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a();
  await b();
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [task, samples] of [[a, sa], [b, sb]] as const) {
      const start = performance.now();
      await task();
      samples.push(performance.now() - start);
    }
  }
  return [median(sa), median(sb)];
}

function ms(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function verdict(ratio: number, target: number): string {
  if (ratio > target) failed = true;
  return ratio <= target ? 'PASS' : 'FAIL';
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function deckOf(name: string): Deck {
  const { deck } = parseDeck(`# deck: ${name}\n\nA -card- here.\n`, `decks/${name.replace(' ', '-')}.md`);
  if (!deck) throw new Error(`deck ${name} does not parse`);
  return deck;
}

async function benchSize(members: number, dir: string): Promise<void> {
  console.log(`\n== ${members.toLocaleString('en')} members ==`);
  const seedStart = performance.now();
  const { events, names } = seedEvents(members);
  const keyvFile = join(dir, `keyv-${members}.sqlite`);
  let keyv = await openKeyv(`sqlite://${keyvFile}`);
  // Seeding writes many records: one transaction on this connection; timings use a fresh one.
  const seedQuery = (q: string) => (keyv.opts.store as unknown as { query(sql: string): Promise<unknown> }).query(q);
  await seedQuery('BEGIN');
  const seeding = new ScoreBook(new Store(keyv), { timeZoneOf: async () => TIME_ZONE });
  const days = events.map((e) => localDay(new Date(e.at), TIME_ZONE));
  let seasonStarted = false;
  for (let from = 0; from < events.length; ) {
    let to = from;
    while (to < events.length && days[to] === days[from]) to++;
    if (!seasonStarted && (events[from] as ScoreEvent).at >= SEASON_START) {
      await seeding.newSeason(GUILD, 'Autumn 2026', SEASON_START);
      seasonStarted = true;
    }
    await seeding.record(GUILD, events.slice(from, to), names);
    from = to;
  }
  // Everything journaled folded into the records, as a running bot does every few awards.
  await seeding.flush();
  await seedQuery('COMMIT');
  await seedQuery('PRAGMA wal_checkpoint(TRUNCATE)');
  await keyv.disconnect();
  let sql = await buildSql(join(dir, `sql-${members}.sqlite`), events, names);
  console.log(`Seeded ${events.length.toLocaleString('en')} events over ${DAYS} days, both sides, in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);

  const caller = memberId(Math.floor(members / 2));
  /** The bot's side, opened as the bot opens it, with a fresh book (nothing in memory yet). */
  const openBot = async () => {
    const keyv = await openKeyv(`sqlite://${keyvFile}`);
    const store = new Store(keyv);
    // The time zone as the bot reads it: the daily schedule's, kept once read (the bench's server has none, so the default).
    const daily = new DailyStore(store);
    const timeZoneOf = async (guildId: string) => (await daily.dropsTimeZone(guildId)) ?? TIME_ZONE;
    const scores = new ScoreBook(store, { timeZoneOf });
    const ctx = {
      library: new DeckLibrary(DECKS.map(deckOf)),
      store,
      scores,
      clock,
      daily: { timeZoneOf },
      defaultTimeZone: 'UTC',
    } as unknown as BotContext;
    /** The first page of a board, as /leaderboard makes it (the ranking for the page, its text). */
    const page = async (period: Period, deck: string | null) => {
      const result = await standingsPage(ctx, GUILD, period, deck, { page: 0, pageSize: PAGE_SIZE, callerId: caller });
      if (isUserError(result)) throw new Error(result.message);
      const { embed, pageCount } = leaderboardEmbed(result.rows, result.label, 0, caller);
      if (!embed.description || pageCount < 2) throw new Error(`unexpected page for ${period}: ${pageCount} pages`);
      return result.rows;
    };
    return { keyv, scores, page };
  };
  let now = NOW;
  const clock: Clock = { now: () => now, setTimeout: () => () => undefined };

  // Cold pages: each period's first page on a freshly opened book and store, against its SQL query on a freshly opened connection, in turns.
  const periods: Period[] = ['all', 'week', 'month', 'season'];
  console.log(`${pad('first page after a start', 26)}${pad('bot ms', 10)}${pad('SQL ms', 10)}${pad('ratio', 8)}target ≤ ${PAGE_TARGET}× (median of ${COLD_RUNS} after ${COLD_WARMUP} untimed, each on a fresh connection)`);
  const sqlFile = join(dir, `sql-${members}.sqlite`);
  await sql.close();
  for (const period of periods) {
    const botSamples: number[] = [];
    const sqlSamples: number[] = [];
    const { query, params } = sqlPage(period, null);
    // The first COLD_WARMUP runs are untimed: the first page the process ever makes also compiles its code (see the first line printed), the next few are still being optimised.
    for (let run = 0; run < COLD_WARMUP + COLD_RUNS; run++) {
      const bot = await openBot();
      let start = performance.now();
      const rows = await bot.page(period, null);
      const botMs = performance.now() - start;
      await bot.keyv.disconnect();
      const fresh = await Sql.open(sqlFile);
      start = performance.now();
      const top = await fresh.all<{ user: string; name: string; points: number }>(query, params);
      const sqlMs = performance.now() - start;
      if (run === 0 && period === periods[0]) console.log(`${pad('(process, first page)', 26)}${pad(ms(botMs), 10)}${pad(ms(sqlMs), 10)}${(botMs / sqlMs).toFixed(2)}×   (for information: code not compiled yet)`);
      if (run >= COLD_WARMUP) {
        botSamples.push(botMs);
        sqlSamples.push(sqlMs);
      }
      await fresh.close();
      // Same data, same first row.
      if ((top[0]?.points ?? 0) !== (rows[0]?.points ?? 0)) throw new Error(`cold ${period}: SQL says ${top[0]?.points}, the bot ${rows[0]?.points}`);
    }
    const bot = median(botSamples);
    const anchor = median(sqlSamples);
    const ratio = bot / anchor;
    console.log(`${pad(period, 26)}${pad(ms(bot), 10)}${pad(ms(anchor), 10)}${pad(`${ratio.toFixed(2)}×`, 8)}${verdict(ratio, PAGE_TARGET)}`);
  }
  sql = await Sql.open(sqlFile);

  const { keyv: botKeyv, scores, page } = await openBot();
  keyv = botKeyv;

  const cases: { period: Period; deck: string | null }[] = [
    { period: 'all', deck: null },
    { period: 'week', deck: null },
    { period: 'month', deck: null },
    { period: 'season', deck: null },
    { period: 'all', deck: 'mlops' },
    { period: 'week', deck: 'mlops' },
    { period: 'month', deck: 'bio wk1' },
  ];
  console.log(`${pad('leaderboard page', 24)}${pad('bot ms', 10)}${pad('SQL ms', 10)}${pad('ratio', 8)}target ≤ ${PAGE_TARGET}×`);
  for (const { period, deck } of cases) {
    const rows = await page(period, deck);
    const { query, params } = sqlPage(period, deck);
    const top = await sql.all<{ user: string; points: number }>(query, params);
    // Same data, same answer: the first row's points agree.
    if ((top[0]?.points ?? 0) !== (rows[0]?.points ?? 0)) throw new Error(`${period} ${deck ?? ''}: SQL says ${top[0]?.points}, the bot ${rows[0]?.points}`);
    const [bot, anchor] = await mediansOf(() => page(period, deck), () => sql.all(query, params));
    const ratio = bot / anchor;
    console.log(`${pad(`${period}${deck ? ` · ${deck}` : ''}`, 24)}${pad(ms(bot), 10)}${pad(ms(anchor), 10)}${pad(`${ratio.toFixed(2)}×`, 8)}${verdict(ratio, PAGE_TARGET)}`);
  }

  // Awards: 2,000 in a row, each one member's right answer, on both sides.
  const random = seededRandom(7);
  const awards: ScoreEvent[] = [];
  for (let i = 0; i < AWARDS; i++) {
    const userId = memberId(Math.floor(random() * members));
    awards.push({ userId, at: NOW + (i + 1) * 1000, deck: 'mlops wk9', section: '', cardId: 'bench', correct: true, points: 10, source: 'live', won: true });
  }
  // In turns, award by award, so that a busy machine slows both alike.
  const botTimes: number[] = [];
  const sqlTimes: number[] = [];
  for (const award of awards) {
    now = award.at;
    let t = performance.now();
    await scores.record(GUILD, [award], { [award.userId]: names[award.userId] ?? '' });
    botTimes.push(performance.now() - t);
    t = performance.now();
    await sql.run('BEGIN');
    await sql.run(INSERT_EVENT, eventRow(award));
    await sql.run(UPSERT_MEMBER, [award.userId, names[award.userId] ?? '']);
    await sql.run('COMMIT');
    sqlTimes.push(performance.now() - t);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const botAll = mean(botTimes);
  const sqlAll = mean(sqlTimes);
  const botFirst = mean(botTimes.slice(0, WINDOW));
  const botLast = mean(botTimes.slice(-WINDOW));
  const sqlFirst = mean(sqlTimes.slice(0, WINDOW));
  const sqlLast = mean(sqlTimes.slice(-WINDOW));
  console.log(`one award (${AWARDS.toLocaleString('en')} in a row)  bot ${ms(botAll)} ms, SQL ${ms(sqlAll)} ms: ${(botAll / sqlAll).toFixed(2)}× (target ≤ ${AWARD_TARGET}×) ${verdict(botAll / sqlAll, AWARD_TARGET)}`);
  // Flat: the bot's last awards against its first (WINDOW each), beside the same for SQL, whose work does not change through the run (a busier machine slows both).
  const drift = botLast / botFirst / (sqlLast / sqlFirst);
  console.log(`  first ${WINDOW}: bot ${ms(botFirst)} ms, SQL ${ms(sqlFirst)} ms (${(botFirst / sqlFirst).toFixed(2)}×); last ${WINDOW}: bot ${ms(botLast)} ms, SQL ${ms(sqlLast)} ms (${(botLast / sqlLast).toFixed(2)}×)`);
  console.log(`  bot last/first ${(botLast / botFirst).toFixed(2)}×, SQL last/first ${(sqlLast / sqlFirst).toFixed(2)}×: the bot's drift beside SQL's ${drift.toFixed(2)}× (target ≤ ${FLAT_TARGET}×) ${verdict(drift, FLAT_TARGET)}`);

  await keyv.disconnect();
  await sql.close();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'studybot-bench-leaderboard-'));
  try {
    for (const members of SIZES) await benchSize(members, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(failed ? '\nSome targets were missed.' : '\nEvery target met.');
  process.exit(failed ? 1 : 0);
}

await main();
