/**
 * Daily question drops of every server: the schedule record, the minute tick
 * that posts what is due, extra drops, answers and the reveal. The rules are
 * the pure functions of `schedule/daily.ts` and `engine/drop.ts`; this module
 * reads and writes their state in the store, in the server's lock where a
 * change spans several keys, and hands messages to a `DropMessages` (Discord
 * in the bot).
 */
import type { Clock, Logger, MinuteTimer } from '../clock.ts';
import type { DeckLibrary } from '../deck/library.ts';
import type { Card } from '../deck/types.ts';
import { answerDrop, dropId, memberState, openDrop, revealAward, type AnswerResult, type DropAward, type MemberState, type OpenDrop } from '../engine/drop.ts';
import { claimDay, dueScheduledDrop, nextScheduledDrop, setSchedule, turnOff, type DailySchedule, type ScheduleInput } from '../schedule/daily.ts';
import { DailyStore } from '../storage/daily.ts';
import type { MemoryBook } from '../storage/memory-book.ts';
import type { ScoreBook } from '../storage/scores.ts';
import { chooseDailyCard } from '../study/daily-choice.ts';
import { dailyAnswerRating, REVEALED_UNSOLVED, type MemberRating } from '../study/reviews.ts';
import { StoreWriteError, type Store } from '../storage/store.ts';

/** Sends and edits the drop messages. */
export interface DropMessages {
  /** Posts the message of a new drop (with the answer of `previous`, the drop it closes); its id, or why it was not posted. */
  post(channelId: string, drop: { readonly id: string; readonly card: Card; readonly postedAt: number; readonly previous?: OpenDrop }): Promise<{ ok: true; messageId: string } | { ok: false; reason: 'no-channel' | 'send-failed' }>;
  /** Shows the answer on the message of a closed drop. Never throws. */
  reveal(drop: OpenDrop, guildId: string): Promise<void>;
}

export type DropResult = { readonly ok: true; readonly drop: OpenDrop } | { readonly ok: false; readonly reason: 'no-cards' | 'no-channel' | 'send-failed' | 'not-due' };

export interface DailyDeps {
  readonly store: Store;
  readonly scores: ScoreBook;
  readonly memory: MemoryBook;
  /** The decks: the same for every server, or each server's own (the folder's plus its uploads). */
  readonly library: DeckLibrary | ((guildId: string) => Promise<DeckLibrary>);
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly defaultTimeZone: string;
  readonly messages: DropMessages;
  /**
   * The servers this process holds (those of its shards). When given, the
   * minute tick looks at these servers only, whatever the store's index says;
   * without it, at every server of the index that the store lets it write.
   */
  readonly servers?: () => Iterable<string>;
}

export class DailyDrops {
  private readonly data: DailyStore;
  private stopTimer?: () => void;
  private ticking?: Promise<void>;
  /** Failures already logged, so a channel that stays unreachable is reported once a day. */
  private readonly warned = new Set<string>();
  /**
   * Per server, the schedule last found not due and the instant before which
   * it cannot be due, so a minute tick skips the time-zone arithmetic of
   * servers whose next drop is hours away. A changed schedule, or a clock
   * that went back past the check, means a fresh look.
   */
  private readonly notDueBefore = new Map<string, { readonly schedule: string; readonly checkedAt: number; readonly until: number }>();

  constructor(private readonly deps: DailyDeps) {
    this.data = new DailyStore(deps.store);
  }

  /**
   * Servers whose drops may hold an answer whose points are not recorded yet
   * (the points write failed after the answer was stored); the minute tick
   * completes them.
   */
  private readonly incomplete = new Set<string>();

  /**
   * Completes the answers of a stop or failed write: records every award of
   * the servers' open and last drops that the scores do not have yet, then
   * posts what is due now (a drop missed while the bot was down), then ticks on
   * every beat of `timer`.
   */
  async start(timer: MinuteTimer): Promise<void> {
    // The first tick looks only at the servers with daily data of some kind, found with a few
    // multi-key reads (not four reads a server: 4,000 one after the other for 1,000 servers).
    // Should that read fail, every server held is looked at, one by one, as every later tick does.
    const held = await this.heldServers();
    const withData = await this.data.withDailyData(held).catch(() => held);
    for (const guildId of withData) this.incomplete.add(guildId);
    await this.tick(withData);
    this.stopTimer = timer(() => this.tick());
  }

  /** Stops the ticks; settles when a tick under way has finished. */
  async stop(): Promise<void> {
    this.stopTimer?.();
    delete this.stopTimer;
    await this.ticking;
  }

  /** The server's schedule while its drops are on. */
  async schedule(guildId: string): Promise<DailySchedule | undefined> {
    const schedule = await this.data.schedule(guildId);
    return schedule?.enabled ? schedule : undefined;
  }

  openDrop(guildId: string): Promise<OpenDrop | undefined> {
    return this.data.openDrop(guildId);
  }

