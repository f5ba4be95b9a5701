import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { sectionKey, tallyFromTotals } from '../../src/competition/aggregate.ts';
import { periodRange } from '../../src/competition/periods.ts';
import { openKeyv } from '../../src/storage/keyv.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';

const G1 = '100000000000000001';
const G2 = '100000000000000002';
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday 2026-11-27
const DAY_MS = 86_400_000;

function ev(userId: string, at: number, init: Partial<ScoreEvent> = {}): ScoreEvent {
  const correct = init.correct ?? true;
  return {
    userId,
    at,
    deck: 'mlops wk9',
    section: 'MLOps Process',
    cardId: 'c1',
    correct,
    points: correct ? 10 : 0,
    source: 'live',
    won: correct,
    ...init,
  };
}

let dir: string;
let file: string;
let keyv: Keyv;
let book: ScoreBook;

async function open(): Promise<void> {
  keyv = await openKeyv(`sqlite://${file}`);
  book = new ScoreBook(new Store(keyv));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studybot-scores-'));
  file = join(dir, 'scores.sqlite');
  await open();
});

afterEach(async () => {
  await keyv.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('ScoreBook', () => {
  it('records events into running totals with names, decks, sections and daily days', async () => {
    await book.record(
      G1,
      [
        ev('a', NOW, { points: 12 }),
        ev('a', NOW + 1000, { correct: false, won: false }),
        ev('b', NOW + 2000, { deck: 'bio wk1', section: '', source: 'daily', day: '2026-11-27', won: false, points: 15 }),
      ],
      { a: 'Ana', b: 'Ben' },
    );
    const totals = await book.totals(G1);
    expect(Object.keys(totals).sort()).toEqual(['a', 'b']);
    expect(totals['a']).toMatchObject({ name: 'Ana', points: 12, answered: 2, correct: 1, won: 1, dailyDays: [] });
    expect(totals['a']?.sections[sectionKey('mlops wk9', 'MLOps Process')]).toEqual({ answered: 2, correct: 1 });
    expect(totals['b']).toMatchObject({ name: 'Ben', points: 15, answered: 1, correct: 1, won: 0, dailyDays: ['2026-11-27'] });
    expect(totals['b']?.decks['bio wk1']).toEqual({ points: 15, answered: 1, correct: 1, won: 0 });
    expect(await book.member(G1, 'a')).toMatchObject({ points: 12 });
    expect(await book.member(G1, 'nobody')).toBeUndefined();
    expect(await book.member(G1, 'constructor')).toBeUndefined();

    // A later record without a name keeps the last known one; a new name replaces it.
    await book.record(G1, [ev('a', NOW + 3000)], {});
    expect((await book.member(G1, 'a'))?.name).toBe('Ana');
    await book.record(G1, [ev('a', NOW + 4000)], { a: 'Ana Lima' });
    expect(await book.member(G1, 'a')).toMatchObject({ name: 'Ana Lima', points: 32, answered: 4 });

    // Nothing to record: no season is started, nothing is written.
    await book.record(G2, [], { x: 'X' });
    expect(await book.totals(G2)).toEqual({});
  });

  it('loses nothing when 50 records run at once', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) =>
      book.record(G1, [ev(`u${i % 7}`, NOW + i * 1000, { points: i + 1 }), ev('all', NOW + i * 1000, { correct: false, won: false })], { [`u${i % 7}`]: `User ${i % 7}`, all: 'All' }),
    );
    await Promise.all(jobs);
    const totals = await book.totals(G1);
    const points = Object.values(totals).reduce((sum, m) => sum + m.points, 0);
    expect(points).toBe((50 * 51) / 2);
    expect(totals['all']?.answered).toBe(50);
    const answered = Object.values(totals).reduce((sum, m) => sum + m.answered, 0);
    expect(answered).toBe(100);
    // Every event is in the day records and in the season totals too.
    const [day] = await book.dayTotals(G1, ['2026-11-27']);
    expect(Object.values(day ?? {}).reduce((sum, d) => sum + d.answered, 0)).toBe(100);
    expect(day?.['all']).toEqual({ points: 0, answered: 50, correct: 0, won: 0, decks: { 'mlops wk9': { points: 0, answered: 50, correct: 0, won: 0 } } });
    const seasons = await book.seasons(G1, NOW);
    const season = await book.seasonTotals(G1, seasons.current.id);
    expect(Object.values(season).reduce((sum, m) => sum + m.points, 0)).toBe(1275);
  });

  it('keeps round wins, concurrent ones included', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => book.recordRoundWin(G1, i % 2 === 0 ? ['a'] : ['a', 'b'])));
    expect(await book.roundWins(G1, 'a')).toBe(20);
    expect(await book.roundWins(G1, 'b')).toBe(10);
    expect(await book.roundWins(G1, 'c')).toBe(0);
    expect(await book.roundWins(G1, '__proto__')).toBe(0);
    expect(await book.roundWins(G2, 'a')).toBe(0);
  });

  it('keeps servers apart', async () => {
    await Promise.all([
      book.record(G1, [ev('a', NOW, { points: 7 })], { a: 'Ana' }),
      book.record(G2, [ev('a', NOW, { points: 3 }), ev('b', NOW)], { a: 'Ana (other server)', b: 'Ben' }),
    ]);
    expect(await book.totals(G1)).toEqual({ a: expect.objectContaining({ name: 'Ana', points: 7 }) });
    expect(Object.keys(await book.totals(G2)).sort()).toEqual(['a', 'b']);
    expect((await book.member(G2, 'a'))?.name).toBe('Ana (other server)');
    const week = periodRange('week', new Date(NOW), 'UTC');
    expect([...(await book.tallies(G1, { kind: 'range', range: week })).keys()]).toEqual(['a']);
    await book.newSeason(G2, 'Spring', NOW + 1000);
    expect((await book.seasons(G1, NOW + 2000)).past).toEqual([]);
    expect((await book.seasons(G2, NOW + 2000)).current.name).toBe('Spring');
  });

  it('starts a new season: all time stays, the season starts from zero, the top 3 are kept', async () => {
    const first = await book.seasons(G1, NOW);
    expect(first.current).toMatchObject({ id: 1, name: 'Season 1' });
    await book.record(
      G1,
      [ev('a', NOW, { points: 30 }), ev('b', NOW, { points: 20 }), ev('c', NOW, { points: 20 }), ev('d', NOW, { points: 5 }), ev('e', NOW, { correct: false, won: false })],
      { a: 'Ana', b: 'Ben', c: 'Cleo', d: 'Dan', e: 'Eve' },
    );
    expect((await book.seasons(G1, NOW + 5000)).current).toEqual({ id: 1, name: 'Season 1', startedAt: NOW });

    const later = NOW + 7 * 86_400_000;
    const { closed, current } = await book.newSeason(G1, 'Spring 2027', later);
    expect(current).toEqual({ id: 2, name: 'Spring 2027', startedAt: later });
    expect(closed).toMatchObject({ id: 1, name: 'Season 1', startedAt: NOW, endedAt: later });
    expect(closed.top).toEqual([
      { userId: 'a', name: 'Ana', points: 30 },
      { userId: 'b', name: 'Ben', points: 20 },
      { userId: 'c', name: 'Cleo', points: 20 },
    ]);

    expect((await book.tallies(G1, { kind: 'season', seasonId: 2 })).size).toBe(0);
    expect(tallyFromTotals(await book.totals(G1)).get('a')?.points).toBe(30);
    expect((await book.tallies(G1, { kind: 'season', seasonId: 1 })).get('a')?.points).toBe(30);

    await book.record(G1, [ev('d', later + 1000, { points: 4 })], { d: 'Dan' });
    const season2 = await book.tallies(G1, { kind: 'season', seasonId: 2 });
    expect([...season2.entries()]).toEqual([['d', { points: 4, answered: 1, correct: 1, won: 1 }]]);
    expect((await book.member(G1, 'd'))?.points).toBe(9);

    const doc = await book.seasons(G1, later + 2000);
    expect(doc.current.id).toBe(2);
    expect(doc.past.map((s) => s.name)).toEqual(['Season 1']);

    // A season in which nobody scored closes with an empty top.
    const third = await book.newSeason(G1, 'Summer', later + 3000);
    expect(third.closed.top).toEqual([{ userId: 'd', name: 'Dan', points: 4 }]);
    const fourth = await book.newSeason(G1, 'Autumn', later + 4000);
    expect(fourth.closed.top).toEqual([]);
    expect((await book.seasons(G1, later + 5000)).past.map((s) => s.id)).toEqual([1, 2, 3]);
  });

  it('keeps as the top 3 every member holding ranks 1 to 3, ranked as the leaderboard ranks (ties share a rank), at most 10', async () => {
    await book.record(
      G1,
      [ev('a', NOW, { points: 30 }), ev('b', NOW, { points: 20 }), ev('c', NOW, { points: 20 }), ev('d', NOW, { points: 20 }), ev('e', NOW, { points: 10 })],
      { a: 'Ana', b: 'Ben', c: 'Cleo', d: 'Dan', e: 'Eve' },
    );
    const { closed } = await book.newSeason(G1, 'Spring', NOW + 1000);
    // Ana 1st, Ben, Cleo and Dan share 2nd; Eve is 5th.
    expect(closed.top.map((t) => t.name)).toEqual(['Ana', 'Ben', 'Cleo', 'Dan']);
    expect(closed.more).toBeUndefined();

    const many = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    await book.record(G1, many.map((id) => ev(id, NOW + 2000, { points: 10 })), Object.fromEntries(many.map((id) => [id, id])));
    const tied = await book.newSeason(G1, 'Summer', NOW + 3000);
    expect(tied.closed.top).toHaveLength(10);
    expect(tied.closed.more).toBe(2);
  });

  it('tallies a week from the local days of the server time zone, deck filter included', async () => {
    const tz = 'America/New_York';
    book = new ScoreBook(new Store(keyv), { timeZoneOf: async () => tz });
    // Monday 2026-11-23 00:00 in New York is 05:00 UTC.
    const weekStart = Date.UTC(2026, 10, 23, 5, 0, 0);
    await book.record(
      G1,
      [
        ev('a', weekStart - 1, { points: 100 }), // Sunday 23:59:59.999 local: last week
        ev('a', weekStart, { points: 1 }),
        ev('b', weekStart + 3 * 3_600_000, { points: 2, deck: 'bio wk1' }),
        ev('b', NOW, { points: 3 }),
        ev('c', Date.UTC(2026, 10, 30, 4, 59, 0), { points: 4 }), // Sunday 23:59 local: this week
        ev('c', Date.UTC(2026, 10, 30, 5, 0, 0), { points: 50 }), // next Monday local
      ],
      { a: 'Ana', b: 'Ben', c: 'Cleo' },
    );
    const week = periodRange('week', new Date(NOW), tz);
    expect(week).toEqual({ from: weekStart, to: Date.UTC(2026, 10, 30, 5, 0, 0) });
    const tallies = await book.tallies(G1, { kind: 'range', range: week });
    expect(Object.fromEntries([...tallies].map(([id, t]) => [id, t.points]))).toEqual({ a: 1, b: 5, c: 4 });
    const mlops = await book.tallies(G1, { kind: 'range', range: week }, (deck) => deck.startsWith('mlops'));
    expect(Object.fromEntries([...mlops].map(([id, t]) => [id, t.points]))).toEqual({ a: 1, b: 3, c: 4 });
    const days = await book.dayTotals(G1, ['2026-11-22', '2026-11-23', '2026-11-29', '2026-11-30']);
    expect(days.map((d) => Object.fromEntries(Object.entries(d).map(([id, t]) => [id, t.points])))).toEqual([{ a: 100 }, { a: 1, b: 2 }, { c: 4 }, { c: 50 }]);
    // All time counts everything.
    expect(tallyFromTotals(await book.totals(G1)).get('a')?.points).toBe(101);
    const allMlops = tallyFromTotals(await book.totals(G1), (deck) => deck === 'bio wk1');
    expect(allMlops.get('b')?.points).toBe(2);
    expect(allMlops.get('a')?.points).toBe(0);
  });

  it('keeps everything across a restart on the same file', async () => {
    await book.record(G1, [ev('a', NOW, { points: 9, source: 'daily', day: '2026-11-27', won: false })], { a: 'Ana' });
    await book.recordRoundWin(G1, ['a']);
    await book.newSeason(G1, 'Winter', NOW + 1000);
    await book.record(G1, [ev('a', NOW + 2000, { points: 1 })], { a: 'Ana' });
    await keyv.disconnect();

    await open();
    expect(await book.member(G1, 'a')).toMatchObject({ name: 'Ana', points: 10, answered: 2, dailyDays: ['2026-11-27'] });
    expect(await book.roundWins(G1, 'a')).toBe(1);
    const doc = await book.seasons(G1, NOW + 5000);
    expect(doc.current).toMatchObject({ id: 2, name: 'Winter', startedAt: NOW + 1000 });
    expect(doc.past[0]?.top).toEqual([{ userId: 'a', name: 'Ana', points: 9 }]);
    expect((await book.tallies(G1, { kind: 'season', seasonId: 2 })).get('a')?.points).toBe(1);
    expect((await book.dayTotals(G1, ['2026-11-27']))[0]?.['a']).toMatchObject({ points: 10, answered: 2 });
  });
});

