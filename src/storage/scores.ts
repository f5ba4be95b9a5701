/**
 * The class competition's storage: per server, running totals for all time and
 * for the current season, and every score event in one record per UTC day
 * (for week and month leaderboards). All writes of a server go through one
 * lock, so concurrent rounds never lose an award.
 */
import { applyEvent, tallyFromEvents, tallyFromTotals } from '../competition/aggregate.ts';
import type { MemberTotals, ScoreEvent, Tally, TimeRange, Totals } from '../competition/types.ts';
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

const DAY_MS = 86_400_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class ScoreBook {
  constructor(private readonly store: Store) {}

  private allKey(guildId: string) {
    return `totals:${guildId}:all`;
  }
  private seasonKey(guildId: string, seasonId: number) {
    return `totals:${guildId}:season:${seasonId}`;
  }
  private eventsKey(guildId: string, day: string) {
    return `events:${guildId}:${day}`;
  }
  private seasonsKey(guildId: string) {
    return `seasons:${guildId}`;
  }

  /** The server's seasons; the first season starts with the first score. */
  async seasons(guildId: string, now: number): Promise<SeasonsDoc> {
    return (await this.store.get<SeasonsDoc>(this.seasonsKey(guildId))) ?? { current: { id: 1, name: 'Season 1', startedAt: now }, past: [] };
  }

  /** Records judged attempts; `names` maps user ids to their display names now. */
  async record(guildId: string, events: readonly ScoreEvent[], names: Readonly<Record<string, string>>): Promise<void> {
    if (events.length === 0) return;
    await this.store.exclusive(`scores:${guildId}`, async () => {
      const first = events[0] as ScoreEvent;
      let seasons = await this.store.get<SeasonsDoc>(this.seasonsKey(guildId));
      if (!seasons) {
        seasons = await this.seasons(guildId, first.at);
        await this.store.set(this.seasonsKey(guildId), seasons);
      }
      const allKey = this.allKey(guildId);
      const seasonKey = this.seasonKey(guildId, seasons.current.id);
      const all = (await this.store.get<Totals>(allKey)) ?? {};
      const season = (await this.store.get<Totals>(seasonKey)) ?? {};
      const byDay = new Map<string, ScoreEvent[]>();
      for (const event of events) {
        const name = names[event.userId] ?? '';
        applyEvent(all, event, name);
        applyEvent(season, event, name);
        const day = utcDay(event.at);
        byDay.set(day, [...(byDay.get(day) ?? []), event]);
      }
      await this.store.set(allKey, all);
      await this.store.set(seasonKey, season);
      for (const [day, added] of byDay) {
        const key = this.eventsKey(guildId, day);
        await this.store.set(key, [...((await this.store.get<ScoreEvent[]>(key)) ?? []), ...added]);
      }
    });
  }

  /** Counts a live round win for each member who finished the round first (ties: all of them). */
  async recordRoundWin(guildId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.store.update<Record<string, number>, void>(`roundwins:${guildId}`, (wins = {}) => {
      const next = { ...wins };
      for (const id of userIds) next[id] = (Object.hasOwn(next, id) ? (next[id] ?? 0) : 0) + 1;
      return { value: next, result: undefined };
    });
  }

  async roundWins(guildId: string, userId: string): Promise<number> {
    const wins = (await this.store.get<Record<string, number>>(`roundwins:${guildId}`)) ?? {};
    return Object.hasOwn(wins, userId) ? (wins[userId] ?? 0) : 0;
  }

  async totals(guildId: string): Promise<Totals> {
    return (await this.store.get<Totals>(this.allKey(guildId))) ?? {};
  }

  async member(guildId: string, userId: string): Promise<MemberTotals | undefined> {
    const totals = await this.totals(guildId);
    return Object.hasOwn(totals, userId) ? totals[userId] : undefined;
  }

  async seasonTotals(guildId: string, seasonId: number): Promise<Totals> {
    return (await this.store.get<Totals>(this.seasonKey(guildId, seasonId))) ?? {};
  }

  /** Score events inside [from, to). */
  async events(guildId: string, range: TimeRange): Promise<ScoreEvent[]> {
    const keys: string[] = [];
    for (let day = Math.floor(range.from / DAY_MS) * DAY_MS; day < range.to; day += DAY_MS) keys.push(this.eventsKey(guildId, utcDay(day)));
    const chunks = await this.store.getMany<ScoreEvent[]>(keys);
    return chunks.flatMap((chunk) => chunk ?? []).filter((e) => e.at >= range.from && e.at < range.to);
  }

  /** Per-member tallies for a scope: all time, the current season, or a time range; optionally only some decks. */
  async tallies(guildId: string, scope: { kind: 'all' } | { kind: 'season'; seasonId: number } | { kind: 'range'; range: TimeRange }, decks?: (deck: string) => boolean): Promise<Map<string, Tally>> {
    if (scope.kind === 'all') return tallyFromTotals(await this.totals(guildId), decks);
    if (scope.kind === 'season') return tallyFromTotals(await this.seasonTotals(guildId, scope.seasonId), decks);
    return tallyFromEvents(await this.events(guildId, scope.range), { ...scope.range, ...(decks ? { decks } : {}) });
  }

  /** Closes the current season (keeping its top 3) and starts a new one. All-time totals stay. */
  async newSeason(guildId: string, name: string, now: number): Promise<{ closed: PastSeason; current: Season }> {
    return this.store.exclusive(`scores:${guildId}`, async () => {
      const doc = await this.seasons(guildId, now);
      const totals = await this.seasonTotals(guildId, doc.current.id);
      const top = Object.entries(totals)
        .map(([userId, m]) => ({ userId, name: m.name, points: m.points }))
        .filter((row) => row.points > 0)
        .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name))
        .slice(0, 3);
      const closed: PastSeason = { ...doc.current, endedAt: now, top };
      const current: Season = { id: doc.current.id + 1, name, startedAt: now };
      await this.store.set<SeasonsDoc>(this.seasonsKey(guildId), { current, past: [...doc.past, closed] });
      return { closed, current };
    });
  }
}