  /** The server's time zone: its daily schedule's, else the default. */
  async timeZoneOf(guildId: string): Promise<string> {
    return (await this.data.dropsTimeZone(guildId)) ?? this.deps.defaultTimeZone;
  }

  /** `/daily set`: the new schedule (see `setSchedule`). */
  set(guildId: string, input: ScheduleInput): Promise<DailySchedule> {
    return this.data.exclusive(guildId, async () => {
      const schedule = setSchedule((await this.data.schedule(guildId)) ?? null, input, new Date(this.deps.clock.now()));
      await this.data.saveSchedule(guildId, schedule);
      return schedule;
    });
  }

  /** `/daily off`: stops the drops and reveals the open one. False when drops were not on. */
  turnOff(guildId: string): Promise<boolean> {
    return this.data.exclusive(guildId, async () => {
      const off = turnOff((await this.data.schedule(guildId)) ?? null);
      if (off) await this.data.saveSchedule(guildId, off);
      await this.closeOpenDrop(guildId);
      return off !== null;
    });
  }

  /** `/daily now`: posts an extra drop; the day's scheduled one still comes. */
  postExtra(guildId: string): Promise<DropResult> {
    return this.post(guildId, 'extra');
  }

  /** A member's answer to the open drop `dropId`; tries and points are counted once, even for simultaneous submits. */
  async answer(guildId: string, answer: { dropId: string; userId: string; name: string; reply: string }): Promise<AnswerResult> {
    const at = this.deps.clock.now();
    // The answer and its award are stored together, in the drop: once that write is taken, the answer counts.
    const { result, award, card, wrongTriesBefore } = await this.data.updateOpenDrop(guildId, (current) => {
      const next = answerDrop(current, { ...answer, at });
      return { value: next.drop, result: { ...next, card: current?.card, wrongTriesBefore: current?.tries[answer.userId] ?? 0 } };
    });
    if (award) await this.recordAward(guildId, award, { [answer.userId]: answer.name });
    const rating = dailyAnswerRating(result, wrongTriesBefore);
    if (rating && card) await this.recordMemory(guildId, [{ userId: answer.userId, card, rating, at }]);
    return result;
  }

  /** How many tries a member has left on the open drop `dropId`, and whether they solved it. */
  async memberState(guildId: string, dropId: string, userId: string): Promise<MemberState> {
    return memberState(await this.data.openDrop(guildId), dropId, userId);
  }

  /** Posts every scheduled drop due now. Never runs twice at once, never throws. */
  /** `servers`: those to look at (default: every server held). */
  private tick(servers?: readonly string[]): Promise<void> {
    this.ticking ??= this.runTick(servers)
      .catch((error: unknown) => this.deps.logger.error('daily drops tick failed', error))
      .finally(() => {
        delete this.ticking;
      });
    return this.ticking;
  }

  /** The servers this process looks after: those of its shards (one writer per server). */
  private async heldServers(): Promise<string[]> {
    const servers = this.deps.servers ? [...this.deps.servers()] : await this.data.servers();
    return servers.filter((id) => this.deps.store.owner.holds(id));
  }

  /**
   * Records an award stored in a drop. When the store does not take it, the
   * answer stays stored with its award and the minute tick records it later
   * (by its id, so once): the answer and its points are one unit.
   */
  private async recordAward(guildId: string, award: DropAward, names: Readonly<Record<string, string>>): Promise<void> {
    try {
      await this.deps.scores.record(guildId, award.events, names, award.id);
    } catch (error) {
      this.incomplete.add(guildId);
      if (error instanceof StoreWriteError) this.deps.logger.warn(`daily drops: the points of ${award.id} are not recorded yet (${error.message}); they are recorded when writing works again`);
      else this.deps.logger.error(`daily drops: could not record the points of ${award.id}; trying again every minute`, error);
    }
  }

  /** Records the awards of the server's open and last drops that the scores do not have yet. */
  private async completeAwards(guildId: string): Promise<void> {
    const drops = [await this.data.openDrop(guildId), await this.data.lastDrop(guildId)];
    for (const drop of drops) {
      for (const award of drop?.awards ?? []) {
        if (await this.deps.scores.wasRecorded(guildId, award.id)) continue;
        await this.deps.scores.record(guildId, award.events, drop?.names ?? {}, award.id);
        this.deps.logger.info(`daily drops: recorded the points of ${award.id}, stored with its answer but not recorded before`);
      }
    }
  }

