/**
 * Live rounds in Discord channels: drives the pure round engine from slash
 * commands, channel messages, buttons and timers, and renders what happens.
 * One round per channel. Every step of a round runs through a per-channel
 * queue, so replies, buttons and timers are handled one at a time, in order:
 * the first correct reply that arrives wins, and nothing is awarded twice.
 */
import { PermissionFlagsBits, type APIEmbed, type ButtonInteraction, type Client, type GuildTextBasedChannel, type Message } from 'discord.js';
import type { Card } from '../../deck/types.ts';
import type { Clock, Logger } from '../../clock.ts';
import type { ScoreEvent } from '../../competition/types.ts';
import { advance, currentQuestion, hint, reply, skip, startRound, stop, summary, timeOut, type Question, type RoundState } from '../../engine/round.ts';
import { livePoints } from '../../engine/scoring.ts';
import type { ScoreBook } from '../../storage/scores.ts';
import { KeyedMutex, type Store } from '../../storage/store.ts';
import { answerText, closedQuestionEmbed, plain, questionButtons, questionEmbed, summaryEmbed, type ClosedHow, type QuestionView } from '../render.ts';
import { NO_PINGS, userError, type UserError } from '../reply.ts';

interface ActiveRound {
  readonly id: string;
  readonly guildId: string;
  readonly channel: GuildTextBasedChannel;
  readonly label: string;
  state: RoundState;
  /** Latest hint masks of the open question. */
  masks?: readonly string[];
  questionMessage?: Message;
  cancelTimer?: () => void;
  readonly names: Map<string, string>;
}

/** What survives a restart: enough to close the round cleanly. */
interface SavedRound {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly label: string;
  readonly questionMessageId?: string;
  readonly asked: number;
  readonly scores: RoundState['scores'];
  readonly names: Record<string, string>;
}

const INDEX_KEY = 'live:index';

export interface StartRound {
  readonly roundId: string;
  readonly guildId: string;
  readonly channel: GuildTextBasedChannel;
  readonly startedBy: string;
  readonly cards: readonly Card[];
  readonly seconds: number;
  /** What the round is about, e.g. `mlops` or `mlops wk9 · Tools of MLOps`. */
  readonly label: string;
  /** Answers the command that started the round; runs before the first question is posted. */
  readonly announce: () => Promise<void>;
}

export class LiveRounds {
  private readonly rounds = new Map<string, ActiveRound>();
  private readonly queue = new KeyedMutex();

  constructor(
    private readonly deps: { readonly store: Store; readonly scores: ScoreBook; readonly clock: Clock; readonly logger: Logger },
  ) {}

  isRunning(channelId: string): boolean {
    return this.rounds.has(channelId);
  }

  /**
   * Starts a round and posts its first question. The caller has already
   * answered the slash command. Returns an error when the channel has a round.
   */
  async start(input: StartRound): Promise<UserError | void> {
    if (this.rounds.has(input.channel.id)) {
      return userError('A round is already running in this channel. Answer it, or press Stop on its question to end it, then start a new one.');
    }
    const round: ActiveRound = {
      id: input.roundId,
      guildId: input.guildId,
      channel: input.channel,
      label: input.label,
      state: startRound(input.cards, { seconds: input.seconds, startedBy: input.startedBy }, this.deps.clock.now()),
      names: new Map(),
    };
    this.rounds.set(input.channel.id, round);
    try {
      await this.run(round, async () => {
        await input.announce();
        await this.save(round);
        await this.postQuestion(round);
      });
    } catch (error) {
      // The round could not start (e.g. no permission to post here): free the channel.
      round.cancelTimer?.();
      this.rounds.delete(input.channel.id);
      await this.forget(this.key(round));
      throw error;
    }
  }

  /** A message in a channel: a reply to the open question, if there is one. */
  handleMessage(message: Message): Promise<void> | undefined {
    if (message.author.bot || !message.inGuild()) return undefined;
    const round = this.rounds.get(message.channelId);
    if (!round) return undefined;
    return this.run(round, async () => {
      if (this.rounds.get(message.channelId) !== round) return;
      const result = reply(round.state, message.author.id, message.content, this.deps.clock.now());
      round.state = result.state;
      if (result.outcome.type === 'ignored') return;
      round.names.set(message.author.id, message.member?.displayName ?? message.author.displayName);
      if (result.outcome.type === 'wrong') return;
      const { points, question } = result.outcome;
      const name = round.names.get(message.author.id) ?? message.author.username;
      const speed = points.speedBonus ? ` (${points.base} + ${points.speedBonus} for speed)` : '';
      await this.attempt('reply to the winner', () =>
        message.reply({
          content: `Correct, ${plain(name)}! The answer: **${plain(answerText(question.card))}**. +${points.total} points${speed}.`,
          allowedMentions: NO_PINGS,
          // A winning message deleted meanwhile still gets its answer, as a plain message.
          failIfNotExists: false,
        }),
      );
      await this.closeQuestion(round, question, 'answered');
    });
  }

