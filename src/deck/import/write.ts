/**
 * Writing imported notes in the deck format. A note is built from plain text and blanks; the
 * line written is read back with the deck parser and kept only when it gives exactly the
 * intended text and cards, so an import never writes a line that means something else.
 */
import { normalizeName, parseDeck } from '../parse.ts';

/** A piece of an imported note: plain text, or a blank with its answer (group null: a card of its own). */
export type NotePart = { readonly text: string } | { readonly answer: string; readonly group: number | null };

/** Characters after which a hyphen would open a blank (start of a word), plus `.` for `N.-`. */
const BEFORE_OPENING = new Set(['(', '[', '{', '"', "'", '“', '‘', '«', '/', '.']);

/** Escapes the hyphens of plain text that the parser could read as the start of a blank. */
function escapeText(text: string, previous: string | undefined): string {
  let out = '';
  let prev = previous;
  for (const ch of text) {
    if (ch === '-' && (prev === undefined || /\s/u.test(prev) || BEFORE_OPENING.has(prev))) out += '\\-';
    else out += ch;
    prev = ch;
  }
  return out;
}

/** Every hyphen of an answer is escaped, as the deck format asks. */
function escapeAnswer(answer: string): string {
  return answer.replace(/-/gu, '\\-');
}

function expectedCards(parts: readonly NotePart[]): { group: number | null; answers: string[] }[] {
  const cards: { group: number | null; answers: string[] }[] = [];
  const byGroup = new Map<number, { group: number | null; answers: string[] }>();
  for (const part of parts) {
    if (!('answer' in part)) continue;
    if (part.group === null) {
      cards.push({ group: null, answers: [part.answer] });
      continue;
    }
    const existing = byGroup.get(part.group);
    if (existing) existing.answers.push(part.answer);
    else {
      const card = { group: part.group, answers: [part.answer] };
      byGroup.set(part.group, card);
      cards.push(card);
    }
  }
  return cards;
}

/** The note's line, or why it cannot be written in the deck format. */
export function writeNote(parts: readonly NotePart[]): { line: string } | { reason: string } {
  const trimmed = trimParts(parts);
  if (!trimmed.some((p) => 'answer' in p)) return { reason: 'no blank in the note' };
  if (trimmed.some((p) => 'answer' in p && p.answer === '')) return { reason: 'an empty blank' };
  let line = '';
  for (const part of trimmed) {
    if ('text' in part) line += escapeText(part.text, Array.from(line).at(-1));
    else line += `${part.group === null ? '' : `${part.group}.`}-${escapeAnswer(part.answer)}-`;
  }
  const expectedText = trimmed.map((p) => ('text' in p ? p.text : p.answer)).join('');
  const parsed = parseDeck(`# deck: x\n${line}\n`, 'import');
  const note = parsed.deck?.notes[0];
  const same =
    note !== undefined &&
    parsed.deck?.notes.length === 1 &&
    note.text === expectedText &&
    JSON.stringify(note.cards.map((c) => ({ group: c.group, answers: c.answers }))) === JSON.stringify(expectedCards(trimmed));
  if (!same) {
    const why = parsed.errors[0]?.message;
    return { reason: `cannot be written in the deck format${why ? ` (${why})` : ' (a blank touches the words around it)'}: ${expectedText}` };
  }
  return { line };
}

/** Trims the note's outer whitespace, turns inner runs of whitespace into single spaces and drops empty text. */
function trimParts(parts: readonly NotePart[]): NotePart[] {
  const out: NotePart[] = parts.map((p) =>
    'text' in p ? { text: p.text.replace(/\s+/gu, ' ') } : { answer: p.answer.replace(/\s+/gu, ' ').trim(), group: p.group },
  );
  const first = out[0];
  if (first && 'text' in first) out[0] = { text: first.text.trimStart() };
  const last = out[out.length - 1];
  if (last && 'text' in last) out[out.length - 1] = { text: last.text.trimEnd() };
  return out.filter((p) => !('text' in p) || p.text !== '');
}

/** Anki's `Parent::Child` and any spacing become a deck name: `parent child`. */
export function deckNameOf(raw: string): string {
  return normalizeName(raw.replace(/::|\u001f/gu, ' '));
}

/** A written note and the section it goes in ("" for none). */
export interface WrittenNote {
  readonly section: string;
  readonly line: string;
}

/** The deck file: the `# deck:` line, then the notes grouped by section in order of first appearance. */
export function writeDeck(name: string, notes: readonly WrittenNote[]): string {
  const bySection = new Map<string, string[]>([['', []]]);
  for (const note of notes) {
    const title = note.section.replace(/\s+/gu, ' ').trim();
    const lines = bySection.get(title) ?? [];
    lines.push(note.line);
    bySection.set(title, lines);
  }
  const out = [`# deck: ${name}`, ''];
  for (const [title, lines] of bySection) {
    if (lines.length === 0) continue;
    if (title !== '') out.push(`## ${title}`, '');
    for (const line of lines) out.push(line, '');
  }
  return out.join('\n');
}
