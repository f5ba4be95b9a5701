/**
 * The study memory's storage, per server:
 * - `memory:<server>:<member>:<deck>`: the member's state of every card of the
 *   deck they tried, so one member's memory of one deck is one read;
 * - `memory-members:<server>:<deck>`: who has a record for the deck (for the
 *   class's view and choice);
 * - `reviews:<server>:<YYYY-MM-DDTHH>[:<part>]`: the review log of one UTC
 *   hour, only appended to (card, member, time, rating, source), kept for
 *   tuning the scheduler's parameters later; in parts of `LOG_PART` entries,
 *   so an append rewrites one small record however busy the hour.
 */
import type { Card } from '../deck/types.ts';
import { review, withState, stateOf, type MemoryRecord, type MemoryState, type Rating, type ReviewSource } from '../study/memory.ts';
import type { Store } from './store.ts';
import { memoryKey, memoryMembersKey, reviewLogPartKey } from './keys.ts';

const HOUR_MS = 3_600_000;
/** Keys per read: keeps each storage query small. */
const READ_CHUNK = 500;
/** Entries per part of an hour's review log: an append rewrites at most one part, however busy the hour. */
export const LOG_PART = 256;

/** One judged attempt to record. */
export interface ReviewInput {
  readonly userId: string;
  readonly card: Pick<Card, 'id' | 'deck'>;
  readonly rating: Rating;
  readonly source: ReviewSource;
  readonly at: number;
}

/** One line of the review log. */
export interface ReviewLogEntry {
  readonly card: string;
  readonly deck: string;
  readonly user: string;
  readonly at: number;
  readonly rating: Rating;
  readonly source: ReviewSource;
}

