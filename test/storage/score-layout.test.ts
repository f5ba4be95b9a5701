/**
 * The score layout: what a leaderboard reads and what an award writes must not
 * grow with the server's history. Store reads and writes are counted through a
 * wrapper around the store.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { tallyFromEvents, tallyFromTotals } from '../../src/competition/aggregate.ts';
import { daysOf, periodRange } from '../../src/competition/periods.ts';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { unpackTallies, type StoredTallies } from '../../src/storage/packed-tallies.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';
import { CrashingStore } from '../support/faulty-store.ts';

const G = '100000000000000001';
const TZ = 'Europe/Paris';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday 2026-11-27

/** A store that remembers every key read and written. */
class CountingStore extends Store {
  reads: string[] = [];
  writes: string[] = [];
  override async get<T>(key: string): Promise<T | undefined> {
    this.reads.push(key);
    return super.get<T>(key);
  }
  override async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    this.reads.push(...keys);
    return super.getMany<T>(keys);
  }
  override async set<T>(key: string, value: T): Promise<void> {
    this.writes.push(key);
    return super.set(key, value);
  }
  override async setMany(entries: readonly { key: string; value: unknown }[]): Promise<void> {
    this.writes.push(...entries.map((e) => e.key));
    return super.setMany(entries);
  }
  reset(): void {
    this.reads = [];
    this.writes = [];
  }
}

function ev(userId: string, at: number, points: number, deck = 'mlops wk9'): ScoreEvent {
  return { userId, at, deck, section: '', cardId: 'c1', correct: points > 0, points, source: 'live', won: points > 0 };
}

/** `weeks` weeks of history before NOW: 12 members, each scoring every other day. */
function history(weeks: number): ScoreEvent[] {
  const out: ScoreEvent[] = [];
  for (let d = weeks * 7; d >= 0; d--) {
    for (let m = 0; m < 12; m++) if ((d + m) % 2 === 0) out.push(ev(`u${m}`, NOW - d * DAY + m * 60_000, 1 + m, m % 3 === 0 ? 'bio wk1' : 'mlops wk9'));
  }
  return out;
}

async function seeded(weeks: number, foldEvery?: number) {
  const keyv = new Keyv();
  const writer = new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ });
  const events = history(weeks);
  for (let i = 0; i < events.length; i += 6) await writer.record(G, events.slice(i, i + 6), {});
  // A fresh book on the same data: what a restarted process reads.
  const store = new CountingStore(keyv);
  const book = new ScoreBook(store, { timeZoneOf: async () => TZ, ...(foldEvery ? { foldEvery } : {}) });
  await book.migrate(G);
  store.reset();
  return { store, book, events };
}

const week = periodRange('week', new Date(NOW), TZ);
const month = periodRange('month', new Date(NOW), TZ);

