import { describe, expect, it } from 'vitest';
import { DAY_MS, recall, review, stateOf, withState, type MemoryState } from '../../src/study/memory.ts';

// Monday 2026-01-05 09:00 UTC.
const T0 = Date.UTC(2026, 0, 5, 9);

function expectState(state: MemoryState, want: { stability: number; difficulty: number; dueDays: number; reps: number; lapses: number }): void {
  expect(state.stability).toBeCloseTo(want.stability, 6);
  expect(state.difficulty).toBeCloseTo(want.difficulty, 6);
  expect(state.due).toBe(state.last + want.dueDays * DAY_MS);
  expect(state.scheduledDays).toBe(want.dueDays);
  expect(state.reps).toBe(want.reps);
  expect(state.lapses).toBe(want.lapses);
}

describe('FSRS memory (default weights, 90% retention, no short-term steps)', () => {
  it('Good, Good 3 days later, Again 9 days after that, Hard the next day give the golden states', () => {
    const first = review(undefined, 'good', T0, 'daily');
    expectState(first, { stability: 2.3065, difficulty: 2.11810397, dueDays: 3, reps: 1, lapses: 0 });
    const second = review(first, 'good', T0 + 3 * DAY_MS, 'live');
    expectState(second, { stability: 13.82690327, difficulty: 2.11121424, dueDays: 14, reps: 2, lapses: 0 });
    const third = review(second, 'again', T0 + 12 * DAY_MS, 'practice');
    expectState(third, { stability: 1.6496484, difficulty: 7.39223814, dueDays: 2, reps: 3, lapses: 1 });
    const fourth = review(third, 'hard', T0 + 13 * DAY_MS, 'practice');
    expectState(fourth, { stability: 2.86572816, difficulty: 8.25407453, dueDays: 3, reps: 4, lapses: 1 });
    expect(fourth).toMatchObject({ phase: 'review', last: T0 + 13 * DAY_MS, first: T0, firstRating: 'good', firstSource: 'daily' });
  });

  it.each([
    ['again', 0.212, 1],
    ['hard', 1.2931, 2],
    ['good', 2.3065, 3],
  ] as const)('a first %s schedules the card in days (stability %f, due in %i days)', (rating, stability, dueDays) => {
    const state = review(undefined, rating, T0, 'practice');
    expect(state.stability).toBeCloseTo(stability, 6);
    expect(state.due).toBe(T0 + dueDays * DAY_MS);
    expect(state.firstRating).toBe(rating);
  });

  it('predicts full recall right after a review, 90% after `stability` days, and 0 for a card never tried', () => {
    const state = review(undefined, 'good', T0, 'practice');
    expect(recall(state, T0)).toBe(1);
    expect(recall(state, T0 + state.stability * DAY_MS)).toBeCloseTo(0.9, 6);
    expect(recall(state, T0 + 30 * DAY_MS)).toBeLessThan(0.9);
    expect(recall(undefined, T0)).toBe(0);
  });

  it('the same reviews at the same times always give the same state (no clock inside)', () => {
    const run = () => review(review(undefined, 'hard', T0, 'practice'), 'good', T0 + 2 * DAY_MS, 'practice');
    expect(run()).toEqual(run());
  });

  it('records are safe for any card id, __proto__ included', () => {
    const state = review(undefined, 'good', T0, 'practice');
    const record = withState({}, '__proto__', state);
    expect(stateOf(record, '__proto__')).toEqual(state);
    expect(stateOf(record, 'toString')).toBeUndefined();
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});
