/**
 * Spreadsheets saved as CSV or TSV. With a header row naming `sentence` (or `note`, `text`,
 * `cloze`), `answer` and `section` columns, in any order; without one, the columns are taken
 * as sentence, answer, section. A row with an answer gets a blank where the answer appears in
 * the sentence (as a whole word or phrase, case ignored); a row without one must hold a note
 * already in the deck format.
 */
import { parseDeck } from '../parse.ts';
import { assemble, type SourceNote } from './assemble.ts';
import { decodeText, readRows } from './text.ts';
import { failure, limitsOf, type ImportOptions, type ImportResult } from './types.ts';
import type { NotePart } from './write.ts';

const SENTENCE_HEADERS = new Set(['sentence', 'note', 'text', 'cloze']);

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** The sentence with a blank at the first whole-word occurrence of the answer, or why not. */
export function blankAnswer(sentence: string, answer: string): NotePart[] | { reason: string } {
  const lowerSentence = sentence.toLowerCase();
  const lowerAnswer = answer.toLowerCase();
  // Lower-casing keeps lengths for the scripts teachers use; when it does not, fall back to exact case.
  const [hay, needle] = lowerSentence.length === sentence.length && lowerAnswer.length === answer.length ? [lowerSentence, lowerAnswer] : [sentence, answer];
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (isWordChar(sentence[at - 1]) || isWordChar(sentence[end])) continue;
    return [{ text: sentence.slice(0, at) }, { answer: sentence.slice(at, end), group: null }, { text: sentence.slice(end) }];
  }
  return { reason: `the answer "${answer}" does not appear in the sentence as a whole word` };
}

/** A sentence already written in the deck format: kept as it is when it reads as one note. */
function deckFormatLine(sentence: string): { line: string } | { reason: string } {
  const parsed = parseDeck(`# deck: x\n${sentence}\n`, 'row');
  if (parsed.errors.length === 0 && parsed.deck?.notes.length === 1) return { line: sentence };
  const why = parsed.errors[0]?.message ?? 'not a single note';
  return { reason: `no answer, and not a note in the deck format (${why})` };
}

export function importSpreadsheet(bytes: Uint8Array, fileName: string, options: ImportOptions): ImportResult {
  const decoded = decodeText(bytes, limitsOf(options));
  if ('error' in decoded) return failure(decoded.error);
  const read = readRows(decoded.text, fileName.toLowerCase().endsWith('.tsv') ? '\t' : undefined, true);
  if ('error' in read) return failure(`cannot read the spreadsheet: ${read.error}`);
  const rows = read.rows;
  const header = rows[0]?.record.map((c) => c.trim().toLowerCase()) ?? [];
  const named = header.some((c) => SENTENCE_HEADERS.has(c));
  const at = named
    ? { sentence: header.findIndex((c) => SENTENCE_HEADERS.has(c)), answer: header.indexOf('answer'), section: header.indexOf('section') }
    : { sentence: 0, answer: 1, section: 2 };
  const notes: SourceNote[] = rows.slice(named ? 1 : 0).map(({ record, line }) => {
    const sentence = (record[at.sentence] ?? '').replace(/\s+/gu, ' ').trim();
    const answer = at.answer < 0 ? '' : (record[at.answer] ?? '').replace(/\s+/gu, ' ').trim();
    const section = at.section < 0 ? '' : (record[at.section] ?? '').trim();
    const parts = sentence === '' ? { reason: 'no sentence' } : answer === '' ? deckFormatLine(sentence) : blankAnswer(sentence, answer);
    return { where: `row ${line}`, parts, section };
  });
  return assemble(notes, options);
}
