/**
 * One live round in one channel, from its first question to its summary.
 * It owns everything the round needs: the engine state, the open question's
 * message and timer, the names of the members who replied, and a queue that
 * runs replies, buttons and the timer one at a time, in order: the first
 * correct reply that arrives wins, and nothing is awarded twice.
 *
 * Once the round ends its state is finished, so anything still queued finds
 * no open question and does nothing.
 */
import { PermissionFlagsBits, type ButtonInteraction, type GuildTextBasedChannel, type Message } from 'discord.js';
import type { Card } from '../../deck/types.ts';
import type { Clock, Logger } from '../../clock.ts';
import { advance, currentQuestion, forfeit, hint, hintMasks, reply, scoreEvents, skip, startRound, stop, summary, tally, timeOut, worth, type Question, type RoundState } from '../../engine/round.ts';
import { MAX_HINTS } from '../../engine/scoring.ts';
import type { ScoreBook } from '../../storage/scores.ts';
import type { Store } from '../../storage/store.ts';
import { answerPhrase, answerText, closedQuestionEmbed, plain, points as pointsText, questionButtons, questionEmbed, summaryEmbed, type ClosedHow, type QuestionView } from '../render.ts';
import { userError, type UserError } from '../reply.ts';
import type { ScoringNotice } from '../scoring-notice.ts';
import { forgetRound, roundEntry, saveRound, type ClosingQuestion, type SavedRound } from './saved.ts';
import type { MemoryBook } from '../../storage/memory-book.ts';
import { liveQuestionRatings, roundReview, type MemberRating } from '../../study/reviews.ts';
import { roundReviewKey } from '../../storage/keys.ts';
import { StoreWriteError } from '../../storage/store.ts';
import { reviewMissesButton } from './review-misses.ts';

/** The answer to every button on a question message that is not the round's live question. */
export const QUESTION_CLOSED = 'This question is closed.';

export interface StartRound {
  readonly roundId: string;
  readonly guildId: string;
  readonly channel: GuildTextBasedChannel;
  readonly startedBy: string;
  /** The display name of the member who started the round. */
  readonly startedByName: string;
  readonly cards: readonly Card[];
  readonly seconds: number;
  /** Seconds between a question's close and the next question (0: at once). */
  readonly pause?: number;
  /** What the round is about, e.g. `mlops` or `mlops wk9 · Tools of MLOps`. */
  readonly label: string;
  /** Answers the command that started the round; runs before the first question is posted. */
  readonly announce: () => Promise<void>;
  /** Removes that answer (the round could not start after all). */
  readonly withdraw: () => Promise<void>;
}

export interface LiveRoundDeps {
  readonly store: Store;
  readonly scores: ScoreBook;
  readonly memory: MemoryBook;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Tells the channel when scores cannot be saved. */
  readonly notice?: ScoringNotice;
}

