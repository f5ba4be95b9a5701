/**
 * Leaderboard periods in the server's time zone: the current ISO week
 * (Monday 00:00 to next Monday 00:00, local) and the current calendar month.
 * Ranges are half-open [from, to) in epoch ms and follow DST changes, so a
 * week may last 167 or 169 hours.
 */
import { addDays, localDay, localParts, startOfLocalDay } from '../schedule/time.ts';
import type { Period, TimeRange } from './types.ts';

export type { Period, TimeRange } from './types.ts';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const; // ISO order
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTHS_LONG = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local 'YYYY-MM-DD' Monday of the week holding `now`. */
function localMonday(now: Date, timeZone: string): string {
  return addDays(localDay(now, timeZone), 1 - localParts(now, timeZone).weekday);
}

/**
 * The current week (ISO: Monday 00:00 local to the next Monday 00:00 local)
 * or calendar month in `timeZone`, as a half-open range of epoch ms.
 * Where local midnight is skipped by a DST change, the range starts when the clocks jump.
 */
export function periodRange(period: 'week' | 'month', now: Date, timeZone: string): TimeRange {
  if (period === 'week') {
    const monday = localMonday(now, timeZone);
    return {
      from: startOfLocalDay(monday, timeZone).getTime(),
      to: startOfLocalDay(addDays(monday, 7), timeZone).getTime(),
    };
  }
  const { year, month } = localParts(now, timeZone);
  const first = `${String(year).padStart(4, '0')}-${pad2(month)}-01`;
  const next = month === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${String(year).padStart(4, '0')}-${pad2(month + 1)}-01`;
  return { from: startOfLocalDay(first, timeZone).getTime(), to: startOfLocalDay(next, timeZone).getTime() };
}

/** 'Mon 23 Nov' for a 'YYYY-MM-DD' day. */
function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const isoWeekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
  return `${WEEKDAYS[isoWeekday - 1]} ${d} ${MONTHS_SHORT[m - 1]}`;
}

/**
 * A short English label for a period, e.g. "all time",
 * "this week (Mon 23 Nov – Sun 29 Nov)", "this month (November 2026)",
 * "this season" or "season Autumn 2026" when a season name is given.
 */
export function periodLabel(period: Period, now: Date, timeZone: string, seasonName?: string): string {
  switch (period) {
    case 'all':
      return 'all time';
    case 'season':
      return seasonName ? `season ${seasonName}` : 'this season';
    case 'week': {
      const monday = localMonday(now, timeZone);
      return `this week (${shortDay(monday)} – ${shortDay(addDays(monday, 6))})`;
    }
    case 'month': {
      const { year, month } = localParts(now, timeZone);
      return `this month (${MONTHS_LONG[month - 1]} ${year})`;
    }
  }
}
