/**
 * The rating of a member's attempt at a question, derived from what happened,
 * never asked. One review per member per question: the member's outcome on it.
 *
 * | outcome | rating |
 * |---|---|
 * | wrong (the last reply, e.g. the 3 daily tries used) | Again |
 * | gave up: Skip in practice | Again |
 * | gave up: a question that timed out after the member tried | Again |
 * | right after a hint | Hard |
 * | right after a wrong try | Hard |
 * | right, accepted only as a typo | Hard |
 * | right | Good |
 * | did not try | no review |
 *
 * Easy is never given automatically.
 */
import type { Rating } from './memory.ts';

export type Outcome =
  /** The member did not reply at all. */
  | { readonly kind: 'no-try' }
  /** Wrong: the daily tries are used up, or a practice answer was wrong. */
  | { readonly kind: 'wrong' }
  /** Gave up: Skip in practice, or the question closed after the member tried. */
  | { readonly kind: 'gave-up'; readonly how: 'skip' | 'timed-out' }
  /** Right. `hints`: hints shown before the right reply; `wrongTries`: wrong replies before it; `typo`: accepted only as a typo. */
  | { readonly kind: 'right'; readonly hints: number; readonly wrongTries: number; readonly typo: boolean };

/** The review rating for an outcome, or undefined when there is no review (no try). */
export function ratingFor(outcome: Outcome): Rating | undefined {
  switch (outcome.kind) {
    case 'no-try':
      return undefined;
    case 'wrong':
    case 'gave-up':
      return 'again';
    case 'right':
      return outcome.hints > 0 || outcome.wrongTries > 0 || outcome.typo ? 'hard' : 'good';
  }
}
