/**
 * The class competition's storage, per server: running totals for all time and
 * per season, totals per local day (for week and month leaderboards), the
 * seasons and live-round wins.
 *
 * ONE WRITER PER SERVER. Every write about a server is made by the one process
 * that holds that server (its gateway shard), and that process is also the one
 * that answers the server's commands. So this book keeps what it has read of a
 * server in memory and keeps it up to date with its own writes: the cache is
 * coherent because nobody else writes the server's keys. Inside the process,
 * all writes of a server (and every read that fills the cache) go through one
 * lock, so concurrent rounds never lose an award.
 *
 * Layout 2 (keys in keys.ts), so that no read or write grows with the server's
 * history and an award rewrites only records of the members concerned:
 * - `member:<server>:<scope>:<user>`: a member's totals; scope `all` or `s<season id>`;
 * - `members:<server>:<scope>:<part>`: the user ids with totals in the scope,
 *   in 64 parts by a hash of the id (a part is written only when one of its
 *   members first scores in the scope, and holds about 1/64 of the members);
 * - `day:<server>:<YYYY-MM-DD>:<user>`: a member's totals of one local day of
 *   the server's time zone, per deck;
 * - `days:<server>:<YYYY-MM-DD>`: the user ids with totals that day (written
 *   only when a member first scores that day). A week reads 7 of these, a month
 *   at most 31, then the day records they list (cached afterwards);
 * - `seasons:<server>`, `roundwins:<server>`;
 * - `scores-layout:<server>`: the layout version, written by `migrate`.
 *
 * Days are the server's local days at the time of the award (its daily
 * question's time zone, else the default): weeks and months are made of whole
 * local days, so after a change of time zone, older awards stay on the day
 * they were given.
 *
 * Layout 1 kept every score event in one record per UTC hour
 * (`events:<server>:<YYYY-MM-DDTHH>`), rewritten whole on each award, and each
 * scope's index in one record (`members:<server>:<scope>`). `migrate` turns
 * those into day records and index parts once per server; the old records are
 * left in place (nothing is deleted) and no longer read or written.
 */
import { applyDayEvent, applyEvent, tallyFromDays, tallyFromTotals } from '../competition/aggregate.ts';
import { daysOf } from '../competition/periods.ts';
import { rank } from '../competition/ranking.ts';
import type { DayTotals, MemberTotals, ScoreEvent, Tally, TimeRange, Totals } from '../competition/types.ts';
import { localDay } from '../schedule/time.ts';
import { systemClock, type Clock } from '../clock.ts';
import {
  dayIndexKey,
  dayTotalsKey,
  legacyEventsKey,
  legacyMemberIndexKey,
  memberIndexKey,
  memberTotalsKey,
  roundWinsKey,
  scoredKey,
  scoreLayoutKey,
  scoresLock,
  seasonsKey,
  type ScoreScope,
} from './keys.ts';
import type { Store } from './store.ts';

export interface Season {
  readonly id: number;
  readonly name: string;
  readonly startedAt: number;
}

export interface PastSeason extends Season {
  readonly endedAt: number;
  /**
   * The members holding ranks 1 to 3 with points, best first, ranked as the leaderboard
   * ranks (equal points share a rank, so there may be more than 3); at most `TOP_KEPT`.
   */
  readonly top: readonly { readonly userId: string; readonly name: string; readonly points: number }[];
  /** Members who also held ranks 1 to 3 but were left out of `top` (absent when none). */
  readonly more?: number;
}

/** The most members of a past season's top that are kept. */
export const TOP_KEPT = 10;

export interface SeasonsDoc {
  readonly current: Season;
  readonly past: readonly PastSeason[];
}

/** The current layout version (see the top of this file). */
export const SCORE_LAYOUT = 2;

export interface MigrationResult {
  /** Layout version found before the migration (1 for a store of the previous version or a fresh server). */
  readonly from: number;
  /** Score events folded into day records (0 when there was nothing to do). */
  readonly events: number;
  /** Day records written. */
  readonly dayRecords: number;
}

