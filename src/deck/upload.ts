/**
 * What `/deck add` does with an uploaded file before `checkUpload`: refuses what is not a deck
 * file, and converts Anki and spreadsheet files into the deck format with the importers. Pure:
 * bytes in, deck bytes (or one message) out.
 *
 * - `.md`, or a `.txt` in the deck format: taken as it is (UTF-8 text, at most
 *   `MAX_UPLOAD_LINES` lines).
 * - `.txt` starting with Anki's `#separator:`-style headers, or whose first line holds a tab:
 *   Anki's "Notes in Plain Text" export.
 * - `.apkg` (or any zip): an Anki package; `.csv`, `.tsv`: a spreadsheet.
 * Every upload is at most `MAX_SERVER_DECK_BYTES`; a package may not inflate past
 * `MAX_UNPACKED_BYTES`; an import reads at most `MAX_SERVER_CARDS` notes or rows.
 */
import path from 'node:path';
import { hasAnkiHeaders } from './import/anki-text.ts';
import { looksLikeZip } from './import/apkg.ts';
import { importDeck, type ImportLimits, type Skipped } from './import/index.ts';
import { MAX_SERVER_CARDS, MAX_SERVER_DECK_BYTES } from './server-decks.ts';

/** Lines of a deck file uploaded as it is. */
export const MAX_UPLOAD_LINES = 50_000;
/** What an Anki package may inflate to (a zip bomb stops there). */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

export const UPLOAD_FORMATS = 'a deck file (.md or .txt), an Anki package (.apkg), an Anki "Notes in Plain Text" export (.txt) or a spreadsheet (.csv, .tsv)';

const IMPORT_LIMITS: ImportLimits = { maxInputBytes: MAX_SERVER_DECK_BYTES, maxUncompressedBytes: MAX_UNPACKED_BYTES, maxLines: MAX_SERVER_CARDS };

export type PreparedUpload =
  | {
      readonly ok: true;
      /** The deck file to check and store. */
      readonly bytes: Uint8Array;
      readonly fileName: string;
      /** Set when the file was converted: what from, and the notes or rows left out. */
      readonly converted?: { readonly from: string; readonly skipped: readonly Skipped[] };
    }
  | { readonly ok: false; readonly message: string };

/** Whether an uploaded file of this name may be a deck (the extension is checked before downloading). */
export function uploadKind(fileName: string): 'deck' | 'text' | 'apkg' | 'spreadsheet' | undefined {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.md') return 'deck';
  if (ext === '.txt') return 'text';
  if (ext === '.apkg') return 'apkg';
  if (ext === '.csv' || ext === '.tsv') return 'spreadsheet';
  return undefined;
}

function refused(fileName: string, why: string): PreparedUpload {
  return { ok: false, message: `${fileName} was not added: ${why}.` };
}

/** Text that is not a deck file: binary data, or far too many lines. */
function textProblem(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not a text file (not UTF-8 text): upload the deck as UTF-8 text';
  }
  if (text.includes('\u0000')) return 'it is not a text file: it holds binary data';
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > MAX_UPLOAD_LINES) return `it has more than ${MAX_UPLOAD_LINES.toLocaleString('en-US')} lines: split it into smaller decks`;
  }
  return undefined;
}

/** An Anki plain-text export: Anki's header lines, or a tab on the first line that is not blank. */
function isAnkiText(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (hasAnkiHeaders(head)) return true;
  const first = head.split(/\r\n|\r|\n/u).find((line) => line.trim() !== '') ?? '';
  return first.includes('\t');
}

export async function prepareUpload(bytes: Uint8Array, fileName: string): Promise<PreparedUpload> {
  const kind = uploadKind(fileName);
  if (!kind) return refused(fileName, `upload ${UPLOAD_FORMATS}`);
  if (bytes.length > MAX_SERVER_DECK_BYTES) return refused(fileName, 'it is larger than 1 MB; split it into several decks');
  const zip = looksLikeZip(bytes);
  if (kind === 'deck' || (kind === 'text' && !zip && !isAnkiText(bytes))) {
    const problem = textProblem(bytes);
    return problem ? refused(fileName, problem) : { ok: true, bytes, fileName };
  }
  const from = kind === 'apkg' || zip ? 'an Anki package' : kind === 'spreadsheet' ? 'a spreadsheet' : 'an Anki text export';
  const imported = await importDeck(bytes, fileName, { limits: IMPORT_LIMITS });
  if (!imported.ok) return refused(fileName, imported.error);
  const base = path.basename(fileName, path.extname(fileName));
  return { ok: true, bytes: new TextEncoder().encode(imported.text), fileName: `${base}.md`, converted: { from, skipped: imported.skipped } };
}
