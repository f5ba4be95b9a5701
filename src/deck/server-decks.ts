/**
 * The rules for decks a server uploads (`/deck add`), kept apart from Discord and the store.
 * Pure: the caller passes the uploaded bytes, the folder's decks and the server's decks.
 *
 * - The file is checked exactly as `decks:check` checks a file (`readDeckBytes`), with a
 *   1 MB limit; problems come back as `line:column: why`, the first `MAX_LISTED_PROBLEMS`.
 * - A name used by a folder deck is refused; one used by a server deck only with `replace`.
 * - At most `MAX_SERVER_DECKS` decks and `MAX_SERVER_CARDS` cards per server.
 */
import { readDeckBytes } from './load.ts';
import { cardCount, DeckLibrary } from './library.ts';
import type { Deck } from './types.ts';

export const MAX_SERVER_DECK_BYTES = 1024 * 1024;
export const MAX_SERVER_DECKS = 50;
export const MAX_SERVER_CARDS = 20_000;
export const MAX_LISTED_PROBLEMS = 10;

/** A stored server deck: its source, to parse again and to hand back with `/deck show`. */
export interface ServerDeckFile {
  readonly fileName: string;
  readonly source: string;
}

export interface UploadInput {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly folderDecks: readonly Deck[];
  readonly serverDecks: readonly Deck[];
  readonly replace: boolean;
}

export type UploadResult =
  | { readonly ok: true; readonly deck: Deck; readonly file: ServerDeckFile; readonly replaced: boolean }
  | { readonly ok: false; readonly message: string };

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `name: 3 notes, 5 cards, 2 sections`. */
export function deckCounts(deck: Deck): string {
  return `${plural(deck.notes.length, 'note')}, ${plural(cardCount(deck), 'card')}, ${plural(deck.sections.filter((s) => s.title !== '').length, 'section')}`;
}

/** Checks an uploaded deck against the format, the names in use and the server's limits. */
export function checkUpload(input: UploadInput): UploadResult {
  const { deck, errors } = readDeckBytes(input.bytes, input.fileName, MAX_SERVER_DECK_BYTES);
  if (errors.length > 0 || !deck) {
    const listed = errors.slice(0, MAX_LISTED_PROBLEMS).map((e) => `${e.line}:${e.column}: ${e.message}`);
    const more = errors.length > listed.length ? `\n…and ${plural(errors.length - listed.length, 'more problem')}` : '';
    return { ok: false, message: `${input.fileName} was not added: ${plural(errors.length, 'problem')}.\n${listed.join('\n')}${more}` };
  }
  if (input.folderDecks.some((d) => d.name === deck.name)) {
    return { ok: false, message: `A deck called "${deck.name}" comes with the bot and cannot be replaced: rename yours (its \`# deck:\` line) and upload it again.` };
  }
  const existing = input.serverDecks.find((d) => d.name === deck.name);
  if (existing && !input.replace) {
    return { ok: false, message: `This server already has a deck called "${deck.name}": set \`replace\` to put the new file in its place, or rename the deck.` };
  }
  const others = input.serverDecks.filter((d) => d !== existing);
  if (others.length + 1 > MAX_SERVER_DECKS) {
    return { ok: false, message: `This server has ${plural(others.length, 'deck')}, the most it can have: remove one with \`/deck remove\` first.` };
  }
  const cards = others.reduce((n, d) => n + cardCount(d), 0) + cardCount(deck);
  if (cards > MAX_SERVER_CARDS) {
    return { ok: false, message: `With this deck the server's decks would hold ${plural(cards, 'card')}; the limit is ${MAX_SERVER_CARDS.toLocaleString('en-US')}. Remove a deck or upload a smaller one.` };
  }
  return { ok: true, deck, file: { fileName: input.fileName, source: new TextDecoder().decode(input.bytes) }, replaced: existing !== undefined };
}

/** The decks one server sees: the folder's, then its own. */
export function serverLibrary(folderDecks: readonly Deck[], serverDecks: readonly Deck[]): DeckLibrary {
  return new DeckLibrary([...folderDecks, ...serverDecks]);
}
