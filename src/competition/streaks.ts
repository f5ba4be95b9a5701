/**
 * Daily-drop streaks: consecutive local days with a correct daily answer.
 */
import { addDays, isDay } from '../schedule/time.ts';

export interface Streak {
  /** Run ending today, or ending yesterday while today is not solved yet; 0 otherwise. */
  current: number;
  /** Longest run ever (days after `today` ignored). */
  best: number;
}

/**
 * Current and best streak from the local days ('YYYY-MM-DD') with a correct
 * daily answer. Input may be unsorted and contain duplicates; malformed days
 * and days after `today` are ignored. A missed day resets the run; today's
 * run stays alive until the day ends. O(n log n).
 */
export function streaks(days: readonly string[], today: string): Streak {
  const todayValid = isDay(today);
  // 'YYYY-MM-DD' strings sort in calendar order.
  const solved = [...new Set(days)].filter((day) => isDay(day) && (!todayValid || day <= today)).sort();

  let best = 0;
  let run = 0;
  let prev: string | undefined;
  for (const day of solved) {
    run = prev !== undefined && day === addDays(prev, 1) ? run + 1 : 1;
    if (run > best) best = run;
    prev = day;
  }
  // `prev` is the last solved day and `run` the run ending on it.
  const current = todayValid && prev !== undefined && prev >= addDays(today, -1) ? run : 0;
  return { current, best };
}
