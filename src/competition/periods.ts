/**
 * Leaderboard periods in the server's time zone: the current ISO week
 * (Monday 00:00 to next Monday 00:00, local) and the current calendar month.
 * Ranges are half-open [from, to) in epoch ms and follow DST changes, so a
 * week may last 167 or 169 hours.
 */
import { Temporal } from 'temporal-polyfill';
import { addDays, localDay, zoned } from '../schedule/time.ts';
import type { Period, TimeRange } from './types.ts';

export type { Period, TimeRange } from './types.ts';

/** The first day of the week or month holding `now` in `timeZone`, and the first day after it. */
function periodDays(period: 'week' | 'month', now: Date, timeZone: string): { first: Temporal.PlainDate; next: Temporal.PlainDate } {
  const today = zoned(now, timeZone).toPlainDate();
  if (period === 'week') {
    const monday = today.subtract({ days: today.dayOfWeek - 1 });
    return { first: monday, next: monday.add({ weeks: 1 }) };
  }
  const first = today.with({ day: 1 });
  return { first, next: first.add({ months: 1 }) };
}

/**
 * The current week (ISO: Monday 00:00 local to the next Monday 00:00 local)
 * or calendar month in `timeZone`, as a half-open range of epoch ms.
 * Where local midnight is skipped by a DST change, the range starts when the clocks jump.
 */
export function periodRange(period: 'week' | 'month', now: Date, timeZone: string): TimeRange {
  return { ...currentPeriod(period, now, timeZone).range };
}

/** Each zone's week and month as last worked out, with their labels: boards ask for the same one again and again. */
const lastPeriods = new Map<string, { readonly range: Readonly<TimeRange>; readonly label: string }>();

/** The week or month holding `now` in `timeZone`, and its label; worked out again only when `now` is outside the one last worked out. */
function currentPeriod(period: 'week' | 'month', now: Date, timeZone: string): { readonly range: Readonly<TimeRange>; readonly label: string } {
  const key = `${period} ${timeZone}`;
  const ms = now.getTime();
  const last = lastPeriods.get(key);
  if (last !== undefined && ms >= last.range.from && ms < last.range.to) return last;
  const { first, next } = periodDays(period, now, timeZone);
  const start = (day: Temporal.PlainDate) => day.toZonedDateTime(timeZone).startOfDay().epochMilliseconds;
  const range = { from: start(first), to: start(next) };
  let label: string;
  if (period === 'week') {
    label = `this week (${shortDay(first)} – ${shortDay(next.subtract({ days: 1 }))})`;
  } else {
    const { month, year } = dayNames(first, { month: 'long', year: 'numeric' });
    label = `this month (${month} ${year})`;
  }
  const worked = { range, label };
  lastPeriods.set(key, worked);
  return worked;
}

/** Today in `timeZone` (local midnight to the next local midnight), as a half-open range of epoch ms; 23 or 25 hours on a DST change. */
export function dayRange(now: Date, timeZone: string): TimeRange {
  const today = zoned(now, timeZone).toPlainDate();
  const start = (day: Temporal.PlainDate) => day.toZonedDateTime(timeZone).startOfDay().epochMilliseconds;
  return { from: start(today), to: start(today.add({ days: 1 })) };
}

/** Formatters by their options: making one costs far more than formatting with it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Names of a calendar day, in English ('Mon', '23', 'Nov', 'November', '2026'). */
function dayNames(day: Temporal.PlainDate, options: Intl.DateTimeFormatOptions): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  const key = JSON.stringify(options);
  let format = dayFormats.get(key);
  if (!format) dayFormats.set(key, (format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' })));
  const parts = format.formatToParts(day.toZonedDateTime('UTC').epochMilliseconds);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** 'Mon 23 Nov'. */
function shortDay(day: Temporal.PlainDate): string {
  const { weekday, day: date, month } = dayNames(day, { weekday: 'short', day: 'numeric', month: 'short' });
  return `${weekday} ${date} ${month}`;
}

/** A calendar day ('YYYY-MM-DD') as people write it: '2 Dec 2026'. */
export function dateLabel(day: string): string {
  const { day: date, month, year } = dayNames(Temporal.PlainDate.from(day), { day: 'numeric', month: 'short', year: 'numeric' });
  return `${date} ${month} ${year}`;
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
    case 'week':
    case 'month':
      return currentPeriod(period, now, timeZone).label;
  }
}

/** The days of the ranges last asked about: the same few (this week and month of each zone) are asked again and again. */
const rangeDays = new Map<string, readonly string[]>();

/**
 * The local days ('YYYY-MM-DD' in `timeZone`) that a range touches, in order:
 * 7 for a week, 28–31 for a month. Empty for an empty range.
 */
export function daysOf(range: TimeRange, timeZone: string): readonly string[] {
  if (range.to <= range.from) return [];
  const key = `${range.from} ${range.to} ${timeZone}`;
  let days = rangeDays.get(key);
  if (!days) {
    const last = localDay(new Date(range.to - 1), timeZone);
    const list: string[] = [];
    for (let day = localDay(new Date(range.from), timeZone); day <= last; day = addDays(day, 1)) list.push(day);
    if (rangeDays.size >= 256) rangeDays.clear();
    rangeDays.set(key, (days = Object.freeze(list)));
  }
  return days;
}
