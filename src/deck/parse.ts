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
import { createHash } from 'node:crypto';
import { renderPrompt, type Card, type Deck, type DeckError, type Note, type ParseResult, type PromptPart, type Section } from './types.ts';

const OPENING_PUNCTUATION = new Set(['(', '[', '{', '"', "'", '“', '‘', '«', '/']);
const CLOSING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}', '"', "'", '”', '’', '»', '…', '/']);

const DECK_LINE = /^#\s*deck\s*:(.*)$/i;
const SECTION_LINE = /^##(?!#)(.*)$/;

/** One blank of a note, as written. */
interface Blank {
  /** Group number, or null when unnumbered. */
  readonly group: number | null;
  /** Unescaped content, trimmed: the answer. */
  readonly answer: string;
  /** Unescaped content as written: how the blank reads when shown. */
  readonly shown: string;
}

/** A note split into plain text runs and blanks, in order. */
type Segment = { readonly text: string } | { readonly blank: Blank };

interface LineScan {
  readonly segments: Segment[];
  readonly errors: { column: number; message: string }[];
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/u.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** True when position `i` starts a word: start of line, after whitespace or opening punctuation. */
function startsWord(chars: readonly string[], i: number): boolean {
  if (i === 0) return true;
  const prev = chars[i - 1];
  return isSpace(prev) || (prev !== undefined && OPENING_PUNCTUATION.has(prev));
}

/** True when chars[i] is a hyphen preceded by a backslash that escapes it. */
function isEscapedAt(chars: readonly string[], i: number): boolean {
  return chars[i] === '-' && chars[i - 1] === '\\';
}

function closesAt(chars: readonly string[], i: number): boolean {
  if (chars[i] !== '-' || isEscapedAt(chars, i)) return false;
  const prev = chars[i - 1];
  if (prev === undefined || isSpace(prev)) return false;
  return followedByBoundary(chars, i);
}

/** True when the character after position `i` is the end of the line, whitespace or closing punctuation. */
function followedByBoundary(chars: readonly string[], i: number): boolean {
  const next = chars[i + 1];
  return next === undefined || isSpace(next) || CLOSING_PUNCTUATION.has(next);
}

/**
 * Scans the blank whose content starts at `start`. Returns the index of the closing hyphen
 * and the unescaped content, or undefined when no hyphen closes it.
 */
function scanBlank(chars: readonly string[], start: number): { close: number; content: string } | undefined {
  let content = '';
  for (let i = start; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && chars[i + 1] === '-') {
      content += '-';
      i++;
      continue;
    }
    // A closing hyphen needs a non-space character before it inside the blank.
    if (i > start && closesAt(chars, i)) return { close: i, content };
    content += ch;
  }
  return undefined;
}

/** Splits one note line into text and blanks. Columns in errors are 1-based code points. */
export function scanNote(line: string): LineScan {
  const chars = Array.from(line);
  const segments: Segment[] = [];
  const errors: LineScan['errors'] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') segments.push({ text });
    text = '';
  };

  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (ch === '\\' && chars[i + 1] === '-') {
      text += '-';
      i += 2;
      continue;
    }

    // Numbered blank: digits starting a word, then `.-`.
    if (isDigit(ch) && startsWord(chars, i)) {
      let j = i;
      while (isDigit(chars[j])) j++;
      if (chars[j] === '.' && chars[j + 1] === '-') {
        const hyphen = j + 1;
        const group = Number.parseInt(chars.slice(i, j).join(''), 10);
        const contentStart = hyphen + 1;
        // `N.--` or `N.-  -` (then the end of the line, a space or punctuation): nothing in the blank.
        let k = contentStart;
        while (isSpace(chars[k])) k++;
        if (chars[k] === '-' && followedByBoundary(chars, k)) {
          errors.push({ column: i + 1, message: `empty blank: group ${group} has nothing between its hyphens` });
          flush();
          i = k + 1;
          continue;
        }
        const scanned = scanBlank(chars, contentStart);
        if (scanned === undefined) {
          errors.push({ column: i + 1, message: `blank never closes: \`${group}.-\` has no closing hyphen` });
          text = '';
          segments.length = 0;
          break;
        }
        flush();
        segments.push({ blank: { group, answer: scanned.content.trim(), shown: scanned.content } });
        i = scanned.close + 1;
        continue;
      }
      // Not a blank: copy the digits as text.
      text += chars.slice(i, j).join('');
      i = j;
      continue;
    }

    // Unnumbered blank.
    if (ch === '-' && startsWord(chars, i)) {
      const next = chars[i + 1];
      if (next !== undefined && next !== '-' && !isSpace(next)) {
        const scanned = scanBlank(chars, i + 1);
        if (scanned === undefined) {
          errors.push({ column: i + 1, message: 'blank never closes: no closing hyphen after this one' });
          text = '';
          segments.length = 0;
          break;
        }
        flush();
        segments.push({ blank: { group: null, answer: scanned.content.trim(), shown: scanned.content } });
        i = scanned.close + 1;
        continue;
      }
    }

    text += ch;
    i++;
  }
  flush();
  return { segments, errors };
}

/** Deck names: lower-cased, words separated by single spaces. */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/gu, ' ').toLowerCase();
}

