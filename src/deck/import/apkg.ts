/**
 * Anki packages (`.apkg`, also `.colpkg`): a zip holding the collection as SQLite, in
 * `collection.anki21b` (zstd-compressed, newer Anki), `collection.anki21` or `collection.anki2`.
 * Read with sql.js (SQLite compiled to WebAssembly) from memory: nothing is written to disk.
 * Notes' fields are separated by `\x1f`; a note's deck is the deck of its first card.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { TooLarge, unzipEntry, unzstd } from './archive.ts';
import { assemble, type SourceNote } from './assemble.ts';
import { noteParts } from './anki-note.ts';
import { checkSize } from './text.ts';
import { failure, limitsOf, type ImportOptions, type ImportResult } from './types.ts';

/** Preferred first: a newer export also holds an old `collection.anki2` that only says to update Anki. */
const COLLECTIONS = ['collection.anki21b', 'collection.anki21', 'collection.anki2'];

let sqlJs: Promise<SqlJsStatic> | undefined;

/** True when the bytes start like a zip file. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

function megabytes(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}

/** Anki deck id → name (`Parent::Child`), from the `decks` table (newer schema) or the `col.decks` JSON. */
function deckNames(db: Database): Map<number, string> {
  const names = new Map<number, string>();
  const hasTable = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decks'").length > 0;
  if (hasTable) {
    for (const [id, name] of db.exec('SELECT id, name FROM decks')[0]?.values ?? []) names.set(Number(id), String(name).replace(/\u001f/gu, '::'));
    return names;
  }
  const json = db.exec('SELECT decks FROM col')[0]?.values[0]?.[0];
  if (typeof json === 'string' && json !== '') {
    const decks = JSON.parse(json) as Record<string, { name?: unknown }>;
    for (const [id, deck] of Object.entries(decks)) if (typeof deck.name === 'string') names.set(Number(id), deck.name);
  }
  return names;
}

function readNotes(db: Database, options: ImportOptions, maxNotes: number): SourceNote[] | string {
  const count = Number(db.exec('SELECT count(*) FROM notes')[0]?.values[0]?.[0] ?? 0);
  if (count > maxNotes) return `too many notes: ${count.toLocaleString('en-US')}, at most ${maxNotes.toLocaleString('en-US')}; export a smaller deck`;
  const decks = deckNames(db);
  const rows = db.exec('SELECT n.flds, (SELECT c.did FROM cards c WHERE c.nid = n.id ORDER BY c.ord LIMIT 1) FROM notes n ORDER BY n.id')[0]?.values ?? [];
  return rows.map(([flds, did], i) => {
    const deck = did === null || did === undefined ? undefined : decks.get(Number(did));
    return {
      where: `note ${i + 1}`,
      parts: noteParts(String(flds ?? '').split('\u001f'), true, options.basic === true),
      ...(deck === undefined ? {} : { deck }),
    };
  });
}

export async function importApkg(bytes: Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const limits = limitsOf(options);
  const tooLarge = checkSize(bytes, limits);
  if (tooLarge) return failure(tooLarge);
  if (!looksLikeZip(bytes)) return failure('not an Anki package: an .apkg file is a zip archive, and this is not one');

  let entry: { name: string; data: Uint8Array } | { names: string[] };
  try {
    entry = unzipEntry(bytes, COLLECTIONS, limits.maxUncompressedBytes);
    if ('name' in entry && entry.name.endsWith('b')) entry = { name: entry.name, data: unzstd(entry.data, limits.maxUncompressedBytes) };
  } catch (error) {
    if (error instanceof TooLarge) {
      return failure(`the collection inside the package is larger than ${megabytes(limits.maxUncompressedBytes)} uncompressed; export a smaller deck`);
    }
    return failure(`not a readable Anki package: the zip archive is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
  if ('names' in entry) {
    return failure(`not an Anki package: no ${COLLECTIONS.join(', ')} inside${entry.names.length === 0 ? ' (the archive is empty or damaged)' : ''}`);
  }

  sqlJs ??= initSqlJs();
  let db: Database | undefined;
  try {
    db = new (await sqlJs).Database(entry.data);
    const notes = readNotes(db, options, limits.maxLines);
    if (typeof notes === 'string') return failure(notes);
    return assemble(notes, options);
  } catch (error) {
    return failure(
      `not a readable Anki package: its ${entry.name} is not an Anki collection (${error instanceof Error ? error.message : String(error)}); export the deck again, or as "Notes in Plain Text"`,
    );
  } finally {
    db?.close();
  }
}
