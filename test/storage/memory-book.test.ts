import Keyv from 'keyv';
import { describe, expect, it, vi } from 'vitest';
import { MemoryBook } from '../../src/storage/memory-book.ts';
import { Store } from '../../src/storage/store.ts';
import { memoryKey, reviewLogKey } from '../../src/storage/keys.ts';
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
