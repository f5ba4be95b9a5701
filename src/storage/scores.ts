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
 * Layout 5 (keys in keys.ts): no read or write grows with the server's history,
 * a week reads 7 records and a month at most 31, and an award is one write:
 * - `award:<server>:<slot>`: the award journal, a ring of JOURNAL_SLOTS slots.
 *   Recording an award is ONE write: the award (its events, the members'
 *   names, its season, each event's local day, its sequence number `seq` and,
 *   when given, its id). Once that write is taken the award is stored: a crash
 *   at any later point loses nothing.
 * - `awards:<server>`: the journal's head, `{ folded, parts }`: every award up
 *   to that sequence number is in the records below; `parts`, each scope's
 *   index size (see SCOPE_INDEX_PARTS).
 * - `member:<server>:<scope>:<user>`: a member's totals; scope `all` or
 *   `s<season id>`. Each record carries `seq`, the last award folded into it.
 * - `scoreidx:<server>:<scope>:<size>:<part>`: the scope's index, in `size`
 *   parts by a hash of the id (`scoreidx:<server>:<scope>:<part>` for the
 *   1,024 parts of layout 4): each member with totals in the scope and their points,
 *   answers, correct answers and wins, overall and per deck, with `seq`, the
 *   last award folded into the part. An all-time or season board reads these
 *   parts alone (and then only the names it shows).
 * - `scoreday:<server>:<YYYY-MM-DD>`: every member's totals of one local day of
 *   the server's time zone, per deck, with `seq`, the last award folded in.
 *   Index parts and day records keep their tallies packed (packed-tallies.ts).
 * - `scored:<server>:<award id>`: the award with this id is in the records.
 * - `seasons:<server>`, `roundwins:<server>`;
 * - `scores-layout:<server>`: the layout version, written by `migrate`.
 *
 * Folding. Awards are applied to memory at once (pages see them), and to the
 * records in batches: after every FOLD_EVERY awards (and when the server is first
 * used after a start) the journal's awards are folded into the records of the
 * members and days they concern, in one multi-key write, and then the head
 * moves. A record folds an award only when the award's `seq` is above the
 * record's own `seq`, so folding again after a crash (some records written,
 * others not, the head not moved) counts every award exactly once in every
 * record. A day record holds every member of its day, but it is rewritten
 * once per batch, not once per award.
 *
 * Recovery. On a server's first use (after start-up, every server held is migrated in turn), the
 * book reads the head and the journal's slots, replays the awards above the
 * head into memory and folds them. `record` with an id that is in the journal
 * or has its `scored:` mark does nothing: a replay after a restart counts once.
 *
 * Days are the server's local days at the time of the award (its daily
 * question's time zone, else the default): weeks and months are made of whole
 * local days, so after a change of time zone, older awards stay on the day
 * they were given.
 *
 * Earlier layouts, upgraded once per server by `migrate` (nothing is deleted;
 * the old records are no longer read or written afterwards):
 * - layout 1 kept every score event in one record per UTC hour
 *   (`events:<server>:<YYYY-MM-DDTHH>`) and each scope's index in one record
 *   (`members:<server>:<scope>`);
 * - layout 3 kept each scope's index as user ids only (`members:<server>:<scope>:<part>`,
 *   64 parts), so an all-time or season board read every member's record;
 * - layout 2 kept a record per member and local day (`day:<server>:<day>:<user>`)
 *   with an index per day (`days:<server>:<day>`), and wrote every record of an
 *   award at once (a crash in between could count part of an award twice);
 * - layout 4 had every scope's index in 1,024 parts, its size written nowhere:
 *   upgrading writes that size into the journal's head, and nothing else.
 */
import { addDayTallies, applyDayEvent, applyMemberEvent, copyDayTotals, copyMemberTotals, emptyMemberTotals, setOwn, tallyFromTotals } from '../competition/aggregate.ts';
import { daysOf } from '../competition/periods.ts';
import { rank } from '../competition/ranking.ts';
import type { DayTotals, MemberTotals, ScoreEvent, Tally, TimeRange, Totals } from '../competition/types.ts';
import { localDay } from '../schedule/time.ts';
import { systemClock, type Clock } from '../clock.ts';
import {
  awardJournalKey,
  awardsHeadKey,
  dayRecordKey,
  legacyDayIndexKey,
  legacyDayTotalsKey,
  legacyEventsKey,
  legacyMemberIndexKey,
  memberIndexKey,
  scopeIndexKey,
  memberTotalsKey,
  roundWinsKey,
  scoredKey,
  scoreLayoutKey,
  scoresLock,
  seasonsKey,
  type ScoreScope,
} from './keys.ts';
import { addPackedTallies, packedIds, packTallies, unpackTallies, type AnyPacked, type StoredTallies } from './packed-tallies.ts';
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
export const SCORE_LAYOUT = 5;

export interface MigrationResult {
  /** Layout version found before the migration (1 for a store of the first version or a fresh server). */
  readonly from: number;
  /** Score events (layout 1) or member day records (layout 2) folded into day records (0 when there was nothing to do). */
  readonly events: number;
  /** Day records written. */
  readonly dayRecords: number;
}

export interface ScoreBookOptions {
  /** The server's time zone (its daily question's, else the default): days and weeks follow it. Default UTC. */
  readonly timeZoneOf?: (guildId: string) => Promise<string>;
  /** For the migration's scan of earlier layouts up to now. */
  readonly clock?: Clock;
  /** Members a part of an index holds on average before the index grows (default MEMBERS_PER_PART; tests use small values). */
  readonly membersPerPart?: number;
  /** Awards journaled before they are folded into the records (default FOLD_EVERY; tests use small values). */
  readonly foldEvery?: number;
}

