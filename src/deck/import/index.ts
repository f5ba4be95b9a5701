/**
 * Converting decks from other tools into the deck format. Pure: bytes in, deck text out (or one
 * error), with the notes left out and why. The format is chosen from the content first (a zip is
 * an Anki package, `#separator:`-style headers an Anki text export), then the file name:
 * `.csv` and `.tsv` are spreadsheets, anything else an Anki "Notes in Plain Text" export.
 */
import path from 'node:path';
import { importApkg, looksLikeZip } from './apkg.ts';
import { hasAnkiHeaders, importAnkiText } from './anki-text.ts';
import { importSpreadsheet } from './spreadsheet.ts';
import type { ImportOptions, ImportResult } from './types.ts';

export type { ImportLimits, ImportOptions, ImportResult, Skipped } from './types.ts';
export { DEFAULT_LIMITS } from './types.ts';

/** Formats and the file names they come with, for messages and help. */
export const IMPORT_FORMATS = 'an Anki package (.apkg), an Anki "Notes in Plain Text" export (.txt) or a spreadsheet (.csv, .tsv)';

export async function importDeck(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ImportResult> {
  const ext = path.extname(fileName).toLowerCase();
  const fallbackName = options.fallbackName ?? path.basename(fileName, path.extname(fileName)).replace(/[-_.]+/gu, ' ');
  const withName = { ...options, fallbackName };
  if (looksLikeZip(bytes) || ext === '.apkg' || ext === '.colpkg') return importApkg(bytes, withName);
  const head = new TextDecoder().decode(bytes.subarray(0, 200));
  if (hasAnkiHeaders(head)) return importAnkiText(bytes, withName);
  if (ext === '.csv' || ext === '.tsv') return importSpreadsheet(bytes, fileName, withName);
  return importAnkiText(bytes, withName);
}
