/** Bytes to text for the text importers, with the checks every upload needs. */
import { parse } from 'csv-parse/sync';
import type { ImportLimits } from './types.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Refuses an input over the size limit. */
export function checkSize(bytes: Uint8Array, limits: ImportLimits): string | undefined {
  return bytes.length > limits.maxInputBytes
    ? `file too large: ${megabytes(bytes.length)}, at most ${megabytes(limits.maxInputBytes)}`
    : undefined;
}

/** UTF-8 text without its byte-order mark, or an error: too large, not text, too many lines. */
export function decodeText(bytes: Uint8Array, limits: ImportLimits): { text: string } | { error: string } {
  const tooLarge = checkSize(bytes, limits);
  if (tooLarge) return { error: tooLarge };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { error: 'not UTF-8 text: save or export the file as UTF-8 text' };
  }
  if (text.includes('\u0000')) return { error: 'not a text file: it holds binary data' };
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > limits.maxLines) {
      return { error: `too many lines: more than ${limits.maxLines.toLocaleString('en-US')}; split the file into smaller decks` };
    }
  }
  return { text: text.replace(/^\uFEFF/u, '') };
}

/** A record of a delimited file and the line it ends on. */
export interface CsvRow {
  readonly record: string[];
  readonly line: number;
}

/**
 * Reads delimited text with `csv-parse`: quoted fields, ragged rows and empty lines allowed.
 * `delimiter` undefined: the one of tab, `;`, `,` and `|` found most often in the first line.
 */
export function readRows(text: string, delimiter: string | undefined, trim: boolean): { rows: CsvRow[] } | { error: string } {
  try {
    const records = parse(text, {
      delimiter: delimiter ?? guessDelimiter(text),
      info: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { rows: records.map(({ record, info }) => ({ record, line: info.lines })) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The most frequent of tab, `;`, `,`, `|` in the first line outside quotes (ties in that order); `,` when none. */
export function guessDelimiter(text: string): string {
  const firstLine = (/^[^\r\n]*/u.exec(text)?.[0] ?? '').replace(/"[^"]*"/gu, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of ['\t', ';', ',', '|']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}
