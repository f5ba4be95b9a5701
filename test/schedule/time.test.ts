import { describe, expect, it } from 'vitest';
import {
  addDays,
  canonicalTimeZone,
  formatTimeOfDay,
  isDay,
  localDay,
  parseTimeOfDay,
  startOfLocalDay,
  timeZoneNames,
  zoned,
  zonedInstant,
} from '../../src/schedule/time.ts';

describe('parseTimeOfDay', () => {
  it.each([
    ['09:30', 9, 30],
    ['9:30', 9, 30],
    ['0:00', 0, 0],
    ['00:00', 0, 0],
    ['23:59', 23, 59],
    ['12:00', 12, 0],
    [' 07:05 ', 7, 5],
    ['0930', 9, 30],
    ['2359', 23, 59],
    ['8:30', 8, 30],
    ['8:30am', 8, 30],
    ['8:30 am', 8, 30],
    ['8:30 pm', 20, 30],
    ['8:30PM', 20, 30],
    ['8 am', 8, 0],
    ['9pm', 21, 0],
    ['12:15 a.m.', 0, 15],
    ['12am', 0, 0],
    ['12pm', 12, 0],
    ['11:59 p.m.', 23, 59],
  ])('accepts %j as %i:%i', (text, hour, minute) => {
    expect(parseTimeOfDay(text)).toEqual({ ok: true, value: { hour, minute } });
  });

  it.each(['24:00', '25:00', '12:60', '13:00pm', '0am', '0:30am', '12:60pm', '8:30 xm', 'am', '9', '930', '9:5', '', '  ', '09:30:00', '-1:00', '09.30', '09h30', '12:3a', '２３:００', '2400', '12345'])(
    'rejects %j as invalid-time',
    (text) => {
      expect(parseTimeOfDay(text)).toEqual({ ok: false, error: 'invalid-time' });
    },
  );
});

