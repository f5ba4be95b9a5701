/**
 * A member's practice session as plain data, and its pure steps: which card
 * comes next, and what an answer, a hint or Skip does. The session is stored
 * as is, so it survives a restart. Practice never gives leaderboard points.
 */
import type { Card } from '../deck/types.ts';
import { judge, type Verdict } from '../engine/judge.ts';
import { MAX_HINTS } from '../engine/scoring.ts';
import type { MemoryRecord, Rating } from './memory.ts';
import { noteKey } from './notes.ts';
import { nextPracticeCard, type PracticeDay, type PracticeNext } from './practice.ts';
import { ratingFor } from './rating.ts';

export interface PracticeSession {
  readonly id: string;
  /** The deck or course practised (null: every deck) and the section (null: all). */
  readonly deck: string | null;
  readonly section: string | null;
  /** A fixed list of card ids to go through (Review my misses) instead of the practice order. */
  readonly only?: readonly string[];
  /** Whether new cards come after the due ones. */
  readonly includeNew: boolean;
  /** The card asked now and the hints shown for it. */
  readonly current?: { readonly cardId: string; readonly hints: number; readonly isNew: boolean };
  /** The card asked before, for the same-note rule. */
  readonly previous?: { readonly deck: string; readonly text: string };
  /** Cards of `only` already done. */
  readonly done: readonly string[];
  readonly reviewed: number;
  readonly right: number;
}

export function newSession(id: string, options: { deck: string | null; section: string | null; includeNew: boolean; only?: readonly string[] }): PracticeSession {
  return { id, ...options, done: [], reviewed: 0, right: 0 };
}

export interface NextInput {
  readonly pool: readonly Card[];
  readonly records: readonly MemoryRecord[];
  readonly now: number;
  readonly day: PracticeDay;
  readonly newCap: number;
}

/** The session's next card, or why there is none. */
export function nextCard(session: PracticeSession, input: NextInput): PracticeNext {
  if (session.only) {
    const done = new Set(session.done);
    const left = session.only.map((id) => input.pool.find((c) => c.id === id)).filter((c): c is Card => c !== undefined && !done.has(c.id));
    const previous = session.previous && noteKey(session.previous);
    const card = left.find((c) => noteKey(c) !== previous) ?? left[0];
    if (card) return { kind: 'card', card, isNew: false };
    return { kind: 'done', nextDue: undefined, newLeft: 0, capReached: false, resetsAt: input.day.end, heldBack: 0 };
  }
  return nextPracticeCard({
    cards: input.pool,
    records: input.records,
    now: input.now,
    day: input.day,
    newCap: input.newCap,
    includeNew: session.includeNew,
    ...(session.previous ? { previous: session.previous } : {}),
  });
}

/** The session asking `card`. */
export function ask(session: PracticeSession, card: Card, isNew: boolean): PracticeSession {
  return { ...session, current: { cardId: card.id, hints: 0, isNew } };
}

/** One more hint on the current card; undefined when no more hints are allowed. */
export function addHint(session: PracticeSession): PracticeSession | undefined {
  if (!session.current || session.current.hints >= MAX_HINTS) return undefined;
  return { ...session, current: { ...session.current, hints: session.current.hints + 1 } };
}

export type CardResult =
  | { readonly kind: 'answered'; readonly verdict: Verdict; readonly rating: Rating }
  | { readonly kind: 'skipped'; readonly rating: Rating };

/**
 * The member answered (`reply`) or skipped the current card: the result, its
 * rating (one try per card: wrong or Skip is Again; right after a hint or as
 * a typo is Hard; right is Good) and the session with the card done.
 */
export function finishCard(session: PracticeSession, card: Card, reply: string | null): { session: PracticeSession; result: CardResult } {
  const hints = session.current?.hints ?? 0;
  let result: CardResult;
  if (reply === null) result = { kind: 'skipped', rating: ratingFor({ kind: 'gave-up', how: 'skip' }) ?? 'again' };
  else {
    const verdict = judge(card, reply);
    const rating = verdict.correct ? ratingFor({ kind: 'right', hints, wrongTries: 0, typo: verdict.reason === 'typo' }) : ratingFor({ kind: 'wrong' });
    result = { kind: 'answered', verdict, rating: rating ?? 'again' };
  }
  const { current: _current, ...rest } = session;
  const right = result.kind === 'answered' && result.verdict.correct;
  return {
    session: { ...rest, previous: { deck: card.deck, text: card.text }, done: [...session.done, card.id], reviewed: session.reviewed + 1, right: session.right + (right ? 1 : 0) },
    result,
  };
}