/** One award as journaled: everything needed to fold it into the records again. */
export interface JournaledAward {
  readonly seq: number;
  /** The season current when it was given. */
  readonly season: number;
  readonly events: readonly ScoreEvent[];
  /** The local day of each event (same order). */
  readonly days: readonly string[];
  /** Display names of the members concerned. */
  readonly names: Readonly<Record<string, string>>;
  /** The caller's id for it (`live:<round>:<question>`, `daily:<drop>:<user>`), when given. */
  readonly id?: string;
}

interface JournalHead {
  readonly folded: number;
  /** Each scope's index size (see SCOPE_INDEX_PARTS); absent in heads written before indexes grew. */
  readonly parts?: Readonly<Record<string, number>>;
}

/** A stored day record: every member's totals of the day (see packed-tallies.ts), with the last award folded in. */
type DayRecord = StoredTallies & { readonly seq: number };

/** Awards folded into the records per batch. */
export const FOLD_EVERY = 128;
/** Slots of the journal ring; more than FOLD_EVERY + 1, so an award is never overwritten before it is folded. */
export const JOURNAL_SLOTS = 256;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Keys per read: keeps each storage query small, and an index of up to 1,024 parts one query. */
const READ_CHUNK = 1024;
/** Local days kept in memory per server (a month and a bit, twice). */
const DAYS_CACHED = 64;
/** Migrations scan from this long before the first season started. */
const MIGRATION_MARGIN_MS = 7 * DAY_MS;
/** Journal slots read first when a server is first used (more are read while they hold awards not folded yet). */
const RECOVER_CHUNK = 4;
/**
 * Parts of a scope's index. A fold rewrites the parts of the members it
 * concerns: with 1,024 parts, a batch of 128 awards to different members
 * rewrites about 120 parts of 1/1,024 of the members each (with 64 parts it
 * rewrote nearly all of them, every member's tallies, on every fold).
 *
 * An index grows with its server. A new scope's index has FIRST_INDEX_PARTS
 * parts; once it holds more than MEMBERS_PER_PART members a part on average,
 * the fold that finds it so writes it again in twice as many parts (up to
 * MAX_INDEX_PARTS), under keys with the new size, and the journal's head
 * records every scope's size in the same write that moves it. A fold keeps
 * rewriting small parts at 50,000 members (4,096 parts of about 12 members
 * instead of 1,024 of 49: 0–27% less time an award, measured), and a first
 * page reads few rows on a small server (reading costs rows more than bytes:
 * 8,192 parts of 6 members took twice as long to read as 1,024 of 49).
 *
 * SCOPE_INDEX_PARTS is the size of every index written before indexes grew
 * (a head without sizes), whose keys carry no size.
 */
export const SCOPE_INDEX_PARTS = 1024;
/** Parts of a new scope's index (see SCOPE_INDEX_PARTS). */
export const FIRST_INDEX_PARTS = 256;
/** Members a part holds on average before its index grows (see SCOPE_INDEX_PARTS). */
export const MEMBERS_PER_PART = 16;
const MAX_INDEX_PARTS = 65_536;
/** Parts of a scope's member index in layout 3 (`members:`), read by the migration. */
const LEGACY_INDEX_PARTS = 64;

/** A stored part of a scope's index: its members' tallies, overall and per deck (see packed-tallies.ts), with the last award folded in. */
type IndexPart = StoredTallies & { readonly seq: number };

type Scope = ScoreScope;

function seasonScope(seasonId: number): Scope {
  return `s${seasonId}`;
}

function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** FNV-1a of the id: which part of an index holds a member. */
export function partOf(userId: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % parts;
}

/** Member records of one scope, with the scope's index in parts, as far as read so far. */
class ScopeBucket {
  /** The index's members; undefined until read. */
  ids: Set<string> | undefined;
  /** The index's parts as read, packed, until something needs a part's members as objects (see `part`). */
  #packed: (AnyPacked | undefined)[] = [];
  /** The index's parts as objects: each member's tallies, with every award of the journal (to be stored: see `dirty`). */
  #parts: (Record<string, DayTotals> | undefined)[] = [];
  /** Per part: the last award folded into the stored part (awards up to it are in it already). */
  seqs: number[] = [];
  /** Parts changed since the last fold. */
  readonly dirty = new Set<number>();
  /** Member records read or made so far, with every award of the journal (own properties by user id). Never modified in place: replaced. */
  readonly docs: Record<string, MemberTotals> = {};
  /** Per member in `docs`: the last award folded into their record. */
  readonly marks = new Map<string, number>();
  /** Every member of the index has their record in `docs`. */
  complete = false;

  constructor(
    readonly scope: Scope,
    public indexKeys: readonly string[],
    readonly docKey: (userId: string) => string,
  ) {}

  /** The index as read from the store, one record (or none) per key of `indexKeys`. Packed parts stay packed: a board sums them as they are. */
  read(stored: readonly (IndexPart | undefined)[]): void {
    const ids = new Set<string>();
    this.#packed = [];
    this.#parts = [];
    stored.forEach((record, i) => {
      if (!record) return;
      if ('members' in record) {
        const members = unpackTallies(record);
        this.#parts[i] = members;
        for (const userId of Object.keys(members)) ids.add(userId);
      } else {
        this.#packed[i] = record;
        for (const userId of packedIds(record)) ids.add(userId);
      }
    });
    this.seqs = stored.map((record) => record?.seq ?? 0);
    this.ids = ids;
  }

  /** Part `i`'s members as objects (own properties by user id), made from the part as read on first need. */
  part(i: number): Record<string, DayTotals> {
    let members = this.#parts[i];
    if (!members) {
      const packed = this.#packed[i];
      this.#parts[i] = members = packed ? unpackTallies(packed) : {};
      this.#packed[i] = undefined;
    }
    return members;
  }

  /** The index regrouped in `parts`, each holding every award up to `seq`. */
  replace(parts: Record<string, DayTotals>[], seq: number): void {
    this.#parts = parts;
    this.#packed = [];
    this.seqs = parts.map(() => seq);
  }

