/**
 * What a teacher types as a time zone, read kindly but never guessed
 * silently. Pure.
 *
 * - An IANA name in any case (`europe/paris`) is the zone.
 * - A city (`Paris`, `new york`, `Kolkata`) that is the city of exactly one
 *   zone is that zone; a near miss (`Pariss`) or a city of several zones is
 *   answered with suggestions ("Did you mean …?").
 * - Abbreviations (`CET`, `EST`, `IST`, `GMT`...) are refused with
 *   suggestions: they are ambiguous (`IST` is India, Ireland or Israel) or do
 *   not follow summer time the way the class's clocks do.
 */
import { editDistance } from '../engine/normalize.ts';
import { canonicalTimeZone, timeZoneNames } from './time.ts';

export type ZoneInput =
  | { readonly ok: true; readonly zone: string; readonly from: 'name' | 'city' }
  | { readonly ok: false; readonly reason: 'abbreviation' | 'unknown'; readonly suggestions: readonly string[] };

/** Zones to suggest for common abbreviations. */
const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  CET: ['Europe/Paris', 'Europe/Berlin', 'Europe/Madrid'],
  CEST: ['Europe/Paris', 'Europe/Berlin', 'Europe/Madrid'],
  WET: ['Europe/Lisbon', 'Atlantic/Canary'],
  WEST: ['Europe/Lisbon', 'Atlantic/Canary'],
  EET: ['Europe/Athens', 'Europe/Helsinki', 'Europe/Bucharest'],
  EEST: ['Europe/Athens', 'Europe/Helsinki', 'Europe/Bucharest'],
  GMT: ['Europe/London', 'UTC'],
  BST: ['Europe/London'],
  MSK: ['Europe/Moscow'],
  EST: ['America/New_York', 'America/Toronto'],
  EDT: ['America/New_York', 'America/Toronto'],
  CST: ['America/Chicago', 'America/Mexico_City', 'Asia/Shanghai'],
  CDT: ['America/Chicago', 'America/Mexico_City'],
  MST: ['America/Denver', 'America/Phoenix'],
  MDT: ['America/Denver'],
  PST: ['America/Los_Angeles', 'America/Vancouver'],
  PDT: ['America/Los_Angeles', 'America/Vancouver'],
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  JST: ['Asia/Tokyo'],
  KST: ['Asia/Seoul'],
  AEST: ['Australia/Sydney', 'Australia/Brisbane'],
  AEDT: ['Australia/Sydney'],
  NZST: ['Pacific/Auckland'],
  NZDT: ['Pacific/Auckland'],
};

/** A zone's city, as people write it: `America/New_York` -> `new york`. */
function cityOf(zone: string): string {
  return simplify(zone.slice(zone.lastIndexOf('/') + 1));
}

function simplify(text: string): string {
  return text.trim().toLowerCase().replace(/[_\s-]+/g, ' ');
}

/** Zones whose name is a place, not an `Etc/` offset (made on first use, as the zone list is). */
let places: readonly string[] | undefined;
const placeZones = (): readonly string[] => (places ??= timeZoneNames().filter((zone) => zone.includes('/') && !zone.startsWith('Etc/')));

/** Reads a typed time zone: the zone, or why not with up to 3 suggestions. */
export function readTimeZone(text: string): ZoneInput {
  const typed = text.trim();
  const abbreviation = ABBREVIATIONS[typed.toUpperCase()];
  if (abbreviation && typed.toUpperCase() !== 'UTC') return { ok: false, reason: 'abbreviation', suggestions: abbreviation };
  const named = canonicalTimeZone(typed);
  if (named && (named === 'UTC' || named.includes('/'))) return { ok: true, zone: named, from: 'name' };
  const city = simplify(typed.includes('/') ? typed.slice(typed.lastIndexOf('/') + 1) : typed);
  if (city === '') return { ok: false, reason: 'unknown', suggestions: [] };
  const exact = placeZones().filter((zone) => cityOf(zone) === city);
  // One city, maybe under an old and a new name (`America/Buenos_Aires`): the longer, newer name.
  const same = new Set(exact.map((zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone));
  if (same.size === 1 && !typed.includes('/')) return { ok: true, zone: [...exact].sort((a, b) => b.length - a.length)[0] as string, from: 'city' };
  if (exact.length > 0) return { ok: false, reason: 'unknown', suggestions: exact.slice(0, 3) };
  const limit = city.length <= 4 ? 1 : 2;
  const near = placeZones().map((zone) => ({ zone, distance: editDistance(cityOf(zone), city, limit) }))
    .filter((z) => z.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.zone.localeCompare(b.zone))
    .map((z) => z.zone);
  const starts = near.length ? [] : placeZones().filter((zone) => city.length >= 3 && cityOf(zone).startsWith(city));
  return { ok: false, reason: 'unknown', suggestions: [...near, ...starts].slice(0, 3) };
}

/** The error a member sees for a time zone that was not read, with its suggestions. */
export function zoneInputMessage(text: string, result: Extract<ZoneInput, { ok: false }>): string {
  const options = result.suggestions.map((zone) => `\`${zone}\``);
  const list = options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
  if (result.reason === 'abbreviation') {
    return `"${text}" is an abbreviation, which can mean several places and does not follow summer time: give the zone of a city, such as ${list}.`;
  }
  const hint = 'Use a city or an IANA name such as Europe/Paris (the list suggests them as you type).';
  return options.length ? `"${text}" is not a time zone I know. Did you mean ${list}? ${hint}` : `"${text}" is not a time zone I know. ${hint}`;
}
