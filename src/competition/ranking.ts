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

/** A row with the sort key of its name (undefined: compared with the collator). */
interface Keyed {
  readonly row: RankedRow;
  readonly key: string | undefined;
}

function keyed(row: RankedRow, fast: boolean): Keyed {
  return { row, key: fast ? cachedNameKey(row.name) : undefined };
}

/** The order of the board: points, then correct answers, then name, then user id. */
function byBoardOrder(locale: string): (x: Keyed, y: Keyed) => number {
  const cmp = collator(locale).compare;
  return (x, y) => {
    const a = x.row;
    const b = y.row;
    return (
      b.points - a.points ||
      b.correct - a.correct ||
      (x.key !== undefined && y.key !== undefined ? (x.key < y.key ? -1 : x.key > y.key ? 1 : 0) : cmp(a.name, b.name)) ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
    );
  };
}

/** Sets shared ranks on rows ordered best first by points (1, 2, 2, 4). */
function setRanks(rows: RankedRow[]): void {
  let prev: RankedRow | undefined;
  rows.forEach((row, i) => {
    row.rank = prev && prev.points === row.points ? prev.rank : i + 1;
    prev = row;
  });
}

/** The members on the board (points or answers), as rows with the given names. */
function boardRows(tallies: ReadonlyMap<string, Tally>, names: (userId: string) => string): RankedRow[] {
  const rows: RankedRow[] = [];
  for (const [userId, t] of tallies) {
    if (t.points === 0 && t.answered === 0) continue;
    rows.push({ rank: 0, userId, name: names(userId), points: t.points, answered: t.answered, correct: t.correct, won: t.won });
  }
  return rows;
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
  const fast = locale === 'en';
  const entries = boardRows(tallies, names).map((row) => keyed(row, fast));
  entries.sort(byBoardOrder(locale));
  const rows = entries.map((e) => e.row);
  setRanks(rows);
  return rows;
}

/** The page of a board one member looks at. */
export interface BoardView {
  /** 0-based; clamped into range as `page` clamps it. */
  readonly page: number;
  readonly pageSize: number;
  /** The member looking: their own row gets its name too. */
  readonly callerId?: string;
}

/**
 * A board whose order and ranks are final but whose names are known only
 * where a page needs them: rows `from` to `to` (exclusive) and the caller's.
 */
export interface BoardByScore {
  /** Ordered by points, then correct answers, then user id; ranks set; names empty. */
  readonly rows: RankedRow[];
  /** The rows whose names the view needs: `[from, to)` in `rows`, and the caller's. */
  readonly from: number;
  readonly to: number;
  readonly needed: readonly string[];
}

/**
 * The first step of ranking for one page without every member's name: the rows
 * ordered by points and correct answers alone (which is where the name tie rule
 * applies: only between rows of equal points and correct answers), and the
 * rows whose names the page needs: the page's rows widened to every row of
 * equal points and correct answers at either edge (which of them are on the
 * page is decided by name), and the caller. The ranks are final (they depend
 * on points only). Finish with `nameBoard`.
 */
export function boardByScore(tallies: ReadonlyMap<string, Tally>, view: BoardView): BoardByScore {
  const rows = boardRows(tallies, () => '');
  rows.sort((a, b) => b.points - a.points || b.correct - a.correct || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  setRanks(rows);
  // The page as `page` clamps it, over the rows with points (those with none are last, and not listed).
  let listed = rows.length;
  while (listed > 0 && (rows[listed - 1] as RankedRow).points <= 0) listed--;
  const size = Number.isFinite(view.pageSize) ? Math.max(1, Math.floor(view.pageSize)) : 10;
  const pageCount = Math.max(1, Math.ceil(listed / size));
  const wanted = Number.isFinite(view.page) ? Math.floor(view.page) : 0;
  const shown = Math.min(Math.max(0, wanted), pageCount - 1);
  let from = Math.min(shown * size, listed);
  let to = Math.min(from + size, listed);
  const same = (i: number, j: number) => {
    const a = rows[i] as RankedRow;
    const b = rows[j] as RankedRow;
    return a.points === b.points && a.correct === b.correct;
  };
  if (to > from) {
    while (from > 0 && same(from - 1, from)) from--;
    while (to < rows.length && same(to, to - 1)) to++;
  }
  const needed = rows.slice(from, to).map((row) => row.userId);
  if (view.callerId !== undefined && !needed.includes(view.callerId) && rows.some((row) => row.userId === view.callerId)) needed.push(view.callerId);
  return { rows, from, to, needed };
}

/**
 * Puts the names of `boardByScore`'s needed rows in, and orders the rows
 * `[from, to)` by the board's full rule: the page's rows and the caller's row
 * are then exactly those `rank` gives (other rows keep an empty name and an
 * order by user id within their tie: never shown).
 */
export function nameBoard(board: BoardByScore, names: (userId: string) => string, locale = 'en'): RankedRow[] {
  const { rows, from, to } = board;
  const fast = locale === 'en';
  const wanted = new Set(board.needed);
  for (const row of rows) if (wanted.has(row.userId)) row.name = names(row.userId);
  const window = rows.slice(from, to).map((row) => keyed(row, fast));
  window.sort(byBoardOrder(locale));
  window.forEach((entry, i) => {
    rows[from + i] = entry.row;
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
