/**
 * Daily question drops: schedules, the open drop of each server, members'
 * tries, the reveal. Decisions come from the pure scheduling core; this
 * module keeps the state in Keyv and talks to Discord. A minute ticker
 * (node-cron) calls `tick`; so does start-up, to catch up a missed drop.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle, type Client, type GuildTextBasedChannel } from 'discord.js';
import type { Clock, Logger } from '../../clock.ts';
import type { ScoreEvent } from '../../competition/types.ts';
import type { DeckLibrary } from '../../deck/library.ts';
import type { Card } from '../../deck/types.ts';
import { judge, type Verdict } from '../../engine/judge.ts';
import { dailyPoints, type DailyPoints } from '../../engine/scoring.ts';
import { canClaimDay, dueScheduledDrop, type DailySchedule } from '../../schedule/daily.ts';
import { nextCardFromShuffle, type ShuffleState } from '../../schedule/shuffle.ts';
import { localDay } from '../../schedule/time.ts';
import type { ScoreBook } from '../../storage/scores.ts';
import type { Store } from '../../storage/store.ts';
import { customId } from '../custom-id.ts';
import { NO_PINGS } from '../reply.ts';
import { answerText, clip, COLORS, howToAnswer, plain, promptMarkdown } from '../render.ts';

export const TRIES_PER_DROP = 3;

export interface StoredSchedule extends DailySchedule {
  readonly guildId: string;
}

export interface Solver {
  readonly userId: string;
  readonly name: string;
  readonly at: number;
  readonly points: number;
}

export interface OpenDrop {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly card: Card;
  readonly postedAt: number;
  /** Local day of the drop in the schedule's time zone (for streaks). */
  readonly day: string;
  readonly kind: 'scheduled' | 'extra';
  readonly solvers: readonly Solver[];
  /** Wrong tries per member. */
  readonly tries: Readonly<Record<string, number>>;
  readonly names: Readonly<Record<string, string>>;
}

export type AnswerResult =
  | { readonly type: 'correct'; readonly points: DailyPoints; readonly first: boolean; readonly verdict: Verdict; readonly card: Card }
  | { readonly type: 'wrong'; readonly triesLeft: number; readonly verdict: Verdict }
  | { readonly type: 'already-solved' }
  | { readonly type: 'no-tries-left' }
  | { readonly type: 'closed' };

export type DropResult = { readonly ok: true; readonly drop: OpenDrop } | { readonly ok: false; readonly reason: 'no-cards' | 'no-channel' | 'send-failed' };

const INDEX_KEY = 'daily:index';
const scheduleKey = (guildId: string) => `daily:schedule:${guildId}`;
/** The last schedule of a server whose daily drops were turned off: its posted day still counts. */
const offScheduleKey = (guildId: string) => `daily:off:${guildId}`;
const dropCountKey = (guildId: string) => `daily:count:${guildId}`;
const dropKey = (guildId: string) => `daily:drop:${guildId}`;
const shuffleKey = (guildId: string, deck: string | null) => `daily:shuffle:${guildId}:${deck ?? '*'}`;

export interface DailyDeps {
  readonly store: Store;
  readonly scores: ScoreBook;
  readonly library: DeckLibrary;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly defaultTimeZone: string;
  readonly client: Client;
}

export class DailyDrops {
  private task?: ScheduledTask;
  private ticking?: Promise<void>;
  /** Failures already logged, so a channel that stays unreachable is reported once a day. */
  private readonly warned = new Set<string>();

  constructor(private readonly deps: DailyDeps) {}

  async start(options: { cron: boolean }): Promise<void> {
    await this.tick();
    if (options.cron) {
      this.task = cron.schedule('* * * * *', () => {
        void this.tick();
      });
    }
  }

  stop(): void {
    void this.task?.stop();
    delete this.task;
  }

  async schedule(guildId: string): Promise<StoredSchedule | undefined> {
    return this.deps.store.get<StoredSchedule>(scheduleKey(guildId));
  }

  async openDrop(guildId: string): Promise<OpenDrop | undefined> {
    return this.deps.store.get<OpenDrop>(dropKey(guildId));
  }

  /** The server's time zone: its daily schedule's, else the default. */
  async timeZoneOf(guildId: string): Promise<string> {
    return (await this.schedule(guildId))?.timeZone ?? this.deps.defaultTimeZone;
  }

  /** The schedule as it was when the drops were last turned off, if they are off. */
  async offSchedule(guildId: string): Promise<StoredSchedule | undefined> {
    return this.deps.store.get<StoredSchedule>(offScheduleKey(guildId));
  }

  async saveSchedule(schedule: StoredSchedule): Promise<void> {
    await this.deps.store.set(scheduleKey(schedule.guildId), schedule);
    await this.deps.store.delete(offScheduleKey(schedule.guildId));
    await this.deps.store.update<string[], void>(INDEX_KEY, (index = []) => ({ value: index.includes(schedule.guildId) ? index : [...index, schedule.guildId], result: undefined }));
  }

