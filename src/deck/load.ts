/**
 * Reading deck files from disk: the file-system edge around `parseDeck`.
 *
 * - A path may name a file (read whatever its extension) or a folder.
 * - A folder contributes every `*.md` and `*.txt` file directly inside it, sorted by name;
 *   sub-folders and hidden files (starting with `.`) are skipped, so a folder of decks can
 *   keep drafts or assets in a sub-folder.
 * - A file reached twice (named and inside a named folder) is read once.
 * - A file over 5 MB is refused without being read (split it into several decks).
 * - Every problem is a `DeckError`; one broken file never stops the others from loading.
 *   Warnings (`DeckWarning`) point at what is probably a mistake; those decks still load.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDeck } from './parse.ts';
import type { Deck, DeckError, DeckWarning } from './types.ts';

const DECK_EXTENSIONS = new Set(['.md', '.txt']);
/** Largest deck file read, in bytes (5 MB). */
export const MAX_DECK_BYTES = 5 * 1024 * 1024;

export interface LoadResult {
  decks: Deck[];
  errors: DeckError[];
  warnings: DeckWarning[];
}

function errorAt(file: string, message: string): DeckError {
  return { file, line: 1, column: 1, message };
}

function tooLarge(file: string, bytes: number, limit = MAX_DECK_BYTES): DeckError {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/u, '')} MB`;
  return errorAt(file, `deck file is ${mb(bytes)}: the limit is ${mb(limit)}; split it into several decks`);
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** The deck files a path stands for, in order, or an error when it cannot be read. */
async function expand(p: string): Promise<{ files: string[]; error?: DeckError }> {
  let info;
  try {
    info = await stat(p);
  } catch (error) {
    return { files: [], error: errorAt(p, `cannot read: ${reason(error)}`) };
  }
  if (!info.isDirectory()) return { files: [p] };
  let entries;
  try {
    entries = await readdir(p, { withFileTypes: true });
  } catch (error) {
    return { files: [], error: errorAt(p, `cannot read folder: ${reason(error)}`) };
  }
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && DECK_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort()
    .map((name) => path.join(p, name));
  return { files };
}

/**
 * Checks and parses the bytes of one deck file exactly as a file of the folder is: at most
 * `maxBytes` (default 5 MB), UTF-8 text, then the deck format. Pure.
 */
export function readDeckBytes(bytes: Uint8Array, file: string, maxBytes = MAX_DECK_BYTES): { deck?: Deck; errors: DeckError[]; warnings: DeckWarning[] } {
  if (bytes.length > maxBytes) return { errors: [tooLarge(file, bytes.length, maxBytes)], warnings: [] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { errors: [errorAt(file, 'not UTF-8 text: save the deck as UTF-8')], warnings: [] };
  }
  return parseDeck(text, file);
}

/** Loads decks from files and folders. Errors name the files as they were passed (or joined to their folder). */
export async function loadDeckFiles(paths: readonly string[]): Promise<LoadResult> {
  const decks: Deck[] = [];
  const errors: DeckError[] = [];
  const warnings: DeckWarning[] = [];
  const seen = new Set<string>();
  const byName = new Map<string, Deck>();

  for (const p of paths) {
    const { files, error } = await expand(p);
    if (error) errors.push(error);
    for (const file of files) {
      const key = path.resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);

      let bytes: Uint8Array;
      try {
        const { size } = await stat(file);
        if (size > MAX_DECK_BYTES) {
          errors.push(tooLarge(file, size));
          continue;
        }
        bytes = await readFile(file);
      } catch (err) {
        errors.push(errorAt(file, `cannot read: ${reason(err)}`));
        continue;
      }
      // The file may have grown since it was measured.
      const result = readDeckBytes(bytes, file);
      errors.push(...result.errors);
      warnings.push(...result.warnings);
      if (!result.deck) continue;
      const earlier = byName.get(result.deck.name);
      if (earlier) {
        errors.push(errorAt(file, `deck name "${result.deck.name}" is already used by ${earlier.file}`));
        continue;
      }
      byName.set(result.deck.name, result.deck);
      decks.push(result.deck);
    }
  }
  return { decks, errors, warnings };
}

/** Loads every deck in a folder (see `loadDeckFiles` for the rules). */
export function loadDecksDir(dir: string): Promise<LoadResult> {
  return loadDeckFiles([dir]);
}
