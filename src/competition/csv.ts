/**
 * CSV export for the teacher: RFC 4180 text that spreadsheets open cleanly
 * and safely.
 *
 * - Fields containing a comma, double quote, CR or LF are quoted; quotes are doubled.
 * - Lines end with CRLF (the last one too).
 * - The text starts with a UTF-8 byte order mark so spreadsheets detect UTF-8.
 * - Text fields that a spreadsheet could run as a formula (starting with
 *   `=`, `+`, `-`, `@`, tab or CR) get a leading apostrophe. Values passed as
 *   numbers are written as plain numbers, negatives included.
 */
import { accuracy } from './aggregate.ts';
import type { RankedRow } from './types.ts';

export type CsvValue = string | number;

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, neutralised and quoted as needed. Non-finite numbers become empty fields. */
export function csvField(value: CsvValue): string {
  let text: string;
  if (typeof value === 'number') {
    text = Number.isFinite(value) ? String(value) : '';
  } else {
    text = FORMULA_START.test(value) ? `'${value}` : value;
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: BOM, header line, then one line per row, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

/** Columns of the leaderboard export. */
export const LEADERBOARD_CSV_HEADER = [
  'rank',
  'member id',
  'display name',
  'points',
  'answered',
  'correct',
  'accuracy %',
  'streak',
] as const;

/**
 * Accuracy as a percentage with one decimal (e.g. 83.3), written as a number
 * so spreadsheets can sort and average it; empty when nothing was answered.
 */
export function accuracyPercent(t: { answered: number; correct: number }): number | '' {
  if (t.answered <= 0) return '';
  return Math.round(accuracy(t) * 1000) / 10;
}

/** One export line matching `LEADERBOARD_CSV_HEADER`. `streak` is the member's current daily streak. */
export function leaderboardCsvRow(row: RankedRow, streak = 0): CsvValue[] {
  return [row.rank, row.userId, row.name, row.points, row.answered, row.correct, accuracyPercent(row), streak];
}

/** The whole leaderboard export. `streakOf` gives a member's current daily streak. */
export function leaderboardCsv(rows: readonly RankedRow[], streakOf: (userId: string) => number = () => 0): string {
  return toCsv(LEADERBOARD_CSV_HEADER, rows.map((r) => leaderboardCsvRow(r, streakOf(r.userId))));
}
