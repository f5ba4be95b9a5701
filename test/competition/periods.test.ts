import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { dateLabel, dayRange, daysOf, periodLabel, periodRange } from '../../src/competition/periods.ts';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('periodRange', () => {
  const cases: { name: string; period: 'week' | 'month'; now: string; tz: string; from: string; to: string }[] = [
    {
      name: 'New York Sunday 23:30 local is still the previous week although UTC is Monday',
      period: 'week',
      now: '2026-11-30T04:30:00Z',
      tz: 'America/New_York',
      from: '2026-11-23T05:00:00.000Z',
      to: '2026-11-30T05:00:00.000Z',
    },
    {
      name: 'New York Monday 00:30 local starts the new week',
      period: 'week',
      now: '2026-11-30T05:30:00Z',
      tz: 'America/New_York',
      from: '2026-11-30T05:00:00.000Z',
      to: '2026-12-07T05:00:00.000Z',
    },
    {
      name: 'Tokyo Monday 00:30 local is the new week although UTC is still Sunday',
      period: 'week',
      now: '2026-11-29T15:30:00Z',
      tz: 'Asia/Tokyo',
      from: '2026-11-29T15:00:00.000Z',
      to: '2026-12-06T15:00:00.000Z',
    },
    {
      name: 'week in UTC runs Monday to Monday midnight UTC',
      period: 'week',
      now: '2026-11-25T12:00:00Z',
      tz: 'UTC',
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    },
    {
      name: 'Tokyo 1 April 00:30 local is April although UTC is still 31 March',
      period: 'month',
      now: '2026-03-31T15:30:00Z',
      tz: 'Asia/Tokyo',
      from: '2026-03-31T15:00:00.000Z',
      to: '2026-04-30T15:00:00.000Z',
    },
    {
      name: 'Tokyo 31 March 23:59 local is still March',
      period: 'month',
      now: '2026-03-31T14:59:00Z',
      tz: 'Asia/Tokyo',
      from: '2026-02-28T15:00:00.000Z',
      to: '2026-03-31T15:00:00.000Z',
    },
    {
      name: 'New York New Year\'s Eve 23:00 local is December, range ends at local New Year',
      period: 'month',
      now: '2027-01-01T04:00:00Z',
      tz: 'America/New_York',
      from: '2026-12-01T05:00:00.000Z',
      to: '2027-01-01T05:00:00.000Z',
    },
    {
      name: 'Asuncion October 2017 starts at 01:00 local because midnight was skipped by DST',
      period: 'month',
      now: '2017-10-15T12:00:00Z',
      tz: 'America/Asuncion',
      from: '2017-10-01T04:00:00.000Z',
      to: '2017-11-01T03:00:00.000Z',
    },
  ];
  it.each(cases)('$name', ({ period, now, tz, from, to }) => {
    const r = periodRange(period, new Date(now), tz);
    expect(iso(r.from)).toBe(from);
    expect(iso(r.to)).toBe(to);
    expect(r.from).toBeLessThanOrEqual(Date.parse(now));
    expect(r.to).toBeGreaterThan(Date.parse(now));
  });

  const dstWeeks: { name: string; now: string; tz: string; hours: number }[] = [
    { name: 'New York week with the spring-forward Sunday lasts 167 hours', now: '2026-03-04T12:00:00Z', tz: 'America/New_York', hours: 167 },
    { name: 'New York week with the fall-back Sunday lasts 169 hours', now: '2026-10-28T12:00:00Z', tz: 'America/New_York', hours: 169 },
    { name: 'London week with the spring-forward Sunday lasts 167 hours', now: '2026-03-25T12:00:00Z', tz: 'Europe/London', hours: 167 },
    { name: 'New York ordinary week lasts 168 hours', now: '2026-11-18T12:00:00Z', tz: 'America/New_York', hours: 168 },
  ];
  it.each(dstWeeks)('$name', ({ now, tz, hours }) => {
    const r = periodRange('week', new Date(now), tz);
    expect((r.to - r.from) / HOUR).toBe(hours);
  });

  it('New York March (with the DST change) lasts 31 days minus one hour', () => {
    const r = periodRange('month', new Date('2026-03-15T12:00:00Z'), 'America/New_York');
    expect((r.to - r.from) / HOUR).toBe(31 * 24 - 1);
  });
});

describe('dayRange', () => {
  it('Los Angeles 05:00 local is still the local day that began at 08:00 UTC the day before', () => {
    const r = dayRange(new Date('2026-11-27T13:00:00Z'), 'America/Los_Angeles');
    expect([iso(r.from), iso(r.to)]).toEqual(['2026-11-27T08:00:00.000Z', '2026-11-28T08:00:00.000Z']);
  });

  it('the day the clocks go back in New York lasts 25 hours', () => {
    const r = dayRange(new Date('2026-11-01T12:00:00Z'), 'America/New_York');
    expect([iso(r.from), (r.to - r.from) / HOUR]).toEqual(['2026-11-01T04:00:00.000Z', 25]);
  });
});

