/**
 * Upgrading a store written by the previous version (layout 1: every score
 * event in one record per UTC hour). The fixture is written key by key, exactly
 * as that version wrote it.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { applyDayEvent, applyEvent, tallyFromEvents } from '../../src/competition/aggregate.ts';
import { periodRange } from '../../src/competition/periods.ts';
import type { DayTotals, ScoreEvent, Totals } from '../../src/competition/types.ts';
import { localDay } from '../../src/schedule/time.ts';
import { unpackTallies, type StoredTallies } from '../../src/storage/packed-tallies.ts';
import { partOf, ScoreBook, SCOPE_INDEX_PARTS, SCORE_LAYOUT } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';

const G = '100000000000000001';
const OTHER = '100000000000000002';
const TZ = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday 2026-11-27
const SEASON2 = NOW - 20 * DAY;

function ev(userId: string, at: number, points: number, init: Partial<ScoreEvent> = {}): ScoreEvent {
  return { userId, at, deck: 'mlops wk9', section: 'Tools', cardId: `c${at % 7}`, correct: points > 0, points, source: 'live', won: points > 0, ...init };
}

/** 60 days of awards: season 1 until SEASON2, then season 2. */
function fixtureEvents(): ScoreEvent[] {
  const out: ScoreEvent[] = [];
  for (let d = 60; d >= 0; d--) {
    const base = NOW - d * DAY;
    out.push(ev('ana', base - 7 * HOUR, 10 + (d % 5)));
    if (d % 2 === 0) out.push(ev('ben', base + 3 * HOUR, d % 3 === 0 ? 0 : 12, { deck: 'bio wk1', section: '' }));
    if (d % 3 === 0) out.push(ev('cleo', base - 11 * HOUR, 15, { source: 'daily', won: false, day: new Date(base).toISOString().slice(0, 10) }));
  }
  return out;
}

const NAMES: Record<string, string> = { ana: 'Ana', ben: 'Ben', cleo: 'Cleo' };

/** Writes what the previous version would have written for these events, literally. */
async function writeLayout1(keyv: Keyv, events: readonly ScoreEvent[]): Promise<void> {
  const all: Totals = {};
  const s1: Totals = {};
  const s2: Totals = {};
  const hours = new Map<string, ScoreEvent[]>();
  for (const e of events) {
    applyEvent(all, e, NAMES[e.userId] ?? '');
    applyEvent(e.at < SEASON2 ? s1 : s2, e, NAMES[e.userId] ?? '');
    const hour = new Date(e.at).toISOString().slice(0, 13);
    hours.set(hour, [...(hours.get(hour) ?? []), e]);
  }
  for (const [scope, totals] of [['all', all], ['s1', s1], ['s2', s2]] as const) {
    for (const [userId, doc] of Object.entries(totals)) await keyv.set(`member:${G}:${scope}:${userId}`, doc);
    await keyv.set(`members:${G}:${scope}`, Object.keys(totals));
  }
  for (const [hour, list] of hours) await keyv.set(`events:${G}:${hour}`, list);
  const first = events[0] as ScoreEvent;
  await keyv.set(`seasons:${G}`, {
    current: { id: 2, name: 'Spring', startedAt: SEASON2 },
    past: [{ id: 1, name: 'Season 1', startedAt: first.at, endedAt: SEASON2, top: [{ userId: 'ana', name: 'Ana', points: 300 }] }],
  });
  await keyv.set(`roundwins:${G}`, { ana: 4, ben: 1 });
  // Daily questions' schedule and open drop (not scores: they must simply stay).
  await keyv.set(`daily:schedule:${G}`, { guildId: G, channelId: '200000000000000001', time: { hour: 9, minute: 0 }, timeZone: TZ, deck: null });
  await keyv.set(`daily:drop:${G}`, { guildId: G, messageId: '300000000000000001', cardId: 'c1', day: '2026-11-27' });
}