export class LiveRound {
  readonly id: string;
  readonly guildId: string;
  readonly channel: GuildTextBasedChannel;
  private readonly label: string;
  private state: RoundState;
  /** Display names of the members who replied, by user id. */
  private readonly names = new Map<string, string>();
  /** Display names of the members who asked for hints, by user id (they need not have replied). */
  private readonly hinters = new Map<string, string>();
  private questionMessage: Message | undefined;
  private cancelTimer: (() => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The bot is shutting down: the work under way finishes, no new question is asked. */
  private halted = false;
  /** The last closed question whose memory reviews wait for late right answers (see `LATE_RIGHT_MS`). */
  private memoryPending: { index: number; closedAt: number } | undefined;
  private readonly memoryRecorded = new Set<number>();
  /** The round's channel is in the server's index of saved rounds (written with the first save). */
  private indexed = false;

  /** Who started the round: their id and display name. */
  get starter(): { readonly id: string; readonly name: string } {
    return { id: this.input.startedBy, name: this.input.startedByName };
  }

  /** `onEnd` runs once, as soon as the round stops taking replies. */
  constructor(
    private readonly input: StartRound,
    private readonly deps: LiveRoundDeps,
    private readonly onEnd: () => void,
  ) {
    this.id = input.roundId;
    this.guildId = input.guildId;
    this.channel = input.channel;
    this.label = input.label;
    this.state = startRound(input.cards, { seconds: input.seconds, startedBy: input.startedBy }, deps.clock.now());
  }

  /**
   * Answers the command and posts the first question; throws (the round ended) when either
   * fails. Either the round starts with its question, or its announcement is removed.
   */
  start(): Promise<void> {
    return this.run(async () => {
      try {
        await this.input.announce();
      } catch (error) {
        await this.end();
        throw error;
      }
      try {
        await this.postQuestion();
      } catch (error) {
        await this.end();
        await this.attempt('remove the announcement of a round that could not start', this.input.withdraw);
        throw error;
      }
    });
  }

  /** A member's message in the round's channel. */
  reply(message: Message<true>): Promise<void> {
    // Read now, while the message's member is the one discord.js keeps (see botCaches in client.ts).
    const name = message.member?.displayName ?? message.author.displayName;
    return this.run(async () => {
      const result = reply(this.state, message.author.id, message.content, this.deps.clock.now());
      this.state = result.state;
      if (result.outcome.type === 'ignored') return;
      this.names.set(message.author.id, name);
      if (result.outcome.type === 'wrong') return;
      if (result.outcome.type === 'late-right') {
        if (this.memoryRecorded.has(result.outcome.question.index)) await this.recordLateRight(result.outcome.question, message.author.id);
        return;
      }
      const { points, question } = result.outcome;
      // The points are written before they are announced; points that could not be written are not claimed.
      const stored = await this.score(question);
      if (!stored) this.state = forfeit(this.state, question.index);
      const speed = points.speedBonus ? ` (${points.base} + ${points.speedBonus} for speed)` : '';
      await this.attempt('reply to the winner', () =>
        message.reply({
          content: `Correct, ${plain(name)}! ${answerPhrase(question.card)} · ${stored ? `+${pointsText(points.total)}${speed}.` : 'No points this time: scoring is paused.'}`,
          // A winning message deleted meanwhile still gets its answer, as a plain message.
          failIfNotExists: false,
        }),
      );
      await this.closeQuestion(question, 'answered', undefined, true);
    });
  }

  /** Settles once the work queued so far (replies, buttons, the timer) is done. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** The Hint, Skip and Stop buttons of the round's questions. */
  press(interaction: ButtonInteraction<'cached'>, action: string): Promise<UserError | void> {
    const mayControl = interaction.user.id === this.state.settings.startedBy || interaction.memberPermissions.has(PermissionFlagsBits.ManageMessages);
    return this.run(async (): Promise<UserError | void> => {
      // A button on any other message (an earlier question, a copy) touches nothing.
      const question = currentQuestion(this.state);
      if (this.state.finished || !question || interaction.message.id !== this.questionMessage?.id) return userError(QUESTION_CLOSED);
      if ((action === 'stop' || action === 'skip') && !mayControl) {
        return userError(`Only the member who started the round, or someone with Manage Messages, can ${action} it.`);
      }
      if (action === 'hint') {
        const result = hint(this.state, this.deps.clock.now(), interaction.user.id);
        if (result.outcome.type === 'ignored') {
          return userError(result.outcome.why === 'no-more-hints' ? 'No more hints for this question.' : QUESTION_CLOSED);
        }
        this.state = result.state;
        this.hinters.set(interaction.user.id, interaction.member.displayName);
        const hinted = currentQuestion(this.state) ?? question;
        await interaction.update({ embeds: [questionEmbed(this.view(hinted))], components: questionButtons(this.id, { hintsLeft: hinted.hints < MAX_HINTS }) });
        return;
      }
      if (action === 'skip') {
        const { state, closed } = skip(this.state);
        this.state = state;
        if (closed) await this.closeQuestion(closed, 'skipped', interaction);
        return;
      }
      if (action === 'stop') {
        await this.finish('stopped', interaction, interaction.member.displayName);
        return;
      }
      return userError('Unknown button.');
    });
  }

  /** Stops the timer (the bot is shutting down); the saved round is closed at the next start. */
  halt(): void {
    this.halted = true;
    this.cancelTimer?.();
  }

  // ——— the round, step by step ———

  private async postQuestion(): Promise<void> {
    const question = currentQuestion(this.state);
    if (!question || this.halted) return;
    try {
      this.questionMessage = await this.channel.send({ embeds: [questionEmbed(this.view(question))], components: questionButtons(this.id) });
    } catch (error) {
      if (question.index === 0) throw error;
      // The channel no longer takes the bot's messages (or Discord failed): the round cannot go on.
      this.deps.logger.warn(`live round in channel ${this.channel.id} ended: could not post a question: ${(error as Error).message}`);
      this.leave();
      // One message, if the channel still takes one.
      await this.conclude({ note: 'The round ended: I could not post the next question here. Points won so far are kept.' });
      return;
    }
    await this.save(this.saved());
    this.cancelTimer = this.deps.clock.setTimeout(() => {
      void this.run(() => this.onDeadline(question.index)).catch((error: unknown) => this.deps.logger.error('round timer failed', error));
    }, Math.max(0, question.deadline - this.deps.clock.now()));
  }

  private async onDeadline(index: number): Promise<void> {
    const { state, closed } = timeOut(this.state, this.deps.clock.now());
    if (!closed || closed.index !== index) return;
    this.state = state;
    await this.closeQuestion(closed, 'timed-out');
  }

  /**
   * Records the question's attempts, shows its answer, then, after the pause, asks the next
   * one; or ends the round after the last.
   */
  private async closeQuestion(question: Question, how: ClosedHow, interaction?: ButtonInteraction, scored = false): Promise<void> {
    this.cancelTimer?.();
    if (!scored) await this.score(question);
    await this.recordMemory();
    this.memoryPending = { index: question.index, closedAt: this.deps.clock.now() };
    const winnerName = question.winner ? this.names.get(question.winner.userId) : undefined;
    const last = question.index + 1 >= this.state.cards.length;
    const pause = last ? 0 : (this.input.pause ?? 0);
    await this.showClosed(question, how, winnerName, interaction, pause);
    this.questionMessage = undefined;
    if (last) {
      this.state = advance(this.state, this.deps.clock.now());
      await this.finish('completed');
      return;
    }
    // Stopping: the question was shown closed, so the next start need not show its winner again.
    if (this.halted) return this.save(this.saved());
    if (pause <= 0) return this.nextQuestion();
    // Saved without an open question: a restart during the pause has nothing to close.
    await this.save(this.saved());
    this.cancelTimer = this.deps.clock.setTimeout(() => {
      void this.run(() => this.nextQuestion()).catch((error: unknown) => this.deps.logger.error('round pause timer failed', error));
    }, pause * 1000);
  }

  private async nextQuestion(): Promise<void> {
    if (this.state.finished) return;
    this.state = advance(this.state, this.deps.clock.now());
    await this.postQuestion();
  }

  private async finish(how: 'completed' | 'stopped', interaction?: ButtonInteraction, stoppedBy?: string): Promise<void> {
    const closed = this.leave(stoppedBy);
    await this.recordMemory();
    if (closed) {
      await this.score(closed);
      this.memoryPending = { index: closed.index, closedAt: this.deps.clock.now() };
      await this.recordMemory();
      await this.showClosed(closed, 'stopped', undefined, interaction);
    } else if (interaction) {
      await this.attempt('acknowledge Stop', () => interaction.deferUpdate());
    }
    await this.conclude(how === 'stopped' && stoppedBy !== undefined ? { stoppedBy } : {});
  }

  /** Counts the round's winners, posts its summary and forgets the saved round. */
  private async conclude(extra: { note?: string; stoppedBy?: string }): Promise<void> {
    const rows = summary(this.state.scores, (userId) => this.names.get(userId) ?? 'a member');
    await this.storing(() => this.deps.scores.recordRoundWin(this.guildId, rows.filter((row) => row.rank === 1 && row.points > 0).map((row) => row.userId)));
    const embed = summaryEmbed({ title: `Round over: ${this.label}`, lines: rows, tally: tally(this.state), startedBy: this.input.startedBy, ...extra });
    await this.storing(() => this.deps.store.set(roundReviewKey(this.guildId, this.id), roundReview(this.state.questions)));
    await this.attempt('post the summary', () => this.channel.send({ embeds: [embed], components: reviewMissesButton(this.id) }));
    await this.forget();
  }

  /** Ends the round without a summary (it could not start). */
  private async end(): Promise<void> {
    this.leave();
    await this.forget();
  }

  /** Stops taking replies and frees the channel; returns the question that was still open. */
  private leave(stoppedBy?: string): Question | undefined {
    this.cancelTimer?.();
    const { state, closed } = stop(this.state, stoppedBy);
    this.state = state;
    this.onEnd();
    return closed;
  }

  // ——— helpers ———

  private run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Writes a closed question's score events: first the question's close state
   * with the round (so a restart can finish it), then the events, once per
   * question. False when the store did not take them (the channel is told that
   * scoring is paused).
   */
  private async score(question: Question): Promise<boolean> {
    const events = scoreEvents(question, this.deps.clock.now());
    if (events.length === 0) return true;
    const scoringId = `live:${this.id}:${question.index}`;
    const winnerName = question.winner && this.names.get(question.winner.userId);
    const closing: ClosingQuestion = {
      index: question.index,
      scoringId,
      events,
      ...(question.winner ? { winner: { name: winnerName ?? 'a member', points: question.winner.points.total, answer: answerText(question.card) } } : {}),
    };
    return this.storing(async () => {
      if (!this.indexed) {
        await saveRound(this.deps.store, this.saved(), true);
        this.indexed = true;
      }
      // The round with the question being closed and the question's award, in one write. The
      // scoring id is this round's, given once (`score` runs once per question): nothing to look up.
      await this.deps.scores.record(this.guildId, events, Object.fromEntries(this.names), scoringId, [roundEntry(this.saved(closing))], { newId: true });
    });
  }

  /** Saves the round so that a restart can close it; the round goes on when the store fails. */
  private async save(round: SavedRound): Promise<void> {
    await this.storing(async () => {
      await saveRound(this.deps.store, round, !this.indexed);
      this.indexed = true;
    });
  }

  private async forget(): Promise<void> {
    await this.storing(() => forgetRound(this.deps.store, this.guildId, this.channel.id));
  }

  /**
   * Runs one write of the round; true when it was stored. A write the store
   * refused (after its retries) tells the channel once that scoring is paused;
   * any other failure is logged. Either way the round goes on.
   */
  private async storing(write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      const { notice } = this.deps;
      if (notice && notice.isWriteFailure(error)) await notice.paused(this.channel.id, (content) => this.channel.send({ content }));
      else this.deps.logger.error(`live round in channel ${this.channel.id}: could not save`, error);
      return false;
    }
  }

