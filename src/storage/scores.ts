/**
 * The class competition's storage, per server: running totals for all time and
 * for the current season, the seasons, live-round wins, and every score event
 * (for week and month leaderboards). All writes of a server go through one
 * lock, so concurrent rounds never lose an award.
 *
 * Layout (the keys are in keys.ts), so that recording an answer stays cheap on a
 * server of thousands of members: one record per member and scope (all time, each
 * season), an index of the members of each scope, and the score events of each UTC
 * hour; recording touches only the members concerned and one hour of events.
 */
import { applyEvent, setOwn, tallyFromEvents, tallyFromTotals } from '../competition/aggregate.ts';
import type { MemberTotals, ScoreEvent, Tally, TimeRange, Totals } from '../competition/types.ts';
import { memberTotalsKey, membersIndexKey, roundWinsKey, scoreEventsKey, scoresLock, seasonsKey, type ScoreScope as Scope } from './keys.ts';
import type { Store } from './store.ts';

export interface Season {
  readonly id: number;
  readonly name: string;
  readonly startedAt: number;
}

export interface PastSeason extends Season {
  readonly endedAt: number;
  readonly top: readonly { readonly userId: string; readonly name: string; readonly points: number }[];
}

export interface SeasonsDoc {
  readonly current: Season;
  readonly past: readonly PastSeason[];
}

const HOUR_MS = 3_600_000;
/** Keys per read: keeps each storage query small. */
const READ_CHUNK = 500;

function seasonScope(seasonId: number): Scope {
  return `s${seasonId}`;
}

function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}


export class ScoreBook {
  constructor(private readonly store: Store) {}

