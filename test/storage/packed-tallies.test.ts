import { describe, expect, it } from 'vitest';
import type { DayTotals } from '../../src/competition/types.ts';
import { addDayTallies } from '../../src/competition/aggregate.ts';
import { addPackedTallies, packTallies, unpackTallies, type StoredTallies } from '../../src/storage/packed-tallies.ts';

const tally = (points: number, answered: number, correct: number, won: number) => ({ points, answered, correct, won });

function members(): Record<string, DayTotals> {
  const out: Record<string, DayTotals> = {
    u1: { ...tally(25, 3, 2, 1), decks: { 'mlops wk9': tally(15, 2, 1, 1), 'bio wk1': tally(10, 1, 1, 0) } },
    u2: { ...tally(0, 1, 0, 0), decks: { 'bio wk1': tally(0, 1, 0, 0) } },
    u3: { ...tally(4, 1, 1, 0), decks: {} },
  };
  // Ids and deck names come from outside: these are data, never the prototype.
  Object.defineProperty(out, '__proto__', { value: { ...tally(7, 1, 1, 1), decks: JSON.parse('{"__proto__":{"points":7,"answered":1,"correct":1,"won":1}}') }, enumerable: true, writable: true, configurable: true });
  return out;
}

describe('packed tallies', () => {
  it('packed, stored as JSON and unpacked: the same tallies, own properties whatever the ids and deck names', () => {
    const stored = JSON.parse(JSON.stringify(packTallies(members()))) as StoredTallies;
    const back = unpackTallies(stored);
    expect(JSON.stringify(back)).toBe(JSON.stringify(members()));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.hasOwn(back['__proto__']!.decks, '__proto__')).toBe(true);
    expect(back['u1']).toEqual(members()['u1']);
  });

  it('each deck name is stored once per record, the ids in a list, each member as one array of numbers at the place of their id', () => {
    const packed = packTallies(members());
    expect(packed.decks).toEqual(['mlops wk9', 'bio wk1', '__proto__']);
    expect(packed.ids).toEqual(['u1', 'u2', 'u3', '__proto__']);
    expect(packed.rows[0]).toEqual([25, 3, 2, 1, 0, 15, 2, 1, 1, 1, 10, 1, 1, 0]);
    expect(packed.rows[2]).toEqual([4, 1, 1, 0]);
    expect(packed.rows[3]).toEqual([7, 1, 1, 1, 2, 7, 1, 1, 1]);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify({ members: members() }).length / 2);
  });

  it('a record packed as first written (rows under their ids) reads as the same tallies', () => {
    const { decks, ids, rows } = packTallies(members());
    const keyed = JSON.parse(JSON.stringify({ decks, tallies: Object.fromEntries(ids.map((id, i) => [id, rows[i]])) })) as StoredTallies;
    const back = unpackTallies(keyed);
    expect(JSON.stringify(back)).toBe(JSON.stringify(members()));
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('a record stored with its tallies as objects (before packing) reads as the same tallies, in a copy', () => {
    const old = { members: members() };
    const read = unpackTallies(old);
    expect(read).toEqual(members());
    expect(read).not.toBe(old.members);
  });

  it('no members: an empty record both ways', () => {
    expect(packTallies({})).toEqual({ decks: [], ids: [], rows: [] });
    expect(unpackTallies({ decks: [], ids: [], rows: [] })).toEqual({});
    expect(unpackTallies({ decks: [], tallies: {} })).toEqual({});
  });
});

describe('addPackedTallies', () => {
  it.each([
    { filter: 'no deck filter', decks: undefined, members: 5 },
    { filter: 'one deck', decks: (deck: string) => deck === 'bio wk1', members: 2 },
    { filter: 'a deck nobody has', decks: (deck: string) => deck === 'chem', members: 0 },
    { filter: 'every deck (a member without decks is left out)', decks: () => true, members: 4 },
  ])('sums a packed day (in either packed shape) into running tallies exactly as the same day as objects does: $filter', ({ decks, members: count }) => {
    const other: Record<string, DayTotals> = { u1: { ...tally(3, 1, 1, 0), decks: { 'bio wk1': tally(3, 1, 1, 0) } }, u9: { ...tally(1, 1, 1, 1), decks: { 'mlops wk9': tally(1, 1, 1, 1) } } };
    const fromObjects = new Map();
    const fromPacked = new Map();
    const fromKeyed = new Map();
    for (const day of [members(), other]) {
      addDayTallies(fromObjects, day, decks);
      const { decks: names, ids, rows } = packTallies(day);
      addPackedTallies(fromPacked, JSON.parse(JSON.stringify({ decks: names, ids, rows })), decks);
      addPackedTallies(fromKeyed, JSON.parse(JSON.stringify({ decks: names, tallies: Object.fromEntries(ids.map((id, i) => [id, rows[i]])) })), decks);
    }
    expect([...fromPacked]).toEqual([...fromObjects]);
    expect([...fromKeyed]).toEqual([...fromObjects]);
    expect(fromPacked.size).toBe(count);
  });
});