  private async runTick(only?: readonly string[]): Promise<void> {
    const now = new Date(this.deps.clock.now());
    const servers = only ?? (await this.heldServers());
    for (const guildId of [...this.incomplete]) {
      try {
        await this.data.exclusive(guildId, () => this.completeAwards(guildId));
        this.incomplete.delete(guildId);
      } catch (error) {
        if (!(error instanceof StoreWriteError)) this.deps.logger.error(`daily drops: could not complete the points of server ${guildId}`, error);
      }
    }
    for (const guildId of servers) {
      try {
        // A cheap look first; `post` decides again inside the server's lock.
        const schedule = await this.data.schedule(guildId);
        if (!schedule?.enabled) continue;
        const key = JSON.stringify(schedule);
        const quiet = this.notDueBefore.get(guildId);
        if (quiet && quiet.schedule === key && now.getTime() >= quiet.checkedAt && now.getTime() < quiet.until) continue;
        const due = dueScheduledDrop(schedule, now);
        if (!due) {
          this.notDueBefore.set(guildId, { schedule: key, checkedAt: now.getTime(), until: nextScheduledDrop(schedule, now).at.getTime() });
          continue;
        }
        this.notDueBefore.delete(guildId);
        const result = await this.post(guildId, 'scheduled');
        if (result.ok || result.reason === 'not-due') continue;
        const warning = `${guildId}:${due.day}:${result.reason}`;
        if (!this.warned.has(warning)) {
          this.warned.add(warning);
          this.deps.logger.warn(`daily drop for server ${guildId} not posted (${result.reason}); trying again every minute today`);
        }
      } catch (error) {
        this.deps.logger.error(`daily drop for server ${guildId} failed`, error);
      }
    }
  }

  /**
   * Posts a new drop in the scheduled channel, then reveals the one it
   * replaces. A scheduled drop claims its day once posted; when the new drop
   * cannot be posted, nothing changes and the open drop stays open.
   */
  private post(guildId: string, kind: OpenDrop['kind']): Promise<DropResult> {
    return this.data.exclusive(guildId, async () => {
      const now = this.deps.clock.now();
      const schedule = await this.data.schedule(guildId);
      if (!schedule?.enabled) return { ok: false, reason: kind === 'extra' ? 'no-channel' : 'not-due' } as const;
      const due = kind === 'scheduled' ? dueScheduledDrop(schedule, new Date(now)) : null;
      if (kind === 'scheduled' && !due) return { ok: false, reason: 'not-due' } as const;
      const open = await this.data.openDrop(guildId);
      const pool = await this.pool(guildId, schedule.deck);
      const position = await this.data.count(guildId);
      const choice = chooseDailyCard({
        pool,
        records: await this.deps.memory.classRecords(guildId, [...new Set(pool.map((c) => c.deck))]),
        state: await this.data.choiceState(guildId, schedule.deck),
        now,
        seed: `${guildId}:${position}`,
        position,
      });
      if (!choice) return { ok: false, reason: 'no-cards' } as const;
      const id = dropId(now, await this.data.nextCount(guildId));
      const sent = await this.deps.messages.post(schedule.channelId, { id, card: choice.card, postedAt: now, ...(open ? { previous: open } : {}) });
      if (!sent.ok) return sent;
      await this.data.setChoiceState(guildId, schedule.deck, choice.state);
      const claimed = due && claimDay(schedule, due.day);
      if (claimed) await this.data.saveSchedule(guildId, claimed);
      await this.closeOpenDrop(guildId);
      const drop = openDrop({ id, channelId: schedule.channelId, messageId: sent.messageId, card: choice.card, postedAt: now, timeZone: schedule.timeZone, kind });
      await this.data.setOpenDrop(guildId, drop);
      return { ok: true, drop } as const;
    });
  }

  private async pool(guildId: string, deck: string | null): Promise<readonly Card[]> {
    const library = typeof this.deps.library === 'function' ? await this.deps.library(guildId) : this.deps.library;
    return deck ? (library.cards(deck) ?? []) : library.decks.flatMap((d) => d.cards);
  }

  /** Records daily reviews in the members' study memory; a failure is logged, the drop goes on. */
  private async recordMemory(guildId: string, ratings: readonly MemberRating[]): Promise<void> {
    try {
      await this.deps.memory.record(guildId, ratings.map((r) => ({ ...r, source: 'daily' as const })));
    } catch (error) {
      if (error instanceof StoreWriteError) this.deps.logger.warn(`daily drops: study memory not recorded (${error.message})`);
      else this.deps.logger.error('daily drops: could not record the study memory', error);
    }
  }

  /**
   * Reveals the open drop on its message and records the members who tried
   * without solving: their award is kept in the closed drop first (so a stop
   * before it is recorded leaves it to complete), then recorded.
   */
  private async closeOpenDrop(guildId: string): Promise<void> {
    const at = this.deps.clock.now();
    let reveal: DropAward | undefined;
    const drop = await this.data.closeOpenDrop(guildId, (open) => {
      // Closed again after a stop between the two writes: the same id, so it counts once.
      reveal = revealAward(open, at);
      return reveal ? { ...open, awards: [...(open.awards ?? []), reveal] } : open;
    });
    if (!drop) return;
    const unsolved = reveal?.events ?? [];
    if (reveal) await this.recordAward(guildId, reveal, drop.names);
    await this.recordMemory(guildId, unsolved.map((e) => ({ userId: e.userId, card: drop.card, rating: REVEALED_UNSOLVED, at })));
    await this.deps.messages.reveal(drop, guildId);
  }
}