  /** Records the memory reviews of the question waiting for them, with the late right answers it got meanwhile. */
  private async recordMemory(): Promise<void> {
    const pending = this.memoryPending;
    const question = pending && this.state.questions[pending.index];
    this.memoryPending = undefined;
    if (!pending || !question) return;
    this.memoryRecorded.add(pending.index);
    await this.saveReviews(liveQuestionRatings(question, pending.closedAt));
  }

  /** A right answer that came after the question's reviews were recorded: its own review. */
  private async recordLateRight(question: Question, userId: string): Promise<void> {
    await this.saveReviews(liveQuestionRatings(question, this.deps.clock.now()).filter((r) => r.userId === userId));
  }

  private async saveReviews(ratings: readonly MemberRating[]): Promise<void> {
    try {
      await this.deps.memory.record(this.guildId, ratings.map((r) => ({ ...r, source: 'live' as const })));
    } catch (error) {
      // A store that refuses writes is reported once, by the scoring notice; anything else is a bug.
      if (error instanceof StoreWriteError) this.deps.logger.warn(`live round: study memory not recorded (${error.message})`);
      else this.deps.logger.error('live round: could not record the study memory', error);
    }
  }

  /** Closes a question message: through the button's interaction when there is one, else by editing it. */
  private async showClosed(question: Question, how: ClosedHow, winnerName: string | undefined, interaction?: ButtonInteraction, nextIn?: number): Promise<void> {
    const payload = { embeds: [closedQuestionEmbed(this.view(question), how, winnerName, nextIn)], components: [] };
    await this.attempt('close the question message', () => (interaction ? interaction.update(payload) : (this.questionMessage?.edit(payload) ?? Promise.resolve())));
  }