  /** The Hint, Skip and Stop buttons of a question. */
  async handleButton(interaction: ButtonInteraction<'cached'>, action: string, roundId: string): Promise<UserError | void> {
    const round = this.rounds.get(interaction.channelId);
    if (!round || round.id !== roundId) return userError('This round is over. Start a new one with /quiz.');
    const mayControl = interaction.user.id === round.state.settings.startedBy || interaction.memberPermissions.has(PermissionFlagsBits.ManageMessages);
    if ((action === 'stop' || action === 'skip') && !mayControl) {
      return userError(`Only the member who started the round, or someone with Manage Messages, can ${action} it.`);
    }
    return this.run(round, async (): Promise<UserError | void> => {
      if (this.rounds.get(interaction.channelId) !== round) return userError('This round is over. Start a new one with /quiz.');
      const question = currentQuestion(round.state);
      if (!question || interaction.message.id !== round.questionMessage?.id) return userError('This question is already closed.');
      if (action === 'hint') {
        const result = hint(round.state, this.deps.clock.now());
        if (result.outcome.type === 'ignored') {
          return userError(result.outcome.why === 'no-more-hints' ? 'No more hints for this question.' : 'This question is already closed.');
        }
        round.state = result.state;
        round.masks = result.outcome.masks;
        await interaction.update({ embeds: [questionEmbed(this.view(round, currentQuestion(round.state) ?? question))], allowedMentions: NO_PINGS });
        return;
      }
      if (action === 'skip') {
        const { state, closed } = skip(round.state);
        round.state = state;
        if (closed) await this.closeQuestion(round, closed, 'skipped', interaction);
        return;
      }
      if (action === 'stop') {
        await this.finish(round, 'stopped', interaction);
        return;
      }
      return userError('Unknown button.');
    });
  }

  /** Closes rounds that were running when the bot stopped: buttons removed, final scores posted. */
  async recover(client: Client): Promise<void> {
    const index = (await this.deps.store.get<string[]>(INDEX_KEY)) ?? [];
    for (const key of index) {
      const saved = await this.deps.store.get<SavedRound>(`live:${key}`);
      try {
        if (!saved) continue;
        const channel = await client.channels.fetch(saved.channelId).catch(() => null);
        if (channel?.isTextBased() && 'guild' in channel && channel.isSendable()) {
          if (saved.questionMessageId) {
            await channel.messages.edit(saved.questionMessageId, { components: [], allowedMentions: NO_PINGS }).catch((error: unknown) => {
              this.deps.logger.warn(`could not remove the buttons of an interrupted question: ${(error as Error).message}`);
            });
          }
          const rows = summary({ settings: { seconds: 0, startedBy: '' }, cards: [], questions: [], finished: true, scores: saved.scores });
          await channel.send({
            embeds: [summaryEmbed(`Round over: ${saved.label}`, rows.map((r) => ({ ...r, name: saved.names[r.userId] ?? 'a member' })), saved.asked, 'This round was interrupted because the bot restarted. Points already won are kept.')],
            allowedMentions: NO_PINGS,
          });
        }
      } catch (error) {
        this.deps.logger.error(`could not close the interrupted round ${key}`, error);
      }
      await this.forget(key);
    }
  }

  /** Stops every timer (the bot is shutting down); saved rounds are closed at the next start. */
  shutdown(): void {
    for (const round of this.rounds.values()) round.cancelTimer?.();
    this.rounds.clear();
  }

  // ——— internals ———

  private run<T>(round: ActiveRound, task: () => Promise<T>): Promise<T> {
    return this.queue.run(round.channel.id, task);
  }

  private view(round: ActiveRound, question: Question): QuestionView {
    return {
      card: question.card,
      index: question.index,
      total: round.state.cards.length,
      deadline: question.deadline,
      seconds: round.state.settings.seconds,
      hintLevel: question.hints,
      worth: livePoints(question.hints, 0, 1).base,
      ...(round.masks ? { masks: round.masks } : {}),
    };
  }