  /**
   * Removes the schedule and reveals the open drop. The removed schedule is
   * kept aside, so that setting one again the same day does not post a second
   * scheduled drop that day.
   */
  async turnOff(guildId: string): Promise<boolean> {
    const removed = await this.deps.store.update<StoredSchedule, StoredSchedule | undefined>(scheduleKey(guildId), (current) => ({ value: undefined, result: current }));
    if (removed) await this.deps.store.set(offScheduleKey(guildId), removed);
    await this.deps.store.update<string[], void>(INDEX_KEY, (index = []) => {
      const rest = index.filter((id) => id !== guildId);
      return { value: rest.length ? rest : undefined, result: undefined };
    });
    await this.deps.store.exclusive(`daily:${guildId}`, () => this.closeOpenDrop(guildId));
    return removed !== undefined;
  }

  /** Posts every scheduled drop that is due now. Never runs twice at once. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => {
      delete this.ticking;
    });
    return this.ticking;
  }

  private async runTick(): Promise<void> {
    const now = new Date(this.deps.clock.now());
    for (const guildId of (await this.deps.store.get<string[]>(INDEX_KEY)) ?? []) {
      try {
        const schedule = await this.schedule(guildId);
        const due = schedule && dueScheduledDrop(schedule, now);
        if (!due) continue;
        const claimed = await this.deps.store.update<StoredSchedule, boolean>(scheduleKey(guildId), (current) =>
          current && canClaimDay(current.lastScheduledDay, due.day) ? { value: { ...current, lastScheduledDay: due.day }, result: true } : { value: current, result: false },
        );
        if (!claimed) continue;
        const result = await this.post(guildId, 'scheduled');
        if (result.ok) continue;
        // Not posted: give the day back, so the next tick tries again while the day lasts.
        await this.deps.store.update<StoredSchedule, void>(scheduleKey(guildId), (current) => ({
          value: current && current.lastScheduledDay === due.day ? { ...current, lastScheduledDay: schedule.lastScheduledDay } : current,
          result: undefined,
        }));
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
   * replaces. When the new one cannot be posted, the open drop stays open.
   */
  post(guildId: string, kind: OpenDrop['kind']): Promise<DropResult> {
    return this.deps.store.exclusive(`daily:${guildId}`, async () => {
      const schedule = await this.schedule(guildId);
      if (!schedule) return { ok: false, reason: 'no-channel' } as const;
      const channel = await this.channel(schedule.channelId);
      if (!channel) return { ok: false, reason: 'no-channel' } as const;
      const card = await this.nextCard(guildId, schedule.deck);
      if (!card) return { ok: false, reason: 'no-cards' } as const;
      const now = this.deps.clock.now();
      // Unique per server, even for two drops posted in the same millisecond, so
      // the button of a revealed drop never answers the next one.
      const count = await this.deps.store.update<number, number>(dropCountKey(guildId), (n = 0) => ({ value: n + 1, result: n + 1 }));
      const id = `${now.toString(36)}-${count.toString(36)}`;
      let messageId: string;
      try {
        const message = await channel.send({ embeds: [dropEmbed(card, now)], components: [answerRow(id)], allowedMentions: NO_PINGS });
        messageId = message.id;
      } catch (error) {
        this.deps.logger.warn(`could not post the daily drop in channel ${schedule.channelId}: ${(error as Error).message}`);
        return { ok: false, reason: 'send-failed' } as const;
      }
      await this.closeOpenDrop(guildId);
      const drop: OpenDrop = { id, guildId, channelId: channel.id, messageId, card, postedAt: now, day: localDay(new Date(now), schedule.timeZone), kind, solvers: [], tries: {}, names: {} };
      await this.deps.store.set(dropKey(guildId), drop);
      return { ok: true, drop } as const;
    });
  }

  /** A member's answer to the open drop `dropId`; tries and points are counted once, even for simultaneous submits. */
  async answer(guildId: string, dropId: string, userId: string, name: string, reply: string): Promise<AnswerResult> {
    const now = this.deps.clock.now();
    const { result, event } = await this.deps.store.update<OpenDrop, { result: AnswerResult; event?: ScoreEvent }>(dropKey(guildId), (drop) => {
      if (!drop || drop.id !== dropId) return { value: drop, result: { result: { type: 'closed' } } };
      if (drop.solvers.some((s) => s.userId === userId)) return { value: drop, result: { result: { type: 'already-solved' } } };
      const used = drop.tries[userId] ?? 0;
      if (used >= TRIES_PER_DROP) return { value: drop, result: { result: { type: 'no-tries-left' } } };
      const verdict = judge(drop.card, reply);
      const names = { ...drop.names, [userId]: name };
      const base = { userId, at: now, deck: drop.card.deck, section: drop.card.section, cardId: drop.card.id, source: 'daily' as const, day: drop.day };
      if (verdict.correct) {
        const first = drop.solvers.length === 0;
        const points = dailyPoints(first);
        return {
          value: { ...drop, names, solvers: [...drop.solvers, { userId, name, at: now, points: points.total }] },
          result: { result: { type: 'correct', points, first, verdict, card: drop.card }, event: { ...base, correct: true, points: points.total } },
        };
      }
      const tries = { ...drop.tries, [userId]: used + 1 };
      const triesLeft = TRIES_PER_DROP - used - 1;
      return {
        value: { ...drop, names, tries },
        result: { result: { type: 'wrong', triesLeft, verdict }, ...(triesLeft === 0 ? { event: { ...base, correct: false, points: 0 } } : {}) },
      };
    });
    if (event) await this.deps.scores.record(guildId, [event], { [userId]: name });
    return result;
  }

