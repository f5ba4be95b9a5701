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
 * A sort key ordering names as the 'en' collator above does (case-insensitive,
 * digit runs by their value), for names made only of ASCII letters, digits and
 * spaces (most names), so a board of 50,000 members sorts with plain string
 * comparisons; undefined for any other name (compared with the collator). The
 * key of a digit run is its length (a character between '1' and '9', so that it
 * sorts after a space and before letters) then the digits without leading zeros.
 */
export function fastNameKey(name: string): string | undefined {
  let key = '';
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < name.length && name.charCodeAt(j) >= 48 && name.charCodeAt(j) <= 57) j++;
      let k = i;
      while (k < j - 1 && name.charCodeAt(k) === 48) k++;
      if (j - k > 9) return undefined;
      key += String(j - k) + name.slice(k, j);
      i = j;
      continue;
    }
    if (c === 32 || (c >= 97 && c <= 122)) key += name[i];
    else if (c >= 65 && c <= 90) key += String.fromCharCode(c + 32);
    else return undefined;
    i++;
  }
  return key;
}

/** Keys of names seen lately: names rarely change, so most boards need no new key. */
const nameKeys = new Map<string, string | undefined>();
const NAME_KEYS_KEPT = 200_000;

function cachedNameKey(name: string): string | undefined {
  if (nameKeys.has(name)) return nameKeys.get(name);
  if (nameKeys.size >= NAME_KEYS_KEPT) nameKeys.clear();
  const key = fastNameKey(name);
  nameKeys.set(name, key);
  return key;
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
  const entries: { row: RankedRow; key: string | undefined }[] = [];
  const fast = locale === 'en';
  for (const [userId, t] of tallies) {
    if (t.points === 0 && t.answered === 0) continue;
    const row = { rank: 0, userId, name: names(userId), points: t.points, answered: t.answered, correct: t.correct, won: t.won };
    entries.push({ row, key: fast ? cachedNameKey(row.name) : undefined });
  }
  const cmp = collator(locale).compare;
  entries.sort((x, y) => {
    const a = x.row;
    const b = y.row;
    return (
      b.points - a.points ||
      b.correct - a.correct ||
      (x.key !== undefined && y.key !== undefined ? (x.key < y.key ? -1 : x.key > y.key ? 1 : 0) : cmp(a.name, b.name)) ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
    );
  });
  const rows = entries.map((e) => e.row);
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

export interface Place {
  /** Shared with the members of equal points, as on the leaderboard. */
  readonly rank: number;
  /** Members with points on the board. */
  readonly of: number;
  /** Whether another member has the same rank. */
  readonly tied: boolean;
}

/** A member's place on a ranked board, or undefined without points (members with 0 points are not listed). */
export function placeOf(rows: readonly RankedRow[], userId: string): Place | undefined {
  const own = findRow(rows, userId);
  if (!own || own.points <= 0) return undefined;
  let of = 0;
  let tied = false;
  for (const row of rows) {
    if (row.points <= 0) continue;
    of++;
    if (row !== own && row.rank === own.rank) tied = true;
  }
  return { rank: own.rank, of, tied };
}

/**
 * Ranks rows already ordered best first by points, as `rank` does: equal points
 * share a rank and the next rank skips (1, 2, 2, 4).
 */
export function sharedRanks<T extends { readonly points: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const ranked: (T & { rank: number })[] = [];
  rows.forEach((row, i) => {
    const prev = ranked[i - 1];
    ranked.push({ ...row, rank: prev && prev.points === row.points ? prev.rank : i + 1 });
  });
  return ranked;
}
