/**
 * Building tallies: folding score events into running member totals, and
 * summing points over a time range or a set of decks for the leaderboard.
 */
import type { DayTotals, MemberTotals, ScoreEvent, SectionStat, SectionTally, Tally, Totals } from './types.ts';

/** Separator between deck and section in `MemberTotals.sections` keys. */
export const SECTION_SEP = '\u0000';

/** The `MemberTotals.sections` key of a deck section. */
export function sectionKey(deck: string, section: string): string {
  return `${deck}${SECTION_SEP}${section}`;
}

export function emptyTally(): Tally {
  return { points: 0, answered: 0, correct: 0, won: 0 };
}

export function emptyMemberTotals(name: string): MemberTotals {
  return { points: 0, answered: 0, correct: 0, won: 0, name, decks: {}, sections: {}, dailyDays: [] };
}

/** A copy of `t` that shares nothing mutable with it (its tallies are updated in place). */
export function copyMemberTotals(t: MemberTotals): MemberTotals {
  const copy: MemberTotals = { points: t.points, answered: t.answered, correct: t.correct, won: t.won, name: t.name, decks: copyTallies(t.decks), sections: {}, dailyDays: [...t.dailyDays] };
  for (const key of Object.keys(t.sections)) {
    const s = t.sections[key] as SectionTally;
    setOwn(copy.sections, key, { answered: s.answered, correct: s.correct });
  }
  if (t.dailyAnsweredDays) copy.dailyAnsweredDays = [...t.dailyAnsweredDays];
  return copy;
}

/** A copy of a member's day totals that shares nothing mutable with them. */
export function copyDayTotals(t: DayTotals): DayTotals {
  return { points: t.points, answered: t.answered, correct: t.correct, won: t.won, decks: copyTallies(t.decks) };
}

function copyTallies(decks: Readonly<Record<string, Tally>>): Record<string, Tally> {
  const copy: Record<string, Tally> = {};
  for (const deck of Object.keys(decks)) {
    const d = decks[deck] as Tally;
    setOwn(copy, deck, { points: d.points, answered: d.answered, correct: d.correct, won: d.won });
  }
  return copy;
}

/** correct / answered as 0–1; 0 when nothing was answered. */
export function accuracy(t: { answered: number; correct: number }): number {
  return t.answered > 0 ? t.correct / t.answered : 0;
}

// Records come from JSON and are keyed by user-chosen text (deck names), so
// read and write own properties only: a deck called "constructor" or
// "__proto__" must not hit Object.prototype.
function getOwn<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

export function setOwn<T>(rec: Record<string, T>, key: string, value: T): T {
  // Assignment makes an own property for every key but `__proto__` (the one
  // inherited setter), and keeps the record a fast object where defining
  // properties one by one would not.
  if (key === '__proto__') Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true });
  else rec[key] = value;
  return value;
}

function addEvent(t: Tally, e: ScoreEvent): void {
  t.points += e.points;
  t.answered += 1;
  if (e.correct) t.correct += 1;
  if (e.won) t.won += 1;
}

/** Inserts `day` into a sorted unique list (binary search; no-op when present). */
function insertDay(days: string[], day: string): void {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as string) < day) lo = mid + 1;
    else hi = mid;
  }
  if (days[lo] !== day) days.splice(lo, 0, day);
}

/**
 * Folds one event into `totals` IN PLACE and returns the same object.
 *
 * `totals` is treated as a draft: only the member concerned is touched, so
 * applying an event costs O(1) whatever the server size (plus a binary-search
 * insert into that member's daily days). Callers that need the previous value
 * untouched must pass a copy.
 *
 * `name` is the member's current display name; an empty name keeps the stored one.
 */
export function applyEvent(totals: Totals, event: ScoreEvent, name: string): Totals {
  applyMemberEvent(getOwn(totals, event.userId) ?? setOwn(totals, event.userId, emptyMemberTotals(name)), event, name);
  return totals;
}

/** Folds one event into one member's totals IN PLACE (`applyEvent` for one member); returns them. */
export function applyMemberEvent(m: MemberTotals, event: ScoreEvent, name: string): MemberTotals {
  if (name) m.name = name;
  addEvent(m, event);
  addEvent(getOwn(m.decks, event.deck) ?? setOwn(m.decks, event.deck, emptyTally()), event);
  const key = sectionKey(event.deck, event.section);
  const s: SectionTally = getOwn(m.sections, key) ?? setOwn(m.sections, key, { answered: 0, correct: 0 });
  s.answered += 1;
  if (event.correct) s.correct += 1;
  if (event.source === 'daily' && event.correct && event.day) insertDay(m.dailyDays, event.day);
  if (event.source === 'daily' && event.day) insertDay((m.dailyAnsweredDays ??= [...m.dailyDays]), event.day);
  return m;
}

/** Folds one event into a member's day totals IN PLACE (see `applyEvent`); returns them. */
export function applyDayEvent(day: DayTotals | undefined, event: ScoreEvent): DayTotals {
  const d = day ?? { points: 0, answered: 0, correct: 0, won: 0, decks: {} };
  addEvent(d, event);
  addEvent(getOwn(d.decks, event.deck) ?? setOwn(d.decks, event.deck, emptyTally()), event);
  return d;
}