describe('recording one question twice (a replay after a restart)', () => {
  it('counts its events once when both records carry the same scoring id', async () => {
    await book.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:0');
    await book.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:0');
    await book.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:1');
    expect((await book.member(G1, 'u1'))?.points).toBe(20);
    expect((await book.tallies(G1, { kind: 'range', range: { from: NOW - DAY_MS, to: NOW + DAY_MS } })).get('u1')).toMatchObject({ points: 20, answered: 2 });
    expect(await book.wasRecorded(G1, 'live:r1:0')).toBe(true);
    expect(await book.wasRecorded(G2, 'live:r1:0')).toBe(false);
  });

  it('asks the store whether an id was recorded, unless the caller says the id is new', async () => {
    const reads: string[] = [];
    const counted = new Proxy(keyv, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'get' && property !== 'getMany' && property !== 'has') return method;
        return (...args: unknown[]) => {
          reads.push(String(property));
          return method(...args);
        };
      },
    });
    const counting = new ScoreBook(new Store(counted));
    await counting.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:0');
    reads.length = 0;
    await counting.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:1');
    expect(reads).toEqual(['get']);
    reads.length = 0;
    await counting.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:2', [], { newId: true });
    expect(reads).toEqual([]);
    // Given twice all the same, it counts once: the journal in memory knows it.
    await counting.record(G1, [ev('u1', NOW)], { u1: 'Ana' }, 'live:r1:2', [], { newId: true });
    expect((await counting.member(G1, 'u1'))?.points).toBe(30);
  });
});
