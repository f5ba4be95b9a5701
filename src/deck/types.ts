/**
 * The data model of a cloze deck. Everything here reads as plain data (JSON-safe): every field
 * is an enumerable own property, so cards can be passed around, copied, stored by id and
 * compared in tests. Parsed decks make their cards when first read, and a parsed card reads its
 * answers, other blanks, parts, text and prompt from its note when asked (see `parseDeck`):
 * each read gives a new array, so keep the array rather than read the field in a loop.
 */

/** A piece of a card's prompt: plain text, or the slot of one of the card's own blanks. */
export type PromptPart = string | { readonly blank: number };

export interface Card {
  /** Stable id: a hash of the deck name, the note's text and the group, so edits elsewhere in the deck keep it. */
  readonly id: string;
  /** Full deck name, e.g. "mlops wk9". */
  readonly deck: string;
  /** First word of the deck name, e.g. "mlops". */
  readonly course: string;
  /** Section title, or "" for notes before the first `## ` line. */
  readonly section: string;
  /** File the card was read from (as given to the parser). */
  readonly file: string;
  /** 1-based line of the note in its file. */
  readonly line: number;
  /** Group number for numbered blanks (`2.-x-`), or null for an unnumbered blank. */
  readonly group: number | null;
  /** The card's own blanks, in order, unescaped: what a correct reply must contain. */
  readonly answers: readonly string[];
  /** The note's other blanks (shown as plain text in the prompt): replies naming one of these are wrong. */
  readonly otherBlanks: readonly string[];
  /** The prompt: text with the note's other blanks shown, and a slot per own blank (index into `answers`). */
  readonly parts: readonly PromptPart[];
  /**
   * The prompt as plain text, the card's own blanks hidden as `____` (see `renderPrompt` for other
   * masks). Parsed cards render it from `parts` when it is read (an enumerable own property, so
   * it is still in JSON and copies), rather than each keeping a copy of its note's text.
   */
  readonly prompt: string;
  /** The whole note as plain text, every blank shown. */
  readonly text: string;
}

export interface Note {
  readonly line: number;
  readonly section: string;
  /** Plain text of the note with every blank shown. */
  readonly text: string;
  readonly cards: readonly Card[];
}

export interface Section {
  readonly title: string;
  readonly noteCount: number;
  readonly cardCount: number;
}

export interface Deck {
  /** Full name from the `# deck:` line, lower-cased, words separated by single spaces. */
  readonly name: string;
  /** First word of the name. */
  readonly course: string;
  readonly file: string;
  readonly notes: readonly Note[];
  /** Every card of the deck, in file order. */
  readonly cards: readonly Card[];
  /** Sections in file order; "" (notes before the first section) is listed first when it has notes. */
  readonly sections: readonly Section[];
}

export interface DeckError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, counted in characters (code points) of the line. */
  readonly column: number;
  readonly message: string;
}

/** Something in a deck that reads without error but is probably a mistake (the deck still loads). */
export type DeckWarning = DeckError;

export interface ParseResult {
  readonly deck?: Deck;
  readonly errors: DeckError[];
  readonly warnings: DeckWarning[];
}

/** `file:line:column: message`, the form every deck problem is reported in. */
export function formatDeckError(error: DeckError): string {
  return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}

/** `file:line:column: warning: message`. */
export function formatDeckWarning(warning: DeckWarning): string {
  return `${warning.file}:${warning.line}:${warning.column}: warning: ${warning.message}`;
}

/** How a hidden blank looks in a prompt. */
export const HIDDEN_BLANK = '____';

/**
 * Renders a card's prompt. `slot(i)` gives the text for the card's own blank i
 * (default: hidden). Used by the terminal, Discord embeds and hints alike.
 */
export function renderPrompt(card: Pick<Card, 'parts'>, slot: (index: number) => string = () => HIDDEN_BLANK): string {
  return card.parts.map((part) => (typeof part === 'string' ? part : slot(part.blank))).join('');
}