describe('the score layout', () => {
  it('daysOf gives the 7 local days of a week and every day of a month', () => {
    expect(daysOf(week, TZ)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(daysOf(month, TZ)).toHaveLength(30);
    expect(daysOf(periodRange('month', new Date(Date.UTC(2026, 2, 15)), 'America/New_York'), 'America/New_York')).toHaveLength(31);
    expect(daysOf({ from: 5, to: 5 }, TZ)).toEqual([]);
  });

  it('a week reads 7 records, one per local day, however long the history', async () => {
    const short = await seeded(2);
    const long = await seeded(12);
    for (const { store, book, events } of [short, long]) {
      const tallies = await book.tallies(G, { kind: 'range', range: week });
      expect(tallies).toEqual(tallyFromEvents(events, week));
      // At most the week's 7 day records, each once (days the start-up's recovery just read are in memory already).
      const weekRecords = daysOf(week, TZ).map((day) => `scoreday:${G}:${day}`);
      expect(store.reads.length).toBeGreaterThan(0);
      expect(store.reads.length).toBeLessThanOrEqual(7);
      expect(new Set(store.reads).size).toBe(store.reads.length);
      expect(store.reads.every((k) => weekRecords.includes(k))).toBe(true);
    }
    expect(long.store.reads).toEqual(short.store.reads);
  });

  it('a month reads at most 31 records, one per local day; a deck filter reads the same', async () => {
    const { store, book, events } = await seeded(10);
    const mlops = (deck: string) => deck.startsWith('mlops');
    expect(await book.tallies(G, { kind: 'range', range: month }, mlops)).toEqual(tallyFromEvents(events, { ...month, decks: mlops }));
    expect(store.reads.length).toBeGreaterThan(0);
    expect(store.reads.length).toBeLessThanOrEqual(30);
    expect(new Set(store.reads).size).toBe(store.reads.length);
    expect(store.reads.every((k) => k.startsWith(`scoreday:${G}:2026-11-`))).toBe(true);
  });

  it('pages after the first read nothing from the store, and stay right after new awards', async () => {
    const { store, book, events } = await seeded(3);
    const scopes = [{ kind: 'range' as const, range: week }, { kind: 'range' as const, range: month }, { kind: 'all' as const }, { kind: 'season' as const, seasonId: 1 }];
    for (const scope of scopes) await book.tallies(G, scope);
    await book.totals(G);
    store.reset();
    for (const scope of scopes) await book.tallies(G, scope);
    await book.totals(G);
    expect(store.reads).toEqual([]);
    store.reset();
    await book.record(G, [ev('u1', NOW + 1000, 7), ev('new', NOW + 2000, 5)], { new: 'Newcomer' });
    const all = [...events, ev('u1', NOW + 1000, 7), ev('new', NOW + 2000, 5)];
    store.reset();
    expect(await book.tallies(G, { kind: 'range', range: week })).toEqual(tallyFromEvents(all, week));
    expect(await book.tallies(G, { kind: 'range', range: month })).toEqual(tallyFromEvents(all, month));
    expect(await book.tallies(G, { kind: 'all' })).toEqual(tallyFromEvents(all));
    expect((await book.totals(G))['new']?.name).toBe('Newcomer');
    expect(store.reads).toEqual([]);
  });

  it('an award is one write; each full batch of awards is folded into the records of the members, index parts and days concerned only', async () => {
    const { store, book } = await seeded(4, 2);
    await book.totals(G);
    store.reset();
    // An award: its journal entry, nothing else.
    await book.record(G, [ev('u0', NOW + 1000, 3)], {});
    expect(store.writes).toEqual([expect.stringMatching(new RegExp(`^award:${G}:\\d+$`))]);
    store.reset();
    // The second completes a batch: it is journaled, then both are folded into their members' records, their index parts and the day's record, then the head moves.
    await book.record(G, [ev('u1', NOW + 2000, 3)], {});
    expect(store.writes[0]).toMatch(/^award:/);
    const folded = store.writes.slice(1, -1).sort();
    expect(folded.filter((k) => !k.startsWith('scoreidx:'))).toEqual([`member:${G}:all:u0`, `member:${G}:all:u1`, `member:${G}:s1:u0`, `member:${G}:s1:u1`, `scoreday:${G}:2026-11-27`]);
    // One index part per member and scope at most: u0's and u1's parts of all time and of the season.
    const indexParts = folded.filter((k) => k.startsWith('scoreidx:'));
    expect(indexParts.map((k) => k.split(':').slice(0, 3).join(':'))).toEqual(expect.arrayContaining([`scoreidx:${G}:all`, `scoreidx:${G}:s1`]));
    expect(indexParts.length).toBeLessThanOrEqual(4);
    expect(store.writes.at(-1)).toBe(`awards:${G}`);
    // A member's first score ever adds them to one part of each scope's index, which holds only some of the members, with their points.
    store.reset();
    await book.record(G, [ev('fresh', NOW + 3000, 3)], { fresh: 'Fresh' });
    await book.record(G, [ev('u2', NOW + 4000, 3)], {});
    const parts = store.writes.filter((k) => k.startsWith('scoreidx:'));
    expect([...new Set(parts.map((k) => k.split(':').slice(0, 3).join(':')))].sort()).toEqual([`scoreidx:${G}:all`, `scoreidx:${G}:s1`]);
    const withFresh = await Promise.all(parts.map(async (k) => unpackTallies((await store.get<StoredTallies>(k))!)));
    const part = withFresh.find((p) => Object.hasOwn(p, 'fresh'));
    expect(part?.['fresh']?.points).toBe(3);
    expect(Object.keys(part ?? {}).length).toBeLessThan(5);
    // Nothing of the history is read for an award: at most today's record, once.
    expect(store.reads.filter((k) => k.startsWith('scoreday') || k.startsWith('events'))).toEqual([]);
  });

  it('records packed with their rows under the ids (as first written) give the same boards; a record an award changes is written with its ids in a list', async () => {
    const { store, book, events } = await seeded(3);
    await book.flush();
    const { keyv } = store;
    // Every day record and index part rewritten in the earlier packed shape.
    let rewritten = 0;
    for await (const [key, value] of keyv.iterator!(undefined) as AsyncGenerator<[string, { decks: string[]; ids?: string[]; rows?: number[][]; seq: number }]>) {
      if (!/^(scoreday|scoreidx):/.test(key) || !value.ids) continue;
      const { ids, rows, ...rest } = value;
      await keyv.set(key, { ...rest, tallies: Object.fromEntries(ids.map((id, i) => [id, rows![i]])) });
      rewritten++;
    }
    expect(rewritten).toBeGreaterThan(20);
    const reopened = () => new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ, foldEvery: 1 });
    const scopes = [{ kind: 'range' as const, range: week }, { kind: 'range' as const, range: month }, { kind: 'all' as const }, { kind: 'season' as const, seasonId: 1 }];
    const boards = async (b: ScoreBook) => Promise.all(scopes.map((scope) => b.tallies(G, scope)));
    expect(await boards(reopened())).toEqual(await boards(book));
    const later = reopened();
    await later.record(G, [ev('u3', NOW + 1000, 4)], {});
    const today = (await keyv.get(`scoreday:${G}:2026-11-27`)) as Record<string, unknown>;
    expect(Object.keys(today).sort()).toEqual(['decks', 'ids', 'rows', 'seq']);
    const all = [...events, ev('u3', NOW + 1000, 4)];
    expect(await boards(reopened())).toEqual([tallyFromEvents(all, week), tallyFromEvents(all, month), tallyFromEvents(all), tallyFromEvents(all)]);
  });

  it('with a deck filter, an index gives every member a tally, empty without the deck, from parts as read and from a part an award changed in memory alike', async () => {
    const { store, book } = await seeded(3);
    await book.flush();
    const reopened = () => new ScoreBook(new Store(store.keyv), { timeZoneOf: async () => TZ, foldEvery: 1 });
    const bio = (deck: string) => deck === 'bio wk1';
    const expected = tallyFromTotals(await reopened().totals(G), bio);
    expect([...expected.values()].filter((t) => t.points === 0).length).toBeGreaterThan(0);
    // Every part as read, packed.
    expect(await reopened().tallies(G, { kind: 'all' }, bio)).toEqual(expected);
    // One part changed by an award (made into objects), the others still packed.
    const later = reopened();
    await later.tallies(G, { kind: 'all' }, bio);
    await later.record(G, [ev('u4', NOW + 2000, 2)], {});
    expect(await later.tallies(G, { kind: 'all' }, bio)).toEqual(tallyFromTotals(await reopened().totals(G), bio));
  });
});