  /** Every member's tallies into `out` (with `decks`, an empty tally for a member without a matching deck, as `tallyFromTotals` gives). */
  addTo(out: Map<string, Tally>, decks?: (deck: string) => boolean): void {
    for (let i = 0; i < this.indexKeys.length; i++) {
      const packed = this.#packed[i];
      const members = this.#parts[i];
      if (packed) addPackedTallies(out, packed, decks, true);
      else if (members) addDayTallies(out, members, decks, true);
    }
  }

  /** The index's members' tallies, in `count` parts (for an index that grows). */
  regroup(count: number): Record<string, DayTotals>[] {
    const parts: Record<string, DayTotals>[] = Array.from({ length: count }, () => ({}));
    for (let i = 0; i < this.indexKeys.length; i++) {
      const members = this.part(i);
      for (const userId of Object.keys(members)) setOwn(parts[partOf(userId, count)] as Record<string, DayTotals>, userId, members[userId] as DayTotals);
    }
    return parts;
  }

  /** Folds an award's events into the tallies of the index (read already), unless its part holds it already (written at the next fold). */
  apply(award: JournaledAward, userIds: Iterable<string>): void {
    if (!this.ids) return;
    for (const userId of userIds) {
      const part = partOf(userId, this.indexKeys.length);
      if (award.seq <= (this.seqs[part] ?? 0)) continue;
      const members = this.part(part);
      const before = own(members, userId);
      let tally: DayTotals | undefined = before ? copyDayTotals(before) : undefined;
      for (const event of memberEvents(award, userId)) tally = applyDayEvent(tally, event);
      if (!tally) continue;
      setOwn(members, userId, tally);
      this.ids.add(userId);
      this.dirty.add(part);
    }
  }
}

/** One local day's record, once read. */
class DayBucket {
  loaded = false;
  /** The day as read, packed, while nothing has asked for its members' totals as objects (a week's board sums it as it is). */
  packed: AnyPacked | undefined;
  #docs: Record<string, DayTotals> | undefined = {};
  /** The last award folded into the day. */
  seq = 0;

  /** Every member's totals of the day, with every award of the journal. A member's totals are never modified in place: replaced. */
  get docs(): Record<string, DayTotals> {
    if (!this.#docs) {
      this.#docs = unpackTallies(this.packed as AnyPacked);
      this.packed = undefined;
    }
    return this.#docs;
  }

  /** The day as stored: kept packed until its totals are needed as objects. */
  read(record: StoredTallies): void {
    if ('members' in record) {
      this.#docs = unpackTallies(record);
      this.packed = undefined;
    } else {
      this.#docs = undefined;
      this.packed = record;
    }
  }

  /** Adds the day's tallies into `out` (see `addDayTallies`). */
  addTo(out: Map<string, Tally>, decks?: (deck: string) => boolean): void {
    if (this.#docs) addDayTallies(out, this.#docs, decks);
    else addPackedTallies(out, this.packed as AnyPacked, decks);
  }
}

function scopeIndexKeys(guildId: string, scope: Scope, count = SCOPE_INDEX_PARTS): string[] {
  return Array.from({ length: count }, (_, part) => scopeIndexKey(guildId, scope, part, count === SCOPE_INDEX_PARTS ? undefined : count));
}

function concerns(scope: Scope, award: JournaledAward): boolean {
  return scope === 'all' || scope === seasonScope(award.season);
}

interface Journal {
  /** Every award up to this one is in the records. */
  folded: number;
  /** The awards above `folded`, in order. */
  pending: JournaledAward[];
}

interface ServerCache {
  layout?: Promise<MigrationResult>;
  seasons?: SeasonsDoc;
  journal: Journal;
  /** Each scope's index size, as the journal's head records it (a scope it does not name is new). */
  indexSizes: Readonly<Record<string, number>>;
  readonly scopes: Map<Scope, ScopeBucket>;
  readonly days: Map<string, DayBucket>;
}

/** An award's events by member (made once per award: an award may hold a whole day of events). */
const eventsByMember = new WeakMap<JournaledAward, Map<string, ScoreEvent[]>>();
function memberEvents(award: JournaledAward, userId: string): readonly ScoreEvent[] {
  let byMember = eventsByMember.get(award);
  if (!byMember) {
    byMember = new Map();
    for (const event of award.events) {
      const list = byMember.get(event.userId);
      if (list) list.push(event);
      else byMember.set(event.userId, [event]);
    }
    eventsByMember.set(award, byMember);
  }
  return byMember.get(userId) ?? [];
}

/** Folds one award's events of `userId` into a copy of their totals. */
function withAward(doc: MemberTotals | undefined, award: JournaledAward, userId: string): MemberTotals | undefined {
  let next = doc;
  const name = own(award.names, userId) ?? '';
  for (const event of memberEvents(award, userId)) {
    next = applyMemberEvent(next === undefined ? emptyMemberTotals(name) : next === doc ? copyMemberTotals(next) : next, event, name);
  }
  return next;
}

export class ScoreBook {
  private readonly servers = new Map<string, ServerCache>();
  private readonly timeZoneOf: (guildId: string) => Promise<string>;
  private readonly clock: Clock;
  private readonly foldEvery: number;
  private readonly membersPerPart: number;

  constructor(
    private readonly store: Store,
    options: ScoreBookOptions = {},
  ) {
    this.timeZoneOf = options.timeZoneOf ?? (() => Promise.resolve('UTC'));
    this.clock = options.clock ?? systemClock;
    this.foldEvery = Math.max(1, Math.min(options.foldEvery ?? FOLD_EVERY, JOURNAL_SLOTS - 2));
    this.membersPerPart = options.membersPerPart ?? MEMBERS_PER_PART;
  }

  // ---- cache plumbing

  private server(guildId: string): ServerCache {
    let s = this.servers.get(guildId);
    if (!s) this.servers.set(guildId, (s = { scopes: new Map(), days: new Map(), journal: { folded: 0, pending: [] }, indexSizes: {} }));
    return s;
  }

