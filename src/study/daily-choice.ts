/**
 * Which card a daily drop asks: chosen by class need (class-choice.ts), never
 * the note of the previous daily question. Cards asked in this cycle that
 * nobody has tried yet are not asked again until every card has had its turn
 * (a drop nobody answered does not make its card "new" again); cards members
 * tried stay in by need. Pure and seeded.
 */
import type { Card } from '../deck/types.ts';
import type { MemoryRecord } from './memory.ts';
import { chooseForClass } from './class-choice.ts';
import { classCardMemory } from './notes.ts';

/** What the drops of one server and deck remember between two choices. */
export interface DailyChoiceState {
  /** Cards asked since the cycle began. */
  readonly asked: readonly string[];
  /** The previous daily question's note. */
  readonly previous?: { readonly deck: string; readonly text: string };
}

export function chooseDailyCard(input: {
  readonly pool: readonly Card[];
  readonly records: readonly MemoryRecord[];
  readonly state: DailyChoiceState | undefined;
  readonly now: number;
  readonly seed: string;
  /** The drop's number in the server's sequence (a new card every third drop). */
  readonly position: number;
}): { card: Card; state: DailyChoiceState } | null {
  const asked = new Set(input.state?.asked ?? []);
  const untouched = (card: Card) => asked.has(card.id) && classCardMemory(card, input.records, input.now).seenBy === 0;
  let cycle = input.state?.asked ?? [];
  let pool = input.pool.filter((card) => !untouched(card));
  if (pool.length === 0) {
    cycle = [];
    pool = [...input.pool];
  }
  const avoid = input.state?.previous ? [input.state.previous] : [];
  const [card] = chooseForClass({ cards: pool, records: input.records, now: input.now, count: 1, seed: input.seed, position: input.position, avoid });
  if (!card) return null;
  return { card, state: { asked: [...cycle.filter((id) => id !== card.id), card.id], previous: { deck: card.deck, text: card.text } } };
}
