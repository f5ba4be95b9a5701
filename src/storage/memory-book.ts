/**
 * The study memory's storage, per server:
 * - `memory:<server>:<member>:<deck>`: the member's state of every card of the
 *   deck they tried, so one member's memory of one deck is one read;
 * - `memory-members:<server>:<deck>`: who has a record for the deck (for the
 *   class's view and choice);
 * - `reviews:<server>:<YYYY-MM-DDTHH>`: the review log of one UTC hour, only
 *   appended to (card, member, time, rating, source), kept for tuning the
 *   scheduler's parameters later. Hour records keep each write small.
 */
import type { Card } from '../deck/types.ts';
import { review, withState, stateOf, type MemoryRecord, type MemoryState, type Rating, type ReviewSource } from '../study/memory.ts';
import type { Store } from './store.ts';
import { memoryKey, memoryMembersKey, reviewLogKey } from './keys.ts';

const HOUR_MS = 3_600_000;
/** Keys per read: keeps each storage query small. */
const READ_CHUNK = 500;

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
   */
  async record(guildId: string, reviews: readonly ReviewInput[]): Promise<Map<string, MemoryState>> {
    const after = new Map<string, MemoryState>();
    if (reviews.length === 0) return after;
    const sorted = [...reviews].sort((a, b) => a.at - b.at);

    for (const group of groupBy(sorted, (r) => memoryKey(guildId, r.userId, r.card.deck)).values()) {
      const first = group[0] as ReviewInput;
      await this.store.update<MemoryRecord, void>(memoryKey(guildId, first.userId, first.card.deck), (current) => {
        let record = current ?? {};
        for (const r of group) {
          const state = review(stateOf(record, r.card.id), r.rating, r.at, r.source);
          record = withState(record, r.card.id, state);
          after.set(`${r.userId}:${r.card.id}`, state);
        }
        return { value: record, result: undefined };
      });
    }

    for (const [deck, group] of groupBy(sorted, (r) => r.card.deck)) {
      const userIds = [...new Set(group.map((r) => r.userId))];
      await this.store.update<string[], void>(memoryMembersKey(guildId, deck), (current) => {
        const known = new Set(current ?? []);
        const added = userIds.filter((id) => !known.has(id));
        return { value: added.length > 0 ? [...(current ?? []), ...added] : current, result: undefined };
      });
    }

    for (const [hour, group] of groupBy(sorted, (r) => utcHour(r.at))) {
      const entries: ReviewLogEntry[] = group.map((r) => ({ card: r.card.id, deck: r.card.deck, user: r.userId, at: r.at, rating: r.rating, source: r.source }));
      await this.store.update<ReviewLogEntry[], void>(reviewLogKey(guildId, hour), (current) => ({ value: [...(current ?? []), ...entries], result: undefined }));
    }
    return after;
  }

  /** The review log entries with `from <= at < to`, oldest first. */
  async reviewLog(guildId: string, from: number, to: number): Promise<ReviewLogEntry[]> {
    const hours: string[] = [];
    for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) hours.push(utcHour(t));
    const records = await this.readMany<ReviewLogEntry[]>(hours.map((hour) => reviewLogKey(guildId, hour)));
    return records.flatMap((entries) => entries ?? []).filter((e) => e.at >= from && e.at < to);
  }
}