export interface ScoreBookOptions {
  /** The server's time zone (its daily question's, else the default): days and weeks follow it. Default UTC. */
  readonly timeZoneOf?: (guildId: string) => Promise<string>;
  /** For the migration's scan of layout-1 records up to now. */
  readonly clock?: Clock;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Keys per read: keeps each storage query small. */
const READ_CHUNK = 500;
/** Local days kept in memory per server (a month and a bit, twice). */
const DAYS_CACHED = 64;
/** Layout-1 migration scans hours from this long before the first season started. */
const MIGRATION_MARGIN_MS = 7 * DAY_MS;
/** Parts of a scope's member index. */
const SCOPE_INDEX_PARTS = 64;

type Scope = ScoreScope;

function seasonScope(seasonId: number): Scope {
  return `s${seasonId}`;
}

function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

/** Sets an own property, whatever the key (user ids come from outside). */
function put<T>(rec: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true });
}

function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** FNV-1a of the id: which part of an index holds a member. */
function partOf(userId: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % parts;
}

/** Member records of one scope or one day, with their index (in one or more parts), as far as read so far. */
class Bucket<T> {
  /** The index; undefined until read. */
  ids: Set<string> | undefined;
  /** The index by part, as stored. */
  parts: string[][] = [];
  /** Member records read or written so far (own properties by user id). Never modified in place: replaced. */
  readonly docs: Record<string, T> = {};
  /** Every member of the index has its record in `docs`. */
  complete = false;

  constructor(
    readonly indexKeys: readonly string[],
    readonly docKey: (userId: string) => string,
  ) {}

  partOf(userId: string): number {
    return this.indexKeys.length === 1 ? 0 : partOf(userId, this.indexKeys.length);
  }
}

/** Adds a member to a copy of their index part in `grown` (part → the part's new list). */
function grow(grown: Map<number, string[]>, bucket: Bucket<unknown>, userId: string): void {
  const part = bucket.partOf(userId);
  let list = grown.get(part);
  if (!list) grown.set(part, (list = [...(bucket.parts[part] ?? [])]));
  list.push(userId);
}

function scopeIndexKeys(guildId: string, scope: Scope): string[] {
  return Array.from({ length: SCOPE_INDEX_PARTS }, (_, part) => memberIndexKey(guildId, scope, part));
}

interface ServerCache {
  layout?: Promise<MigrationResult>;
  seasons?: SeasonsDoc;
  readonly scopes: Map<Scope, Bucket<MemberTotals>>;
  readonly days: Map<string, Bucket<DayTotals>>;
}

