/**
 * The storage contract: what the bot relies on from every store, as one
 * suite run against each backend. `describeStoreContract(name, factory)`
 * registers it; later layout and migration checks belong here too, so every
 * backend gets them at once.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, tallyFromEvents } from '../../src/competition/aggregate.ts';
import { periodRange } from '../../src/competition/periods.ts';
import type { ScoreEvent, Totals } from '../../src/competition/types.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';
import { CrashingStore } from '../support/faulty-store.ts';

export interface StoreFactory {
  /** A store on this backend's test data (the same data each time it is called). */
  open(): Promise<Store>;
  /** Removes everything the tests wrote (own key prefix, table or file) and lets go of the backend. */
  cleanup(): Promise<void>;
  /** Whether data outlives closing the store (false for memory://). */
  readonly persistent: boolean;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday 2026-11-27
const DAY = 86_400_000;

function award(userId: string, at: number, points: number, deck = 'mlops wk9'): ScoreEvent {
  return { userId, at, deck, section: 'Tools', cardId: `c${at % 5}`, correct: points > 0, points, source: 'live', won: points > 0 };
}

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`the ${name} store`, () => {
    const open: Store[] = [];
    let run = 0;
    /** A fresh key prefix per test, so tests never see each other's data. */
    let prefix = '';
    const key = (k: string) => `${prefix}${k}`;

    beforeEach(() => {
      prefix = `t${run++}:`;
    });

    async function store(): Promise<Store> {
      const s = await factory.open();
      open.push(s);
      return s;
    }

    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.keyv.disconnect()));
    });
    afterAll(async () => {
      await factory.cleanup();
    });

    it('a key never written reads as undefined, alone and in getMany', async () => {
      const s = await store();
      expect(await s.get(key('nothing'))).toBeUndefined();
      expect(await s.getMany([key('nothing'), key('neither')])).toEqual([undefined, undefined]);
      expect(await s.getMany([])).toEqual([]);
    });

    it('values round-trip as JSON: nested data kept, dates as ISO text, undefined fields dropped, reads are copies', async () => {
      const s = await store();
      const value = { name: 'Zoë 🎓 "quoted" \\ back', n: 14, f: 0.5, neg: -3, big: 2 ** 53 - 1, yes: true, none: null, list: [1, 'two', { three: [3] }], empty: {}, at: new Date(Date.UTC(2026, 0, 2)), gone: undefined };
      await s.set(key('v'), value);
      const read = await s.get<Record<string, unknown>>(key('v'));
      expect(read).toEqual(JSON.parse(JSON.stringify(value)));
      expect(read).not.toHaveProperty('gone');
      expect(read?.at).toBe('2026-01-02T00:00:00.000Z');
      (read?.list as unknown[]).push('changed');
      expect((await s.get<Record<string, unknown>>(key('v')))?.list).toHaveLength(3);
      for (const plain of [0, '', 'text', false, [], 42]) {
        await s.set(key('plain'), plain);
        expect(await s.get(key('plain'))).toEqual(plain);
      }
    });

    it('getMany answers in the order asked, undefined for missing keys', async () => {
      const s = await store();
      await s.set(key('a'), 1);
      await s.set(key('c'), { c: 3 });
      expect(await s.getMany([key('c'), key('b'), key('a'), key('c')])).toEqual([{ c: 3 }, undefined, 1, { c: 3 }]);
    });

    it('set overwrites', async () => {
      const s = await store();
      await s.set(key('k'), 'first');
      await s.set(key('k'), 'second');
      expect(await s.get(key('k'))).toBe('second');
    });

    it('delete removes a key; deleting a missing key is fine', async () => {
      const s = await store();
      await s.set(key('k'), 1);
      await s.delete(key('k'));
      await s.delete(key('never'));
      expect(await s.get(key('k'))).toBeUndefined();
    });

    it('update creates, changes and (with undefined) deletes, returning its result', async () => {
      const s = await store();
      expect(await s.update<number[], string>(key('u'), (v = []) => ({ value: [...v, 1], result: 'created' }))).toBe('created');
      expect(await s.update<number[], number>(key('u'), (v = []) => ({ value: [...v, 2], result: v.length }))).toBe(1);
      expect(await s.get(key('u'))).toEqual([1, 2]);
      await s.update<number[], void>(key('u'), () => ({ value: undefined, result: undefined }));
      expect(await s.get(key('u'))).toBeUndefined();
    });

    it('concurrent updates of one server’s keys all count', async () => {
      const s = await store();
      const members = ['m1', 'm2', 'm3'];
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          Promise.all([
            s.update<Record<string, number>, void>(key('guild1:totals'), (t = {}) => ({ value: { ...t, [members[i % 3]!]: (t[members[i % 3]!] ?? 0) + 1 }, result: undefined })),
            s.update<number, void>(key(`guild1:member:${members[i % 3]}`), async (n = 0) => {
              await wait(0);
              return { value: n + 1, result: undefined };
            }),
          ]),
        ),
      );
      expect(await s.get(key('guild1:totals'))).toEqual({ m1: 20, m2: 20, m3: 20 });
      expect(await s.getMany(members.map((m) => key(`guild1:member:${m}`)))).toEqual([20, 20, 20]);
    });

    it('exclusive runs tasks of one key one at a time, other keys alongside, and a failure releases the key', async () => {
      const s = await store();
      let inside = 0;
      let most = 0;
      const task = (i: number) =>
        s.exclusive(key('guild1'), async () => {
          inside++;
          most = Math.max(most, inside);
          const n = (await s.get<number>(key('count'))) ?? 0;
          await wait(2);
          await s.set(key('count'), n + 1);
          inside--;
          if (i === 3) throw new Error('task 3 fails');
          return i;
        });
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => task(i)));
      expect(most).toBe(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(await s.get(key('count'))).toBe(10);
      let otherRan = false;
      await s.exclusive(key('guild1'), async () => {
        await s.exclusive(key('guild2'), async () => {
          otherRan = true;
        });
      });
      expect(otherRan).toBe(true);
    });

    it('an award stopped by a crash after any of its writes counts exactly once in every total, once a fresh book recovers and the award is replayed', async () => {
      const s = await store();
      const names = { ana: 'Ana', ben: 'Ben', cleo: 'Cleo' };
      // The first award spans two members and two days; the second (which folds the first) adds a third member.
      const first = [award('ana', NOW - DAY, 12), award('ben', NOW - DAY + 1000, 0, 'bio wk1'), award('ana', NOW, 7)];
      const second = [award('cleo', NOW + 2000, 9), award('ben', NOW + 3000, 4)];
      const expected: Totals = {};
      for (const e of [...first, ...second]) applyEvent(expected, e, names[e.userId as keyof typeof names]);
      const week = periodRange('week', new Date(NOW), 'UTC');
      const book = (keyv: typeof s.keyv) => new ScoreBook(new Store(keyv, { retry: { attempts: 1, delayMs: () => 0 } }), { foldEvery: 1, clock: { now: () => NOW, setTimeout: () => () => undefined } });
      const check = async (b: ScoreBook, guild: string, label: string) => {
        expect({ label, totals: await b.totals(guild) }).toEqual({ label, totals: expected });
        expect({ label, season: await b.tallies(guild, { kind: 'season', seasonId: 1 }) }).toEqual({ label, season: tallyFromEvents([...first, ...second]) });
        expect({ label, week: await b.tallies(guild, { kind: 'range', range: week }) }).toEqual({ label, week: tallyFromEvents([...first, ...second], week) });
      };
      let crashes = 0;
      for (let k = 1; ; k++) {
        const guild = `${prefix.replace(/\D/g, '')}7000000${String(k).padStart(4, '0')}`;
        const crashing = new CrashingStore(s.keyv);
        const dying = book(crashing.keyv);
        await dying.record(guild, first, names, 'award-1');
        crashing.crashAfterMore(k);
        const stored = await dying.record(guild, second, names, 'award-2').then(
          () => true,
          () => false,
        );
        if (!crashing.dead) {
          // The award took fewer writes than k: every crash point was tried.
          expect(stored).toBe(true);
          break;
        }
        crashes++;
        // A fresh process: it recovers the journal on first use, and the caller replays the award it was not sure of.
        const fresh = book(s.keyv);
        await fresh.record(guild, second, names, 'award-2');
        await fresh.record(guild, first, names, 'award-1');
        await check(fresh, guild, `crash after write ${k}`);
        // What it left in the store is right too: a third process reads the same.
        await check(book(s.keyv), guild, `crash after write ${k}, read again`);
      }
      // The second award made several writes (folding the first, moving the head, its own journal entry).
      expect(crashes).toBeGreaterThanOrEqual(5);
    }, 60_000);

    it('a score index that outgrows its parts is written again at twice the size, and a fresh book reads every board from it', async () => {
      const s = await store();
      const guild = `${prefix.replace(/\D/g, '')}7100000001`;
      // 0.01 members a part: 256 parts hold two members, the third makes the index grow to 512.
      const book = () => new ScoreBook(s, { foldEvery: 2, membersPerPart: 0.01, clock: { now: () => NOW, setTimeout: () => () => undefined } });
      const awards = [[award('ana', NOW - DAY, 12)], [award('ben', NOW - DAY + 1000, 3, 'bio wk1')], [award('cleo', NOW, 9)], [award('ana', NOW + 1000, 4)]];
      const writer = book();
      for (const [i, events] of awards.entries()) await writer.record(guild, events, { ana: 'Ana', ben: 'Ben', cleo: 'Cleo' }, `grow-${i}`);
      expect(await s.get(`awards:${guild}`)).toEqual({ folded: 4, parts: { all: 512, s1: 512 } });
      const all = awards.flat();
      const week = periodRange('week', new Date(NOW), 'UTC');
      for (const reader of [writer, book()]) {
        expect(await reader.tallies(guild, { kind: 'all' })).toEqual(tallyFromEvents(all));
        expect(await reader.tallies(guild, { kind: 'season', seasonId: 1 })).toEqual(tallyFromEvents(all));
        expect(await reader.tallies(guild, { kind: 'range', range: week })).toEqual(tallyFromEvents(all, week));
      }
    });

    it('what one store wrote, another store opened on the same data reads', async () => {
      if (!factory.persistent) return;
      const first = await store();
      await first.set(key('kept'), { points: 14 });
      await first.keyv.disconnect();
      open.splice(open.indexOf(first), 1);
      const second = await store();
      expect(await second.get(key('kept'))).toEqual({ points: 14 });
    });
  });
}
