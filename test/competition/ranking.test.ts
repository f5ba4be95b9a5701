import { describe, expect, it } from 'vitest';
import { boardByScore, fastNameKey, findRow, nameBoard, page, placeOf, rank, sharedRanks } from '../../src/competition/ranking.ts';
import type { RankedRow, Tally } from '../../src/competition/types.ts';

const t = (points: number, correct = 0, answered = correct, won = 0): Tally => ({ points, answered, correct, won });
const namesOf = (names: Record<string, string>) => (id: string) => names[id] ?? id;
const view = (rows: RankedRow[]) => rows.map((r) => [r.rank, r.userId]);

describe('rank', () => {
  const cases: { name: string; tallies: [string, Tally][]; names?: Record<string, string>; want: [number, string][] }[] = [
    {
      name: 'distinct points rank 1, 2, 3 by points descending',
      tallies: [['a', t(5)], ['b', t(20)], ['c', t(10)]],
      want: [[1, 'b'], [2, 'c'], [3, 'a']],
    },
    {
      name: 'two members tied for second share rank 2 and the next is 4',
      tallies: [['a', t(30)], ['b', t(20)], ['c', t(20)], ['d', t(10)]],
      names: { a: 'Ann', b: 'Bea', c: 'Cid', d: 'Dan' },
      want: [[1, 'a'], [2, 'b'], [2, 'c'], [4, 'd']],
    },
    {
      name: 'everyone tied all share rank 1',
      tallies: [['a', t(7)], ['b', t(7)], ['c', t(7)]],
      names: { a: 'Ann', b: 'Bea', c: 'Cid' },
      want: [[1, 'a'], [1, 'b'], [1, 'c']],
    },
    {
      name: 'no tallies gives no rows',
      tallies: [],
      want: [],
    },
    {
      name: 'members with 0 points and nothing answered are left out; 0 points with answers stay',
      tallies: [['idle', t(0, 0, 0)], ['tried', t(0, 0, 4)], ['a', t(3, 1)]],
      want: [[1, 'a'], [2, 'tried']],
    },
    {
      name: 'within a tie more correct answers come first, rank stays shared',
      tallies: [['few', t(10, 2)], ['many', t(10, 5)], ['mid', t(10, 3)]],
      want: [[1, 'many'], [1, 'mid'], [1, 'few']],
    },
    {
      name: 'within a tie with equal correct, names order case-insensitively and locale-aware',
      tallies: [['z', t(10, 2)], ['e', t(10, 2)], ['b', t(10, 2)], ['top', t(11, 0)]],
      names: { z: 'zoë', e: 'Émile', b: 'bob', top: 'Top' },
      want: [[1, 'top'], [2, 'b'], [2, 'e'], [2, 'z']],
    },
  ];
  it.each(cases)('$name', ({ tallies, names = {}, want }) => {
    expect(view(rank(new Map(tallies), namesOf(names)))).toEqual(want);
  });

  it('rows carry the name and the whole tally', () => {
    const rows = rank(new Map([['u1', t(12, 3, 5, 2)]]), () => 'Ada');
    expect(rows).toEqual([{ rank: 1, userId: 'u1', name: 'Ada', points: 12, answered: 5, correct: 3, won: 2 }]);
  });

  it('identical points, correct and name fall back to user id so the order is stable', () => {
    const rows = rank(new Map([['u2', t(1, 1)], ['u1', t(1, 1)]]), () => 'Same');
    expect(view(rows)).toEqual([[1, 'u1'], [1, 'u2']]);
  });
});