describe('formatTimeOfDay', () => {
  it.each([
    [{ hour: 9, minute: 5 }, '09:05'],
    [{ hour: 0, minute: 0 }, '00:00'],
    [{ hour: 23, minute: 59 }, '23:59'],
  ])('formats %j as %s', (t, text) => {
    expect(formatTimeOfDay(t)).toBe(text);
  });

  it('round-trips with parseTimeOfDay', () => {
    const parsed = parseTimeOfDay('7:45');
    expect(parsed.ok && formatTimeOfDay(parsed.value)).toBe('07:45');
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/paris', 'Europe/Paris'],
    ['  EUROPE/PARIS ', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['america/new_york', 'America/New_York'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['US/Eastern', 'America/New_York'],
    ['pacific/auckland', 'Pacific/Auckland'],
    ['Australia/Lord_Howe', 'Australia/Lord_Howe'],
    ['etc/gmt+5', 'Etc/GMT+5'],
  ])('canonicalises %j to %s', (input, name) => {
    expect(canonicalTimeZone(input)).toBe(name);
  });

  it.each(['', ' ', 'Mars/Olympus', 'Europe/Pariss', '+05:30', '-0500', 'GMT+1', 'Paris', '05:30'])('rejects %j', (input) => {
    expect(canonicalTimeZone(input)).toBeUndefined();
  });
});

describe('timeZoneNames', () => {
  const names = timeZoneNames();

  it('lists UTC, common zones and current spellings of renamed zones', () => {
    for (const name of ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'Europe/Kyiv']) {
      expect(names).toContain(name);
    }
    expect(names.length).toBeGreaterThan(300);
  });

  it('is sorted, without duplicates, and every name is valid and canonical', () => {
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(canonicalTimeZone(name)).toBe(name);
  });

  it('returns a copy', () => {
    timeZoneNames().pop();
    expect(timeZoneNames()).toEqual(names);
  });
});

describe('localDay / zoned', () => {
  it.each([
    // A UTC instant that is already tomorrow in Auckland (NZDT, +13).
    ['2026-03-10T12:00:00Z', 'UTC', '2026-03-10'],
    ['2026-03-10T12:00:00Z', 'Pacific/Auckland', '2026-03-11'],
    ['2026-03-10T10:59:59Z', 'Pacific/Auckland', '2026-03-10'],
    ['2026-03-10T11:00:00Z', 'Pacific/Auckland', '2026-03-11'],
    // Still yesterday in New York (EDT, -4).
    ['2026-03-10T03:00:00Z', 'America/New_York', '2026-03-09'],
    ['2026-03-10T04:00:00Z', 'America/New_York', '2026-03-10'],
    // Kolkata's half-hour offset (+05:30).
    ['2026-03-10T18:29:00Z', 'Asia/Kolkata', '2026-03-10'],
    ['2026-03-10T18:30:00Z', 'Asia/Kolkata', '2026-03-11'],
    ['2026-03-10T22:59:00Z', 'Europe/Paris', '2026-03-10'],
    ['2026-03-10T23:00:00Z', 'Europe/Paris', '2026-03-11'],
    ['2026-12-31T23:30:00Z', 'Asia/Kolkata', '2027-01-01'],
  ])('%s in %s is local day %s', (iso, tz, day) => {
    expect(localDay(new Date(iso), tz)).toBe(day);
  });

  it('gives every instant its own day when asked about one day after another, across DST changes and skipped midnights', () => {
    // Santiago skips midnight when summer time starts (2026-09-06 begins at 01:00) and repeats 23:00 when it ends;
    // Lord Howe moves by half an hour; Kolkata has none. Instants every 20 minutes, forwards then backwards.
    const zones = ['America/Santiago', 'Australia/Lord_Howe', 'America/New_York', 'Asia/Kolkata', 'UTC'];
    const starts = ['2026-04-03T00:00:00Z', '2026-09-04T00:00:00Z', '2026-10-02T00:00:00Z', '2026-11-29T00:00:00Z'];
    const fresh = (at: number, tz: string) => zoned(at, tz).toPlainDate().toString();
    for (const tz of zones) {
      for (const from of starts) {
        const instants = Array.from({ length: 4 * 72 }, (_, i) => Date.parse(from) + i * 20 * 60_000);
        for (const at of [...instants, ...instants.reverse()]) expect([tz, new Date(at).toISOString(), localDay(new Date(at), tz)]).toEqual([tz, new Date(at).toISOString(), fresh(at, tz)]);
      }
    }
    expect(localDay(new Date('2026-09-06T03:59:59.999Z'), 'America/Santiago')).toBe('2026-09-05');
    expect(localDay(new Date('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe('2026-09-06');
    expect(localDay(new Date('2026-09-06T03:59:59.999Z'), 'America/Santiago')).toBe('2026-09-05');
  });

  it('gives the wall clock with a 0-23 hour and an ISO weekday', () => {
    const wall = (iso: string, tz: string) => {
      const { year, month, day, hour, minute, second, dayOfWeek } = zoned(new Date(iso), tz);
      return { year, month, day, hour, minute, second, weekday: dayOfWeek };
    };
    expect(wall('2026-03-09T04:00:00Z', 'America/New_York')).toEqual({
      year: 2026, month: 3, day: 9, hour: 0, minute: 0, second: 0, weekday: 1,
    });
    expect(wall('2026-03-08T23:15:42Z', 'Asia/Kolkata')).toEqual({
      year: 2026, month: 3, day: 9, hour: 4, minute: 45, second: 42, weekday: 1,
    });
    expect(wall('2026-03-08T12:00:00Z', 'UTC').weekday).toBe(7);
    expect(wall('2026-03-14T12:00:00Z', 'UTC').weekday).toBe(6);
  });
});

describe('addDays / isDay', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-08', 0, '2026-03-08'],
    ['2026-01-31', 31, '2026-03-03'],
  ])('%s + %i days = %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it('tells real days from other text', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-3-1')).toBe(false);
    expect(isDay('yesterday')).toBe(false);
  });
});

