/**
 * Time-zone helpers for daily drops and leaderboard periods, built on
 * Temporal (temporal-polyfill, over Intl's full ICU data in Node 20). Days are
 * plain 'YYYY-MM-DD' strings in a given zone; instants are Dates. Nothing here
 * reads the clock.
 */
import { Temporal } from 'temporal-polyfill';

export type TimeOfDay = { hour: number; minute: number };

export type ParseTimeResult = { ok: true; value: TimeOfDay } | { ok: false; error: 'invalid-time' };

const MINUTE_MS = 60_000;

/**
 * Reads a time of day. Accepted: 'H:MM' and 'HH:MM' ('9:30', '09:30',
 * '23:59', '0:00'), four digits without a colon ('0930'), and 12-hour times
 * with am/pm, with or without a space or dots ('8:30am', '8:30 pm', '8 AM',
 * '12:15 a.m.' is 00:15, '12pm' is 12:00). Surrounding spaces are ignored.
 * Anything else is rejected: '24:00', '12:60', '13:00pm', '0am', '9', '930',
 * '9:5', ''.
 */
export function parseTimeOfDay(text: string): ParseTimeResult {
  const trimmed = text.trim();
  const twelve = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/i.exec(trimmed);
  if (twelve) {
    const hour12 = Number(twelve[1]);
    const minute = Number(twelve[2] ?? 0);
    if (hour12 < 1 || hour12 > 12 || minute > 59) return { ok: false, error: 'invalid-time' };
    const pm = (twelve[3] as string).toLowerCase() === 'p';
    return { ok: true, value: { hour: (hour12 % 12) + (pm ? 12 : 0), minute } };
  }
  const match = /^(?:(\d{1,2}):(\d{2})|(\d{2})(\d{2}))$/.exec(trimmed);
  if (!match) return { ok: false, error: 'invalid-time' };
  const hour = Number(match[1] ?? match[3]);
  const minute = Number(match[2] ?? match[4]);
  if (hour > 23 || minute > 59) return { ok: false, error: 'invalid-time' };
  return { ok: true, value: { hour, minute } };
}

/** '09:30'. */
export function formatTimeOfDay(t: TimeOfDay): string {
  return Temporal.PlainTime.from({ hour: t.hour, minute: t.minute }).toString({ smallestUnit: 'minute' });
}

/**
 * Current IANA names that ICU still lists under an older spelling
 * (it lists 'Asia/Calcutta', not 'Asia/Kolkata'). Offered alongside the ICU
 * list so people find the name they know.
 */
const MODERN_NAMES = [
  'Africa/Asmara',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Catamarca',
  'America/Argentina/Cordoba',
  'America/Argentina/Jujuy',
  'America/Argentina/Mendoza',
  'America/Atikokan',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Nuuk',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Atlantic/Faroe',
  'Europe/Kyiv',
  'Pacific/Chuuk',
  'Pacific/Kanton',
  'Pacific/Pohnpei',
];

/**
 * Every time-zone name offered to users: ICU's list, 'UTC' and the current spellings of renamed
 * zones; sorted. Made on first use: checking the renamed zones takes tens of milliseconds,
 * which start-up need not wait for.
 */
let listedNames: { readonly sorted: readonly string[]; readonly set: ReadonlySet<string> } | undefined;

function listed(): NonNullable<typeof listedNames> {
  if (!listedNames) {
    const sorted = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone'), ...MODERN_NAMES.filter((name) => temporalZoneId(name) !== undefined)])].sort();
    listedNames = { sorted, set: new Set(sorted) };
  }
  return listedNames;
}

/** Every time-zone name offered to users: ICU's list, 'UTC' and current spellings of renamed zones; sorted, no duplicates. */
export function timeZoneNames(): string[] {
  return [...listed().sorted];
}

/**
 * The properly spelt name of a time zone, or undefined when it is not known.
 * Case is fixed ('europe/paris' -> 'Europe/Paris', 'utc' -> 'UTC'), the
 * name the user chose is kept when it is a listed one ('Asia/Kolkata' stays),
 * and other aliases become ICU's name ('US/Eastern' -> 'America/New_York').
 * Only named zones are accepted: offsets such as '+05:30' are not.
 */
export function canonicalTimeZone(tz: string): string | undefined {
  const name = tz.trim();
  if (!/^[A-Za-z]/.test(name)) return undefined;
  const id = temporalZoneId(name);
  if (id === undefined) return undefined;
  return listed().set.has(id) ? id : new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone;
}

/** Temporal's case-normalised spelling of a zone name, or undefined when it knows no such zone. */
function temporalZoneId(name: string): string | undefined {
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId;
  } catch {
    return undefined;
  }
}

/** `instant` as a date and wall-clock time in `tz`. Throws a RangeError for an unknown zone. */
export function zoned(instant: Date | number, tz: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(typeof instant === 'number' ? instant : instant.getTime()).toZonedDateTimeISO(tz);
}

/** The last day `localDay` worked out in each zone, with the instants it spans: most calls ask about the same day again. */
const lastDays = new Map<string, { readonly start: number; readonly end: number; readonly day: string }>();

/** The calendar day in `tz` at `instant`, as 'YYYY-MM-DD'. */
export function localDay(instant: Date, tz: string): string {
  const ms = instant.getTime();
  const last = lastDays.get(tz);
  if (last !== undefined && ms >= last.start && ms < last.end) return last.day;
  const date = zoned(ms, tz).toPlainDate();
  // From the day's first instant (01:00 where midnight is skipped) to the next day's.
  const start = date.toZonedDateTime(tz).epochMilliseconds;
  const end = date.add({ days: 1 }).toZonedDateTime(tz).epochMilliseconds;
  const day = date.toString();
  lastDays.set(tz, { start, end, day });
  return day;
}

/** 'YYYY-MM-DD' plus `n` days (n may be negative). */
export function addDays(day: string, n: number): string {
  return Temporal.PlainDate.from(day).add({ days: n }).toString();
}

/** The calendar day written `text` ('YYYY-MM-DD'), or undefined when it is not a real day in that form. */
export function plainDay(text: string): Temporal.PlainDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}

/** Whether `text` is a real calendar day written 'YYYY-MM-DD'. */
export function isDay(text: string): boolean {
  return plainDay(text) !== undefined;
}

/**
 * The instant at which the wall clock in `tz` reads `time` on `day`.
 *
 * Daylight-saving rules (Temporal's 'compatible', the same as RFC 5545):
 * - A time that occurs twice (a fall-back day) means its first occurrence:
 *   01:30 on 2026-11-01 in New York is 01:30 EDT (05:30Z), not 01:30 EST.
 * - A time that does not exist (a spring-forward day) is read with the
 *   offset in force before the gap, so it moves forward by the gap's length:
 *   02:30 on 2026-03-08 in New York is 03:30 EDT (07:30Z); 02:30 on
 *   2026-03-29 in Paris is 03:30 CEST. Distinct times stay distinct and in order.
 */
export function zonedInstant(day: string, time: TimeOfDay, tz: string): Date {
  const wall = Temporal.PlainDate.from(day).toPlainDateTime({ hour: time.hour, minute: time.minute });
  return new Date(wall.toZonedDateTime(tz, { disambiguation: 'compatible' }).epochMilliseconds);
}

/** The first instant of `day` in `tz` (01:00 where midnight itself is skipped). */
export function startOfLocalDay(day: string, tz: string): Date {
  return new Date(Temporal.PlainDate.from(day).toZonedDateTime(tz).startOfDay().epochMilliseconds);
}

/** Rounds an epoch-ms instant down to the start of its minute. */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