describe('page', () => {
  const rows = Array.from({ length: 25 }, (_, i) => i);
  const cases: { name: string; index: number; size?: number; want: { first?: number; count: number; page: number; pageCount: number } }[] = [
    { name: 'first page holds the first 10', index: 0, want: { first: 0, count: 10, page: 0, pageCount: 3 } },
    { name: 'last page holds the remainder', index: 2, want: { first: 20, count: 5, page: 2, pageCount: 3 } },
    { name: 'past the end clamps to the last page', index: 99, want: { first: 20, count: 5, page: 2, pageCount: 3 } },
    { name: 'negative index clamps to the first page', index: -3, want: { first: 0, count: 10, page: 0, pageCount: 3 } },
    { name: 'NaN index gives the first page', index: Number.NaN, want: { first: 0, count: 10, page: 0, pageCount: 3 } },
    { name: 'fractional index rounds down', index: 1.7, want: { first: 10, count: 10, page: 1, pageCount: 3 } },
    { name: 'custom page size', index: 1, size: 5, want: { first: 5, count: 5, page: 1, pageCount: 5 } },
    { name: 'page size 0 is treated as 1', index: 3, size: 0, want: { first: 3, count: 1, page: 3, pageCount: 25 } },
  ];
  it.each(cases)('$name', ({ index, size, want }) => {
    const p = page(rows, index, size);
    expect(p.rows[0]).toBe(want.first);
    expect(p.rows.length).toBe(want.count);
    expect(p.page).toBe(want.page);
    expect(p.pageCount).toBe(want.pageCount);
    expect(p.total).toBe(25);
  });

  it('no rows gives one empty page', () => {
    expect(page([], 4)).toEqual({ rows: [], page: 0, pageCount: 1, total: 0 });
  });

  it('exactly one full page has no empty second page', () => {
    expect(page(rows.slice(0, 10), 1)).toMatchObject({ page: 0, pageCount: 1 });
  });
});

describe("caller's own row", () => {
  const tallies = new Map(Array.from({ length: 35 }, (_, i) => [`u${i}`, t(100 - i)] as [string, Tally]));
  const rows = rank(tallies, (id) => id);

  it('finds the row', () => {
    expect(findRow(rows, 'u23')).toMatchObject({ rank: 24, userId: 'u23', points: 77 });
  });

  it('a member not on the board has no row', () => {
    expect(findRow(rows, 'nobody')).toBeUndefined();
  });
});

describe('placeOf', () => {
  // 30, 20, 20, 10 points, and a member who answered without scoring.
  const rows = rank(new Map([['a', t(30)], ['b', t(20)], ['c', t(20)], ['d', t(10)], ['zero', { ...t(0), answered: 2 }]]), (id) => id);

  it('gives the leaderboard rank among the members with points', () => {
    expect(placeOf(rows, 'a')).toEqual({ rank: 1, of: 4, tied: false });
    expect(placeOf(rows, 'd')).toEqual({ rank: 4, of: 4, tied: false });
  });

  it('says when the rank is shared', () => {
    expect(placeOf(rows, 'b')).toEqual({ rank: 2, of: 4, tied: true });
    expect(placeOf(rows, 'c')).toEqual({ rank: 2, of: 4, tied: true });
  });

  it('has no place for a member with 0 points or not on the board', () => {
    expect(placeOf(rows, 'zero')).toBeUndefined();
    expect(placeOf(rows, 'nobody')).toBeUndefined();
  });
});

describe('sharedRanks', () => {
  it('gives equal points one rank and skips the next, as rank does', () => {
    const rows = [{ id: 'a', points: 30 }, { id: 'b', points: 20 }, { id: 'c', points: 20 }, { id: 'd', points: 10 }];
    expect(sharedRanks(rows).map((r) => [r.rank, r.id])).toEqual([[1, 'a'], [2, 'b'], [2, 'c'], [4, 'd']]);
    const tallies = new Map(rows.map((r) => [r.id, t(r.points)] as [string, Tally]));
    expect(sharedRanks(rows).map((r) => r.rank)).toEqual(rank(tallies, (id) => id).map((r) => r.rank));
  });

  it('ranks nothing as nothing', () => {
    expect(sharedRanks([])).toEqual([]);
  });
});

