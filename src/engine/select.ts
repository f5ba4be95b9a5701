import type { Card } from '../deck/types.ts';

/** Fisher–Yates shuffle of a copy, driven by the given random source in [0, 1). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Identifies a card's note: the cards of one note (its blank groups) share it. */
export function noteKey(card: Pick<Card, 'deck' | 'text'>): string {
  return `${card.deck}\u0000${card.text}`;
}

/** Cards with the same id counted once, first kept. */
export function uniqueCards(cards: readonly Card[]): Card[] {
  return [...new Map(cards.map((card) => [card.id, card])).values()];
}

/** How many notes the pool's cards come from: the most questions one round can ask. */
export function countNotes(pool: readonly Card[]): number {
  return new Set(pool.map(noteKey)).size;
}

/**
 * Cards for one round: up to `count` cards drawn at random from the pool, never
 * two of the same note (they share a sentence, so one would show the other's
 * answer). Fewer when the pool has fewer notes: `countNotes` says how many.
 * The same pool and random source give the same round.
 */
export function chooseRoundCards(pool: readonly Card[], count: number, random: () => number): Card[] {
  const used = new Set<string>();
  const out: Card[] = [];
  for (const card of shuffle(uniqueCards(pool), random)) {
    if (out.length >= count) break;
    const note = noteKey(card);
    if (used.has(note)) continue;
    used.add(note);
    out.push(card);
  }
  return out;
}

/** What to tell the class when the pool has fewer notes than questions were asked; undefined otherwise. */
export function fewerNotesNote(what: string, asked: number, chosen: number): string | undefined {
  if (chosen >= asked) return undefined;
  const notes = `${chosen} sentence${chosen === 1 ? '' : 's'}`;
  return `${what} has only ${notes} to ask from, and a round never asks two blanks of one sentence (one would show the other's answer), so ${chosen} question${chosen === 1 ? '' : 's'} instead of ${asked}.`;
}