  private async readMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    const out: (T | undefined)[] = [];
    for (let i = 0; i < keys.length; i += READ_CHUNK) out.push(...(await this.store.getMany<T>(keys.slice(i, i + READ_CHUNK))));
    return out;
  }

  /** Totals of a scope: every member in its index. */
  private async scopeTotals(guildId: string, scope: Scope): Promise<Totals> {
    const index = (await this.store.get<string[]>(membersIndexKey(guildId, scope))) ?? [];
    const docs = await this.readMany<MemberTotals>(index.map((userId) => memberTotalsKey(guildId, scope, userId)));
    const totals: Totals = {};
    index.forEach((userId, i) => {
      const doc = docs[i];
      if (doc) setOwn(totals, userId, doc);
    });
    return totals;
  }

  /** Folds events into one scope's member totals. Call with the server's lock held. */
  private async applyToScope(guildId: string, scope: Scope, events: readonly ScoreEvent[], names: Readonly<Record<string, string>>): Promise<void> {
    const index = (await this.store.get<string[]>(membersIndexKey(guildId, scope))) ?? [];
    const known = new Set(index);
    const userIds = [...new Set(events.map((e) => e.userId))];
    const docs = await this.readMany<MemberTotals>(userIds.map((userId) => memberTotalsKey(guildId, scope, userId)));
    const totals: Totals = {};
    userIds.forEach((userId, i) => {
      const doc = docs[i];
      if (doc) setOwn(totals, userId, doc);
    });
    for (const event of events) applyEvent(totals, event, Object.hasOwn(names, event.userId) ? (names[event.userId] ?? '') : '');
    for (const userId of userIds) await this.store.set(memberTotalsKey(guildId, scope, userId), totals[userId]);
    const added = userIds.filter((userId) => !known.has(userId));
    if (added.length > 0) await this.store.set(membersIndexKey(guildId, scope), [...index, ...added]);
  }

  /** The server's seasons; the first season starts with the first score. */
  async seasons(guildId: string, now: number): Promise<SeasonsDoc> {
    return (await this.store.get<SeasonsDoc>(seasonsKey(guildId))) ?? { current: { id: 1, name: 'Season 1', startedAt: now }, past: [] };
  }

  /** Records judged attempts; `names` maps user ids to their display names now. */
  async record(guildId: string, events: readonly ScoreEvent[], names: Readonly<Record<string, string>>): Promise<void> {
    if (events.length === 0) return;
    await this.store.exclusive(scoresLock(guildId), async () => {
      const first = events[0] as ScoreEvent;
      let seasons = await this.store.get<SeasonsDoc>(seasonsKey(guildId));
      if (!seasons) {
        seasons = await this.seasons(guildId, first.at);
        await this.store.set(seasonsKey(guildId), seasons);
      }
      await this.applyToScope(guildId, 'all', events, names);
      await this.applyToScope(guildId, seasonScope(seasons.current.id), events, names);
      const byHour = new Map<string, ScoreEvent[]>();
      for (const event of events) {
        const hour = utcHour(event.at);
        const list = byHour.get(hour);
        if (list) list.push(event);
        else byHour.set(hour, [event]);
      }
      for (const [hour, added] of byHour) {
        const key = scoreEventsKey(guildId, hour);
        const stored = (await this.store.get<ScoreEvent[]>(key)) ?? [];
        await this.store.set(key, [...stored, ...added]);
      }
    });
  }

  /** Counts a live round win for each member who finished the round first (ties: all of them). */
  async recordRoundWin(guildId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.store.update<Record<string, number>, void>(roundWinsKey(guildId), (wins = {}) => {
      const next = { ...wins };
      for (const id of userIds) next[id] = (Object.hasOwn(next, id) ? (next[id] ?? 0) : 0) + 1;
      return { value: next, result: undefined };
    });
  }

  async roundWins(guildId: string, userId: string): Promise<number> {
    const wins = (await this.store.get<Record<string, number>>(roundWinsKey(guildId))) ?? {};
    return Object.hasOwn(wins, userId) ? (wins[userId] ?? 0) : 0;
  }

  /** All-time totals of every member of the server. */
  async totals(guildId: string): Promise<Totals> {
    return this.scopeTotals(guildId, 'all');
  }

  /** One member's all-time totals. */
  async member(guildId: string, userId: string): Promise<MemberTotals | undefined> {
    return this.store.get<MemberTotals>(memberTotalsKey(guildId, 'all', userId));
  }

  async seasonTotals(guildId: string, seasonId: number): Promise<Totals> {
    return this.scopeTotals(guildId, seasonScope(seasonId));
  }

  /** Score events inside [from, to). */
  async events(guildId: string, range: TimeRange): Promise<ScoreEvent[]> {
    const keys: string[] = [];
    for (let hour = Math.floor(range.from / HOUR_MS) * HOUR_MS; hour < range.to; hour += HOUR_MS) keys.push(scoreEventsKey(guildId, utcHour(hour)));
    const out: ScoreEvent[] = [];
    for (const chunk of await this.readMany<ScoreEvent[]>(keys)) {
      for (const e of chunk ?? []) if (e.at >= range.from && e.at < range.to) out.push(e);
    }
    return out;
  }

  /** Per-member tallies for a season or a time range; optionally only some decks. (All time: `tallyFromTotals` of `totals`.) */
  async tallies(guildId: string, scope: { kind: 'season'; seasonId: number } | { kind: 'range'; range: TimeRange }, decks?: (deck: string) => boolean): Promise<Map<string, Tally>> {
    if (scope.kind === 'season') return tallyFromTotals(await this.seasonTotals(guildId, scope.seasonId), decks);
    return tallyFromEvents(await this.events(guildId, scope.range), { ...scope.range, ...(decks ? { decks } : {}) });
  }

  /** Closes the current season (keeping its top 3) and starts a new one. All-time totals stay. */
  async newSeason(guildId: string, name: string, now: number): Promise<{ closed: PastSeason; current: Season }> {
    return this.store.exclusive(scoresLock(guildId), async () => {
      const doc = await this.seasons(guildId, now);
      const totals = await this.seasonTotals(guildId, doc.current.id);
      const top = Object.entries(totals)
        .map(([userId, m]) => ({ userId, name: m.name, points: m.points }))
        .filter((row) => row.points > 0)
        .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name))
        .slice(0, 3);
      const closed: PastSeason = { ...doc.current, endedAt: now, top };
      const current: Season = { id: doc.current.id + 1, name, startedAt: now };
      await this.store.set<SeasonsDoc>(seasonsKey(guildId), { current, past: [...doc.past, closed] });
      return { closed, current };
    });
  }
}