  /**
   * Runs one Discord call of the round; a failure is logged and the round goes on
   * (a lost edit must not leave a round stuck between two questions).
   */
  private async attempt(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.deps.logger.warn(`live round: could not ${what}: ${(error as Error).message}`);
    }
  }

  private view(question: Question): QuestionView {
    return {
      card: question.card,
      index: question.index,
      total: this.state.cards.length,
      deadline: question.deadline,
      seconds: this.state.settings.seconds,
      hintLevel: question.hints,
      worth: worth(question),
      masks: hintMasks(question),
      hintedBy: question.hintedBy.map((userId) => this.hinters.get(userId) ?? 'a member'),
    };
  }

  private saved(closing?: ClosingQuestion): SavedRound {
    const open = currentQuestion(this.state);
    return {
      id: this.id,
      guildId: this.guildId,
      channelId: this.channel.id,
      label: this.label,
      ...(this.questionMessage ? { questionMessageId: this.questionMessage.id } : {}),
      ...(this.questionMessage && open ? { interrupted: closedQuestionEmbed(this.view(open), 'interrupted') } : {}),
      startedBy: this.input.startedBy,
      tally: tally(this.state),
      asked: this.state.questions.length,
      scores: this.state.scores,
      names: Object.fromEntries(this.names),
      ...(closing ? { closing } : {}),
    };
  }
}
