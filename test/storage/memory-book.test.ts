import Keyv from 'keyv';
import { describe, expect, it, vi } from 'vitest';
import { LOG_PART, MemoryBook } from '../../src/storage/memory-book.ts';
import { Store } from '../../src/storage/store.ts';
import { memoryKey, reviewLogKey, reviewLogPartKey } from '../../src/storage/keys.ts';
import { DAY_MS, review } from '../../src/study/memory.ts';

const G = '100000000000000001';
const T0 = Date.UTC(2026, 0, 5, 9);
const wk9 = (id: string) => ({ id, deck: 'mlops wk9' });
const wk10 = (id: string) => ({ id, deck: 'mlops wk10' });

function open() {
  const store = new Store(new Keyv());
  return { store, book: new MemoryBook(store) };
}

describe('the study memory store', () => {
  it('updates each member\'s state of each card in time order, as the pure review would', async () => {
    const { book } = open();
    await book.record(G, [
      { userId: 'u1', card: wk9('c1'), rating: 'again', source: 'live', at: T0 + 3 * DAY_MS },
      { userId: 'u1', card: wk9('c1'), rating: 'good', source: 'daily', at: T0 },
      { userId: 'u2', card: wk9('c1'), rating: 'good', source: 'live', at: T0 + 3 * DAY_MS },
    ]);
    const u1 = await book.memory(G, 'u1', 'mlops wk9');
    expect(u1['c1']).toEqual(review(review(undefined, 'good', T0, 'daily'), 'again', T0 + 3 * DAY_MS, 'live'));
    expect((await book.memory(G, 'u2', 'mlops wk9'))['c1']?.firstSource).toBe('live');
    expect(await book.memory(G, 'u3', 'mlops wk9')).toEqual({});
  });

  it("reads one member's memory of one deck with one store read, whatever the server's size", async () => {
    const { store, book } = open();
    await book.record(
      G,
      Array.from({ length: 200 }, (_, i) => ({ userId: `u${i}`, card: wk9(`c${i % 7}`), rating: 'good' as const, source: 'live' as const, at: T0 })),
    );
    const get = vi.spyOn(store.keyv, 'get');
    const getMany = vi.spyOn(store.keyv, 'getMany');
    const record = await book.memory(G, 'u42', 'mlops wk9');
    expect(Object.keys(record)).toEqual(['c0']);
    expect(get).toHaveBeenCalledTimes(1);
    expect(getMany).not.toHaveBeenCalled();
  });

  it('keeps a record per deck and lists the members of each deck for the class', async () => {
    const { book } = open();
    await book.record(G, [
      { userId: 'u1', card: wk9('a'), rating: 'good', source: 'live', at: T0 },
      { userId: 'u2', card: wk10('b'), rating: 'hard', source: 'practice', at: T0 },
      { userId: 'u1', card: wk10('b'), rating: 'again', source: 'practice', at: T0 + 1 },
    ]);
    expect([...(await book.classMemory(G, 'mlops wk10')).keys()]).toEqual(['u2', 'u1']);
    expect([...(await book.classMemory(G, 'mlops wk9')).keys()]).toEqual(['u1']);
    const both = await book.memoryOfDecks(G, 'u1', ['mlops wk9', 'mlops wk10', 'bio']);
    expect(both.map((r) => Object.keys(r))).toEqual([['a'], ['b'], []]);
    // The members of several decks, each once, without reading their records.
    expect(await book.members(G, ['mlops wk9', 'mlops wk10', 'bio'])).toEqual(['u1', 'u2']);
  });

  it('appends every review to the log of its UTC hour, never rewriting one growing record', async () => {
    const { store, book } = open();
    const first = { userId: 'u1', card: wk9('c1'), rating: 'good' as const, source: 'daily' as const, at: T0 };
    await book.record(G, [first]);
    await book.record(G, [{ ...first, userId: 'u2', rating: 'again', at: T0 + 60_000 }]);
    await book.record(G, [{ ...first, at: T0 + 2 * 3_600_000, source: 'practice' }]);
    expect(await store.get(reviewLogKey(G, '2026-01-05T09'))).toHaveLength(2);
    expect(await store.get(reviewLogKey(G, '2026-01-05T11'))).toHaveLength(1);
    expect(await book.reviewLog(G, T0, T0 + DAY_MS)).toEqual([
      { card: 'c1', deck: 'mlops wk9', user: 'u1', at: T0, rating: 'good', source: 'daily' },
      { card: 'c1', deck: 'mlops wk9', user: 'u2', at: T0 + 60_000, rating: 'again', source: 'daily' },
      { card: 'c1', deck: 'mlops wk9', user: 'u1', at: T0 + 2 * 3_600_000, rating: 'good', source: 'practice' },
    ]);
    expect(await book.reviewLog(G, T0 + 1, T0 + 3_600_000)).toHaveLength(1);
  });

  it('a busy hour\'s log is kept in parts: each append writes only the part it adds to, and a restarted process goes on from the last part', async () => {
    const { store, book } = open();
    const entry = (i: number) => ({ userId: `u${i % 40}`, card: wk9(`c${i % 9}`), rating: 'good' as const, source: 'live' as const, at: T0 + i });
    // 2.5 parts' worth, in questions of 30 reviews.
    const total = Math.floor(LOG_PART * 2.5);
    const setMany = vi.spyOn(store.keyv, 'setMany');
    for (let from = 0; from < total; from += 30) await book.record(G, Array.from({ length: Math.min(30, total - from) }, (_, k) => entry(from + k)));
    const logWrites = setMany.mock.calls.map(([entries]) => entries.filter((e) => e.key.startsWith('reviews:')));
    expect(Math.max(...logWrites.map((w) => w.length))).toBeLessThanOrEqual(2);
    expect(Math.max(...logWrites.flat().map((w) => (w.value as unknown[]).length))).toBe(LOG_PART);
    expect(await store.get(reviewLogPartKey(G, '2026-01-05T09', 0))).toHaveLength(LOG_PART);
    expect(await store.get(reviewLogPartKey(G, '2026-01-05T09', 1))).toHaveLength(LOG_PART);
    expect(await store.get(reviewLogPartKey(G, '2026-01-05T09', 2))).toHaveLength(total - 2 * LOG_PART);

    // Another process (nothing remembered) appends after the last entry, not over a full part.
    const restarted = new MemoryBook(store);
    await restarted.record(G, [entry(total)]);
    const log = await restarted.reviewLog(G, T0, T0 + DAY_MS);
    expect(log.map((e) => e.at)).toEqual(Array.from({ length: total + 1 }, (_, i) => T0 + i));
  });

  it('records a question\'s reviews of many members already known with one read and one write', async () => {
    const { store, book } = open();
    const question = (at: number) => Array.from({ length: 30 }, (_, i) => ({ userId: `u${i}`, card: wk9('c1'), rating: 'good' as const, source: 'live' as const, at }));
    await book.record(G, question(T0));
    // Keyv's own setMany: one request to adapters that write many at once (SQLite, PostgreSQL, Redis).
    const calls = ['get', 'getMany', 'setMany'].map((name) => vi.spyOn(store.keyv, name as 'get'));
    await book.record(G, question(T0 + 60_000));
    expect(calls.map((c) => c.mock.calls.length)).toEqual([0, 1, 1]);
    expect((await book.memory(G, 'u7', 'mlops wk9'))['c1']?.reps).toBe(2);
    expect((await book.classMemory(G, 'mlops wk9')).size).toBe(30);
  });

  it('concurrent recordings of one member lose nothing', async () => {
    const { book } = open();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => book.record(G, [{ userId: 'u1', card: wk9(`c${i}`), rating: 'good', source: 'live', at: T0 + i }])),
    );
    expect(Object.keys(await book.memory(G, 'u1', 'mlops wk9'))).toHaveLength(20);
    expect(await book.reviewLog(G, T0, T0 + DAY_MS)).toHaveLength(20);
  });

  it('keys put the deck name last, after the snowflakes', () => {
    expect(memoryKey(G, '5', 'a:b c')).toBe(`memory:${G}:5:a:b c`);
  });
});
