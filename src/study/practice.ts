/**
 * The order of a member's private practice. Pure: the member's memory, the
 * clock and their day are passed in.
 *
 * - First the cards due now (tried before, due at or before `now`), most
 *   overdue first (earliest due; equal ones in deck order).
 * - Then new cards (never tried), in deck order, at most `newCap` a day
 *   (default 10): the cards first tried in practice since the start of the
 *   member's day count against it; it resets at the day's end.
 * - Never two cards of the same note back to back: a card of the previous
 *   card's note waits for another card; when only such cards are left, the
 *   session ends and they come first next time.
 */
import type { Card } from '../deck/types.ts';
import type { MemoryRecord } from './memory.ts';
import { stateOf } from './memory.ts';
import { noteKey, uniqueCards } from './notes.ts';

export const DEFAULT_NEW_CARDS_PER_DAY = 10;

export interface PracticeDay {
  /** Start of the member's day (ms). */
  readonly start: number;
  /** End of the day, when the new-card limit resets (ms). */
  readonly end: number;
}

export interface PracticeInput {
  /** The pool: the cards of the decks (and section) practised. */
  readonly cards: readonly Card[];
  /** The member's memory records for the pool's decks. */
  readonly records: readonly MemoryRecord[];
  readonly now: number;
  readonly day: PracticeDay;
  /** New cards per member per day; default 10. */
  readonly newCap?: number;
  /** False: due cards only (new cards are offered instead). Default true. */
  readonly includeNew?: boolean;
  /** The card shown just before, in this session. */
  readonly previous?: Pick<Card, 'deck' | 'text'>;
}

export interface PracticePlan {
  /** Cards due now, most overdue first. */
  readonly due: Card[];
  /** New cards allowed now, in deck order (at most the day's remaining allowance). */
  readonly fresh: Card[];
  /** New cards never tried in the pool, allowed today or not. */
  readonly unseen: number;
  /** New cards already started in practice today. */
  readonly newToday: number;
  readonly newCap: number;
  /** When the new-card allowance resets. */
  readonly resetsAt: number;
  /** The earliest due time of a tried card not due yet (undefined when none). */
  readonly nextDue: number | undefined;
}

export type PracticeNext =
  | { readonly kind: 'card'; readonly card: Card; readonly isNew: boolean }
  | {
      readonly kind: 'done';
      /** The earliest due time of a tried card not due now. */
      readonly nextDue: number | undefined;
      /** New cards that could be started now (0 when none is left or the daily limit is reached). */
      readonly newLeft: number;
      /** True when new cards remain but today's limit is used up (see `resetsAt`). */
      readonly capReached: boolean;
      readonly resetsAt: number;
      /** Cards waiting because they share the previous card's note. */
      readonly heldBack: number;
    };

function stateIn(records: readonly MemoryRecord[], cardId: string) {
  for (const record of records) {
    const state = stateOf(record, cardId);
    if (state !== undefined) return state;
  }
  return undefined;
}

/** New cards a member started in practice during `day`, over their records. */
export function newCardsStarted(records: readonly MemoryRecord[], day: PracticeDay): number {
  let n = 0;
  for (const record of records) {
    for (const state of Object.values(record)) {
      if (state.firstSource === 'practice' && state.first >= day.start && state.first < day.end) n++;
    }
  }
  return n;
}

/** Everything practice offers the member now. */
export function practicePlan(input: PracticeInput): PracticePlan {
  const newCap = Math.max(0, Math.floor(input.newCap ?? DEFAULT_NEW_CARDS_PER_DAY));
  const due: { card: Card; due: number }[] = [];
  const unseen: Card[] = [];
  let nextDue: number | undefined;
  for (const card of uniqueCards(input.cards)) {
    const state = stateIn(input.records, card.id);
    if (state === undefined) unseen.push(card);
    else if (state.due <= input.now) due.push({ card, due: state.due });
    else if (nextDue === undefined || state.due < nextDue) nextDue = state.due;
  }
  due.sort((a, b) => a.due - b.due);
  const newToday = newCardsStarted(input.records, input.day);
  const allowance = input.includeNew === false ? 0 : Math.max(0, newCap - newToday);
  return {
    due: due.map((d) => d.card),
    fresh: unseen.slice(0, allowance),
    unseen: unseen.length,
    newToday,
    newCap,
    resetsAt: input.day.end,
    nextDue,
  };
}

/** The next card of a practice session, or why there is none. */
export function nextPracticeCard(input: PracticeInput): PracticeNext {
  const plan = practicePlan(input);
  const previousNote = input.previous === undefined ? undefined : noteKey(input.previous);
  const queue = [...plan.due.map((card) => ({ card, isNew: false })), ...plan.fresh.map((card) => ({ card, isNew: true }))];
  const next = queue.find((q) => noteKey(q.card) !== previousNote);
  if (next !== undefined) return { kind: 'card', ...next };
  const capReached = plan.unseen > 0 && plan.newToday >= plan.newCap;
  return {
    kind: 'done',
    nextDue: plan.nextDue,
    newLeft: input.includeNew === false ? Math.min(plan.unseen, Math.max(0, plan.newCap - plan.newToday)) : 0,
    capReached,
    resetsAt: plan.resetsAt,
    heldBack: queue.length,
  };
}

/**
 * The whole order a session would follow if nothing changed on the way (for a
 * preview and tests): `practicePlan`'s cards, arranged so that no two cards of
 * a note are back to back; cards that cannot be placed so are left out.
 */
export function practiceOrder(input: PracticeInput): Card[] {
  const plan = practicePlan(input);
  const rest = [...plan.due, ...plan.fresh];
  const out: Card[] = [];
  let previous = input.previous === undefined ? undefined : noteKey(input.previous);
  for (;;) {
    const i = rest.findIndex((card) => noteKey(card) !== previous);
    if (i < 0) break;
    const [card] = rest.splice(i, 1) as [Card];
    out.push(card);
    previous = noteKey(card);
  }
  return out;
}
