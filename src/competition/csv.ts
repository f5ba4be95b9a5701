/**
 * CSV export for the teacher: RFC 4180 text that spreadsheets open cleanly
 * and safely, written by csv-stringify.
 *
 * - Fields containing a comma, double quote, CR or LF are quoted; quotes are doubled.
 * - Lines end with CRLF (the last one too).
 * - The text starts with a UTF-8 byte order mark so spreadsheets detect UTF-8.
 * - Text fields that a spreadsheet could run as a formula (starting with
 *   `=`, `+`, `-`, `@`, tab or CR, or the full-width `＝ ＋ － ＠`) get a leading
 *   apostrophe. Values passed as numbers are written as plain numbers,
 *   negatives included.
 */
import { stringify, type Options } from 'csv-stringify/sync';
import { accuracy } from './aggregate.ts';
import type { RankedRow } from './types.ts';

export type CsvValue = string | number;

const OPTIONS: Options = {
  record_delimiter: 'windows',
  escape_formulas: true,
  // Quote fields holding a lone CR or LF too, not only CRLF.
  quote_record_delimiter: true,
  // Non-finite numbers become empty fields.
  cast: { number: (value) => (Number.isFinite(value) ? String(value) : '') },
};

/** One field, neutralised and quoted as needed. Non-finite numbers become empty fields. */
export function csvField(value: CsvValue): string {
  return stringify([[value]], { ...OPTIONS, eof: false });
}

/** A whole CSV document: BOM, header line, then one line per row, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return stringify([header, ...rows], { ...OPTIONS, bom: true });
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