/** Adds `from` (or, with a deck filter, its matching decks) into `into`. */
function addTally(into: Tally, from: Tally): void {
  into.points += from.points;
  into.answered += from.answered;
  into.correct += from.correct;
  into.won += from.won;
}

/**
 * Per-member tallies summed over days of member day totals (e.g. the 7 days
 * of a week), optionally only on matching decks (members without any are
 * left out). O(members × days).
 */
export function tallyFromDays(days: readonly Readonly<Record<string, DayTotals>>[], decks?: (deck: string) => boolean): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const day of days) addDayTallies(out, day, decks);
  return out;
}

/**
 * Adds one day's member totals into `out` as `tallyFromDays` does. `everyMember`: every member
 * of `day` gets a tally, empty when no deck matches (an index's members, as `tallyFromTotals` gives them).
 */
export function addDayTallies(out: Map<string, Tally>, day: Readonly<Record<string, DayTotals>>, decks?: (deck: string) => boolean, everyMember = false): void {
  for (const userId of Object.keys(day)) {
    const d = day[userId] as DayTotals;
    let t = out.get(userId);
    if (!t && everyMember) out.set(userId, (t = emptyTally()));
    if (!decks) {
      if (!t) out.set(userId, (t = emptyTally()));
      addTally(t, d);
      continue;
    }
    for (const deck of Object.keys(d.decks)) {
      if (!decks(deck)) continue;
      if (!t) out.set(userId, (t = emptyTally()));
      addTally(t, d.decks[deck] as Tally);
    }
  }
}

export interface EventFilter {
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  /** Keep events whose full deck name passes. */
  decks?: (deck: string) => boolean;
}

/** Per-member tallies of the events inside [from, to) on matching decks. One pass. */
export function tallyFromEvents(events: readonly ScoreEvent[], filter: EventFilter = {}): Map<string, Tally> {
  const { from, to, decks } = filter;
  const out = new Map<string, Tally>();
  for (const e of events) {
    if (from !== undefined && e.at < from) continue;
    if (to !== undefined && e.at >= to) continue;
    if (decks && !decks(e.deck)) continue;
    let t = out.get(e.userId);
    if (!t) out.set(e.userId, (t = emptyTally()));
    addEvent(t, e);
  }
  return out;
}

/**
 * Per-member tallies from running totals: the member's overall tally, or,
 * with a deck filter, the sum over the member's matching decks.
 * Every member appears (possibly with an all-zero tally).
 */
export function tallyFromTotals(totals: Totals, decks?: (deck: string) => boolean): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [userId, m] of Object.entries(totals)) {
    if (!decks) {
      out.set(userId, { points: m.points, answered: m.answered, correct: m.correct, won: m.won });
      continue;
    }
    const t = emptyTally();
    for (const [deck, d] of Object.entries(m.decks)) if (decks(deck)) addTally(t, d);
    out.set(userId, t);
  }
  return out;
}

/** A section is a weak spot below this accuracy. */
export const WEAK_BELOW = 0.8;

export interface WeakOptions {
  /** Only sections answered at least this many times count (default 3). */
  readonly minAnswered?: number;
  /** At most this many (default 3). */
  readonly limit?: number;
  /** Only sections below this accuracy (default `WEAK_BELOW`, 80%). */
  readonly below?: number;
}

/**
 * A member's weakest sections: lowest accuracy first, only sections answered
 * at least `minAnswered` times with an accuracy below `below`. Ties: more
 * answered first (stronger evidence), then deck and section name.
 */
export function weakestSections(totals: MemberTotals, { minAnswered = 3, limit = 3, below = WEAK_BELOW }: WeakOptions = {}): SectionStat[] {
  const stats = sectionStats(totals).filter((s) => s.answered >= minAnswered && s.accuracy < below);
  stats.sort(
    (a, b) =>
      a.accuracy - b.accuracy ||
      b.answered - a.answered ||
      (a.deck < b.deck ? -1 : a.deck > b.deck ? 1 : 0) ||
      (a.section < b.section ? -1 : a.section > b.section ? 1 : 0),
  );
  return stats.slice(0, Math.max(0, limit));
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A member's result in each section they answered, in no particular order. */
export function sectionStats(totals: MemberTotals): SectionStat[] {
  return Object.entries(totals.sections).map(([key, s]) => {
    const sep = key.indexOf(SECTION_SEP);
    const deck = sep < 0 ? key : key.slice(0, sep);
    const section = sep < 0 ? '' : key.slice(sep + 1);
    return { deck, section, answered: s.answered, correct: s.correct, accuracy: accuracy(s) };
  });
}

/** The sections for the stats chart: most answered first (the best evidence), then by deck and section name. */
export function chartSections(totals: MemberTotals): SectionStat[] {
  return sectionStats(totals)
    .filter((s) => s.answered > 0)
    .sort((a, b) => b.answered - a.answered || byName(a.deck, b.deck) || byName(a.section, b.section));
}

/** One entry per local day with a daily answer: solved (correct 1) or not (correct 0). */
export function dailyAnswers(totals: MemberTotals): { day: string; answered: number; correct: number }[] {
  const solved = new Set(totals.dailyDays);
  const days = new Set([...(totals.dailyAnsweredDays ?? []), ...totals.dailyDays]);
  return [...days].sort().map((day) => ({ day, answered: 1, correct: solved.has(day) ? 1 : 0 }));
}