async function fixture() {
  const map = new Map<string, unknown>();
  const keyv = new Keyv({ store: map, namespace: 'studybot' });
  const events = fixtureEvents();
  await writeLayout1(keyv, events);
  const open = () => new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ, clock: { now: () => NOW, setTimeout: () => () => undefined } });
  const snapshot = () => JSON.stringify([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { keyv, map, events, open, snapshot };
}

describe('migrating scores from the previous layout', () => {
  it('keeps every score, season, round win, schedule and open drop, and builds the week and month from the old events', async () => {
    const { keyv, events, open, snapshot } = await fixture();
    const before = snapshot();
    const book = open();
    expect(await book.migrate(G)).toMatchObject({ from: 1, events: events.length });
    expect(await keyv.get(`scores-layout:${G}`)).toBe(SCORE_LAYOUT);

    const all: Totals = {};
    for (const e of events) applyEvent(all, e, NAMES[e.userId] ?? '');
    expect(await book.totals(G)).toEqual(all);
    expect((await book.member(G, 'cleo'))?.dailyDays).toEqual(all['cleo']?.dailyDays);
    const seasons = await book.seasons(G, NOW);
    expect(seasons.current).toEqual({ id: 2, name: 'Spring', startedAt: SEASON2 });
    expect(seasons.past.map((s) => s.name)).toEqual(['Season 1']);
    expect(await book.tallies(G, { kind: 'season', seasonId: 2 })).toEqual(tallyFromEvents(events, { from: SEASON2 }));
    expect(await book.tallies(G, { kind: 'season', seasonId: 1 })).toEqual(tallyFromEvents(events, { to: SEASON2 }));
    expect(await book.roundWins(G, 'ana')).toBe(4);
    for (const period of ['week', 'month'] as const) {
      const range = periodRange(period, new Date(NOW), TZ);
      expect(await book.tallies(G, { kind: 'range', range })).toEqual(tallyFromEvents(events, range));
      const bio = (deck: string) => deck === 'bio wk1';
      expect(await book.tallies(G, { kind: 'range', range }, bio)).toEqual(tallyFromEvents(events, { ...range, decks: bio }));
    }
    expect(await keyv.get(`daily:schedule:${G}`)).toMatchObject({ timeZone: TZ });
    expect(await keyv.get(`daily:drop:${G}`)).toMatchObject({ messageId: '300000000000000001' });

    // Nothing was deleted or changed: the migration only added records.
    const after = new Map<string, unknown>(JSON.parse(snapshot()) as [string, unknown][]);
    for (const [key, value] of JSON.parse(before) as [string, unknown][]) expect(after.get(key)).toEqual(value);
  });

  it('changes nothing when run again, by the same process, after a restart, or forced', async () => {
    const { keyv, map, open, snapshot } = await fixture();
    await open().migrate(G);
    const once = snapshot();
    const book = open();
    expect(await book.migrate(G)).toEqual({ from: SCORE_LAYOUT, events: 0, dayRecords: 0 });
    expect(await book.migrate(G)).toEqual({ from: SCORE_LAYOUT, events: 0, dayRecords: 0 });
    expect(snapshot()).toBe(once);
    // Even with its mark removed, a second run writes the same records.
    await keyv.delete(`scores-layout:${G}`);
    expect((await open().migrate(G)).from).toBe(1);
    expect(snapshot()).toBe(once);
    expect(map.size).toBeGreaterThan(0);
  });

  it('runs per server, and a server migrates by itself on first use', async () => {
    const { keyv, open, events } = await fixture();
    const book = open();
    expect(await book.migrate(OTHER)).toEqual({ from: 1, events: 0, dayRecords: 0 });
    expect(await keyv.get(`scores-layout:${G}`)).toBeUndefined();
    // First use of G: the week is right without an explicit migration.
    const range = periodRange('week', new Date(NOW), TZ);
    expect(await book.tallies(G, { kind: 'range', range })).toEqual(tallyFromEvents(events, range));
    expect(await keyv.get(`scores-layout:${G}`)).toBe(SCORE_LAYOUT);
  });

  it('new awards after the upgrade add to the migrated day', async () => {
    const { open, events } = await fixture();
    const book = open();
    await book.migrate(G);
    const award = ev('ben', NOW + HOUR, 9);
    await book.record(G, [award], {});
    const range = periodRange('week', new Date(NOW), TZ);
    expect(await open().tallies(G, { kind: 'range', range })).toEqual(tallyFromEvents([...events, award], range));
    expect((await open().member(G, 'ben'))?.points).toBe(tallyFromEvents([...events, award]).get('ben')?.points);
  });

  it('a store of layout 2 (a record per member and day, with an index per day) keeps every score and builds the week and month', async () => {
    const map = new Map<string, unknown>();
    const keyv = new Keyv({ store: map, namespace: 'studybot' });
    const events = fixtureEvents().filter((e) => e.at >= SEASON2);
    const all: Totals = {};
    const days = new Map<string, Record<string, DayTotals>>();
    for (const e of events) {
      applyEvent(all, e, NAMES[e.userId] ?? '');
      const day = localDay(new Date(e.at), TZ);
      const members = days.get(day) ?? {};
      members[e.userId] = applyDayEvent(members[e.userId], e);
      days.set(day, members);
    }
    // Written as layout 2 wrote them.
    for (const [userId, doc] of Object.entries(all)) await keyv.set(`member:${G}:all:${userId}`, doc);
    for (const [day, members] of days) {
      await keyv.set(`days:${G}:${day}`, Object.keys(members));
      for (const [userId, doc] of Object.entries(members)) await keyv.set(`day:${G}:${day}:${userId}`, doc);
    }
    await keyv.set(`seasons:${G}`, { current: { id: 1, name: 'Season 1', startedAt: SEASON2 }, past: [] });
    await keyv.set(`scores-layout:${G}`, 2);
    const book = new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ, clock: { now: () => NOW, setTimeout: () => () => undefined } });
    expect(await book.migrate(G)).toMatchObject({ from: 2, dayRecords: days.size });
    for (const period of ['week', 'month'] as const) {
      const range = periodRange(period, new Date(NOW), TZ);
      expect(await book.tallies(G, { kind: 'range', range })).toEqual(tallyFromEvents(events, range));
    }
    expect(await keyv.get(`scores-layout:${G}`)).toBe(SCORE_LAYOUT);
  });
});