function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export class MemoryBook {
  /** Per server, the hour and part of its review log last appended to. */
  private readonly logTails = new Map<string, { hour: string; part: number }>();

  constructor(private readonly store: Store) {}

  private async readMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    const out: (T | undefined)[] = [];
    for (let i = 0; i < keys.length; i += READ_CHUNK) out.push(...(await this.store.getMany<T>(keys.slice(i, i + READ_CHUNK))));
    return out;
  }

  /** A member's memory of one deck (one read); empty when they never tried a card of it. */
  async memory(guildId: string, userId: string, deck: string): Promise<MemoryRecord> {
    return (await this.store.get<MemoryRecord>(memoryKey(guildId, userId, deck))) ?? {};
  }

  /** A member's memory of several decks, one record per deck (one read). */
  async memoryOfDecks(guildId: string, userId: string, decks: readonly string[]): Promise<MemoryRecord[]> {
    const records = await this.readMany<MemoryRecord>(decks.map((deck) => memoryKey(guildId, userId, deck)));
    return records.map((record) => record ?? {});
  }

  /** Every member's memory of a deck, by user id. */
  async classMemory(guildId: string, deck: string): Promise<Map<string, MemoryRecord>> {
    const userIds = (await this.store.get<string[]>(memoryMembersKey(guildId, deck))) ?? [];
    const records = await this.readMany<MemoryRecord>(userIds.map((userId) => memoryKey(guildId, userId, deck)));
    const out = new Map<string, MemoryRecord>();
    userIds.forEach((userId, i) => out.set(userId, records[i] ?? {}));
    return out;
  }

  /** The members with a record for any of `decks`, first seen first (one read per deck, no memory records read). */
  async members(guildId: string, decks: readonly string[]): Promise<string[]> {
    const lists = await this.readMany<string[]>(decks.map((deck) => memoryMembersKey(guildId, deck)));
    return [...new Set(lists.flatMap((list) => list ?? []))];
  }

  /** Every member's record of each of `decks` (for the class's choice of questions). */
  async classRecords(guildId: string, decks: readonly string[]): Promise<MemoryRecord[]> {
    const out: MemoryRecord[] = [];
    for (const deck of decks) out.push(...(await this.classMemory(guildId, deck)).values());
    return out;
  }

  /**
   * Records judged attempts: each updates the member's state of the card (in
   * time order) and is appended to the review log. Returns the new states by
   * `userId:cardId`.
   *
   * One read of the records concerned and one write of all of them (one
   * statement in SQLite and PostgreSQL), whatever the number of members: a
   * live question closing with 30 members is two store requests, not 60. The
   * server's recordings run one at a time (every write of these keys goes
   * through here), so none is lost between the read and the write.
   */
  record(guildId: string, reviews: readonly ReviewInput[]): Promise<Map<string, MemoryState>> {
    if (reviews.length === 0) return Promise.resolve(new Map());
    return this.store.exclusive(`memory-write:${guildId}`, () => this.recordLocked(guildId, reviews));
  }

  private async recordLocked(guildId: string, reviews: readonly ReviewInput[]): Promise<Map<string, MemoryState>> {
    const after = new Map<string, MemoryState>();
    const sorted = [...reviews].sort((a, b) => a.at - b.at);
    const byRecord = [...groupBy(sorted, (r) => memoryKey(guildId, r.userId, r.card.deck))];
    const byHour = [...groupBy(sorted, (r) => utcHour(r.at))];
    // The part each hour's new entries go to: as remembered, checked by the read below.
    const guessed = byHour.map(([hour]) => {
      const known = this.logTails.get(guildId);
      return known?.hour === hour ? known.part : 0;
    });
    const read = await this.readMany<unknown>([...byRecord.map(([key]) => key), ...byHour.map(([hour], i) => reviewLogPartKey(guildId, hour, guessed[i] as number))]);
    const tailsRead = await Promise.all(
      byHour.map(([hour], i) => {
        const entries = (read[byRecord.length + i] as ReviewLogEntry[] | undefined) ?? [];
        const part = guessed[i] as number;
        return entries.length < LOG_PART ? { part, entries } : this.lastLogPart(guildId, hour, part + 1);
      }),
    );

    const writes: { key: string; value: unknown }[] = [];
    const newMembers = new Map<string, string[]>();
    byRecord.forEach(([key, group], i) => {
      const current = read[i] as MemoryRecord | undefined;
      const first = group[0] as ReviewInput;
      if (current === undefined) newMembers.set(first.card.deck, [...(newMembers.get(first.card.deck) ?? []), first.userId]);
      let record = current ?? {};
      for (const r of group) {
        const state = review(stateOf(record, r.card.id), r.rating, r.at, r.source);
        record = withState(record, r.card.id, state);
        after.set(`${r.userId}:${r.card.id}`, state);
      }
      writes.push({ key, value: record });
    });

    // A member's first record of a deck adds them to the deck's members, in the same write.
    const decks = [...newMembers.keys()];
    const lists = await this.readMany<string[]>(decks.map((deck) => memoryMembersKey(guildId, deck)));
    decks.forEach((deck, i) => {
      const current = lists[i] ?? [];
      const known = new Set(current);
      const added = (newMembers.get(deck) ?? []).filter((id) => !known.has(id));
      if (added.length > 0) writes.push({ key: memoryMembersKey(guildId, deck), value: [...current, ...added] });
    });

    const tails: { hour: string; part: number }[] = [];
    byHour.forEach(([hour, group], i) => {
      const { part, entries: stored } = tailsRead[i] as { part: number; entries: ReviewLogEntry[] };
      const entries: ReviewLogEntry[] = [
        ...stored,
        ...group.map((r) => ({ card: r.card.id, deck: r.card.deck, user: r.userId, at: r.at, rating: r.rating, source: r.source })),
      ];
      let n = part;
      for (let from = 0; from < entries.length; from += LOG_PART, n++) writes.push({ key: reviewLogPartKey(guildId, hour, n), value: entries.slice(from, from + LOG_PART) });
      tails.push({ hour, part: n - 1 });
    });

    await this.store.setMany(writes);
    const last = tails.at(-1);
    if (last) this.logTails.set(guildId, last);
    return after;
  }

  /**
   * The first part of an hour's review log from `part` on that is not full,
   * the one to append to, and its entries. The part last appended to is
   * remembered per server (this process is the server's only writer), so this
   * reading in order happens only when that part filled up elsewhere, e.g.
   * before a restart. A full part is never written again.
   */
  private async lastLogPart(guildId: string, hour: string, part: number): Promise<{ part: number; entries: ReviewLogEntry[] }> {
    for (;;) {
      const entries = (await this.store.get<ReviewLogEntry[]>(reviewLogPartKey(guildId, hour, part))) ?? [];
      if (entries.length < LOG_PART) return { part, entries };
      part++;
    }
  }

  /** The review log entries with `from <= at < to`, oldest first. */
  async reviewLog(guildId: string, from: number, to: number): Promise<ReviewLogEntry[]> {
    const hours: string[] = [];
    for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) hours.push(utcHour(t));
    const entries: ReviewLogEntry[][] = hours.map(() => []);
    // Every hour's parts in order; the next part of an hour is read only when its last one read was full.
    let reading = hours.map((hour, i) => ({ i, hour, part: 0 }));
    while (reading.length > 0) {
      const parts = await this.readMany<ReviewLogEntry[]>(reading.map((r) => reviewLogPartKey(guildId, r.hour, r.part)));
      reading = reading.flatMap((r, k) => {
        const part = parts[k] ?? [];
        (entries[r.i] as ReviewLogEntry[]).push(...part);
        return part.length >= LOG_PART ? [{ ...r, part: r.part + 1 }] : [];
      });
    }
    return entries.flat().filter((e) => e.at >= from && e.at < to);
  }
}
