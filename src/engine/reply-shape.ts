/**
 * What a private verdict may say about a wrong reply without giving the
 * answer away: only what follows from the reply's shape and from what the
 * member already sees (the sentence, the number of blanks). Pure.
 *
 * - A list of guesses (more pieces than the card has blanks, pieces
 *   separated by commas, semicolons, slashes, line breaks, `or`, `and`, `&`)
 *   is refused the same way whatever it holds.
 * - A reply made only of words already shown in the sentence (another blank
 *   of the note, or any run of its visible words) is refused the same way.
 * - A reply with fewer words than the card has blanks is told how many
 *   blanks to give.
 * The judge runs first: a right reply is always right, whatever its shape.
 */
import type { Card } from '../deck/types.ts';
import { isArticle, isListGap, normalize, type Word } from './normalize.ts';

/** Why a reply is refused without using a try. */
export type ShapeRefusal = 'several-guesses' | 'in-sentence';

/** A hint to a wrong reply that uses a try. */
export interface ShapeHint {
  readonly type: 'missing-parts';
  readonly blanks: number;
}

const JOINERS = new Set(['or', 'and']);

/** How many pieces a reply lists: separated by list gaps or the words `or`, `and` (`&`). */
export function replyPieces(reply: string): number {
  const { words, gaps } = normalize(reply);
  let pieces = 0;
  let open = false;
  words.forEach((word, index) => {
    const gap = gaps[index] ?? '';
    // An in-word hyphen (`long-term`) joins.
    if (index > 0 && !/^-+$/.test(gap) && isListGap(gap)) open = false;
    if (JOINERS.has(word.key)) {
      open = false;
      return;
    }
    if (!open) pieces++;
    open = true;
  });
  return pieces;
}

/** The words of a reply that count: articles left out. */
function keys(words: readonly Word[]): string[] {
  return words.filter((word) => !isArticle(word)).map((word) => word.key);
}

/** Whether every word of the reply is a run of words shown in the card's sentence (between two blanks at most). */
function shownInSentence(card: Pick<Card, 'parts'>, reply: readonly string[]): boolean {
  if (reply.length === 0) return false;
  return card.parts.some((part) => {
    if (typeof part !== 'string') return false;
    const shown = keys(normalize(part).words);
    for (let start = 0; start + reply.length <= shown.length; start++) {
      if (reply.every((key, offset) => shown[start + offset] === key)) return true;
    }
    return false;
  });
}

/** Why a wrong reply is refused without using a try, or null when it counts as a try. */
export function shapeRefusal(card: Pick<Card, 'answers' | 'parts'>, reply: string): ShapeRefusal | null {
  if (replyPieces(reply) > card.answers.length) return 'several-guesses';
  if (shownInSentence(card, keys(normalize(reply).words))) return 'in-sentence';
  return null;
}

/** A hint for a wrong reply that counts as a try, from its shape alone. */
export function shapeHint(card: Pick<Card, 'answers'>, reply: string): ShapeHint | null {
  const words = keys(normalize(reply).words).filter((key) => !JOINERS.has(key));
  return card.answers.length > 1 && words.length < card.answers.length ? { type: 'missing-parts', blanks: card.answers.length } : null;
}