describe('periodLabel', () => {
  const cases: { name: string; period: 'all' | 'week' | 'month' | 'season'; now: string; tz: string; season?: string; want: string }[] = [
    { name: 'all time', period: 'all', now: '2026-11-25T12:00:00Z', tz: 'UTC', want: 'all time' },
    {
      name: 'week label uses the local week (New York Sunday night)',
      period: 'week',
      now: '2026-11-30T04:30:00Z',
      tz: 'America/New_York',
      want: 'this week (Mon 23 Nov – Sun 29 Nov)',
    },
    {
      name: 'week label across a month end',
      period: 'week',
      now: '2026-12-02T12:00:00Z',
      tz: 'Europe/Berlin',
      want: 'this week (Mon 30 Nov – Sun 6 Dec)',
    },
    { name: 'month label uses the local month (Tokyo)', period: 'month', now: '2026-03-31T15:30:00Z', tz: 'Asia/Tokyo', want: 'this month (April 2026)' },
    { name: 'season without a name', period: 'season', now: '2026-11-25T12:00:00Z', tz: 'UTC', want: 'this season' },
    { name: 'season with a name', period: 'season', now: '2026-11-25T12:00:00Z', tz: 'UTC', season: 'Autumn 2026', want: 'season Autumn 2026' },
  ];
  it.each(cases)('$name', ({ period, now, tz, season, want }) => {
    expect(periodLabel(period, new Date(now), tz, season)).toBe(want);
  });
});

describe('a week and a month asked again and again', () => {
  /** Worked out from scratch, without the bot's code: the period's first day and the day after it, local. */
  function expected(period: 'week' | 'month', ms: number, tz: string) {
    const today = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate();
    const first = period === 'week' ? today.subtract({ days: today.dayOfWeek - 1 }) : today.with({ day: 1 });
    const next = period === 'week' ? first.add({ days: 7 }) : first.add({ months: 1 });
    const start = (day: Temporal.PlainDate) => day.toZonedDateTime(tz).startOfDay().epochMilliseconds;
    const short = (day: Temporal.PlainDate) => `${day.toLocaleString('en-US', { weekday: 'short' })} ${day.day} ${day.toLocaleString('en-US', { month: 'short' })}`;
    const label = period === 'week' ? `this week (${short(first)} – ${short(next.subtract({ days: 1 }))})` : `this month (${first.toLocaleString('en-US', { month: 'long' })} ${first.year})`;
    const days: string[] = [];
    for (let day = first; Temporal.PlainDate.compare(day, next) < 0; day = day.add({ days: 1 })) days.push(day.toString());
    return { range: { from: start(first), to: start(next) }, label, days };
  }

  it.each([
    { tz: 'America/New_York', from: '2026-02-20T00:00:00Z' }, // clocks forward on Sunday 8 March
    { tz: 'Europe/Paris', from: '2026-10-10T00:00:00Z' }, // clocks back on Sunday 25 October
    { tz: 'America/Santiago', from: '2026-08-25T00:00:00Z' }, // midnight skipped on Sunday 6 September
  ])('$tz: hour by hour over six weeks, forwards then backwards, each range, label and list of days is the one worked out afresh', ({ tz, from }) => {
    const hours = Array.from({ length: 6 * 7 * 24 }, (_, h) => Date.parse(from) + h * HOUR + 17 * 60_000);
    for (const ms of [...hours, ...hours.reverse()]) {
      for (const period of ['week', 'month'] as const) {
        const want = expected(period, ms, tz);
        const range = periodRange(period, new Date(ms), tz);
        expect({ range, label: periodLabel(period, new Date(ms), tz), days: daysOf(range, tz) }).toEqual(want);
      }
    }
  });

  it('a range given out is a copy: changing it changes no later answer', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const range = periodRange('week', now, 'UTC');
    range.from = 0;
    expect(periodRange('week', now, 'UTC').from).toBe(Date.parse('2026-11-23T00:00:00Z'));
  });
});

describe('dateLabel', () => {
  it.each([
    ['2026-12-02', '2 Dec 2026'],
    ['2026-11-27', '27 Nov 2026'],
    ['2027-01-31', '31 Jan 2027'],
    ['2028-02-29', '29 Feb 2028'],
  ])('writes %s as %s', (day, label) => {
    expect(dateLabel(day)).toBe(label);
  });
});
