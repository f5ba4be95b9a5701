/**
 * Hot reload of the deck folder: the file-system edge that keeps a deck list current while the
 * bot runs. Not wired into the bot yet.
 *
 * - Watches `dir` with `fs.watch`. Events for a file are debounced (editors save in several
 *   steps: truncate, write, rename); after `debounceMs` of quiet the file is loaded again with
 *   the deck loader, one file at a time.
 * - A file that now has problems keeps its last good version in the list; each problem is
 *   logged as `file:line:column: why`. A new name that another file's deck already uses is a
 *   problem of the changed file.
 * - A removed file's deck leaves the list, and the removal is logged.
 * - `onDecks` gets the new list (in file-name order) whenever it changes.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadDeckFiles, loadDecksDir } from './load.ts';
import { formatDeckError, type Deck, type DeckError } from './types.ts';

export interface DeckWatchOptions {
  readonly dir: string;
  /** Called with every deck of the folder after a change that alters the list. */
  readonly onDecks: (decks: Deck[]) => void;
  /** Problems, removals and watcher errors, one line each. */
  readonly log: (message: string) => void;
  /** Quiet time after the last event of a file before it is read again. Default 300 ms. */
  readonly debounceMs?: number;
}

export interface DeckWatcher {
  /** The current list: the last good version of every deck file. */
  decks(): Deck[];
  /** Stops watching; pending reloads are dropped. */
  close(): void;
}

const DECK_EXTENSIONS = new Set(['.md', '.txt']);

function isDeckFile(name: string): boolean {
  return !name.startsWith('.') && DECK_EXTENSIONS.has(path.extname(name).toLowerCase());
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Loads the folder, then watches it. Resolves once the first list is known (and given to `onDecks`). */
export async function watchDecks(options: DeckWatchOptions): Promise<DeckWatcher> {
  const { dir, onDecks, log } = options;
  const debounceMs = options.debounceMs ?? 300;
  /** Last good deck of each file, by the file's path as joined to `dir`. */
  const byFile = new Map<string, Deck>();
  const timers = new Map<string, NodeJS.Timeout>();
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const list = (): Deck[] => [...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, deck]) => deck);
  const report = (errors: readonly DeckError[]): void => {
    for (const error of errors) log(formatDeckError(error));
  };

  async function reload(name: string): Promise<void> {
    const file = path.join(dir, name);
    if (!(await exists(file))) {
      const gone = byFile.get(file);
      if (gone === undefined) return;
      byFile.delete(file);
      log(`${file}: removed, deck "${gone.name}" is no longer available`);
      onDecks(list());
      return;
    }
    const { decks, errors } = await loadDeckFiles([file]);
    const deck = decks[0];
    const clash = deck && [...byFile.entries()].find(([other, d]) => other !== file && d.name === deck.name);
    if (clash) errors.push({ file, line: 1, column: 1, message: `deck name "${deck.name}" is already used by ${clash[0]}` });
    if (errors.length > 0 || deck === undefined) {
      report(errors);
      const kept = byFile.get(file);
      if (kept) log(`${file}: keeping the last good version of deck "${kept.name}" until the problems are fixed`);
      return;
    }
    byFile.set(file, deck);
    onDecks(list());
  }

  function schedule(name: string): void {
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        queue = queue.then(() => (closed ? undefined : reload(name))).catch((error: unknown) => log(`${path.join(dir, name)}: reload failed: ${String(error)}`));
      }, debounceMs),
    );
  }

  /** A change without a file name: look at every file that is or was there. */
  async function rescan(): Promise<void> {
    const present = await readdir(dir).catch(() => [] as string[]);
    const names = new Set([...present.filter(isDeckFile), ...[...byFile.keys()].map((f) => path.basename(f))]);
    for (const name of names) schedule(name);
  }

  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      if (closed) return;
      if (filename === null) void rescan();
      else if (isDeckFile(filename.toString())) schedule(filename.toString());
    });
  } catch (error) {
    throw new Error(`cannot watch ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  watcher.on('error', (error) => log(`${dir}: watching stopped: ${error.message}`));

  const initial = await loadDecksDir(dir);
  report(initial.errors);
  for (const deck of initial.decks) byFile.set(deck.file, deck);
  onDecks(list());

  return {
    decks: list,
    close(): void {
      closed = true;
      watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