function cardId(deck: string, noteSource: string, occurrence: number, groupKey: string): string {
  const hash = createHash('sha1');
  hash.update(`${deck}\u0000${noteSource}\u0000${groupKey}`);
  // The first occurrence of a note keeps the same id whether or not a copy is added later.
  if (occurrence > 0) hash.update(`\u0000${occurrence}`);
  return hash.digest('hex').slice(0, 12);
}

interface CardDraft {
  readonly group: number | null;
  readonly key: string;
  readonly members: number[];
}

function buildCards(
  segments: readonly Segment[],
  base: Omit<Card, 'id' | 'group' | 'answers' | 'otherBlanks' | 'parts' | 'prompt' | 'text'>,
  noteSource: string,
  occurrence: number,
): { text: string; cards: Card[] } {
  const blanks: Blank[] = [];
  const blankIndexOfSegment: (number | undefined)[] = [];
  for (const segment of segments) {
    if ('blank' in segment) {
      blankIndexOfSegment.push(blanks.length);
      blanks.push(segment.blank);
    } else {
      blankIndexOfSegment.push(undefined);
    }
  }
  const text = segments.map((s) => ('blank' in s ? s.blank.shown : s.text)).join('');

  // One card per group, in order of first appearance; each unnumbered blank is its own card.
  const drafts: CardDraft[] = [];
  const byGroup = new Map<number, CardDraft>();
  let unnumbered = 0;
  blanks.forEach((blank, index) => {
    if (blank.group === null) {
      drafts.push({ group: null, key: `u${unnumbered++}`, members: [index] });
      return;
    }
    const existing = byGroup.get(blank.group);
    if (existing) {
      existing.members.push(index);
      return;
    }
    const draft: CardDraft = { group: blank.group, key: `g${blank.group}`, members: [index] };
    byGroup.set(blank.group, draft);
    drafts.push(draft);
  });

  const cards = drafts.map((draft): Card => {
    const own = new Set(draft.members);
    const parts: PromptPart[] = [];
    const pushText = (s: string): void => {
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + s;
      else parts.push(s);
    };
    segments.forEach((segment, si) => {
      if (!('blank' in segment)) {
        pushText(segment.text);
        return;
      }
      const bi = blankIndexOfSegment[si]!;
      if (own.has(bi)) parts.push({ blank: draft.members.indexOf(bi) });
      else pushText(segment.blank.shown);
    });
    return {
      ...base,
      id: cardId(base.deck, noteSource, occurrence, draft.key),
      group: draft.group,
      answers: draft.members.map((m) => blanks[m]!.answer),
      otherBlanks: blanks.filter((_, m) => !own.has(m)).map((b) => b.answer),
      parts,
      prompt: renderPrompt({ parts }),
      text,
    };
  });
  return { text, cards };
}

/** Reads a deck file's text. `file` is only used to label cards and errors. */
export function parseDeck(source: string, file: string): ParseResult {
  const errors: DeckError[] = [];
  const fail = (line: number, column: number, message: string): void => {
    errors.push({ file, line, column, message });
  };

  const lines = source.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u).map((l) => l.trimEnd());

  // The `# deck:` line: the first non-empty line.
  let name = '';
  let first = lines.findIndex((l) => l.trim() !== '');
  const deckMatch = first >= 0 ? DECK_LINE.exec(lines[first]!.trim()) : null;
  if (deckMatch === null) {
    fail(1, 1, 'missing `# deck:` line: a deck file must start with `# deck: <name>`');
    // A first line like `# mlops` is a misspelt deck line, not a note: skip it. Otherwise read every line as a note.
    if (first >= 0 && !/^#(?!#)/u.test(lines[first]!.trim())) first = -1;
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

  lines.forEach((raw, index) => {
    if (index === first) return;
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const indent = Array.from(raw).length - Array.from(raw.trimStart()).length;

    const section = SECTION_LINE.exec(trimmed);
    if (section) {
      const title = (section[1] ?? '').trim().replace(/\s+/gu, ' ');
      if (title === '') {
        fail(lineNo, indent + 1, 'section title is empty: write it after `## `');
        return;
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
      return;
    }
    if (DECK_LINE.test(trimmed)) {
      fail(lineNo, indent + 1, 'a second `# deck:` line: one deck per file');
      return;
    }

    const scan = scanNote(trimmed);
    for (const e of scan.errors) fail(lineNo, indent + e.column, e.message);
    if (scan.errors.length > 0) return;
    if (!scan.segments.some((s) => 'blank' in s)) {
      fail(lineNo, indent + 1, 'note has no blank: mark at least one answer as `-text-`');
      return;
    }

    const occurrence = occurrences.get(trimmed) ?? 0;
    occurrences.set(trimmed, occurrence + 1);
    const { text, cards } = buildCards(
      scan.segments,
      { deck: name, course, section: current.title, file, line: lineNo },
      trimmed,
      occurrence,
    );
    notes.push({ line: lineNo, section: current.title, text, cards });
    current.noteCount += 1;
    current.cardCount += cards.length;
  });

  if (errors.length === 0 && notes.length === 0) fail(1, 1, 'deck has no notes: add lines with `-blanks-`');
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { errors };
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
  return { deck, errors };
}