describe('fastNameKey', () => {
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

  it('orders plain names exactly as the collator does: case, digit runs by value, leading zeros, spaces', () => {
    const pieces = ['a', 'A', 'b', 'Z', 'z', ' ', '0', '1', '9', '00', '10', '007', 'Student ', 'student'];
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const name = () => Array.from({ length: Math.floor(next() * 6) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = name();
      const b = name();
      const ka = fastNameKey(a);
      const kb = fastNameKey(b);
      if (ka === undefined || kb === undefined) continue; // a digit run of 10 digits or more: the collator's
      expect([a, b, sign(ka < kb ? -1 : ka > kb ? 1 : 0)]).toEqual([a, b, sign(collator.compare(a, b))]);
    }
  });

  it('leaves other names to the collator', () => {
    expect(fastNameKey('Zoë')).toBeUndefined();
    expect(fastNameKey('ana_b')).toBeUndefined();
    expect(fastNameKey('id 12345678901')).toBeUndefined();
    expect(fastNameKey('Student 9')).toBe('student 19');
  });

  it('ranks a mix of plain and accented names in collator order', () => {
    const names = ['Zoë', 'zoe 2', 'Émile 3', 'emile 10', 'Emile 9', 'Ana', 'Ánb', 'bob'];
    const tallies = new Map<string, Tally>(names.map((n, i) => [`u${i}`, { points: 5, answered: 1, correct: 1, won: 0 }]));
    const rows = rank(tallies, (id) => names[Number(id.slice(1))] as string);
    expect(rows.map((r) => r.name)).toEqual([...names].sort((a, b) => collator.compare(a, b) || 0));
  });
});

describe('a page ranked with only the names it shows', () => {
  /** A board of many ties on points and correct answers, names that sort otherwise than ids. */
  function board(members: number, seed: number): { tallies: Map<string, Tally>; names: Map<string, string> } {
    let x = seed;
    const next = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    const tallies = new Map<string, Tally>();
    const names = new Map<string, string>();
    for (let i = 0; i < members; i++) {
      const id = `u${String(i).padStart(4, '0')}`;
      const points = next(4) === 0 ? 0 : next(6) * 10;
      tallies.set(id, { points, answered: points / 10 + next(2), correct: points / 10, won: 0 });
      names.set(id, ['Zoe', 'ada', 'Ben 10', 'Ben 9', 'émile', 'Ada'][next(6)] as string);
    }
    return { tallies, names };
  }

  it('shows on every page the rows and the caller row the whole ranking shows, ties decided by name as before', () => {
    for (const seed of [1, 2, 3]) {
      const { tallies, names } = board(137, seed);
      const nameOf = (id: string) => names.get(id) as string;
      const whole = rank(tallies, nameOf).filter((row) => row.points > 0);
      for (let p = 0; p <= 15; p++) {
        for (const callerId of ['u0005', 'u0100', 'nobody']) {
          const byScore = boardByScore(tallies, { page: p, pageSize: 10, callerId });
          const asked = new Set(byScore.needed);
          const rows = nameBoard(byScore, (id) => {
            if (!asked.has(id)) throw new Error(`name of ${id} was not asked for`);
            return nameOf(id);
          }).filter((row) => row.points > 0);
          expect(page(rows, p).rows).toEqual(page(whole, p).rows);
          expect(page(rows, p).pageCount).toBe(page(whole, p).pageCount);
          expect(findRow(rows, callerId)).toEqual(findRow(whole, callerId));
        }
      }
    }
  });

  it('asks for the names of the page rows and the caller only when no tie crosses the page edge', () => {
    const tallies = new Map<string, Tally>(Array.from({ length: 50 }, (_, i) => [`u${i}`, { points: (i + 1) * 10, answered: i + 1, correct: i + 1, won: 0 }]));
    const { needed } = boardByScore(tallies, { page: 0, pageSize: 10, callerId: 'u3' });
    expect([...needed].sort()).toEqual(['u3', 'u40', 'u41', 'u42', 'u43', 'u44', 'u45', 'u46', 'u47', 'u48', 'u49']);
  });
});
