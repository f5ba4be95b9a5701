/**
 * Daily-drop streaks: consecutive local days with a correct daily answer.
 */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' string, or undefined when malformed. */
function dayNumber(day: string): number | undefined {
  const m = DAY_RE.exec(day);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Reject impossible dates such as 2026-02-30.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86_400_000;
}

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
  const todayN = dayNumber(today);
  const nums: number[] = [];
  for (const day of days) {
    const n = dayNumber(day);
    if (n !== undefined && (todayN === undefined || n <= todayN)) nums.push(n);
  }
  nums.sort((a, b) => a - b);

  let best = 0;
  let run = 0;
  let prev: number | undefined;
  for (const n of nums) {
    if (n === prev) continue;
    run = prev !== undefined && n === prev + 1 ? run + 1 : 1;
    if (run > best) best = run;
    prev = n;
  }
  // `prev` is the last solved day and `run` the run ending on it.
  const current = todayN !== undefined && prev !== undefined && prev >= todayN - 1 ? run : 0;
  return { current, best };
}