/** FNV-1a of the id modulo 64: the part of layout 3's member index that holds a member. */
function layout3Part(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 64;
}

describe('migrating scores from layout 3 (award journal, member records, index of ids in 64 parts)', () => {
  /**
   * Written as layout 3 wrote it: 10 awards folded, an 11th in the journal whose
   * fold stopped after Ben's records were written (they hold it already), before
   * the head moved.
   */
  async function layout3() {
    const map = new Map<string, unknown>();
    const keyv = new Keyv({ store: map, namespace: 'studybot' });
    const events = fixtureEvents();
    const last: ScoreEvent[] = [ev('ben', NOW + HOUR, 9, { deck: 'bio wk1', section: '' }), ev('ana', NOW + HOUR, 4)];
    const docs = { all: {} as Totals, s1: {} as Totals, s2: {} as Totals };
    for (const e of [...events, ...last]) {
      if (last.includes(e) && e.userId !== 'ben') continue;
      applyEvent(docs.all, e, NAMES[e.userId] ?? '');
      applyEvent(e.at < SEASON2 ? docs.s1 : docs.s2, e, NAMES[e.userId] ?? '');
    }
    for (const [scope, totals] of Object.entries(docs)) {
      const parts = new Map<number, string[]>();
      for (const [userId, doc] of Object.entries(totals)) {
        await keyv.set(`member:${G}:${scope}:${userId}`, { ...doc, seq: userId === 'ben' && scope !== 's1' ? 11 : 10 });
        parts.set(layout3Part(userId), [...(parts.get(layout3Part(userId)) ?? []), userId]);
      }
      for (const [part, ids] of parts) await keyv.set(`members:${G}:${scope}:${part}`, ids);
    }
    const days = new Map<string, Record<string, DayTotals>>();
    for (const e of events) {
      const day = localDay(new Date(e.at), TZ);
      const members = days.get(day) ?? {};
      members[e.userId] = applyDayEvent(members[e.userId], e);
      days.set(day, members);
    }
    for (const [day, members] of days) await keyv.set(`scoreday:${G}:${day}`, { seq: 10, members });
    await keyv.set(`awards:${G}`, { folded: 10 });
    await keyv.set(`award:${G}:11`, { seq: 11, season: 2, events: last, days: last.map((e) => localDay(new Date(e.at), TZ)), names: { ben: 'Ben', ana: 'Ana' }, id: 'live:r9:0' });
    await keyv.set(`seasons:${G}`, {
      current: { id: 2, name: 'Spring', startedAt: SEASON2 },
      past: [{ id: 1, name: 'Season 1', startedAt: (events[0] as ScoreEvent).at, endedAt: SEASON2, top: [{ userId: 'ana', name: 'Ana', points: 300 }] }],
    });
    await keyv.set(`roundwins:${G}`, { ana: 4, ben: 1 });
    await keyv.set(`scores-layout:${G}`, 3);
    const open = () => new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ, clock: { now: () => NOW, setTimeout: () => () => undefined } });
    const snapshot = () => JSON.stringify([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { keyv, map, all: [...events, ...last], last, open, snapshot };
  }

  it('all-time and season boards come from the new index parts, with every score and the journal’s last award counted once', async () => {
    const { keyv, all, open, snapshot } = await layout3();
    const before = JSON.parse(snapshot()) as [string, unknown][];
    const book = open();
    expect(await book.migrate(G)).toMatchObject({ from: 3 });
    expect(await keyv.get(`scores-layout:${G}`)).toBe(SCORE_LAYOUT);
    const bio = (deck: string) => deck === 'bio wk1';
    // A fresh book after the upgrade reads the boards from the index parts.
    const fresh = open();
    expect(await fresh.tallies(G, { kind: 'all' })).toEqual(tallyFromEvents(all));
    expect(await fresh.tallies(G, { kind: 'all' }, bio)).toEqual(new Map([...tallyFromEvents(all)].map(([userId]) => [userId, tallyFromEvents(all, { decks: bio }).get(userId) ?? { points: 0, answered: 0, correct: 0, won: 0 }])));
    expect(await fresh.tallies(G, { kind: 'season', seasonId: 2 })).toEqual(tallyFromEvents(all, { from: SEASON2 }));
    expect(await fresh.tallies(G, { kind: 'season', seasonId: 1 })).toEqual(tallyFromEvents(all, { to: SEASON2 }));
    const total = await fresh.totals(G);
    for (const [userId, tally] of tallyFromEvents(all)) expect(total[userId]?.points).toBe(tally.points);
    expect(await fresh.roundWins(G, 'ana')).toBe(4);
    expect(await fresh.wasRecorded(G, 'live:r9:0')).toBe(true);
    // Nothing of layout 3 was deleted; the member index of ids stays as it was.
    const after = new Map<string, unknown>(JSON.parse(snapshot()) as [string, unknown][]);
    for (const [key, value] of before) if (key.includes(`members:${G}`)) expect(after.get(key)).toEqual(value);
    // Ana, Ben and Cleo: at most 3 parts of all time hold members.
    const parts = [...after.keys()].filter((key) => key.includes(`scoreidx:${G}:all:`));
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeLessThanOrEqual(3);
  });

  it('runs once, and a second run with its mark removed writes the same index parts', async () => {
    const { keyv, open, snapshot, all } = await layout3();
    await open().migrate(G);
    const once = snapshot();
    expect(await open().migrate(G)).toEqual({ from: SCORE_LAYOUT, events: 0, dayRecords: 0 });
    expect(snapshot()).toBe(once);
    await keyv.set(`scores-layout:${G}`, 3);
    expect((await open().migrate(G)).from).toBe(3);
    expect(await open().tallies(G, { kind: 'all' })).toEqual(tallyFromEvents(all));
    expect(snapshot()).toBe(once);
  });
});

