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

/** `- word -` with spaces inside the hyphens can only be where a hyphen is followed by a space. */
const HYPHEN_THEN_SPACE = /-[^\S\r\n]/u;

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
  if (!HYPHEN_THEN_SPACE.test(line)) return warnings;
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

/** A note's blank in the note's text: where it shows (`[shownStart, shownEnd)`) and its answer. */
interface NoteBlank {
  readonly group: number | null;
  readonly shownStart: number;
  readonly shownEnd: number;
  readonly answer: string;
}

/** Cards read their prompt from their parts when asked, so a card does not hold a copy of its note's text. */
const PROMPT_PROPERTY: PropertyDescriptor = {
  get(this: Pick<Card, 'parts'>): string {
    return renderPrompt(this);
  },
  enumerable: true,
};

/**
 * The note's text and cards. Every string a card holds beyond its id is a slice of the note's
 * text, so a card does not keep a copy of its note; its prompt is rendered from its parts when read.
 */
function buildCards(
  line: string,
  spans: readonly BlankSpan[],
  base: Pick<Card, 'deck' | 'course' | 'section' | 'file' | 'line'>,
  occurrence: number,
): { text: string; cards: Card[] } {
  // The note's text: the line without its blanks' markers, every `\-` read as `-`.
  const escaped = line.includes('\\-');
  const pieces: string[] = [];
  const shownAt: number[] = [];
  let at = 0;
  let from = 0;
  for (const span of spans) {
    const before = escaped ? unescape(line, from, span.open) : line.slice(from, span.open);
    const shown = escaped ? unescape(line, span.contentStart, span.close) : line.slice(span.contentStart, span.close);
    pieces.push(before, shown);
    shownAt.push(at + before.length);
    at += before.length + shown.length;
    from = span.close + 1;
  }
  pieces.push(escaped ? unescape(line, from, line.length) : line.slice(from));
  const text = pieces.join('');

  // The note's blanks read back from `text`: answers are slices of it.
  const blanks: NoteBlank[] = [];
  for (let b = 0; b < spans.length; b++) {
    const span = spans[b]!;
    const shownStart = shownAt[b]!;
    const shown = pieces[2 * b + 1]!;
    let lead = 0;
    while (lead < shown.length && isSpaceAt(shown, lead)) lead++;
    let end = shown.length;
    while (end > lead && isSpaceAt(shown, end - 1)) end--;
    blanks.push({ group: span.group, shownStart, shownEnd: shownStart + shown.length, answer: text.slice(shownStart + lead, shownStart + end) });
  }

  // One card per group, in order of first appearance; each unnumbered blank is its own card.
  const drafts: { group: number | null; key: string; members: number[] }[] = [];
  let unnumbered = 0;
  for (let index = 0; index < blanks.length; index++) {
    const group = blanks[index]!.group;
    if (group === null) {
      drafts.push({ group: null, key: `u${unnumbered++}`, members: [index] });
      continue;
    }
    const existing = drafts.find((draft) => draft.group === group);
    if (existing) existing.members.push(index);
    else drafts.push({ group, key: `g${group}`, members: [index] });
  }

  const cards = drafts.map((draft): Card => {
    const { members } = draft;
    // Text between the card's own blanks is one run of the note's text.
    const built: PromptPart[] = [];
    let partFrom = 0;
    for (let k = 0; k < members.length; k++) {
      const blank = blanks[members[k]!]!;
      if (blank.shownStart > partFrom) built.push(text.slice(partFrom, blank.shownStart));
      built.push(slot(k));
      partFrom = blank.shownEnd;
    }
    if (text.length > partFrom) built.push(text.slice(partFrom));
    // Copies of the exact length: arrays grown by push (or made by `new Array(n)`) keep spare room.
    const parts = built.slice();
    const answers = members.map((m) => blanks[m]!.answer);
    const otherBlanks = blanks.filter((_, m) => !members.includes(m)).map((blank) => blank.answer);
    const card = {
      deck: base.deck,
      course: base.course,
      section: base.section,
      file: base.file,
      line: base.line,
      id: cardId(base.deck, line, occurrence, draft.key),
      group: draft.group,
      answers,
      otherBlanks,
      parts,
      text,
    };
    Object.defineProperty(card, 'prompt', PROMPT_PROPERTY);
    return card as typeof card & Pick<Card, 'prompt'>;
  });
  return { text, cards };
}

/** Reads a deck file's text. `file` is only used to label cards, errors and warnings. Linear in the text's length. */
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
    const { text, cards } = buildCards(trimmed, scan.spans, { deck: name, course, section: current.title, file, line: lineNo }, occurrence);
    notes.push({ line: lineNo, section: current.title, text, cards });
    current.noteCount += 1;
    current.cardCount += cards.length;
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
  const deck: Deck = {
    name,
    course,
    file,
    notes,
    cards: notes.flatMap((n) => n.cards),
    sections: allSections,
  };
  return { deck, errors, warnings };
}