  /**
   * Runs one Discord call of a round; a failure is logged and the round goes on
   * (a lost edit must not leave a round stuck between two questions).
   */
  private async attempt(what: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      this.deps.logger.warn(`live round: could not ${what}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Closes a question message: through the button's interaction when there is one, else by editing it. */
  private async showClosed(round: ActiveRound, payload: { embeds: APIEmbed[]; components: []; allowedMentions: typeof NO_PINGS }, interaction?: ButtonInteraction): Promise<void> {
    await this.attempt('close the question message', () => (interaction ? interaction.update(payload) : (round.questionMessage?.edit(payload) ?? Promise.resolve())));
  }

  private async postQuestion(round: ActiveRound): Promise<void> {
    const question = currentQuestion(round.state);
    if (!question) return;
    delete round.masks;
    try {
      round.questionMessage = await round.channel.send({
        embeds: [questionEmbed(this.view(round, question))],
        components: questionButtons(round.id),
        allowedMentions: NO_PINGS,
      });
    } catch (error) {
      // The channel no longer takes the bot's messages: the round cannot go on.
      this.deps.logger.warn(`live round in channel ${round.channel.id} ended: could not post a question: ${(error as Error).message}`);
      this.rounds.delete(round.channel.id);
      await this.forget(this.key(round));
      if (question.index === 0) throw error;
      return;
    }
    await this.save(round);
    const index = question.index;
    round.cancelTimer = this.deps.clock.setTimeout(() => {
      void this.run(round, () => this.onDeadline(round, index)).catch((error: unknown) => this.deps.logger.error('round timer failed', error));
    }, Math.max(0, question.deadline - this.deps.clock.now()));
  }

  private async onDeadline(round: ActiveRound, index: number): Promise<void> {
    if (this.rounds.get(round.channel.id) !== round) return;
    const { state, closed } = timeOut(round.state, this.deps.clock.now());
    if (!closed || closed.index !== index) return;
    round.state = state;
    await this.closeQuestion(round, closed, 'timed-out');
  }

  /** Records the question's attempts, shows its answer, then asks the next one or ends the round. */
  private async closeQuestion(round: ActiveRound, question: Question, how: ClosedHow, interaction?: ButtonInteraction): Promise<void> {
    round.cancelTimer?.();
    await this.recordScores(round, question);
    const winnerName = question.winner ? round.names.get(question.winner.userId) : undefined;
    await this.showClosed(round, { embeds: [closedQuestionEmbed(this.view(round, question), how, winnerName)], components: [], allowedMentions: NO_PINGS }, interaction);
    round.state = advance(round.state, this.deps.clock.now());
    if (round.state.finished) await this.finish(round, 'completed');
    else await this.postQuestion(round);
  }

  private async finish(round: ActiveRound, how: 'completed' | 'stopped', interaction?: ButtonInteraction): Promise<void> {
    round.cancelTimer?.();
    this.rounds.delete(round.channel.id);
    if (how === 'stopped') {
      const { state, closed } = stop(round.state);
      round.state = state;
      if (closed) {
        await this.recordScores(round, closed);
        await this.showClosed(round, { embeds: [closedQuestionEmbed(this.view(round, closed), 'stopped')], components: [], allowedMentions: NO_PINGS }, interaction);
      } else if (interaction) {
        await this.attempt('acknowledge Stop', () => interaction.deferUpdate());
      }
    }
    const rows = summary(round.state).map((row) => ({ ...row, name: round.names.get(row.userId) ?? 'a member' }));
    await this.deps.scores.recordRoundWin(round.guildId, rows.filter((row) => row.rank === 1 && row.points > 0).map((row) => row.userId));
    const asked = round.state.questions.length;
    await this.attempt('post the summary', () =>
      round.channel.send({
        embeds: [summaryEmbed(`Round over: ${round.label}`, rows, asked, how === 'stopped' ? 'The round was stopped.' : undefined)],
        allowedMentions: NO_PINGS,
      }),
    );
    await this.forget(this.key(round));
  }

  private async recordScores(round: ActiveRound, question: Question): Promise<void> {
    const events: ScoreEvent[] = question.attempted.map((userId) => {
      const won = question.winner?.userId === userId;
      return {
        userId,
        at: won && question.winner ? question.winner.at : this.deps.clock.now(),
        deck: question.card.deck,
        section: question.card.section,
        cardId: question.card.id,
        correct: won,
        points: won && question.winner ? question.winner.points.total : 0,
        source: 'live',
        won,
      };
    });
    await this.deps.scores.record(round.guildId, events, Object.fromEntries(round.names));
    await this.save(round);
  }

  private key(round: ActiveRound): string {
    return `${round.guildId}:${round.channel.id}`;
  }

  private async save(round: ActiveRound): Promise<void> {
    const key = this.key(round);
    const saved: SavedRound = {
      id: round.id,
      guildId: round.guildId,
      channelId: round.channel.id,
      label: round.label,
      ...(round.questionMessage ? { questionMessageId: round.questionMessage.id } : {}),
      asked: round.state.questions.length,
      scores: round.state.scores,
      names: Object.fromEntries(round.names),
    };
    await this.deps.store.set(`live:${key}`, saved);
    await this.deps.store.update<string[], void>(INDEX_KEY, (index = []) => ({ value: index.includes(key) ? index : [...index, key], result: undefined }));
  }

  private async forget(key: string): Promise<void> {
    await this.deps.store.delete(`live:${key}`);
    await this.deps.store.update<string[], void>(INDEX_KEY, (index = []) => {
      const rest = index.filter((k) => k !== key);
      return { value: rest.length ? rest : undefined, result: undefined };
    });
  }
}