describe('a store of layout 4 (each index in 1,024 parts whose size is written nowhere, tallies as objects)', () => {
  /** Written by this version, then turned into what layout 4 wrote: indexes regrouped into 1,024 parts under keys without their size, every index part and day record with its tallies as objects, a head without sizes, the mark 4. */
  async function layout4() {
    const map = new Map<string, unknown>();
    const keyv = new Keyv({ store: map, namespace: 'studybot' });
    const open = () => new ScoreBook(new Store(keyv), { timeZoneOf: async () => TZ, clock: { now: () => NOW, setTimeout: () => () => undefined }, foldEvery: 8 });
    const events = fixtureEvents();
    const writer = open();
    let seasonStarted = false;
    for (const e of events) {
      if (!seasonStarted && e.at >= SEASON2) {
        await writer.newSeason(G, 'Spring', SEASON2);
        seasonStarted = true;
      }
      await writer.record(G, [e], { [e.userId]: NAMES[e.userId] ?? '' });
    }
    await writer.flush();
    const regrouped = new Map<string, Record<string, DayTotals>>();
    let dayRecords = 0;
    for (const key of [...map.keys()]) {
      const name = key.replace(/^studybot:/, '');
      const [family, , scope] = name.split(':');
      if (family !== 'scoreidx' && family !== 'scoreday') continue;
      const record = (await keyv.get(name)) as StoredTallies & { seq: number };
      if (family === 'scoreday') {
        await keyv.set(name, { seq: record.seq, members: unpackTallies(record) });
        dayRecords++;
        continue;
      }
      await keyv.delete(name);
      for (const [userId, tally] of Object.entries(unpackTallies(record))) {
        const part = `scoreidx:${G}:${scope}:${partOf(userId, SCOPE_INDEX_PARTS)}`;
        regrouped.set(part, { ...regrouped.get(part), [userId]: tally });
      }
    }
    const head = (await keyv.get(`awards:${G}`)) as { folded: number };
    for (const [part, members] of regrouped) await keyv.set(part, { seq: head.folded, members });
    await keyv.set(`awards:${G}`, { folded: head.folded });
    await keyv.set(`scores-layout:${G}`, 4);
    return { keyv, map, events, open, dayRecords, parts: regrouped.size };
  }

  it('reads every board as before; the head gets the sizes; an award folds into the 1,024 parts and writes the day packed, still counting every score once', async () => {
    const { keyv, events, open, dayRecords, parts } = await layout4();
    expect(dayRecords).toBeGreaterThan(60);
    expect(parts).toBeGreaterThanOrEqual(3);
    const week = periodRange('week', new Date(NOW), TZ);
    const expectBoards = async (book: ScoreBook, all: readonly ScoreEvent[]) => {
      expect(await book.tallies(G, { kind: 'all' })).toEqual(tallyFromEvents(all));
      expect(await book.tallies(G, { kind: 'season', seasonId: 2 })).toEqual(tallyFromEvents(all, { from: SEASON2 }));
      expect(await book.tallies(G, { kind: 'season', seasonId: 1 })).toEqual(tallyFromEvents(all, { to: SEASON2 }));
      expect(await book.tallies(G, { kind: 'range', range: week, timeZone: TZ })).toEqual(tallyFromEvents(all, week));
    };
    const upgraded = open();
    expect(await upgraded.migrate(G)).toMatchObject({ from: 4 });
    expect(await keyv.get(`scores-layout:${G}`)).toBe(SCORE_LAYOUT);
    expect(await keyv.get(`awards:${G}`)).toEqual({ folded: expect.any(Number), parts: { all: SCOPE_INDEX_PARTS, s1: SCOPE_INDEX_PARTS, s2: SCOPE_INDEX_PARTS } });
    await expectBoards(upgraded, events);
    await expectBoards(open(), events);
    const book = open();
    const later = [ev('ana', NOW + HOUR, 6), ev('dan', NOW + HOUR, 9, { deck: 'bio wk1', section: '' })];
    await book.record(G, later, { ana: 'Ana', dan: 'Dan' });
    await book.flush();
    const today = (await keyv.get(`scoreday:${G}:${localDay(new Date(NOW + HOUR), TZ)}`)) as Record<string, unknown>;
    expect(Object.keys(today).sort()).toEqual(['decks', 'ids', 'rows', 'seq']);
    const danPart = (await keyv.get(`scoreidx:${G}:all:${partOf('dan', SCOPE_INDEX_PARTS)}`)) as StoredTallies;
    expect(unpackTallies(danPart)['dan']?.points).toBe(9);
    await expectBoards(open(), [...events, ...later]);
  });
});
