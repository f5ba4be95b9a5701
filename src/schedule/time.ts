/**
 * Time-zone helpers for daily drops, built on Intl.DateTimeFormat (full ICU
 * data in Node 20). Days are plain 'YYYY-MM-DD' strings in a given zone;
 * instants are Dates. Nothing here reads the clock.
 */

export type TimeOfDay = { hour: number; minute: number };

export type ParseTimeResult = { ok: true; value: TimeOfDay } | { ok: false; error: 'invalid-time' };

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Reads a 24-hour time of day. Accepted: 'H:MM' and 'HH:MM' ('9:30', '09:30',
 * '23:59', '0:00'), and four digits without a colon ('0930'). Surrounding
 * spaces are ignored. Anything else is rejected: '24:00', '12:60', '9am',
 * '9', '930', '9:5', ''.
 */
export function parseTimeOfDay(text: string): ParseTimeResult {
  const match = /^(?:(\d{1,2}):(\d{2})|(\d{2})(\d{2}))$/.exec(text.trim());
  if (!match) return { ok: false, error: 'invalid-time' };
  const hour = Number(match[1] ?? match[3]);
  const minute = Number(match[2] ?? match[4]);
  if (hour > 23 || minute > 59) return { ok: false, error: 'invalid-time' };
  return { ok: true, value: { hour, minute } };
}

/** '09:30'. */
export function formatTimeOfDay(t: TimeOfDay): string {
  return `${pad2(t.hour)}:${pad2(t.minute)}`;
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

let namesCache: string[] | undefined;
let namesByLowerCase: Map<string, string> | undefined;

/** Every time-zone name offered to users: ICU's list, 'UTC' and current spellings of renamed zones; sorted, no duplicates. */
export function timeZoneNames(): string[] {
  if (!namesCache) {
    const names = new Set<string>(['UTC', ...Intl.supportedValuesOf('timeZone')]);
    for (const name of MODERN_NAMES) if (resolveTimeZone(name) !== undefined) names.add(name);
    namesCache = [...names].sort();
  }
  return [...namesCache];
}

/**
 * The properly spelt name of a time zone, or undefined when Intl does not know
 * it. Case is fixed ('europe/paris' -> 'Europe/Paris', 'utc' -> 'UTC'), the
 * name the user chose is kept when it is a listed one ('Asia/Kolkata' stays),
 * and other aliases become ICU's name ('US/Eastern' -> 'America/New_York').
 * Only named zones are accepted: offsets such as '+05:30' are not.
 */
export function canonicalTimeZone(tz: string): string | undefined {
  const name = tz.trim();
  if (name === '' || !/^[A-Za-z]/.test(name)) return undefined;
  const resolved = resolveTimeZone(name);
  if (resolved === undefined) return undefined;
  if (!namesByLowerCase) {
    namesByLowerCase = new Map(timeZoneNames().map((n) => [n.toLowerCase(), n]));
  }
  return namesByLowerCase.get(name.toLowerCase()) ?? resolved;
}

export function isValidTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) !== undefined;
}

function resolveTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock reading in `tz` at `instant`. Throws a RangeError for an unknown zone (validate user input first). */
export function localParts(instant: Date, tz: string): LocalParts {
  const values: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const year = values.year ?? 0;
  const month = values.month ?? 1;
  const day = values.day ?? 1;
  // Day of week from the calendar date itself (1970-01-01 was a Thursday).
  const daysSinceEpoch = Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
  const weekday = ((((daysSinceEpoch + 3) % 7) + 7) % 7) + 1;
  return {
    year,
    month,
    day,
    hour: (values.hour ?? 0) % 24,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
    weekday,
  };
}

/** The calendar day in `tz` at `instant`, as 'YYYY-MM-DD'. */
export function localDay(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return formatDay(p.year, p.month, p.day);
}

/** 'YYYY-MM-DD' plus `n` days (n may be negative). */
export function addDays(day: string, n: number): string {
  const { year, month, day: d } = parseDay(day);
  const t = new Date(Date.UTC(year, month - 1, d + n));
  return formatDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Whether `text` is a real calendar day written 'YYYY-MM-DD'. */
export function isDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const { year, month, day } = parseDay(text);
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

/**
 * The instant at which the wall clock in `tz` reads `time` on `day`.
 *
 * Daylight-saving rules (the same as RFC 5545 and Temporal's 'compatible'):
 * - A time that occurs twice (a fall-back day) means its first occurrence:
 *   01:30 on 2026-11-01 in New York is 01:30 EDT (05:30Z), not 01:30 EST.
 * - A time that does not exist (a spring-forward day) is read with the
 *   offset in force before the gap, so it moves forward by the gap's length:
 *   02:30 on 2026-03-08 in New York is 03:30 EDT (07:30Z); 02:30 on
 *   2026-03-29 in Paris is 03:30 CEST. Distinct times stay distinct and in order.
 */
export function zonedInstant(day: string, time: TimeOfDay, tz: string): Date {
  const key = `${tz} ${day} ${time.hour}:${time.minute}`;
  let ms = zonedCache.get(key);
  if (ms === undefined) {
    ms = computeZonedInstant(day, time, tz);
    if (zonedCache.size >= ZONED_CACHE_SIZE) zonedCache.clear();
    zonedCache.set(key, ms);
  }
  return new Date(ms);
}

/** Recent answers of `zonedInstant` (a pure function of its arguments): every tick asks for today's drop time again. */
const zonedCache = new Map<string, number>();
const ZONED_CACHE_SIZE = 10_000;

function computeZonedInstant(day: string, time: TimeOfDay, tz: string): number {
  const { year, month, day: d } = parseDay(day);
  const wall = Date.UTC(year, month - 1, d, time.hour, time.minute);
  // Offsets in force around that wall time (no zone changes twice within two days).
  const offsets = new Set([offsetAt(wall - DAY_MS, tz), offsetAt(wall, tz), offsetAt(wall + DAY_MS, tz)]);
  const candidates = [...offsets].map((o) => wall - o);
  const exact = candidates.filter((t) => wallClockMs(t, tz) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the offset before it is the smaller one, giving the latest candidate.
  return Math.max(...candidates);
}

/** The first instant of `day` in `tz` (01:00 where midnight itself is skipped). */
export function startOfLocalDay(day: string, tz: string): Date {
  return zonedInstant(day, { hour: 0, minute: 0 }, tz);
}

/** Rounds an epoch-ms instant down to the start of its minute. */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The wall-clock reading of `tz` at `instant`, as if it were a UTC epoch-ms value (seconds kept, ms dropped). */
function wallClockMs(instant: number, tz: string): number {
  const p = localParts(new Date(instant), tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** UTC offset of `tz` at `instant`, in ms (east positive). */
function offsetAt(instant: number, tz: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, tz) - whole;
}

function parseDay(day: string): { year: number; month: number; day: number } {
  const [y, m, d] = day.split('-').map(Number);
  return { year: y ?? NaN, month: m ?? NaN, day: d ?? NaN };
}

function formatDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
