/**
 * One Anki note to deck note parts. Cloze notes (`{{c1::answer}}`, `{{c1::answer::hint}}`)
 * become numbered blanks: `c1` is group 1, every cloze of the same number one card. Notes
 * without a cloze are front/back notes: `front: -back-` when asked for, else skipped.
 */
import { htmlToText, oneLine } from './html.ts';
import type { NotePart } from './write.ts';

const CLOZE_START = /\{\{c(\d+(?:,\d+)*)::/u;

export const BASIC_SKIPPED = 'front/back note, not a cloze (use --basic to import it as "front: -back-")';

/** Splits a cloze text into parts, or says why it cannot be read. */
export function parseCloze(text: string): NotePart[] | { reason: string } {
  const parts: NotePart[] = [];
  let rest = text;
  for (;;) {
    const match = CLOZE_START.exec(rest);
    if (!match) break;
    if (match.index > 0) parts.push({ text: rest.slice(0, match.index) });
    const numbers = match[1]!;
    if (numbers.includes(',')) return { reason: `a cloze with several numbers ({{c${numbers}::…}}) has no equivalent in the deck format` };
    const bodyStart = match.index + match[0].length;
    const close = rest.indexOf('}}', bodyStart);
    if (close < 0) return { reason: 'a cloze never closes (no "}}")' };
    const body = rest.slice(bodyStart, close);
    if (body.includes('{{')) return { reason: 'nested clozes have no equivalent in the deck format' };
    const hint = body.indexOf('::');
    parts.push({ answer: hint < 0 ? body : body.slice(0, hint), group: Number.parseInt(numbers, 10) });
    rest = rest.slice(close + 2);
  }
  if (rest !== '') parts.push({ text: rest });
  return parts;
}

/** A note's fields as plain text (HTML reduced when `html`). */
function plain(field: string, html: boolean): string {
  return html ? htmlToText(field) : oneLine(field);
}

/** The parts of an Anki note's deck note, or why it is skipped. */
export function noteParts(fields: readonly string[], html: boolean, basic: boolean): NotePart[] | { reason: string } {
  const cloze = fields.find((f) => CLOZE_START.test(f));
  if (cloze !== undefined) return parseCloze(plain(cloze, html));
  if (!basic) return { reason: BASIC_SKIPPED };
  const front = plain(fields[0] ?? '', html);
  const back = plain(fields[1] ?? '', html);
  if (front === '' || back === '') return { reason: 'front/back note with an empty side' };
  return [{ text: front.endsWith(':') ? `${front} ` : `${front}: ` }, { answer: back, group: null }];
}
