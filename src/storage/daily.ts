/**
 * Where daily drops keep their state in the store: each server's schedule
 * record, the index of servers with drops on, the open drop, the card
 * shuffles and the drop counter. Reads what earlier versions wrote, too.
 */
import type { OpenDrop } from '../engine/drop.ts';
import { storedSchedule, type DailySchedule, type LegacySchedule } from '../schedule/daily.ts';
import type { ShuffleState } from '../schedule/shuffle.ts';
import { dailyChoiceKey, dailyCountKey, dailyDropKey, dailyIndexKey, dailyLastDropKey, dailyLockKey, dailyScheduleKey, dailyShuffleKey, legacyDailyOffKey } from './keys.ts';
import type { DailyChoiceState } from '../study/daily-choice.ts';
import type { Store } from './store.ts';

/** Servers per multi-key read in `withDailyData` (4 keys each: a request of bounded size on every store). */
const SERVERS_PER_READ = 200;

export class DailyStore {
  /**
   * Each server's time zone while its drops are on (undefined when off), as
   * last read or written here. Only the process holding a server changes its
   * schedule (one writer per server), so this copy stays true; it saves a
   * store read on every award. The schedule itself is always read afresh: its
   * drop claims must be.
   */
  private readonly zones = new Map<string, string | undefined>();
  /** Schedule writes made here so far: a read that a write overtook is not kept. */
  private writes = 0;

  constructor(private readonly store: Store) {}

  /** The servers whose drops are on. */
  async servers(): Promise<string[]> {
    return (await this.store.get<string[]>(dailyIndexKey())) ?? [];
  }

  /**
   * Those of `guildIds` with any daily data (a schedule record, on, off or of an earlier version,
   * an open drop or a last one), in their order, read with one multi-key read per
   * SERVERS_PER_READ servers. A server without any has nothing to complete or post.
   */
  async withDailyData(guildIds: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < guildIds.length; i += SERVERS_PER_READ) {
      const chunk = guildIds.slice(i, i + SERVERS_PER_READ);
      const values = await this.store.getMany<unknown>(chunk.flatMap((guildId) => [dailyScheduleKey(guildId), legacyDailyOffKey(guildId), dailyDropKey(guildId), dailyLastDropKey(guildId)]));
      chunk.forEach((guildId, n) => {
        if (values.slice(4 * n, 4 * n + 4).some((value) => value !== undefined && value !== null)) found.push(guildId);
      });
    }
    return found;
  }

  /** A server's schedule record, on or off; also one written by an earlier version. */
  async schedule(guildId: string): Promise<DailySchedule | undefined> {
    // Both in one request: a server without a schedule (most of them) needs the legacy record too.
    const [record, legacyOff] = await this.store.getMany<LegacySchedule>([dailyScheduleKey(guildId), legacyDailyOffKey(guildId)]);
    return storedSchedule(record, record ? undefined : legacyOff);
  }

  /** The time zone of the server's schedule while its drops are on. */
  async dropsTimeZone(guildId: string): Promise<string | undefined> {
    if (this.zones.has(guildId)) return this.zones.get(guildId);
    const writes = this.writes;
    const schedule = await this.schedule(guildId);
    const zone = schedule?.enabled ? schedule.timeZone : undefined;
    // Kept only for servers this process writes about: another process's may change meanwhile.
    if (writes === this.writes && this.store.mayWrite(dailyScheduleKey(guildId))) this.zones.set(guildId, zone);
    return zone;
  }

  /**
   * Writes a server's schedule record and keeps the index in step with its
   * `enabled` flag. The index is data about no server: a process without
   * shard 0 leaves it alone, and the bot finds its servers from its shards.
   */
  async saveSchedule(guildId: string, schedule: DailySchedule): Promise<void> {
    this.zones.delete(guildId);
    this.writes++;
    await this.store.set(dailyScheduleKey(guildId), schedule);
    this.zones.set(guildId, schedule.enabled ? schedule.timeZone : undefined);
    await this.store.delete(legacyDailyOffKey(guildId));
    if (!this.store.mayWrite(dailyIndexKey())) return;
    await this.store.update<string[], void>(dailyIndexKey(), (index = []) => {
      const rest = index.filter((id) => id !== guildId);
      const next = schedule.enabled ? [...rest, guildId] : rest;
      return { value: next.length ? next : undefined, result: undefined };
    });
  }

  openDrop(guildId: string): Promise<OpenDrop | undefined> {
    return this.store.get<OpenDrop>(dailyDropKey(guildId));
  }

  async setOpenDrop(guildId: string, drop: OpenDrop): Promise<void> {
    await this.store.set(dailyDropKey(guildId), drop);
  }

  /**
   * Closes the open drop: `close` gives the closed drop (say, with its reveal's
   * award), which is kept as the last closed drop before the open one is
   * removed, so a stop in between leaves the drop open (closed again later),
   * never lost. Returns the closed drop.
   */
  closeOpenDrop(guildId: string, close: (drop: OpenDrop) => OpenDrop): Promise<OpenDrop | undefined> {
    return this.store.update<OpenDrop, OpenDrop | undefined>(dailyDropKey(guildId), async (current) => {
      if (!current) return { value: undefined, result: undefined };
      const closed = close(current);
      await this.store.set(dailyLastDropKey(guildId), closed);
      return { value: undefined, result: closed };
    });
  }

  /** The last closed drop. */
  lastDrop(guildId: string): Promise<OpenDrop | undefined> {
    return this.store.get<OpenDrop>(dailyLastDropKey(guildId));
  }

  /** Changes the open drop with no other change of it in between. */
  updateOpenDrop<R>(guildId: string, change: (drop: OpenDrop | undefined) => { value: OpenDrop | undefined; result: R }): Promise<R> {
    return this.store.update(dailyDropKey(guildId), change);
  }

  shuffle(guildId: string, deck: string | null): Promise<ShuffleState | undefined> {
    return this.store.get<ShuffleState>(dailyShuffleKey(guildId, deck));
  }

  async setShuffle(guildId: string, deck: string | null, state: ShuffleState): Promise<void> {
    await this.store.set(dailyShuffleKey(guildId, deck), state);
  }

  choiceState(guildId: string, deck: string | null): Promise<DailyChoiceState | undefined> {
    return this.store.get<DailyChoiceState>(dailyChoiceKey(guildId, deck));
  }

  async setChoiceState(guildId: string, deck: string | null, state: DailyChoiceState): Promise<void> {
    await this.store.set(dailyChoiceKey(guildId, deck), state);
  }

  /** How many drops the server has had. */
  async count(guildId: string): Promise<number> {
    return (await this.store.get<number>(dailyCountKey(guildId))) ?? 0;
  }

  /** The server's drop count, one more than last time. */
  nextCount(guildId: string): Promise<number> {
    return this.store.update<number, number>(dailyCountKey(guildId), (n = 0) => ({ value: n + 1, result: n + 1 }));
  }

  /** Runs `task` holding the server's lock: one change of its schedule or drops at a time. */
  exclusive<R>(guildId: string, task: () => Promise<R>): Promise<R> {
    return this.store.exclusive(dailyLockKey(guildId), task);
  }
}
