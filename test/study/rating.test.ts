import { describe, expect, it } from 'vitest';
import { ratingFor, type Outcome } from '../../src/study/rating.ts';

const right = { kind: 'right', hints: 0, wrongTries: 0, typo: false } as const;

describe('the rating derived from an outcome', () => {
  it.each<[string, Outcome, string | undefined]>([
    ['a wrong answer (the 3 daily tries used) is Again', { kind: 'wrong' }, 'again'],
    ['Skip in practice is Again', { kind: 'gave-up', how: 'skip' }, 'again'],
    ['a question that timed out after the member tried is Again', { kind: 'gave-up', how: 'timed-out' }, 'again'],
    ['right after a hint is Hard', { ...right, hints: 1 }, 'hard'],
    ['right after a wrong try (e.g. the third daily try) is Hard', { ...right, wrongTries: 2 }, 'hard'],
    ['right, accepted only as a typo, is Hard', { ...right, typo: true }, 'hard'],
    ['right at once is Good', right, 'good'],
    ['no try gives no review', { kind: 'no-try' }, undefined],
  ])('%s', (_, outcome, rating) => {
    expect(ratingFor(outcome)).toBe(rating);
  });

  it('never gives Easy, whatever the outcome', () => {
    const outcomes: Outcome[] = [{ kind: 'no-try' }, { kind: 'wrong' }, { kind: 'gave-up', how: 'skip' }, right, { ...right, hints: 3, wrongTries: 2, typo: true }];
    for (const outcome of outcomes) expect(ratingFor(outcome)).not.toBe('easy');
  });
});