export class ScoreBook {
  private readonly servers = new Map<string, ServerCache>();
  private readonly timeZoneOf: (guildId: string) => Promise<string>;
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    options: ScoreBookOptions = {},
  ) {
    this.timeZoneOf = options.timeZoneOf ?? (() => Promise.resolve('UTC'));
    this.clock = options.clock ?? systemClock;
  }

  // ---- cache plumbing

  private server(guildId: string): ServerCache {
    let s = this.servers.get(guildId);
    if (!s) this.servers.set(guildId, (s = { scopes: new Map(), days: new Map() }));
    return s;
  }

  private scope(guildId: string, scope: Scope): Bucket<MemberTotals> {
    const s = this.server(guildId);
    let b = s.scopes.get(scope);
    if (!b) s.scopes.set(scope, (b = new Bucket(scopeIndexKeys(guildId, scope), (userId) => memberTotalsKey(guildId, scope, userId))));
    return b;
  }

  private day(guildId: string, day: string): Bucket<DayTotals> {
    const s = this.server(guildId);
    let b = s.days.get(day);
    if (!b) {
      if (s.days.size >= DAYS_CACHED) {
        // Forget the oldest day; it is read again from the store if asked for.
        const oldest = [...s.days.keys()].sort()[0] as string;
        s.days.delete(oldest);
      }
      s.days.set(day, (b = new Bucket([dayIndexKey(guildId, day)], (userId) => dayTotalsKey(guildId, day, userId))));
    }
    return b;
  }

  private lock<R>(guildId: string, task: () => Promise<R>): Promise<R> {
    return this.store.exclusive(scoresLock(guildId), task);
  }

  private async readMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    const out: (T | undefined)[] = [];
    for (let i = 0; i < keys.length; i += READ_CHUNK) out.push(...(await this.store.getMany<T>(keys.slice(i, i + READ_CHUNK))));
    return out;
  }

  /** Reads the indexes not read yet, in one query. Call with the server's lock held. */
  private async loadIndexes(buckets: readonly Bucket<unknown>[]): Promise<void> {
    const missing = buckets.filter((b) => !b.ids);
    const lists = await this.readMany<string[]>(missing.flatMap((b) => b.indexKeys));
    let at = 0;
    for (const b of missing) {
      b.parts = b.indexKeys.map(() => lists[at++] ?? []);
      b.ids = new Set(b.parts.flat());
    }
  }

  /** Reads the records of `userIds` not in memory yet (only indexed ones exist). Call with the lock held. */
  private async loadDocs<T>(pairs: readonly { bucket: Bucket<T>; userIds: Iterable<string> }[]): Promise<void> {
    await this.loadIndexes(pairs.map((p) => p.bucket));
    const wanted: { bucket: Bucket<T>; userId: string }[] = [];
    for (const { bucket, userIds } of pairs) {
      if (bucket.complete) continue;
      for (const userId of userIds) if (bucket.ids?.has(userId) && !Object.hasOwn(bucket.docs, userId)) wanted.push({ bucket, userId });
    }
    const docs = await this.readMany<T>(wanted.map((w) => w.bucket.docKey(w.userId)));
    wanted.forEach(({ bucket, userId }, i) => {
      const doc = docs[i];
      if (doc !== undefined) put(bucket.docs, userId, doc);
    });
  }

  /** Reads every record of the buckets. Call with the lock held. */
  private async loadAll<T>(buckets: readonly Bucket<T>[]): Promise<void> {
    const todo = buckets.filter((b) => !b.complete);
    if (todo.length === 0) return;
    await this.loadIndexes(todo);
    await this.loadDocs(todo.map((bucket) => ({ bucket, userIds: bucket.ids ?? [] })));
    for (const b of todo) b.complete = true;
  }

  /**
   * Folds events into the records of the members concerned and writes those
   * records (and the index, when a member is new to the bucket), then updates
   * memory. Memory changes only after the store took the writes. Lock held.
   */
  private async apply<T>(bucket: Bucket<T>, events: readonly ScoreEvent[], fold: (draft: Record<string, T>, event: ScoreEvent) => void): Promise<void> {
    const userIds = [...new Set(events.map((e) => e.userId))];
    await this.loadDocs([{ bucket, userIds }]);
    const draft: Record<string, T> = {};
    for (const userId of userIds) {
      const doc = own(bucket.docs, userId);
      if (doc !== undefined) put(draft, userId, structuredClone(doc));
    }
    for (const event of events) fold(draft, event);
    const ids = bucket.ids ?? new Set<string>();
    const added = userIds.filter((userId) => !ids.has(userId));
    const grown = new Map<number, string[]>();
    for (const userId of added) grow(grown, bucket, userId);
    // The index first: a record is always reachable from its index once written.
    for (const [part, list] of grown) await this.store.set(bucket.indexKeys[part] as string, list);
    await Promise.all(userIds.map((userId) => this.store.set(bucket.docKey(userId), own(draft, userId))));
    for (const [part, list] of grown) bucket.parts[part] = list;
    for (const userId of added) ids.add(userId);
    bucket.ids = ids;
    for (const userId of userIds) put(bucket.docs, userId, own(draft, userId) as T);
  }

  // ---- layout version and migration

  /** Waits until the server's data is in the current layout (migrating it once, on first use). */
  private ready(guildId: string): Promise<MigrationResult> {
    const s = this.server(guildId);
    if (!s.layout) {
      s.layout = this.lock(guildId, () => this.migrateLocked(guildId));
      // A failed migration is tried again on next use.
      s.layout.catch(() => {
        if (this.servers.get(guildId) === s) s.layout = undefined;
      });
    }
    return s.layout;
  }

  /**
   * Brings one server's scores to the current layout, once: a store written by
   * the previous version keeps every score (the per-hour events become per-day
   * member records in the server's time zone; member totals, seasons and round
   * wins already have their final keys). Recorded in `scores-layout:<server>`;
   * running it again changes nothing. Runs by itself on a server's first use;
   * start-up runs it for the servers the process holds.
   */
  migrate(guildId: string): Promise<MigrationResult> {
    return this.ready(guildId);
  }

  private async migrateLocked(guildId: string): Promise<MigrationResult> {
    const from = (await this.store.get<number>(scoreLayoutKey(guildId))) ?? 1;
    if (from >= SCORE_LAYOUT) return { from, events: 0, dayRecords: 0 };
    const seasons = await this.store.get<SeasonsDoc>(seasonsKey(guildId));
    let events = 0;
    let dayRecords = 0;
    // Layout 1 wrote the seasons with the first score: no seasons, no events.
    if (seasons) {
      const timeZone = await this.timeZoneOf(guildId);
      const start = Math.min(seasons.current.startedAt, ...seasons.past.map((p) => p.startedAt)) - MIGRATION_MARGIN_MS;
      const end = Math.max(this.clock.now(), seasons.current.startedAt) + DAY_MS;
      const hours: string[] = [];
      for (let hour = Math.floor(start / HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) hours.push(utcHour(hour));
      // Day records rebuilt from every event (not added to what is there), so a second run writes the same values.
      const days = new Map<string, Record<string, DayTotals>>();
      for (let i = 0; i < hours.length; i += READ_CHUNK) {
        const chunk = await this.store.getMany<ScoreEvent[]>(hours.slice(i, i + READ_CHUNK).map((hour) => legacyEventsKey(guildId, hour)));
        for (const list of chunk) {
          for (const event of list ?? []) {
            const day = localDay(new Date(event.at), timeZone);
            let members = days.get(day);
            if (!members) days.set(day, (members = {}));
            put(members, event.userId, applyDayEvent(own(members, event.userId), event));
            events += 1;
          }
        }
      }
      // Each scope's one-record index becomes parts.
      for (const scope of ['all', ...[...seasons.past, seasons.current].map((season) => seasonScope(season.id))] as Scope[]) {
        const legacy = await this.store.get<string[]>(legacyMemberIndexKey(guildId, scope));
        if (!legacy) continue;
        const bucket = new Bucket<MemberTotals>(scopeIndexKeys(guildId, scope), () => '');
        await this.loadIndexes([bucket]);
        const grown = new Map<number, string[]>();
        for (const userId of legacy) {
          if (bucket.ids?.has(userId)) continue;
          bucket.ids?.add(userId);
          grow(grown, bucket, userId);
        }
        for (const [part, list] of grown) await this.store.set(bucket.indexKeys[part] as string, list);
      }
      for (const [day, members] of days) {
        const userIds = Object.keys(members);
        const index = new Set((await this.store.get<string[]>(dayIndexKey(guildId, day))) ?? []);
        const added = userIds.filter((userId) => !index.has(userId));
        if (added.length > 0) await this.store.set(dayIndexKey(guildId, day), [...index, ...added]);
        for (const userId of userIds) await this.store.set(dayTotalsKey(guildId, day, userId), members[userId]);
        dayRecords += userIds.length;
      }
    }
    await this.store.set(scoreLayoutKey(guildId), SCORE_LAYOUT);
    return { from, events, dayRecords };
  }

  // ---- seasons

  private async seasonsLocked(guildId: string, now: number): Promise<{ doc: SeasonsDoc; stored: boolean }> {
    const s = this.server(guildId);
    if (!s.seasons) {
      const doc = await this.store.get<SeasonsDoc>(seasonsKey(guildId));
      if (doc) s.seasons = doc;
    }
    return s.seasons ? { doc: s.seasons, stored: true } : { doc: { current: { id: 1, name: 'Season 1', startedAt: now }, past: [] }, stored: false };
  }

  /** The server's seasons; the first season starts with the first score. */
  async seasons(guildId: string, now: number): Promise<SeasonsDoc> {
    await this.ready(guildId);
    const cached = this.server(guildId).seasons;
    if (cached) return cached;
    return (await this.lock(guildId, () => this.seasonsLocked(guildId, now))).doc;
  }

  // ---- writes

  /**
   * Records judged attempts; `names` maps user ids to their display names now.
   * With a `scoringId` (one per question, e.g. `live:<round>:<index>`), recording
   * the same events again does nothing: a question replayed after a restart
   * counts once. Rejects when the store does not take the write.
   */
  async record(guildId: string, events: readonly ScoreEvent[], names: Readonly<Record<string, string>>, scoringId?: string): Promise<void> {
    if (events.length === 0) return;
    await this.ready(guildId);
    const timeZone = await this.timeZoneOf(guildId);
    await this.lock(guildId, async () => {
      if (scoringId && (await this.store.get<true>(scoredKey(guildId, scoringId)))) return;
      const first = events[0] as ScoreEvent;
      const seasons = await this.seasonsLocked(guildId, first.at);
      if (!seasons.stored) {
        await this.store.set(seasonsKey(guildId), seasons.doc);
        this.server(guildId).seasons = seasons.doc;
      }
      const foldTotals = (draft: Totals, event: ScoreEvent) => applyEvent(draft, event, own(names, event.userId) ?? '');
      await this.apply(this.scope(guildId, 'all'), events, foldTotals);
      await this.apply(this.scope(guildId, seasonScope(seasons.doc.current.id)), events, foldTotals);
      const byDay = new Map<string, ScoreEvent[]>();
      for (const event of events) {
        const day = localDay(new Date(event.at), timeZone);
        const list = byDay.get(day);
        if (list) list.push(event);
        else byDay.set(day, [event]);
      }
      for (const [day, dayEvents] of byDay) {
        await this.apply<DayTotals>(this.day(guildId, day), dayEvents, (draft, event) => put(draft, event.userId, applyDayEvent(own(draft, event.userId), event)));
      }
      if (scoringId) await this.store.set(scoredKey(guildId, scoringId), true);
    });
  }

  /** Whether the events of `scoringId` were recorded. */
  async wasRecorded(guildId: string, scoringId: string): Promise<boolean> {
    return (await this.store.get<true>(scoredKey(guildId, scoringId))) === true;
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

  // ---- reads

  private async scopeTotals(guildId: string, scope: Scope): Promise<Totals> {
    await this.ready(guildId);
    const bucket = this.scope(guildId, scope);
    if (!bucket.complete) await this.lock(guildId, () => this.loadAll([bucket]));
    return bucket.docs;
  }

  /** All-time totals of every member of the server (kept up to date in memory: read it, never change it). */
  async totals(guildId: string): Promise<Totals> {
    return this.scopeTotals(guildId, 'all');
  }

  /** One member's all-time totals. */
  async member(guildId: string, userId: string): Promise<MemberTotals | undefined> {
    await this.ready(guildId);
    const bucket = this.scope(guildId, 'all');
    if (!bucket.complete && !Object.hasOwn(bucket.docs, userId)) await this.lock(guildId, () => this.loadDocs([{ bucket, userIds: [userId] }]));
    return own(bucket.docs, userId);
  }

  async seasonTotals(guildId: string, seasonId: number): Promise<Totals> {
    return this.scopeTotals(guildId, seasonScope(seasonId));
  }

  /** Each member's totals on each of the given local days of the server, in order (read them, never change them). */
  async dayTotals(guildId: string, days: readonly string[]): Promise<Readonly<Record<string, DayTotals>>[]> {
    await this.ready(guildId);
    const buckets = days.map((day) => this.day(guildId, day));
    if (buckets.some((b) => !b.complete)) await this.lock(guildId, () => this.loadAll(buckets));
    return buckets.map((b) => b.docs);
  }

  /**
   * Per-member tallies for a scope: all time, a season, or a time range (made
   * of the whole local days of the server that it touches: a week or a month
   * of `periodRange` in the server's time zone); optionally only some decks.
   */
  async tallies(guildId: string, scope: { kind: 'all' } | { kind: 'season'; seasonId: number } | { kind: 'range'; range: TimeRange }, decks?: (deck: string) => boolean): Promise<Map<string, Tally>> {
    if (scope.kind === 'all') return tallyFromTotals(await this.totals(guildId), decks);
    if (scope.kind === 'season') return tallyFromTotals(await this.seasonTotals(guildId, scope.seasonId), decks);
    const days = daysOf(scope.range, await this.timeZoneOf(guildId));
    return tallyFromDays(await this.dayTotals(guildId, days), decks);
  }

  /** Closes the current season (keeping its top 3) and starts a new one. All-time totals stay. */
  async newSeason(guildId: string, name: string, now: number): Promise<{ closed: PastSeason; current: Season }> {
    await this.ready(guildId);
    return this.lock(guildId, async () => {
      const { doc } = await this.seasonsLocked(guildId, now);
      const bucket = this.scope(guildId, seasonScope(doc.current.id));
      await this.loadAll([bucket]);
      // Ranked as the leaderboard ranks: members tied on points share a rank.
      const podium = rank(tallyFromTotals(bucket.docs), (userId) => bucket.docs[userId]?.name || 'a former member').filter((row) => row.rank <= 3 && row.points > 0);
      const top = podium.slice(0, TOP_KEPT).map(({ userId, name, points }) => ({ userId, name, points }));
      const more = podium.length - top.length;
      const closed: PastSeason = { ...doc.current, endedAt: now, top, ...(more > 0 ? { more } : {}) };
      const current: Season = { id: doc.current.id + 1, name, startedAt: now };
      const next: SeasonsDoc = { current, past: [...doc.past, closed] };
      await this.store.set<SeasonsDoc>(seasonsKey(guildId), next);
      this.server(guildId).seasons = next;
      // The closed season's totals are no longer needed in memory.
      this.server(guildId).scopes.delete(seasonScope(doc.current.id));
      return { closed, current };
    });
  }
}