describe('zonedInstant', () => {
  it.each([
    // Ordinary days, winter and summer.
    ['UTC', '2026-06-15', '09:00', '2026-06-15T09:00:00.000Z'],
    ['Europe/Paris', '2026-01-15', '09:00', '2026-01-15T08:00:00.000Z'],
    ['Europe/Paris', '2026-07-15', '09:00', '2026-07-15T07:00:00.000Z'],
    ['America/New_York', '2026-01-15', '09:00', '2026-01-15T14:00:00.000Z'],
    ['America/New_York', '2026-07-15', '09:00', '2026-07-15T13:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-15', '09:00', '2026-01-15T03:30:00.000Z'],
    ['Asia/Kolkata', '2026-01-15', '03:00', '2026-01-14T21:30:00.000Z'],
    ['Pacific/Auckland', '2026-01-15', '09:00', '2026-01-14T20:00:00.000Z'],
    ['Pacific/Auckland', '2026-07-15', '09:00', '2026-07-14T21:00:00.000Z'],
    ['Australia/Lord_Howe', '2026-01-15', '09:00', '2026-01-14T22:00:00.000Z'],
    ['Australia/Lord_Howe', '2026-07-15', '09:00', '2026-07-14T22:30:00.000Z'],
  ])('%s, %s at %s is %s', (tz, day, time, iso) => {
    expect(zonedInstant(day, t(time), tz).toISOString()).toBe(iso);
  });

  it.each([
    // Spring forward: 02:00-02:59 do not exist; they move forward by the gap (one hour).
    ['America/New_York', '2026-03-08', '01:59', '2026-03-08T06:59:00.000Z', '01:59'],
    ['America/New_York', '2026-03-08', '02:00', '2026-03-08T07:00:00.000Z', '03:00'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z', '03:30'],
    ['America/New_York', '2026-03-08', '03:00', '2026-03-08T07:00:00.000Z', '03:00'],
    ['America/New_York', '2026-03-08', '03:30', '2026-03-08T07:30:00.000Z', '03:30'],
    ['Europe/Paris', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z', '03:30'],
    ['Europe/Paris', '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', '03:00'],
    ['Pacific/Auckland', '2026-09-27', '02:30', '2026-09-26T14:30:00.000Z', '03:30'],
    // Lord Howe's gap is 30 minutes: 02:15 becomes 02:45.
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:45:00.000Z', '02:45'],
    // Santiago skips midnight: 00:00 becomes 01:00.
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06T04:00:00.000Z', '01:00'],
  ])('%s on spring-forward day %s: %s is %s (%s local)', (tz, day, time, iso, wall) => {
    const at = zonedInstant(day, t(time), tz);
    expect(at.toISOString()).toBe(iso);
    expect(localDay(at, tz)).toBe(day);
    const p = zoned(at, tz);
    expect(formatTimeOfDay(p)).toBe(wall);
  });

  it.each([
    // Fall back: the repeated hour means its first occurrence (summer time).
    ['America/New_York', '2026-11-01', '00:59', '2026-11-01T04:59:00.000Z'],
    ['America/New_York', '2026-11-01', '01:00', '2026-11-01T05:00:00.000Z'],
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
    ['America/New_York', '2026-11-01', '02:00', '2026-11-01T07:00:00.000Z'],
    ['Europe/Paris', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z'],
    ['Europe/Paris', '2026-10-25', '03:00', '2026-10-25T02:00:00.000Z'],
    ['Pacific/Auckland', '2026-04-05', '02:30', '2026-04-04T13:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
  ])('%s on fall-back day %s: %s is %s', (tz, day, time, iso) => {
    const at = zonedInstant(day, t(time), tz);
    expect(at.toISOString()).toBe(iso);
    expect(formatTimeOfDay(zoned(at, tz))).toBe(time);
  });

  it('gives the instant that reads back as the same wall time on every minute of an ordinary day', () => {
    for (let m = 0; m < 24 * 60; m += 7) {
      const time = { hour: Math.floor(m / 60), minute: m % 60 };
      for (const tz of ['Asia/Kolkata', 'Pacific/Auckland', 'America/New_York']) {
        const at = zonedInstant('2026-05-20', time, tz);
        expect(localDay(at, tz)).toBe('2026-05-20');
        expect(formatTimeOfDay(zoned(at, tz))).toBe(formatTimeOfDay(time));
      }
    }
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['UTC', '2026-03-08', '2026-03-08T00:00:00.000Z'],
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00.000Z'],
    ['Europe/Paris', '2026-03-29', '2026-03-28T23:00:00.000Z'],
    ['Pacific/Auckland', '2026-03-11', '2026-03-10T11:00:00.000Z'],
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'],
  ])('%s: %s starts at %s', (tz, day, iso) => {
    const start = startOfLocalDay(day, tz);
    expect(start.toISOString()).toBe(iso);
    expect(localDay(start, tz)).toBe(day);
    expect(localDay(new Date(start.getTime() - 1000), tz)).toBe(addDays(day, -1));
  });
});

function t(text: string): { hour: number; minute: number } {
  const parsed = parseTimeOfDay(text);
  if (!parsed.ok) throw new Error(`bad time in test: ${text}`);
  return parsed.value;
}
