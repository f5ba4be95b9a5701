import { describe, expect, it } from 'vitest';
import { clockJump, describeJump } from '../../src/schedule/clock-jump.ts';

const MIN = 60_000;

describe('clockJump', () => {
  it.each([
    ['the wall clock moved with the timer', 0, MIN, MIN, 0],
    ['a late timer: the wall clock moved with it', 0, 2 * MIN, MIN, 0],
    ['a small NTP slew', 0, MIN + 5_000, MIN, 0],
    ['a step back of 2 hours', 0, MIN - 120 * MIN, MIN, -120 * MIN],
    ['a step forward of 2 hours (a resumed VM)', 0, MIN + 120 * MIN, MIN, 120 * MIN],
    ['a step back of 2 minutes', 10 * MIN, 9 * MIN, MIN, -2 * MIN],
  ])('%s', (_, previous, wall, elapsed, jump) => {
    expect(clockJump(previous, wall, elapsed)).toBe(jump);
  });
});

describe('describeJump', () => {
  it.each([
    [-120 * MIN, '2 h back'],
    [125 * MIN, '2 h 5 min forward'],
    [-2 * MIN, '2 min back'],
    [30_000, '1 min forward'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(describeJump(ms)).toBe(text);
  });
});