describe('an index that grows', () => {
  // 0.01 members a part: two members fit in the first 256 parts, three outgrow them, and the index grows to 512.
  const options = { timeZoneOf: async () => TZ, foldEvery: 2, membersPerPart: 0.01, clock: { now: () => NOW, setTimeout: () => () => undefined } };
  const names = { ana: 'Ana', ben: 'Ben', cleo: 'Cleo' };
  // Two members: the first fold (after the second award) keeps 256 parts; the third member comes with the fourth award, whose fold grows the index.
  const awards = [
    [ev('ana', NOW - 2 * DAY, 3)],
    [ev('ana', NOW - DAY, 12), ev('ben', NOW - DAY + 1000, 0, 'bio wk1')],
    [ev('ben', NOW + 1000, 5)],
    [ev('cleo', NOW + 2000, 9), ev('ana', NOW + 3000, 4)],
  ];
  const all = awards.flat();
  const upTo = async (book: ScoreBook, count: number) => {
    for (let i = 0; i < count; i++) await book.record(G, awards[i]!, names, `award-${i}`);
  };
  const check = async (book: ScoreBook, label: string) => {
    expect({ label, all: await book.tallies(G, { kind: 'all' }) }).toEqual({ label, all: tallyFromEvents(all) });
    expect({ label, bio: await book.tallies(G, { kind: 'all' }, (deck) => deck === 'bio wk1') }).toEqual({
      label,
      bio: new Map([...tallyFromEvents(all)].map(([userId]) => [userId, tallyFromEvents(all, { decks: (deck) => deck === 'bio wk1' }).get(userId) ?? { points: 0, answered: 0, correct: 0, won: 0 }])),
    });
    expect({ label, season: await book.tallies(G, { kind: 'season', seasonId: 1 }) }).toEqual({ label, season: tallyFromEvents(all) });
    expect({ label, week: await book.tallies(G, { kind: 'range', range: week, timeZone: TZ }) }).toEqual({ label, week: tallyFromEvents(all, week) });
  };

  it('is written again at its new size by the fold that finds it outgrown; a fresh book reads it at that size, and later folds rewrite only the parts concerned', async () => {
    const keyv = new Keyv();
    const store = new CountingStore(keyv);
    const book = new ScoreBook(store, options);
    await upTo(book, 3);
    expect(store.writes.filter((k) => k.startsWith(`scoreidx:${G}:all:`)).every((k) => k.startsWith(`scoreidx:${G}:all:256:`))).toBe(true);
    store.reset();
    await book.record(G, awards[3]!, names, 'award-3');
    const grown = store.writes.filter((k) => k.startsWith(`scoreidx:${G}:all:`));
    expect(grown).toHaveLength(512);
    expect(grown.every((k) => k.startsWith(`scoreidx:${G}:all:512:`))).toBe(true);
    expect(store.writes.at(-1)).toBe(`awards:${G}`);
    expect(await keyv.get(`awards:${G}`)).toEqual({ folded: 4, parts: { all: 512, s1: 512 } });
    await check(book, 'the book that grew it');

    const reader = new CountingStore(keyv);
    const fresh = new ScoreBook(reader, options);
    await check(fresh, 'a fresh book');
    const read = reader.reads.filter((k) => k.startsWith(`scoreidx:${G}:all:`));
    expect(read).toHaveLength(512);
    expect(read.every((k) => k.startsWith(`scoreidx:${G}:all:512:`))).toBe(true);

    // Three members in 512 parts: it does not grow again; two awards to one member rewrite one part of each scope.
    reader.reset();
    await fresh.record(G, [ev('ben', NOW + 4000, 5)], names);
    await fresh.record(G, [ev('ben', NOW + 5000, 5)], names);
    expect(reader.writes.filter((k) => k.startsWith('scoreidx:')).sort()).toEqual([expect.stringMatching(`^scoreidx:${G}:all:512:\\d+$`), expect.stringMatching(`^scoreidx:${G}:s1:512:\\d+$`)]);
  });

  it('a crash at any point of the fold that grows it loses nothing and counts nothing twice, once a fresh book recovers and the award is replayed', async () => {
    // The writes of the award that grows the index, counted on a run without a crash.
    const counting = new CrashingStore(new Keyv());
    const counted = new ScoreBook(new Store(counting.keyv), options);
    await upTo(counted, 3);
    const before = counting.writes;
    await counted.record(G, awards[3]!, names, 'award-3');
    const writes = counting.writes - before;
    expect(writes).toBeGreaterThan(2 * 512);
    // Its journal entry, inside the new parts of all time and of the season, just before the head moves, and the head.
    for (const k of [1, 2, 3, 300, 512, 800, writes - 2, writes - 1, writes]) {
      const keyv = new Keyv();
      const crashing = new CrashingStore(keyv);
      const dying = new ScoreBook(new Store(crashing.keyv, { retry: { attempts: 1, delayMs: () => 0 } }), options);
      await upTo(dying, 3);
      crashing.crashAfterMore(k);
      await dying.record(G, awards[3]!, names, 'award-3').catch(() => undefined);
      expect(crashing.dead).toBe(true);
      // A fresh process: it recovers the journal on first use, and the caller replays the award it was not sure of.
      const fresh = new ScoreBook(new Store(keyv), options);
      await fresh.record(G, awards[3]!, names, 'award-3');
      await check(fresh, `crash after write ${k}`);
      await check(new ScoreBook(new Store(keyv), options), `crash after write ${k}, read again`);
    }
  }, 60_000);
});