  /** How many tries a member has left on the open drop `dropId`, and whether they solved it; with the drop when it is open. */
  async memberState(guildId: string, dropId: string, userId: string): Promise<{ state: 'closed' } | { state: 'solved' | 'no-tries-left' | number; drop: OpenDrop }> {
    const drop = await this.openDrop(guildId);
    if (!drop || drop.id !== dropId) return { state: 'closed' };
    if (drop.solvers.some((s) => s.userId === userId)) return { state: 'solved', drop };
    const left = TRIES_PER_DROP - (drop.tries[userId] ?? 0);
    return { state: left > 0 ? left : 'no-tries-left', drop };
  }

  // ——— internals ———

  private async channel(channelId: string): Promise<GuildTextBasedChannel | undefined> {
    const channel = await this.deps.client.channels.fetch(channelId).catch(() => null);
    return channel && channel.isTextBased() && 'guild' in channel && channel.isSendable() ? channel : undefined;
  }

  private async nextCard(guildId: string, deck: string | null): Promise<Card | undefined> {
    const pool = deck ? (this.deps.library.cards(deck) ?? []) : this.deps.library.decks.flatMap((d) => d.cards);
    return this.deps.store.update<ShuffleState, Card | undefined>(shuffleKey(guildId, deck), (state) => {
      const next = nextCardFromShuffle(state ?? null, pool.map((c) => c.id), this.deps.random);
      if (!next) return { value: state, result: undefined };
      return { value: next.state, result: this.deps.library.cardById(next.cardId) };
    });
  }

  /** Reveals the open drop on its message and records the members who tried without solving. */
  private async closeOpenDrop(guildId: string): Promise<void> {
    const drop = await this.deps.store.update<OpenDrop, OpenDrop | undefined>(dropKey(guildId), (current) => ({ value: undefined, result: current }));
    if (!drop) return;
    const solved = new Set(drop.solvers.map((s) => s.userId));
    const unsolved: ScoreEvent[] = Object.entries(drop.tries)
      .filter(([userId, tries]) => !solved.has(userId) && tries < TRIES_PER_DROP)
      .map(([userId]) => ({ userId, at: this.deps.clock.now(), deck: drop.card.deck, section: drop.card.section, cardId: drop.card.id, correct: false, points: 0, source: 'daily', day: drop.day }));
    await this.deps.scores.record(guildId, unsolved, drop.names);
    try {
      const channel = await this.channel(drop.channelId);
      // Edited by id: editing its own message needs no access to the channel's history.
      await channel?.messages.edit(drop.messageId, { embeds: [revealEmbed(drop)], components: [], allowedMentions: NO_PINGS });
    } catch (error) {
      this.deps.logger.warn(`could not reveal the daily drop ${drop.id} of server ${guildId}: ${(error as Error).message}`);
    }
  }
}

export function dropEmbed(card: Card, postedAt: number) {
  return new EmbedBuilder()
    .setColor(COLORS.question)
    .setTitle('Question of the day')
    .setDescription(clip(promptMarkdown(card), 4000))
    .addFields(
      { name: 'Deck', value: clip(plain(card.deck), 1024), inline: true },
      { name: 'Section', value: clip(plain(card.section || '—'), 1024), inline: true },
      { name: 'How to answer', value: `Press **Answer**: only you see your answer and the verdict. ${TRIES_PER_DROP} tries. ${howToAnswer(card, 'modal')}` },
    )
    .setFooter({ text: 'The answer is revealed with the next question.' })
    .setTimestamp(postedAt)
    .toJSON();
}

export function answerRow(dropId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(customId('daily', 'answer', dropId)).setLabel('Answer').setStyle(ButtonStyle.Primary)).toJSON();
}

export function revealEmbed(drop: OpenDrop) {
  const first = drop.solvers[0];
  const n = drop.solvers.length;
  return new EmbedBuilder()
    .setColor(COLORS.revealed)
    .setTitle('Question of the day · answer')
    .setDescription(clip(plain(drop.card.text), 4000))
    .addFields(
      { name: 'Answer', value: clip(plain(answerText(drop.card)), 1024) },
      { name: 'Solved by', value: n === 0 ? 'Nobody this time.' : `${n} member${n === 1 ? '' : 's'}; first: ${clip(plain(first?.name ?? ''), 100)}` },
    )
    .setTimestamp(drop.postedAt)
    .toJSON();
}