  private scope(guildId: string, scope: Scope): ScopeBucket {
    const s = this.server(guildId);
    let b = s.scopes.get(scope);
    if (!b) s.scopes.set(scope, (b = new ScopeBucket(scope, scopeIndexKeys(guildId, scope, this.indexSize(guildId, scope)), (userId) => memberTotalsKey(guildId, scope, userId))));
    return b;
  }

  /** The size of a scope's index as stored (see SCOPE_INDEX_PARTS). */
  private indexSize(guildId: string, scope: Scope): number {
    return own(this.server(guildId).indexSizes, scope) ?? FIRST_INDEX_PARTS;
  }

  private day(guildId: string, day: string): DayBucket {
    const s = this.server(guildId);
    let b = s.days.get(day);
    if (!b) {
      if (s.days.size >= DAYS_CACHED) {
        // Forget the oldest day; it is read again from the store (and the journal) if asked for.
        const oldest = [...s.days.keys()].sort()[0] as string;
        s.days.delete(oldest);
      }
      s.days.set(day, (b = new DayBucket()));
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

  /** Reads the scope indexes not read yet, in one query, and folds into them the journal's awards they do not hold yet. Call with the server's lock held. */
  private async loadIndexes(guildId: string, buckets: readonly ScopeBucket[]): Promise<void> {
    const missing = buckets.filter((b) => !b.ids);
    if (missing.length === 0) return;
    const records = await this.readMany<IndexPart>(missing.flatMap((b) => b.indexKeys));
    const pending = this.server(guildId).journal.pending;
    let at = 0;
    for (const b of missing) {
      b.read(b.indexKeys.map(() => records[at++]));
      for (const award of pending) if (concerns(b.scope, award)) b.apply(award, new Set(award.events.map((e) => e.userId)));
    }
  }

  /**
   * Reads the records of `userIds` not in memory yet and folds into them the
   * journal's awards they do not hold yet. `indexed`: only members of the index
   * (the others have no record). Call with the lock held.
   */
  private async loadDocs(guildId: string, bucket: ScopeBucket, userIds: Iterable<string>, indexed = true): Promise<void> {
    if (indexed) await this.loadIndexes(guildId, [bucket]);
    const wanted: string[] = [];
    for (const userId of userIds) if ((!indexed || bucket.ids?.has(userId)) && !Object.hasOwn(bucket.docs, userId)) wanted.push(userId);
    if (wanted.length === 0) return;
    const docs = await this.readMany<MemberTotals & { seq?: number }>(wanted.map((userId) => bucket.docKey(userId)));
    const pending = this.server(guildId).journal.pending;
    const concerned = pending.filter((a) => concerns(bucket.scope, a));
    wanted.forEach((userId, i) => {
      const stored = docs[i];
      let mark = 0;
      let doc: MemberTotals | undefined = stored;
      if (stored && 'seq' in stored) {
        // A copy without the mark (deleting it would leave a slower object for every page to read).
        const { seq, ...rest } = stored;
        mark = seq ?? 0;
        doc = rest;
      }
      for (const award of concerned) {
        if (award.seq <= mark) continue;
        const next = withAward(doc, award, userId);
        if (next !== doc) {
          doc = next;
          mark = award.seq;
        }
      }
      if (doc === undefined) return;
      setOwn(bucket.docs, userId, doc);
      bucket.marks.set(userId, mark);
    });
  }

  /** Reads every record of a scope. Call with the lock held. */
  private async loadScope(guildId: string, bucket: ScopeBucket): Promise<void> {
    if (bucket.complete) return;
    await this.loadIndexes(guildId, [bucket]);
    await this.loadDocs(guildId, bucket, bucket.ids ?? []);
    bucket.complete = true;
  }

  /**
   * The buckets of `days`, in order, each loaded: the records not in memory are
   * read (one record per day) and get the journal's awards. Use the buckets
   * returned (a long list may push some out of the cache). Lock held.
   */
  private async loadDays(guildId: string, days: readonly string[]): Promise<DayBucket[]> {
    const buckets = days.map((day) => this.day(guildId, day));
    const missing = buckets.flatMap((bucket, i) => (bucket.loaded ? [] : [{ bucket, day: days[i] as string }]));
    if (missing.length === 0) return buckets;
    const records = await this.readMany<DayRecord>(missing.map(({ day }) => dayRecordKey(guildId, day)));
    const pending = this.server(guildId).journal.pending;
    missing.forEach(({ bucket, day }, i) => {
      if (bucket.loaded) return;
      const record = records[i];
      if (record) {
        bucket.read(record);
        bucket.seq = record.seq ?? 0;
      }
      bucket.loaded = true;
      for (const award of pending) if (award.seq > bucket.seq) this.applyToDay(bucket, award, day);
    });
    return buckets;
  }

  /** Folds an award's events of `day` into a loaded day. */
  private applyToDay(bucket: DayBucket, award: JournaledAward, day: string): void {
    let touched = false;
    const copied = new Set<string>();
    award.events.forEach((event, i) => {
      if (award.days[i] !== day) return;
      let doc = own(bucket.docs, event.userId);
      if (doc && !copied.has(event.userId)) doc = copyDayTotals(doc);
      copied.add(event.userId);
      setOwn(bucket.docs, event.userId, applyDayEvent(doc, event));
      touched = true;
    });
    if (touched) bucket.seq = award.seq;
  }

  /**
   * Applies a journaled award to what is in memory: the records read so far,
   * and the indexes (a member new to a scope gets a record at once). Records
   * not read yet get the award when they are read (`loadDocs`, `loadDays`).
   * Call with the lock held, the award's scope indexes read.
   */
  private applyToMemory(guildId: string, award: JournaledAward): void {
    const userIds = [...new Set(award.events.map((e) => e.userId))];
    for (const bucket of [this.scope(guildId, 'all'), this.scope(guildId, seasonScope(award.season))]) {
      const known = userIds.map((userId) => bucket.ids?.has(userId) === true);
      bucket.apply(award, userIds);
      for (const [k, userId] of userIds.entries()) {
        const isNew = !known[k];
        if (!isNew && !Object.hasOwn(bucket.docs, userId)) continue;
        const doc = withAward(own(bucket.docs, userId), award, userId);
        if (doc) setOwn(bucket.docs, userId, doc);
        bucket.marks.set(userId, award.seq);
      }
    }
    for (const day of new Set(award.days)) {
      const bucket = this.server(guildId).days.get(day);
      if (bucket?.loaded) this.applyToDay(bucket, award, day);
    }
  }

  /**
   * Folds the journal's awards into the records of the members and days they
   * concern: one multi-key write (index parts, member records, day records,
   * `scored:` marks), then the head. Lock held.
   */
  private async fold(guildId: string): Promise<void> {
    const journal = this.server(guildId).journal;
    const batch = journal.pending;
    if (batch.length === 0) return;
    const last = (batch[batch.length - 1] as JournaledAward).seq;
    const writes: { key: string; value: unknown }[] = [];
    const scopes = new Map<Scope, Set<string>>();
    const days = new Set<string>();
    for (const award of batch) {
      for (const scope of ['all', seasonScope(award.season)] as Scope[]) {
        let users = scopes.get(scope);
        if (!users) scopes.set(scope, (users = new Set()));
        for (const event of award.events) users.add(event.userId);
      }
      for (const day of award.days) days.add(day);
    }
    const buckets: ScopeBucket[] = [];
    const grown: { bucket: ScopeBucket; keys: string[]; parts: Record<string, DayTotals>[] }[] = [];
    for (const [scope, users] of scopes) {
      const bucket = this.scope(guildId, scope);
      buckets.push(bucket);
      await this.loadIndexes(guildId, [bucket]);
      await this.loadDocs(guildId, bucket, users, false);
      const size = this.grownSize(bucket);
      if (size) {
        // Every part of the new size, empty ones too: nothing of an earlier attempt stays in them.
        const keys = scopeIndexKeys(guildId, scope, size);
        const parts = bucket.regroup(size);
        grown.push({ bucket, keys, parts });
        parts.forEach((members, part) => writes.push({ key: keys[part] as string, value: { seq: last, ...packTallies(members) } satisfies IndexPart }));
      } else {
        for (const part of bucket.dirty) writes.push({ key: bucket.indexKeys[part] as string, value: { seq: last, ...packTallies(bucket.part(part)) } satisfies IndexPart });
      }
      for (const userId of users) {
        const doc = own(bucket.docs, userId);
        if (doc) writes.push({ key: bucket.docKey(userId), value: { ...doc, seq: bucket.marks.get(userId) ?? last } });
      }
    }
    const dayList = [...days];
    const dayBuckets = await this.loadDays(guildId, dayList);
    for (const [i, day] of dayList.entries()) {
      const bucket = dayBuckets[i] as DayBucket;
      writes.push({ key: dayRecordKey(guildId, day), value: { seq: bucket.seq, ...packTallies(bucket.docs) } satisfies DayRecord });
    }
    for (const award of batch) if (award.id !== undefined) writes.push({ key: scoredKey(guildId, award.id), value: true });
    await this.store.setMany(writes);
    // The head names every scope's size (a scope it does not name is new). A grown index is read at its new size once the head says so: until then its old parts and the journal hold every award.
    const s = this.server(guildId);
    const sizes: Record<string, number> = { ...s.indexSizes };
    for (const [scope, bucket] of s.scopes) setOwn(sizes, scope, bucket.indexKeys.length);
    for (const { bucket, keys } of grown) setOwn(sizes, bucket.scope, keys.length);
    await this.store.set<JournalHead>(awardsHeadKey(guildId), { folded: last, parts: sizes });
    s.indexSizes = sizes;
    journal.folded = last;
    journal.pending = journal.pending.filter((a) => a.seq > last);
    for (const { bucket, keys, parts } of grown) {
      bucket.indexKeys = keys;
      bucket.replace(parts, last);
    }
    for (const bucket of buckets) {
      for (const part of bucket.dirty) bucket.seqs[part] = last;
      bucket.dirty.clear();
    }
  }

  /** The size a scope's index (read) grows to at this fold, if it has outgrown its parts (see SCOPE_INDEX_PARTS). */
  private grownSize(bucket: ScopeBucket): number | undefined {
    const members = bucket.ids?.size ?? 0;
    let size = bucket.indexKeys.length;
    if (members <= size * this.membersPerPart || size >= MAX_INDEX_PARTS) return undefined;
    while (members > size * this.membersPerPart && size < MAX_INDEX_PARTS) size *= 2;
    return size;
  }

  /** The journal's head and its awards above the head, in order. */
  private async readJournal(guildId: string, headRead?: { head: JournalHead | undefined }): Promise<Journal> {
    const head = headRead ? headRead.head : await this.store.get<JournalHead>(awardsHeadKey(guildId));
    const folded = head?.folded ?? 0;
    // The awards above the head are in the slots after it, in order: read from there, a few slots at a time, up to the first slot that does not hold the next award.
    const unfolded: JournaledAward[] = [];
    for (let chunk = RECOVER_CHUNK; unfolded.length < JOURNAL_SLOTS; chunk = Math.min(chunk * 4, JOURNAL_SLOTS)) {
      const first = folded + 1 + unfolded.length;
      const count = Math.min(chunk, JOURNAL_SLOTS - unfolded.length);
      const slots = await this.store.getMany<JournaledAward>(Array.from({ length: count }, (_, k) => awardJournalKey(guildId, (first + k) % JOURNAL_SLOTS)));
      const next = slots.findIndex((award, k) => award?.seq !== first + k);
      unfolded.push(...((next < 0 ? slots : slots.slice(0, next)) as JournaledAward[]));
      if (next >= 0) break;
    }
    return { folded, pending: unfolded };
  }

  /** Reads the journal's awards above its head into memory and folds them (after a restart or a crash). Lock held. */
  private async recover(guildId: string, headRead?: { head: JournalHead | undefined }): Promise<void> {
    const s = this.server(guildId);
    const { folded, pending: unfolded } = await this.readJournal(guildId, headRead);
    s.journal = { folded, pending: [] };
    for (const award of unfolded) {
      await this.loadIndexes(guildId, [this.scope(guildId, 'all'), this.scope(guildId, seasonScope(award.season))]);
      s.journal.pending.push(award);
      this.applyToMemory(guildId, award);
    }
    // A process that does not hold the server reads the journal but leaves the folding to its holder.
    if (this.store.mayWrite(awardsHeadKey(guildId))) await this.fold(guildId);
  }

  // ---- layout version and migration

  /** Waits until the server's data is in the current layout (migrating it once, on first use) and its journal is folded. */
  private ready(guildId: string): Promise<MigrationResult> {
    const s = this.server(guildId);
    if (!s.layout) {
      s.layout = this.lock(guildId, async () => {
        // What every first use reads, in one request: the layout mark, the journal's head, the seasons.
        const [layout, head, seasons] = await this.store.getMany<unknown>([scoreLayoutKey(guildId), awardsHeadKey(guildId), seasonsKey(guildId)]);
        s.indexSizes = { ...(head as JournalHead | undefined)?.parts };
        const result = await this.migrateLocked(guildId, layout as number | undefined, head as JournalHead | undefined);
        if (seasons && !s.seasons) s.seasons = seasons as SeasonsDoc;
        // A migration reads the journal but never moves its head (layout 4 → 5 adds the sizes to it).
        await this.recover(guildId, { head: { folded: (head as JournalHead | undefined)?.folded ?? 0 } });
        return result;
      });
      // A failed migration or recovery is tried again on next use.
      s.layout.catch(() => {
        if (this.servers.get(guildId) === s) s.layout = undefined;
      });
    }
    return s.layout;
  }

  /**
   * Brings one server's scores to the current layout, once: a store written by
   * an earlier version keeps every score (layout 1's hourly events and layout
   * 2's member day records become one record per local day; member totals,
   * seasons and round wins already have their final keys). Recorded in
   * `scores-layout:<server>`; running it again changes nothing. Runs by itself
   * on a server's first use; once the bot is ready it runs for the servers the process
   * holds. Also folds what the journal holds (see Recovery above).
   */
  migrate(guildId: string): Promise<MigrationResult> {
    return this.ready(guildId);
  }

  /**
   * Layout 3 → 4: each scope's index of user ids (`members:`, 64 parts) becomes
   * parts holding each member's tallies (`scoreidx:`), made from the members'
   * records. A record may hold awards above the journal's head (a fold stopped
   * before the head moved): each member's tallies get the journal's awards above
   * their record's own mark, and each part is marked with the journal's last
   * award, so the recovery that follows counts every award once. Rebuilt from
   * the records each time, so running it again writes the same values.
   */
  private async migrateIndexes(guildId: string, seasons: SeasonsDoc): Promise<void> {
    const journal = await this.readJournal(guildId);
    const last = journal.pending.at(-1)?.seq ?? journal.folded;
    for (const scope of ['all', ...[...seasons.past, seasons.current].map((season) => seasonScope(season.id))] as Scope[]) {
      const lists = await this.readMany<string[]>(Array.from({ length: LEGACY_INDEX_PARTS }, (_, part) => memberIndexKey(guildId, scope, part)));
      const concerned = journal.pending.filter((award) => concerns(scope, award));
      const userIds = [...new Set([...lists.flatMap((list) => list ?? []), ...concerned.flatMap((award) => award.events.map((event) => event.userId))])];
      const size = this.indexSize(guildId, scope);
      const parts: Record<string, DayTotals>[] = Array.from({ length: size }, () => ({}));
      for (let i = 0; i < userIds.length; i += READ_CHUNK) {
        const chunk = userIds.slice(i, i + READ_CHUNK);
        const docs = await this.readMany<MemberTotals & { seq?: number }>(chunk.map((userId) => memberTotalsKey(guildId, scope, userId)));
        chunk.forEach((userId, k) => {
          const doc = docs[k];
          let tally: DayTotals | undefined = doc ? { points: doc.points, answered: doc.answered, correct: doc.correct, won: doc.won, decks: structuredClone(doc.decks) } : undefined;
          const mark = doc?.seq ?? 0;
          for (const award of concerned) if (award.seq > mark) for (const event of memberEvents(award, userId)) tally = applyDayEvent(tally, event);
          if (tally) setOwn(parts[partOf(userId, size)] as Record<string, DayTotals>, userId, tally);
        });
      }
      // Parts without members are not stored (a missing part reads as empty).
      const keys = scopeIndexKeys(guildId, scope, size);
      const writes = parts.flatMap((members, part) => (Object.keys(members).length > 0 ? [{ key: keys[part] as string, value: { seq: last, ...packTallies(members) } satisfies IndexPart }] : []));
      for (let i = 0; i < writes.length; i += READ_CHUNK) await this.store.setMany(writes.slice(i, i + READ_CHUNK));
    }
  }

  private async migrateLocked(guildId: string, layout: number | undefined, head: JournalHead | undefined): Promise<MigrationResult> {
    const from = layout ?? 1;
    if (from >= SCORE_LAYOUT) return { from, events: 0, dayRecords: 0 };
    const seasons = await this.store.get<SeasonsDoc>(seasonsKey(guildId));
    let events = 0;
    let dayRecords = 0;
    // Both earlier layouts wrote the seasons with the first score: no seasons, no scores.
    if (seasons && from < 3) {
      const start = Math.min(seasons.current.startedAt, ...seasons.past.map((p) => p.startedAt)) - MIGRATION_MARGIN_MS;
      const end = Math.max(this.clock.now(), seasons.current.startedAt) + DAY_MS;
      // Day records rebuilt from the old records (not added to what is there), so a second run writes the same values.
      const days = new Map<string, Record<string, DayTotals>>();
      const dayOf = (day: string) => {
        let members = days.get(day);
        if (!members) days.set(day, (members = {}));
        return members;
      };
      if (from === 1) {
        const timeZone = await this.timeZoneOf(guildId);
        const hours: string[] = [];
        for (let hour = Math.floor(start / HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) hours.push(utcHour(hour));
        for (let i = 0; i < hours.length; i += READ_CHUNK) {
          const chunk = await this.store.getMany<ScoreEvent[]>(hours.slice(i, i + READ_CHUNK).map((hour) => legacyEventsKey(guildId, hour)));
          for (const list of chunk) {
            for (const event of list ?? []) {
              const members = dayOf(localDay(new Date(event.at), timeZone));
              setOwn(members, event.userId, applyDayEvent(own(members, event.userId), event));
              events += 1;
            }
          }
        }
        // Each scope's one-record index becomes parts.
        for (const scope of ['all', ...[...seasons.past, seasons.current].map((season) => seasonScope(season.id))] as Scope[]) {
          const legacy = await this.store.get<string[]>(legacyMemberIndexKey(guildId, scope));
          if (!legacy) continue;
          const keys = Array.from({ length: LEGACY_INDEX_PARTS }, (_, part) => memberIndexKey(guildId, scope, part));
          const parts = (await this.readMany<string[]>(keys)).map((list) => list ?? []);
          const known = new Set(parts.flat());
          const dirty = new Set<number>();
          for (const userId of legacy) {
            if (known.has(userId)) continue;
            known.add(userId);
            const part = partOf(userId, LEGACY_INDEX_PARTS);
            parts[part] = [...(parts[part] ?? []), userId];
            dirty.add(part);
          }
          for (const part of dirty) await this.store.set(keys[part] as string, parts[part]);
        }
      } else {
        // Layout 2: one record per member and day, listed by the day's index. Any time zone: every date of the span, a day more each side.
        const dates: string[] = [];
        for (let at = start - DAY_MS; at < end + DAY_MS; at += DAY_MS) dates.push(new Date(at).toISOString().slice(0, 10));
        const indexes = await this.readMany<string[]>(dates.map((day) => legacyDayIndexKey(guildId, day)));
        for (const [i, day] of dates.entries()) {
          const userIds = indexes[i];
          if (!userIds?.length) continue;
          const docs = await this.readMany<DayTotals>(userIds.map((userId) => legacyDayTotalsKey(guildId, day, userId)));
          const members = dayOf(day);
          userIds.forEach((userId, k) => {
            const doc = docs[k];
            if (doc) setOwn(members, userId, doc);
            if (doc) events += 1;
          });
        }
      }
      const writes = [...days].map(([day, members]) => ({ key: dayRecordKey(guildId, day), value: { seq: 0, ...packTallies(members) } satisfies DayRecord }));
      for (let i = 0; i < writes.length; i += READ_CHUNK) await this.store.setMany(writes.slice(i, i + READ_CHUNK));
      dayRecords = writes.length;
    }
    if (seasons && from < 4) await this.migrateIndexes(guildId, seasons);
    if (from === 4) {
      // Layout 4 → 5: every index of layout 4 has SCOPE_INDEX_PARTS parts; the head says so from now on.
      const sizes: Record<string, number> = {};
      for (const scope of ['all', ...(seasons ? [...seasons.past, seasons.current].map((season) => seasonScope(season.id)) : [])]) setOwn(sizes, scope, SCOPE_INDEX_PARTS);
      await this.store.set<JournalHead>(awardsHeadKey(guildId), { folded: head?.folded ?? 0, parts: sizes });
      this.server(guildId).indexSizes = sizes;
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
   * Records judged attempts as one award; `names` maps user ids to their
   * display names now. Resolves once the award is stored (one write, see the
   * top of this file); rejects when the store does not take it, and then
   * nothing of it counts.
   *
   * With an `awardId` (one per question or answer, e.g. `live:<round>:<index>`),
   * recording the same events again does nothing: a question replayed after a
   * restart counts once. That takes a store read before the write, unless
   * `newId`: the caller made `awardId` for this award and has not given it
   * before (a live round scoring its question as it closes; the round's
   * recovery after a restart does not say so). Then only the awards in memory
   * are checked, and the award costs one store request.
   *
   * `alongside`: records of the caller's (say, a live round's state with the
   * question being closed) written in the same store request as the award,
   * so that both or neither are stored; written alone when the award was
   * already recorded.
   */
  async record(
    guildId: string,
    events: readonly ScoreEvent[],
    names: Readonly<Record<string, string>>,
    awardId?: string,
    alongside: readonly { readonly key: string; readonly value: unknown }[] = [],
    { newId = false }: { readonly newId?: boolean } = {},
  ): Promise<void> {
    if (events.length === 0) {
      await this.store.setMany(alongside);
      return;
    }
    await this.ready(guildId);
    const timeZone = await this.timeZoneOf(guildId);
    await this.lock(guildId, async () => {
      const s = this.server(guildId);
      if (awardId !== undefined && (await this.recordedLocked(guildId, awardId, newId))) {
        await this.store.setMany(alongside);
        return;
      }
      // A batch left by a fold that failed: folded before the journal takes more (it must not outgrow its ring).
      if (s.journal.pending.length >= this.foldEvery) await this.fold(guildId);
      const first = events[0] as ScoreEvent;
      const seasons = await this.seasonsLocked(guildId, first.at);
      if (!seasons.stored) {
        await this.store.set(seasonsKey(guildId), seasons.doc);
        s.seasons = seasons.doc;
      }
      const season = seasons.doc.current.id;
      await this.loadIndexes(guildId, [this.scope(guildId, 'all'), this.scope(guildId, seasonScope(season))]);
      const award: JournaledAward = {
        seq: s.journal.folded + s.journal.pending.length + 1,
        season,
        events: [...events],
        days: events.map((event) => localDay(new Date(event.at), timeZone)),
        names: Object.fromEntries(events.flatMap((e) => (Object.hasOwn(names, e.userId) ? [[e.userId, names[e.userId] as string]] : []))),
        ...(awardId !== undefined ? { id: awardId } : {}),
      };
      // The award's journal entry and the caller's records that go with it, in one write.
      await this.store.setMany([{ key: awardJournalKey(guildId, award.seq % JOURNAL_SLOTS), value: award }, ...alongside]);
      s.journal.pending.push(award);
      this.applyToMemory(guildId, award);
      // The award is stored; a full batch is folded now (if that fails, the next award tries again first).
      if (s.journal.pending.length >= this.foldEvery) await this.fold(guildId).catch(() => undefined);
    });
  }

  /** Whether `awardId` was recorded; `inMemoryOnly`: among the journal's awards in memory only. */
  private async recordedLocked(guildId: string, awardId: string, inMemoryOnly = false): Promise<boolean> {
    if (this.server(guildId).journal.pending.some((a) => a.id === awardId)) return true;
    return !inMemoryOnly && (await this.store.get<true>(scoredKey(guildId, awardId))) === true;
  }

  /** Whether the award `awardId` was recorded. */
  async wasRecorded(guildId: string, awardId: string): Promise<boolean> {
    await this.ready(guildId);
    return this.lock(guildId, () => this.recordedLocked(guildId, awardId));
  }

  /** Folds every journaled award of the servers in memory into the records (e.g. before a clean stop; never needed for correctness). */
  async flush(): Promise<void> {
    for (const [guildId, s] of this.servers) {
      if (s.journal.pending.length === 0 || !this.store.owner.holds(guildId)) continue;
      await this.lock(guildId, () => this.fold(guildId));
    }
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
    if (!bucket.complete) await this.lock(guildId, () => this.loadScope(guildId, bucket));
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
    if (!bucket.complete && !Object.hasOwn(bucket.docs, userId)) await this.lock(guildId, () => this.loadDocs(guildId, bucket, [userId]));
    return own(bucket.docs, userId);
  }

  /**
   * The display names of some members ('' for a member without a record):
   * reads only the all-time records of those not in memory yet, so a page can
   * name the rows it shows without reading every member.
   */
  async names(guildId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    await this.ready(guildId);
    const bucket = this.scope(guildId, 'all');
    const missing = bucket.complete ? [] : userIds.filter((userId) => !Object.hasOwn(bucket.docs, userId));
    if (missing.length > 0) await this.lock(guildId, () => this.loadDocs(guildId, bucket, missing, false));
    return new Map(userIds.map((userId) => [userId, own(bucket.docs, userId)?.name ?? '']));
  }

  async seasonTotals(guildId: string, seasonId: number): Promise<Totals> {
    return this.scopeTotals(guildId, seasonScope(seasonId));
  }

  /** Each member's totals on each of the given local days of the server, in order (read them, never change them). One record per day. */
  async dayTotals(guildId: string, days: readonly string[]): Promise<Readonly<Record<string, DayTotals>>[]> {
    return (await this.dayBuckets(guildId, days)).map((bucket) => bucket.docs);
  }

  /** The buckets of `days`, each loaded. */
  private async dayBuckets(guildId: string, days: readonly string[]): Promise<DayBucket[]> {
    await this.ready(guildId);
    const cached = days.map((day) => this.server(guildId).days.get(day));
    if (cached.every((bucket) => bucket?.loaded)) return cached as DayBucket[];
    return this.lock(guildId, () => this.loadDays(guildId, days));
  }

  /**
   * Per-member tallies for a scope: all time, a season, or a time range (made
   * of the whole local days of the server that it touches: a week or a month
   * of `periodRange` in the server's time zone, which the caller may pass when
   * it has it); optionally only some decks.
   */
  async tallies(guildId: string, scope: { kind: 'all' } | { kind: 'season'; seasonId: number } | { kind: 'range'; range: TimeRange; timeZone?: string }, decks?: (deck: string) => boolean): Promise<Map<string, Tally>> {
    if (scope.kind === 'all') return this.indexTallies(guildId, 'all', decks);
    if (scope.kind === 'season') return this.indexTallies(guildId, seasonScope(scope.seasonId), decks);
    const days = daysOf(scope.range, scope.timeZone ?? (await this.timeZoneOf(guildId)));
    const out = new Map<string, Tally>();
    for (const bucket of await this.dayBuckets(guildId, days)) bucket.addTo(out, decks);
    return out;
  }

  /**
   * Every member's tallies of a scope from its index alone (the parts hold each
   * member's points, answers, correct answers and wins, overall and per deck):
   * no member record is read. With a deck filter, members without a matching
   * deck have an empty tally (as with `tallyFromTotals`).
   */
  private async indexTallies(guildId: string, scope: Scope, decks?: (deck: string) => boolean): Promise<Map<string, Tally>> {
    await this.ready(guildId);
    const bucket = this.scope(guildId, scope);
    if (!bucket.ids) await this.lock(guildId, () => this.loadIndexes(guildId, [bucket]));
    const out = new Map<string, Tally>();
    bucket.addTo(out, decks);
    return out;
  }

  /** Closes the current season (keeping its top 3) and starts a new one. All-time totals stay. */
  async newSeason(guildId: string, name: string, now: number): Promise<{ closed: PastSeason; current: Season }> {
    await this.ready(guildId);
    return this.lock(guildId, async () => {
      await this.fold(guildId);
      const { doc } = await this.seasonsLocked(guildId, now);
      const bucket = this.scope(guildId, seasonScope(doc.current.id));
      await this.loadScope(guildId, bucket);
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
