/**
 * Scoring rules, in one place so the README, live rounds and daily drops agree.
 *
 * Live round, first correct reply:
 *   points = max(MIN_POINTS, BASE_POINTS - HINT_PENALTY * hintsUsed) + speedBonus
 *   speedBonus = floor(SPEED_BONUS_MAX * timeLeft / timeLimit), so 5 for an instant
 *   answer, 2 at half time, 0 at the very end.
 * Daily drop, correct answer: BASE_POINTS, plus FIRST_SOLVER_BONUS for the first solver.
 * Wrong replies cost nothing.
 */
export const BASE_POINTS = 10;
export const HINT_PENALTY = 3;
export const MIN_POINTS = 1;
export const SPEED_BONUS_MAX = 5;
export const FIRST_SOLVER_BONUS = 5;
export const MAX_HINTS = 3;

export interface LivePoints {
  readonly base: number;
  readonly speedBonus: number;
  readonly total: number;
}

export function livePoints(hintsUsed: number, elapsedMs: number, limitMs: number): LivePoints {
  const base = Math.max(MIN_POINTS, BASE_POINTS - HINT_PENALTY * Math.max(0, hintsUsed));
  const left = limitMs <= 0 ? 0 : Math.min(1, Math.max(0, (limitMs - elapsedMs) / limitMs));
  const speedBonus = Math.floor(SPEED_BONUS_MAX * left);
  return { base, speedBonus, total: base + speedBonus };
}

export interface DailyPoints {
  readonly base: number;
  readonly firstSolverBonus: number;
  readonly total: number;
}

export function dailyPoints(firstSolver: boolean): DailyPoints {
  const firstSolverBonus = firstSolver ? FIRST_SOLVER_BONUS : 0;
  return { base: BASE_POINTS, firstSolverBonus, total: BASE_POINTS + firstSolverBonus };
}
