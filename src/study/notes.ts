import type { Card } from '../deck/types.ts';
import { recall, stateOf, type MemoryRecord } from './memory.ts';

export { noteKey, uniqueCards } from '../engine/select.ts';

/** What the class knows of one card at a time: from the states of the members who tried it. */
export interface ClassCardMemory {
  /** Members with a state for the card. */
  readonly seenBy: number;
  /** Mean predicted recall among them (0 when nobody has seen it). */
  readonly meanRecall: number;
  /** Members whose predicted recall is at least `knowsAt`. */
  readonly knownBy: number;
  /** Sum of their reviews. */
  readonly attempts: number;
  /** Members whose first review was right at once (Good). */
  readonly firstTryRight: number;
  /** Members for whom the card is due by `dueBy`. */
  readonly dueFor: number;
}

/** The class's memory of `card` at `now`, from every member's record of its deck. */
export function classCardMemory(
  card: Pick<Card, 'id'>,
  records: readonly MemoryRecord[],
  now: number,
  options: { knowsAt?: number; dueBy?: number } = {},
): ClassCardMemory {
  const knowsAt = options.knowsAt ?? 0.9;
  const dueBy = options.dueBy ?? now;
  let seenBy = 0;
  let sum = 0;
  let knownBy = 0;
  let attempts = 0;
  let firstTryRight = 0;
  let dueFor = 0;
  for (const record of records) {
    const state = stateOf(record, card.id);
    if (state === undefined) continue;
    const r = recall(state, now);
    seenBy++;
    sum += r;
    if (r >= knowsAt) knownBy++;
    attempts += state.reps;
    if (state.firstRating === 'good') firstTryRight++;
    if (state.due <= dueBy) dueFor++;
  }
  return { seenBy, meanRecall: seenBy > 0 ? sum / seenBy : 0, knownBy, attempts, firstTryRight, dueFor };
}
