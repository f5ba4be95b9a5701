/**
 * Reads a cloze deck (see the deck format page) into cards. Pure: same text in, same deck out.
 *
 * Blank grammar, as implemented here:
 * - `\-` is always a literal hyphen, inside or outside a blank.
 * - `N.-` opens a numbered blank when the digits start a word (start of line, after whitespace
 *   or after opening punctuation); the hyphen after `N.` always opens.
 * - Any other `-` opens an unnumbered blank when it is at the start of the line or after
 *   whitespace or opening punctuation, and the next character is neither whitespace, a hyphen
 *   nor the end of the line.
 * - Inside a blank, the first `-` that directly follows a non-whitespace character and is
 *   followed by the end of the line, whitespace or closing punctuation closes it. Every other
 *   hyphen inside a blank (`long-term`, ` - `) is part of the answer.
 *
 * Opening punctuation (may precede an opening hyphen):  ( [ { " ' “ ‘ « /
 * Closing punctuation (may follow a closing hyphen):    . , ; : ! ? ) ] } " ' ” ’ » … /
 * The slash is in both so `-input-/-output-` reads as two blanks.
 */
import { hash } from 'node:crypto';
import { renderPrompt, type Card, type Deck, type DeckError, type DeckWarning, type Note, type ParseResult, type PromptPart, type Section } from './types.ts';

/** Longest line a deck may have, in characters: Discord's message size. */
export const MAX_LINE_LENGTH = 2000;
/** A blank of at least this many words that holds what looks like another blank's opening is warned about. */
const SUSPECT_BLANK_WORDS = 3;

const OPENING_PUNCTUATION = new Set([...'([{"\'“‘«/'].map((c) => c.charCodeAt(0)));
const CLOSING_PUNCTUATION = new Set([...'.,;:!?)]}"\'”’»…/'].map((c) => c.charCodeAt(0)));
const HYPHEN = 0x2d;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

