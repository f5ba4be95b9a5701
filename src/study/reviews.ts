/**
 * The reviews a judged question leaves in its members' memory, derived from
 * what happened (see rating.ts). Pure: the caller stores them.
 */
import type { Card } from '../deck/types.ts';
import type { AnswerResult } from '../engine/drop.ts';
import type { Question } from '../engine/round.ts';
import type { Rating } from './memory.ts';
import { ratingFor } from './rating.ts';

export interface MemberRating {
  readonly userId: string;
  readonly card: Card;
  readonly rating: Rating;
  readonly at: number;
}

/**
 * One rating per member who tried a closed live question: the winner and the
 * members right just after them (`lateRight`) are right (Hard after a hint, a
 * wrong try or a typo, else Good); everyone else who replied gave up on it
 * (Again). `closedAt`: when the question closed.
 */
export function liveQuestionRatings(question: Question, closedAt: number): MemberRating[] {
  const right = new Map<string, { at: number; typo: boolean }>();
  if (question.winner) right.set(question.winner.userId, { at: question.winner.at, typo: question.winner.typo ?? false });
  for (const late of question.lateRight ?? []) if (!right.has(late.userId)) right.set(late.userId, late);
  const members = [...new Set([...question.attempted, ...right.keys()])];
  return members.flatMap((userId) => {
    const won = right.get(userId);
    const rating = won
      ? ratingFor({ kind: 'right', hints: question.hints, wrongTries: question.wrongTries?.[userId] ?? 0, typo: won.typo })
      : ratingFor({ kind: 'gave-up', how: 'timed-out' });
    return rating ? [{ userId, card: question.card, rating, at: won?.at ?? closedAt }] : [];
  });
}

/**
 * The rating of a daily answer, or undefined when it leaves no review yet: a
 * right answer (Hard after a wrong try or a typo), or the last of the tries
 * wrong (Again). `wrongTriesBefore`: the member's wrong tries before this one.
 */
export function dailyAnswerRating(result: AnswerResult, wrongTriesBefore: number): Rating | undefined {
  if (result.type === 'correct') return ratingFor({ kind: 'right', hints: 0, wrongTries: wrongTriesBefore, typo: result.verdict.reason === 'typo' });
  if (result.type === 'wrong' && result.triesLeft === 0) return ratingFor({ kind: 'wrong' });
  return undefined;
}

/** The rating of a member who tried a daily question and still had tries left when it was revealed. */
export const REVEALED_UNSOLVED: Rating = ratingFor({ kind: 'gave-up', how: 'timed-out' }) ?? 'again';

/** What a finished live round leaves for Review my misses: the cards asked and who answered which right. */
export interface RoundReview {
  readonly cardIds: readonly string[];
  /** Card ids each member answered right (won, or right just after the winner). */
  readonly right: Readonly<Record<string, readonly string[]>>;
}

export function roundReview(questions: readonly Question[]): RoundReview {
  const right: Record<string, string[]> = {};
  for (const question of questions) {
    const users = [question.winner?.userId, ...(question.lateRight ?? []).map((late) => late.userId)];
    for (const userId of users) if (userId !== undefined) (right[userId] ??= []).push(question.card.id);
  }
  return { cardIds: questions.map((q) => q.card.id), right };
}

/** The cards of the round a member missed or did not answer right, in the order asked. */
export function missesOf(review: RoundReview, userId: string): string[] {
  const right = new Set(Object.hasOwn(review.right, userId) ? review.right[userId] : []);
  return review.cardIds.filter((id) => !right.has(id));
}
