import { describe, expect, it } from 'vitest';
import { readTimeZone, zoneInputMessage } from '../../src/schedule/zone-input.ts';

describe('reading a typed time zone', () => {
  it.each<[string, string, 'name' | 'city']>([
    ['Europe/Paris', 'Europe/Paris', 'name'],
    ['europe/paris', 'Europe/Paris', 'name'],
    ['UTC', 'UTC', 'name'],
    ['utc', 'UTC', 'name'],
    ['US/Eastern', 'America/New_York', 'name'],
    ['Paris', 'Europe/Paris', 'city'],
    [' paris ', 'Europe/Paris', 'city'],
    ['New York', 'America/New_York', 'city'],
    ['new_york', 'America/New_York', 'city'],
    ['Kolkata', 'Asia/Kolkata', 'city'],
    ['Buenos Aires', 'America/Argentina/Buenos_Aires', 'city'],
  ])('%j is %s (from a %s)', (typed, zone, from) => {
    expect(readTimeZone(typed)).toEqual({ ok: true, zone, from });
  });

  it.each<[string, 'abbreviation' | 'unknown', string[]]>([
    ['CET', 'abbreviation', ['Europe/Paris', 'Europe/Berlin', 'Europe/Madrid']],
    ['cest', 'abbreviation', ['Europe/Paris', 'Europe/Berlin', 'Europe/Madrid']],
    ['EST', 'abbreviation', ['America/New_York', 'America/Toronto']],
    ['IST', 'abbreviation', ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem']],
    ['GMT', 'abbreviation', ['Europe/London', 'UTC']],
    ['Pariss', 'unknown', ['Europe/Paris']],
    ['europe/pariss', 'unknown', ['Europe/Paris']],
    ['Mars/Olympus', 'unknown', []],
    ['+05:30', 'unknown', []],
    ['', 'unknown', []],
  ])('%j is refused (%s) with suggestions %j', (typed, reason, suggestions) => {
    expect(readTimeZone(typed)).toEqual({ ok: false, reason, suggestions });
  });

  it.each<[string, RegExp]>([
    ['CET', /^"CET" is an abbreviation.*such as `Europe\/Paris`, `Europe\/Berlin` or `Europe\/Madrid`\.$/],
    ['Pariss', /^"Pariss" is not a time zone I know\. Did you mean `Europe\/Paris`\? /],
    ['Mars/Olympus', /^"Mars\/Olympus" is not a time zone I know\. Use a city/],
  ])('the message for %j', (typed, message) => {
    const result = readTimeZone(typed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(zoneInputMessage(typed, result)).toMatch(message);
  });
});
