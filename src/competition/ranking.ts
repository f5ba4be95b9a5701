/**
 * Leaderboard ordering and paging.
 */
import type { RankedRow, Tally } from './types.ts';

const collators = new Map<string, Intl.Collator>();
function collator(locale: string): Intl.Collator {
  let c = collators.get(locale);
  if (!c) collators.set(locale, (c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })));
  return c;
}

/**
 * Ranks members by points, highest first, with standard competition ranking:
 * equal points share a rank and the next rank skips (1, 2, 2, 4).
 * Within a tie the display order is more correct answers first, then name
 * (locale-aware, case-insensitive), then user id; the rank stays shared.
 * Members with 0 points and nothing answered are left out.
 * One sort: O(n log n).
 */
export function rank(
  tallies: ReadonlyMap<string, Tally>,
  names: (userId: string) => string,
  locale = 'en',
): RankedRow[] {
  const rows: RankedRow[] = [];
  for (const [userId, t] of tallies) {
    if (t.points === 0 && t.answered === 0) continue;
    rows.push({ rank: 0, userId, name: names(userId), points: t.points, answered: t.answered, correct: t.correct, won: t.won });
  }
  const cmp = collator(locale).compare;
  rows.sort(
    (a, b) =>
      b.points - a.points ||
      b.correct - a.correct ||
      cmp(a.name, b.name) ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  let prev: RankedRow | undefined;
  rows.forEach((row, i) => {
    row.rank = prev && prev.points === row.points ? prev.rank : i + 1;
    prev = row;
  });
  return rows;
}

export interface Page<T> {
  rows: T[];
  /** 0-based page actually shown (after clamping). */
  page: number;
  /** At least 1, even when there are no rows. */
  pageCount: number;
  /** Number of rows over all pages. */
  total: number;
}

/**
 * One page of rows. `pageIndex` is 0-based and clamped into range (non-finite
 * values give the first page); `pageSize` below 1 is treated as 1.
 */
export function page<T>(rows: readonly T[], pageIndex: number, pageSize = 10): Page<T> {
  const size = Number.isFinite(pageSize) ? Math.max(1, Math.floor(pageSize)) : 10;
  const total = rows.length;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const wanted = Number.isFinite(pageIndex) ? Math.floor(pageIndex) : 0;
  const p = Math.min(Math.max(0, wanted), pageCount - 1);
  return { rows: rows.slice(p * size, p * size + size), page: p, pageCount, total };
}

/** The member's row, or undefined when they are not on the board. */
export function findRow(rows: readonly RankedRow[], userId: string): RankedRow | undefined {
  return rows.find((r) => r.userId === userId);
}
