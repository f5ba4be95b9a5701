/**
 * The live rounds of every channel: at most one running `LiveRound` per
 * channel, found by channel for replies and buttons, and the closing of
 * rounds that were running when the bot stopped.
 */
import { DiscordAPIError, HTTPError, type ButtonInteraction, type Client, type Message } from 'discord.js';
import { summary } from '../../engine/round.ts';
import { plain, summaryEmbed } from '../render.ts';
import { userError, type UserError } from '../reply.ts';
import { LiveRound, QUESTION_CLOSED, type LiveRoundDeps, type StartRound } from './round.ts';
import { forgetRound, savedRounds, tidyLegacyIndex, type SavedRound } from './saved.ts';

export type { StartRound } from './round.ts';

export class LiveRounds {
  /** By channel id. */
  private readonly rounds = new Map<string, LiveRound>();

  constructor(private readonly deps: LiveRoundDeps) {}

  /**
   * Starts a round and posts its first question; the round's `announce`
   * answers the slash command first. Returns an error when the channel has a round.
   */
  async start(input: StartRound): Promise<UserError | void> {
    const channelId = input.channel.id;
    const running = this.rounds.get(channelId);
    if (running) return userError(roundRunningHere(running.starter, input.startedBy));
    const round = new LiveRound(input, this.deps, () => this.rounds.delete(channelId));
    this.rounds.set(channelId, round);
    try {
      await round.start();
    } catch (error) {
      if (!(error instanceof DiscordAPIError || error instanceof HTTPError)) throw error;
      this.deps.logger.warn(`live round in channel ${channelId} could not start: ${error.message}`);
      return userError('Discord did not take the round\'s messages, so it did not start. Please try again in a moment.');
    }
  }

  /** A message in a channel: a reply to the open question, if there is one. */
  handleMessage(message: Message): Promise<void> | undefined {
    if (message.author.bot || !message.inGuild()) return undefined;
    return this.rounds.get(message.channelId)?.reply(message);
  }

  /** The Hint, Skip and Stop buttons of a question. */
  async handleButton(interaction: ButtonInteraction<'cached'>, action: string, roundId: string): Promise<UserError | void> {
    const round = this.rounds.get(interaction.channelId);
    if (!round || round.id !== roundId) return userError(QUESTION_CLOSED);
    return round.press(interaction, action);
  }

  /**
   * Closes rounds that were running when the bot stopped, in the servers this
   * process holds (the servers of its shards): buttons removed, final scores posted.
   */
  async recover(client: Client): Promise<void> {
    const held = [...client.guilds.cache.keys()].filter((guildId) => this.deps.store.owner.holds(guildId));
    for (const { guildId, channelId, saved } of await savedRounds(this.deps.store, held)) {
      if (saved?.closing) {
        // Its score was being written when the bot stopped: write it now (a replay counts once).
        try {
          await this.deps.scores.record(guildId, saved.closing.events, saved.names, saved.closing.scoringId);
        } catch (error) {
          this.deps.logger.error(`could not save the scores of the interrupted round ${guildId}:${channelId}; it is closed at the next start`, error);
          continue;
        }
      }
      try {
        const channel = saved ? await client.channels.fetch(channelId).catch(() => null) : null;
        if (saved && channel?.isTextBased() && 'guild' in channel && channel.isSendable()) {
          if (saved.questionMessageId) {
            // Shows the question's answer (older versions saved no embed: then only the buttons go).
            await channel.messages.edit(saved.questionMessageId, { ...(saved.interrupted ? { embeds: [saved.interrupted] } : {}), components: [] }).catch((error: unknown) => {
              this.deps.logger.warn(`could not remove the buttons of an interrupted question: ${(error as Error).message}`);
            });
          }
          const rows = summary(saved.scores, (userId) => saved.names[userId] ?? 'a member');
          const note = [closingNote(saved), 'This round was interrupted because the bot restarted. Points already won are kept.'].filter(Boolean).join('\n');
          const embed = summaryEmbed({
            title: `Round over: ${saved.label}`,
            lines: rows,
            tally: saved.tally ?? { asked: saved.asked },
            ...(saved.startedBy ? { startedBy: saved.startedBy } : {}),
            note,
          });
          await channel.send({ embeds: [embed] });
        }
      } catch (error) {
        this.deps.logger.error(`could not close the interrupted round ${guildId}:${channelId}`, error);
      }
      await forgetRound(this.deps.store, guildId, channelId);
    }
    await tidyLegacyIndex(this.deps.store);
  }

  /**
   * Stops every timer and takes no more replies (the bot is shutting down);
   * settles once the work already under way (a score being written, its
   * announcement) is done. Saved rounds are closed at the next start.
   */
  async shutdown(): Promise<void> {
    const running = [...this.rounds.values()];
    for (const round of running) round.halt();
    this.rounds.clear();
    await Promise.all(running.map((round) => round.idle()));
  }
}

/** The refusal of /quiz in a channel whose round is running: whose round, and what the member can do. */
export function roundRunningHere(starter: { readonly id: string; readonly name: string }, caller: string): string {
  if (starter.id === caller) return 'Your round is still running in this channel. Press Stop on its question to end it first, or start another round in another channel.';
  return `A round started by ${plain(starter.name)} is running in this channel. Join it by replying to its question, or start your own round in another channel.`;
}

/** The winner of the question that was being closed when the bot stopped, shown with the summary. */
function closingNote(saved: SavedRound): string | undefined {
  const winner = saved.closing?.winner;
  if (!winner || !saved.closing) return undefined;
  return `Question ${saved.closing.index + 1}: ${plain(winner.name)} answered it: **${plain(winner.answer)}**, +${winner.points} points.`;
}