const DECK_LINE = /^#\s*deck\s*:(.*)$/i;
const SECTION_LINE = /^##(?!#)(.*)$/;
const NON_ASCII_SPACE = /\s/u;
/** `- word -`: one word between hyphens that have spaces inside, each hyphen where a blank could open or close. */
const SPACED_BLANK = /(?<=^|[\s([{"'“‘«/])-[^\S\r\n]+([^\s-]\S*)[^\S\r\n]+-(?=$|[\s.,;:!?)\]}"'”’»…/])/gu;

/**
 * Where a blank is in its line (UTF-16 indices): its first character (`N` or `-`), its content
 * and its closing hyphen; and its group number, or null when unnumbered.
 */
interface BlankSpan {
  readonly group: number | null;
  readonly open: number;
  readonly contentStart: number;
  readonly close: number;
}

interface LineScan {
  readonly errors: { column: number; message: string }[];
  /** The blanks' places in the line, in order (empty when there are errors). */
  readonly spans: BlankSpan[];
}

/**
 * Whitespace as `/\s/u` sees it, for the UTF-16 unit at `i` (false past the end).
 * Every whitespace character is a single unit, so scanning units gives the same answers as scanning code points.
 */
function isSpaceAt(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === c && NON_ASCII_SPACE.test(line[i]!);
}

function isDigitAt(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** True when position `i` starts a word: start of line, after whitespace or opening punctuation. */
function startsWord(line: string, i: number): boolean {
  return i === 0 || isSpaceAt(line, i - 1) || OPENING_PUNCTUATION.has(line.charCodeAt(i - 1));
}

/** True when the character after position `i` is the end of the line, whitespace or closing punctuation. */
function followedByBoundary(line: string, i: number): boolean {
  return i + 1 >= line.length || isSpaceAt(line, i + 1) || CLOSING_PUNCTUATION.has(line.charCodeAt(i + 1));
}

/** True when `\-` starts at `i`. */
function escapedHyphenAt(line: string, i: number): boolean {
  return line.charCodeAt(i) === BACKSLASH && line.charCodeAt(i + 1) === HYPHEN;
}

/** A hyphen that closes a blank: not escaped, after a non-space character, before a boundary. */
function closesAt(line: string, i: number): boolean {
  if (line.charCodeAt(i) !== HYPHEN || line.charCodeAt(i - 1) === BACKSLASH) return false;
  if (i === 0 || isSpaceAt(line, i - 1)) return false;
  return followedByBoundary(line, i);
}

/** `line[start, end)` with every `\-` read as `-`. */
function unescape(line: string, start: number, end: number): string {
  const text = line.slice(start, end);
  return text.includes('\\-') ? text.replaceAll('\\-', '-') : text;
}

/** The index of the hyphen closing the blank whose content starts at `start`, or -1 when none closes it. */
function findClose(line: string, start: number): number {
  for (let i = start; i < line.length; i++) {
    if (escapedHyphenAt(line, i)) {
      i++;
      continue;
    }
    // A closing hyphen needs a non-space character before it inside the blank.
    if (i > start && closesAt(line, i)) return i;
  }
  return -1;
}

/** The end of the digits starting at `i` when they are followed by `.-` (a numbered blank's opening), else -1. */
function numberedOpening(line: string, i: number): number {
  let j = i;
  while (isDigitAt(line, j)) j++;
  return j > i && line.charCodeAt(j) === DOT && line.charCodeAt(j + 1) === HYPHEN ? j : -1;
}

/** True when an unnumbered blank would open at `i` (outside a blank). */
function opensUnnumbered(line: string, i: number): boolean {
  if (line.charCodeAt(i) !== HYPHEN || !startsWord(line, i) || i + 1 >= line.length) return false;
  return line.charCodeAt(i + 1) !== HYPHEN && !isSpaceAt(line, i + 1);
}

/** 1-based column, in code points, of the UTF-16 index `i` of `line`. */
function columnOf(line: string, i: number): number {
  let column = 1;
  for (let k = 0; k < i; k++) {
    const c = line.charCodeAt(k);
    // The high half of a surrogate pair counts with its low half.
    if (!(c >= 0xd800 && c <= 0xdbff && k + 1 < i)) column++;
  }
  return column;
}

/**
 * Finds the blanks of one note line. Columns in errors are 1-based code points. Linear in the
 * line's length; the text and answers are read from the line afterwards, so nothing is copied here.
 */
export function scanNote(line: string): LineScan {
  const spans: BlankSpan[] = [];
  const errors: LineScan['errors'] = [];
  let i = 0;
  while (i < line.length) {
    if (escapedHyphenAt(line, i)) {
      i += 2;
      continue;
    }

    // Numbered blank: digits starting a word, then `.-`.
    if (isDigitAt(line, i) && startsWord(line, i)) {
      const dot = numberedOpening(line, i);
      if (dot < 0) {
        // Not a blank: the digits stay text.
        while (isDigitAt(line, i)) i++;
        continue;
      }
      const group = Number.parseInt(line.slice(i, dot), 10);
      const contentStart = dot + 2;
      // `N.--` or `N.-  -` (then the end of the line, a space or punctuation): nothing in the blank.
      let k = contentStart;
      while (isSpaceAt(line, k)) k++;
      if (line.charCodeAt(k) === HYPHEN && followedByBoundary(line, k)) {
        errors.push({ column: columnOf(line, i), message: `empty blank: group ${group} has nothing between its hyphens` });
        i = k + 1;
        continue;
      }
      const close = findClose(line, contentStart);
      if (close < 0) {
        errors.push({ column: columnOf(line, i), message: `blank never closes: \`${group}.-\` has no closing hyphen` });
        return { errors, spans: [] };
      }
      spans.push({ group, open: i, contentStart, close });
      i = close + 1;
      continue;
    }

    // Unnumbered blank.
    if (opensUnnumbered(line, i)) {
      const close = findClose(line, i + 1);
      if (close < 0) {
        errors.push({ column: columnOf(line, i), message: 'blank never closes: no closing hyphen after this one' });
        return { errors, spans: [] };
      }
      spans.push({ group: null, open: i, contentStart: i + 1, close });
      i = close + 1;
      continue;
    }
    i++;
  }
  return { errors, spans: errors.length > 0 ? [] : spans };
}

/** The content of a blank without its surrounding whitespace, as `[start, end)` of its line. */
function answerRange(line: string, span: BlankSpan): [number, number] {
  let start = span.contentStart;
  let end = span.close;
  while (start < end && isSpaceAt(line, start)) start++;
  while (end > start && isSpaceAt(line, end - 1)) end--;
  return [start, end];
}

/**
 * `- word -` with spaces inside the hyphens can only start at a hyphen that starts a word (as
 * `SPACED_BLANK`'s lookbehind asks) and is followed by a space. A closing hyphen followed by a
 * space (`-lack- of`) is not one, so most notes skip the regex.
 */
function mayHoldSpacedBlank(line: string): boolean {
  for (let i = line.indexOf('-'); i >= 0; i = line.indexOf('-', i + 1)) {
    const next = line.charCodeAt(i + 1);
    if (next !== 10 && next !== 13 && isSpaceAt(line, i + 1) && startsWord(line, i)) return true;
  }
  return false;
}

/**
 * Blanks that are probably mistakes, in a line that reads without errors:
 * - a blank of several words holding what would open another blank outside it (` -word`,
 *   ` 2.-word`): a closing hyphen was probably forgotten, and the blank swallowed the text up to
 *   the next blank's closing hyphen;
 * - `- word -` in the text: one word between hyphens with spaces inside, plain text that was
 *   probably meant as a blank.
 */
function noteWarnings(line: string, scan: LineScan): { column: number; message: string }[] {
  const warnings: { column: number; message: string }[] = [];
  for (const span of scan.spans) {
    // The answer's words: one more than the runs of whitespace inside it.
    const [answerStart, answerEnd] = answerRange(line, span);
    let words = 1;
    for (let k = answerStart; k < answerEnd; k++) {
      if (isSpaceAt(line, k) && !isSpaceAt(line, k - 1)) words++;
    }
    if (words < SUSPECT_BLANK_WORDS) continue;
    const answer = unescape(line, answerStart, answerEnd);
    for (let i = span.contentStart + 1; i < span.close; i++) {
      if (escapedHyphenAt(line, i)) {
        i++;
        continue;
      }
      const opens = opensUnnumbered(line, i) || (isDigitAt(line, i) && startsWord(line, i) && numberedOpening(line, i) >= 0);
      if (!opens) continue;
      let end = i;
      while (end < span.close && !isSpaceAt(line, end)) end++;
      const inner = line.slice(i, end);
      warnings.push({
        column: columnOf(line, span.open),
        message: `blank of ${words} words holds \`${inner}\` at column ${columnOf(line, i)}: a closing hyphen is probably missing earlier (the answer reads "${clipText(answer)}")`,
      });
      break;
    }
  }
  if (!mayHoldSpacedBlank(line)) return warnings;
  for (const match of line.matchAll(SPACED_BLANK)) {
    const start = match.index;
    const end = start + match[0].length;
    // Only in plain text: not inside (or around) a blank.
    if (scan.spans.some((s) => start <= s.close && end > s.open)) continue;
    warnings.push({
      column: columnOf(line, start),
      message: `\`${match[0]}\` has spaces inside its hyphens, so it is plain text: write \`-${match[1]}-\` to make it a blank`,
    });
  }
  return warnings.sort((x, y) => x.column - y.column);
}

function clipText(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Deck names: lower-cased, words separated by single spaces. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/gu, ' ').toLowerCase();
}

function cardId(deck: string, noteSource: string, occurrence: number, groupKey: string): string {
  // The first occurrence of a note keeps the same id whether or not a copy is added later.
  const suffix = occurrence > 0 ? `\u0000${occurrence}` : '';
  return hash('sha1', `${deck}\u0000${noteSource}\u0000${groupKey}${suffix}`, 'hex').slice(0, 12);
}

/** The slot objects of prompts, shared by every card (prompt parts are read-only). */
const SLOTS: { readonly blank: number }[] = [];

function slot(index: number): { readonly blank: number } {
  while (SLOTS.length <= index) SLOTS.push(Object.freeze({ blank: SLOTS.length }));
  return SLOTS[index]!;
}

/** The number of cards a note's blanks make: one per group, one per unnumbered blank. */
function cardCount(spans: readonly BlankSpan[]): number {
  let count = 0;
  for (let b = 0; b < spans.length; b++) {
    const group = spans[b]!.group;
    let first = true;
    for (let k = 0; k < b && group !== null; k++) {
      if (spans[k]!.group === group) {
        first = false;
        break;
      }
    }
    if (first) count++;
  }
  return count;
}

/** The accessors of notes, cards and decks (set by their classes, which alone can read their private fields). */
let NOTE_TEXT: PropertyDescriptor = {};
let NOTE_CARDS: PropertyDescriptor = {};
let CARD_ACCESSORS: [string, PropertyDescriptor][] = [];
let DECK_CARDS: PropertyDescriptor = {};

/** What every note of a deck shares. */
interface DeckInfo {
  readonly deck: string;
  readonly course: string;
  readonly file: string;
}

/**
 * A note's blanks, `BLANK_FIELDS` UTF-16 units each in a string (every value is below 65,536: a
 * line holds at most 4,000 units): the index of the card the blank belongs to, where the blank
 * shows in the note's text (`[shownStart, shownEnd)`) and its answer there (`[answerStart,
 * answerEnd)`, the shown text without surrounding whitespace). A string of 5 units a blank takes
 * a quarter of the room of an array of numbers.
 */
const BLANK_FIELDS = 5;
const BLANK_CARD = 0;
const BLANK_SHOWN_START = 1;
const BLANK_SHOWN_END = 2;
const BLANK_ANSWER_START = 3;
const BLANK_ANSWER_END = 4;

/**
 * A note as loaded: its line and section, and the source line it was read from (a slice of the
 * file's text). Its text, blanks and cards are made from the source line the first time its text
 * or cards are read, then kept: loading a deck checks every line (errors, warnings, counts)
 * without making cards. `text` and `cards` are enumerable own properties (accessors), so a note
 * still reads, spreads and writes as JSON like plain data.
 */
class LoadedNote implements Note {
  declare readonly line: number;
  declare readonly section: string;
  declare readonly text: string;
  declare readonly cards: readonly Card[];
  /** The source line, until the note's text and cards are made from it (then the file's text can go). */
  #source: string | undefined;
  readonly #info: DeckInfo;
  readonly #occurrence: number;
  #text: string | undefined = undefined;
  #blanks = '';
  #cards: readonly Card[] | undefined = undefined;

  constructor(line: number, section: string, source: string, info: DeckInfo, occurrence: number) {
    this.#source = source;
    this.#info = info;
    this.#occurrence = occurrence;
    this.line = line;
    this.section = section;
    // One call a property: faster than `Object.defineProperties`, which reads its descriptors anew each time.
    Object.defineProperty(this, 'text', NOTE_TEXT);
    Object.defineProperty(this, 'cards', NOTE_CARDS);
  }

  static {
    NOTE_TEXT = {
      get(this: LoadedNote): string {
        return this.#text ?? this.#make().text;
      },
      enumerable: true,
    };
    NOTE_CARDS = {
      get(this: LoadedNote): readonly Card[] {
        return this.#cards ?? this.#make().cards;
      },
      enumerable: true,
    };
  }

  get info(): DeckInfo {
    return this.#info;
  }

  /** The note's text and blanks (see `BLANK_FIELDS`), for its cards. */
  content(): { text: string; blanks: string } {
    const text = this.#text ?? this.#make().text;
    return { text, blanks: this.#blanks };
  }

  /** Makes the note's text, blanks and cards from its source line. */
  #make(): { text: string; cards: readonly Card[] } {
    const line = this.#source!;
    // The line read without errors when the deck was loaded, so it gives the same blanks again.
    const { spans } = scanNote(line);

    // The note's text: the line without its blanks' markers, every `\-` read as `-`.
    const escaped = line.includes('\\-');
    const pieces: string[] = [];
    const blanks: number[] = [];
    let at = 0;
    let from = 0;
    for (const span of spans) {
      const before = escaped ? unescape(line, from, span.open) : line.slice(from, span.open);
      const shown = escaped ? unescape(line, span.contentStart, span.close) : line.slice(span.contentStart, span.close);
      pieces.push(before, shown);
      const shownStart = at + before.length;
      let lead = 0;
      while (lead < shown.length && isSpaceAt(shown, lead)) lead++;
      let end = shown.length;
      while (end > lead && isSpaceAt(shown, end - 1)) end--;
      blanks.push(-1, shownStart, shownStart + shown.length, shownStart + lead, shownStart + end);
      at += before.length + shown.length;
      from = span.close + 1;
    }
    pieces.push(escaped ? unescape(line, from, line.length) : line.slice(from));
    const text = pieces.join('');

    // One card per group, in order of first appearance; each unnumbered blank is its own card.
    const cards: Card[] = [];
    const { deck } = this.#info;
    let unnumbered = 0;
    for (let b = 0; b < spans.length; b++) {
      if (blanks[b * BLANK_FIELDS + BLANK_CARD]! >= 0) continue;
      const group = spans[b]!.group;
      const index = cards.length;
      blanks[b * BLANK_FIELDS + BLANK_CARD] = index;
      if (group !== null) {
        for (let k = b + 1; k < spans.length; k++) if (spans[k]!.group === group) blanks[k * BLANK_FIELDS + BLANK_CARD] = index;
      }
      const key = group === null ? `u${unnumbered++}` : `g${group}`;
      cards.push(new NoteCard(this, index, cardId(deck, line, this.#occurrence, key), group));
    }
    this.#text = text;
    this.#source = undefined;
    this.#blanks = String.fromCharCode(...blanks);
    // A copy of the exact length: an array grown by push keeps spare room.
    this.#cards = cards.slice();
    return { text, cards: this.#cards };
  }
}

/**
 * A card of a loaded note: one small object holding its note, its place among the note's cards
 * and its plain fields (deck, course, section, file, line, id, group). Its answers, other blanks,
 * parts, text and prompt are read from its note when asked, so a card holds no array or copy of
 * its note's text. Those are enumerable own properties (accessors), after the plain fields as in
 * the `Card` type, so a card still spreads, compares and writes as JSON like plain data.
 */
class NoteCard implements Card {
  declare readonly deck: string;
  declare readonly course: string;
  declare readonly section: string;
  declare readonly file: string;
  declare readonly line: number;
  declare readonly id: string;
  declare readonly group: number | null;
  declare readonly answers: readonly string[];
  declare readonly otherBlanks: readonly string[];
  declare readonly parts: readonly PromptPart[];
  declare readonly text: string;
  declare readonly prompt: string;
  readonly #note: LoadedNote;
  /** The card's index among its note's cards. */
  readonly #index: number;

  constructor(note: LoadedNote, index: number, id: string, group: number | null) {
    this.#note = note;
    this.#index = index;
    const { info } = note;
    this.deck = info.deck;
    this.course = info.course;
    this.section = note.section;
    this.file = info.file;
    this.line = note.line;
    this.id = id;
    this.group = group;
    // One call a property: faster than `Object.defineProperties`, which reads its descriptors anew each time.
    for (const [key, accessor] of CARD_ACCESSORS) Object.defineProperty(this, key, accessor);
  }

  /** The card's own blanks' answers (`own`), or the note's other blanks'. */
  #answers(own: boolean): string[] {
    const { text, blanks } = this.#note.content();
    const answers: string[] = [];
    for (let b = 0; b < blanks.length; b += BLANK_FIELDS) {
      if ((blanks.charCodeAt(b + BLANK_CARD) === this.#index) === own) {
        answers.push(text.slice(blanks.charCodeAt(b + BLANK_ANSWER_START), blanks.charCodeAt(b + BLANK_ANSWER_END)));
      }
    }
    return answers;
  }

  static {
    const from = <K extends keyof Card>(read: (card: NoteCard) => Card[K]): PropertyDescriptor => ({
      get(this: NoteCard): Card[K] {
        return read(this);
      },
      enumerable: true,
    });
    CARD_ACCESSORS = Object.entries({
      answers: from<'answers'>((card) => card.#answers(true)),
      otherBlanks: from<'otherBlanks'>((card) => card.#answers(false)),
      parts: from<'parts'>((card) => {
        const { text, blanks } = card.#note.content();
        // Text between the card's own blanks is one run of the note's text.
        const parts: PromptPart[] = [];
        let at = 0;
        let own = 0;
        for (let b = 0; b < blanks.length; b += BLANK_FIELDS) {
          if (blanks.charCodeAt(b + BLANK_CARD) !== card.#index) continue;
          const shownStart = blanks.charCodeAt(b + BLANK_SHOWN_START);
          if (shownStart > at) parts.push(text.slice(at, shownStart));
          parts.push(slot(own++));
          at = blanks.charCodeAt(b + BLANK_SHOWN_END);
        }
        if (text.length > at) parts.push(text.slice(at));
        return parts;
      }),
      text: from<'text'>((card) => card.#note.text),
      prompt: from<'prompt'>((card) => renderPrompt(card)),
    });
  }
}

/**
 * A loaded deck. `cards` (every note's cards, in file order) is made the first time it is read,
 * then kept; it is an enumerable own property (an accessor), so the deck reads like plain data.
 */
class LoadedDeck implements Deck {
  declare readonly name: string;
  declare readonly course: string;
  declare readonly file: string;
  declare readonly notes: readonly Note[];
  declare readonly cards: readonly Card[];
  declare readonly sections: readonly Section[];
  #cards: readonly Card[] | undefined = undefined;

  constructor(name: string, course: string, file: string, notes: readonly Note[], sections: readonly Section[]) {
    this.name = name;
    this.course = course;
    this.file = file;
    this.notes = notes;
    Object.defineProperty(this, 'cards', DECK_CARDS);
    this.sections = sections;
  }

  static {
    DECK_CARDS = {
      get(this: LoadedDeck): readonly Card[] {
        // A copy of the exact length (see `LoadedNote`).
        return (this.#cards ??= this.notes.flatMap((n) => n.cards).slice());
      },
      enumerable: true,
    };
  }
}

/**
 * Reads a deck file's text. `file` is only used to label cards, errors and warnings. Linear in the
 * text's length. Every line is checked here (errors, warnings, the sections' counts); the notes'
 * texts and cards are made from their lines when first read (see `LoadedNote`).
 */
export function parseDeck(source: string, file: string): ParseResult {
  const errors: DeckError[] = [];
  const warnings: DeckWarning[] = [];
  const fail = (line: number, column: number, message: string): void => {
    errors.push({ file, line, column, message });
  };

  const lines = source.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  // Lines too long to show are refused before anything else reads them.
  const tooLong = new Set<number>();
  lines.forEach((raw, index) => {
    if (raw.length <= MAX_LINE_LENGTH) return;
    const line = raw.trimEnd();
    const length = columnOf(line, line.length) - 1;
    if (length <= MAX_LINE_LENGTH) return;
    tooLong.add(index);
    fail(index + 1, 1, `line is ${length.toLocaleString('en')} characters long: the limit is ${MAX_LINE_LENGTH.toLocaleString('en')} (Discord's message size); split the note`);
  });
  const lineAt = (index: number): string => (tooLong.has(index) ? '' : lines[index]!.trimEnd());

  // The `# deck:` line: the first non-empty line.
  let name = '';
  let first = lines.findIndex((_, index) => lineAt(index).trim() !== '');
  const deckMatch = first >= 0 ? DECK_LINE.exec(lineAt(first).trim()) : null;
  if (deckMatch === null) {
    if (first >= 0 || tooLong.size === 0) fail(1, 1, 'missing `# deck:` line: a deck file must start with `# deck: <name>`');
    // A first line like `# mlops` is a misspelt deck line, not a note: skip it. Otherwise read every line as a note.
    if (first >= 0 && !/^#(?!#)/u.test(lineAt(first).trim())) first = -1;
  } else {
    name = normalizeName(deckMatch[1] ?? '');
    if (name === '') fail(first + 1, 1, 'deck name is empty: write it after `# deck:`, e.g. `# deck: mlops wk9`');
  }
  const course = name.split(' ')[0] ?? '';

  const notes: Note[] = [];
  const info: DeckInfo = { deck: name, course, file };
  const sections: { title: string; noteCount: number; cardCount: number }[] = [];
  const sectionByKey = new Map<string, (typeof sections)[number]>();
  const occurrences = new Map<string, number>();
  const topLevel = { title: '', noteCount: 0, cardCount: 0 };
  let current = topLevel;

  for (let index = 0; index < lines.length; index++) {
    if (index === first || tooLong.has(index)) continue;
    const lineNo = index + 1;
    const raw = lineAt(index);
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    // Leading whitespace is single UTF-16 units, so its length is its width in code points.
    const indent = raw.length - raw.trimStart().length;

    const section = SECTION_LINE.exec(trimmed);
    if (section) {
      const title = (section[1] ?? '').trim().replace(/\s+/gu, ' ');
      if (title === '') {
        fail(lineNo, indent + 1, 'section title is empty: write it after `## `');
        continue;
      }
      const key = title.toLowerCase();
      const existing = sectionByKey.get(key);
      if (existing) {
        current = existing;
      } else {
        current = { title, noteCount: 0, cardCount: 0 };
        sectionByKey.set(key, current);
        sections.push(current);
      }
      continue;
    }
    if (DECK_LINE.test(trimmed)) {
      fail(lineNo, indent + 1, 'a second `# deck:` line: one deck per file');
      continue;
    }

    const scan = scanNote(trimmed);
    for (const e of scan.errors) fail(lineNo, indent + e.column, e.message);
    if (scan.errors.length > 0) continue;
    if (scan.spans.length === 0) {
      fail(lineNo, indent + 1, 'note has no blank: mark at least one answer as `-text-`');
      continue;
    }
    for (const w of noteWarnings(trimmed, scan)) warnings.push({ file, line: lineNo, column: indent + w.column, message: w.message });

    const occurrence = occurrences.get(trimmed) ?? 0;
    occurrences.set(trimmed, occurrence + 1);
    notes.push(new LoadedNote(lineNo, current.title, trimmed, info, occurrence));
    current.noteCount += 1;
    current.cardCount += cardCount(scan.spans);
  }

  if (errors.length === 0 && notes.length === 0) fail(1, 1, 'deck has no notes: add lines with `-blanks-`');
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { errors, warnings };
  }

  const allSections: Section[] = [...(topLevel.noteCount > 0 ? [topLevel] : []), ...sections].map((s) => ({
    title: s.title,
    noteCount: s.noteCount,
    cardCount: s.cardCount,
  }));
  return { deck: new LoadedDeck(name, course, file, notes, allSections), errors, warnings };
}
