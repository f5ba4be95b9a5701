import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standings, standingsPage, type StandingsContext } from '../../src/bot/standings.ts';
import { isUserError } from '../../src/bot/reply.ts';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import { openKeyv } from '../../src/storage/keyv.ts';
import { FIRST_INDEX_PARTS, ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';
import { seedDeck } from '../engine/cards.ts';

const G = '100000000000000001';
const NOW = Date.UTC(2026, 10, 27, 12); // Friday 2026-11-27
const DAY_MS = 86_400_000;
const deck = seedDeck();

let dir: string;
let opened: Keyv[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studybot-standings-'));
  opened = [];
});

afterEach(async () => {
  for (const keyv of opened) await keyv.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function id(i: number): string {
  return `2${String(i).padStart(17, '0')}`;
}

function answer(userId: string, at: number, points: number): ScoreEvent {
  return { userId, at, deck: deck.name, section: '', cardId: 'c1', correct: true, points, source: 'live', won: true };
}

/** Keys read from the store, as the store is asked for them. */
async function open(file: string): Promise<{ ctx: StandingsContext; scores: ScoreBook; reads: string[] }> {
  const keyv = await openKeyv(`sqlite://${file}`);
  opened.push(keyv);
  const reads: string[] = [];
  const get = keyv.get.bind(keyv);
  const getMany = keyv.getMany.bind(keyv);
  Object.assign(keyv, {
    get: (key: string) => (reads.push(key), get(key)),
    getMany: (keys: string[]) => (reads.push(...keys), getMany(keys)),
  });
  const scores = new ScoreBook(new Store(keyv));
  const ctx: StandingsContext = { library: new DeckLibrary([deck]), scores, clock: { now: () => NOW, setTimeout: () => () => undefined }, daily: { timeZoneOf: async () => 'UTC' } };
  return { ctx, scores, reads };
}

/** A server of `members` members who scored this week and in the weeks before, written and cleanly stopped; `unfolded` awards more stay in the journal. */
async function server(members: number, unfolded = 0): Promise<string> {
  const file = join(dir, `scores-${members}-${unfolded}.sqlite`);
  const { scores } = await open(file);
  const names = Object.fromEntries(Array.from({ length: members }, (_, i) => [id(i), `Member ${i}`]));
  // One award per day, for 30 days: every member scores on some of them (distinct points, so no tie crosses a page's edge).
  for (let day = 29; day >= 0; day--) {
    const events = Array.from({ length: members }, (_, i) => i).filter((i) => (i + day) % 3 === 0).map((i) => answer(id(i), NOW - day * DAY_MS - 1000, i + 1));
    await scores.record(G, events, names);
  }
  await scores.flush();
  for (let k = 0; k < unfolded; k++) await scores.record(G, [answer(id(k), NOW - 500 + k, 1)], names);
  return file;
}

const family = (key: string) => key.slice(0, key.indexOf(':'));

describe('the first week page after a start', () => {
  it('reads the week’s 7 day records, the journal and the names of the page’s rows and the caller, whatever the number of members', async () => {
    const counted: Record<string, number>[] = [];
    for (const members of [40, 400]) {
      const { ctx, reads } = await open(await server(members));
      const caller = id(5);
      const page = await standingsPage(ctx, G, 'week', null, { page: 0, pageSize: 10, callerId: caller });
      if (isUserError(page)) throw new Error(page.message);
      const byFamily: Record<string, number> = {};
      for (const key of reads) byFamily[family(key)] = (byFamily[family(key)] ?? 0) + 1;
      expect(byFamily.scoreday).toBeLessThanOrEqual(7);
      // The page's 10 rows and the caller, and no member index.
      expect(byFamily.member).toBe(11);
      expect(byFamily.members).toBeUndefined();
      expect(byFamily.scoreidx).toBeUndefined();
      // The journal: its head and the slot after it (nothing left to fold after a clean stop).
      expect((byFamily.award ?? 0) + (byFamily.awards ?? 0)).toBeLessThanOrEqual(5);
      counted.push(byFamily);

      // What the page shows is what the whole ranking shows.
      const whole = await standings(ctx, G, 'week', null);
      if (isUserError(whole)) throw new Error(whole.message);
      expect(page.rows.slice(0, 10)).toEqual(whole.rows.slice(0, 10));
      expect(page.rows.find((row) => row.userId === caller)).toEqual(whole.rows.find((row) => row.userId === caller));
      expect(page.rows).toHaveLength(whole.rows.length);
    }
    expect(counted[1]).toEqual(counted[0]);
  });

  it('with awards not folded yet before the stop, reads those awards and their members besides, still not every member', async () => {
    const counted: number[] = [];
    for (const members of [40, 400]) {
      const { ctx, reads } = await open(await server(members, 3));
      const page = await standingsPage(ctx, G, 'week', null, { page: 0, pageSize: 10, callerId: id(5) });
      if (isUserError(page)) throw new Error(page.message);
      const memberReads = reads.filter((key) => family(key) === 'member').length;
      expect(reads.filter((key) => family(key) === 'scoreday').length).toBeLessThanOrEqual(7);
      // The 3 awards' members (all time and season) to fold them, and the page's names.
      expect(memberReads).toBeLessThanOrEqual(2 * 3 + 11);
      counted.push(reads.length);
      // The unfolded awards count: member 0's week holds their last point.
      const whole = await standings(ctx, G, 'week', null);
      if (isUserError(whole)) throw new Error(whole.message);
      expect(page.rows.slice(0, 10)).toEqual(whole.rows.slice(0, 10));
    }
    expect(counted[1]).toBe(counted[0]);
  });
});

describe('the first all-time or season page after a start', () => {
  it.each(['all', 'season'] as const)('%s: reads the scope’s index parts and at most a page of member records, the same at 40 and at 400 members', async (period) => {
    const counted: Record<string, number>[] = [];
    for (const members of [40, 400]) {
      const { ctx, reads } = await open(await server(members));
      const caller = id(5);
      const page = await standingsPage(ctx, G, period, null, { page: 0, pageSize: 10, callerId: caller });
      if (isUserError(page)) throw new Error(page.message);
      const byFamily: Record<string, number> = {};
      for (const key of reads) byFamily[family(key)] = (byFamily[family(key)] ?? 0) + 1;
      expect(byFamily.scoreidx).toBe(FIRST_INDEX_PARTS);
      // The page's 10 rows and the caller.
      expect(byFamily.member).toBeLessThanOrEqual(11);
      expect(byFamily.scoreday).toBeUndefined();
      counted.push(byFamily);

      // What the page shows is what the whole ranking (every member's record) shows.
      const whole = await standings(ctx, G, period, null);
      if (isUserError(whole)) throw new Error(whole.message);
      expect(page.rows.slice(0, 10)).toEqual(whole.rows.slice(0, 10));
      expect(page.rows.find((row) => row.userId === caller)).toEqual(whole.rows.find((row) => row.userId === caller));
      expect(page.rows).toHaveLength(whole.rows.length);
    }
    expect(counted[1]).toEqual(counted[0]);
  });

  it('with awards not folded yet before the stop, counts them once on the all-time page', async () => {
    for (const members of [40, 400]) {
      const { ctx } = await open(await server(members, 3));
      const page = await standingsPage(ctx, G, 'all', null, { page: 0, pageSize: 10, callerId: id(0) });
      if (isUserError(page)) throw new Error(page.message);
      const whole = await standings(ctx, G, 'all', null);
      if (isUserError(whole)) throw new Error(whole.message);
      expect(page.rows.find((row) => row.userId === id(0))).toEqual(whole.rows.find((row) => row.userId === id(0)));
      expect(page.rows.slice(0, 10)).toEqual(whole.rows.slice(0, 10));
    }
  });
});
