import { EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType, MessageFlags } from 'discord.js';
import { accuracy, chartSections, dailyAnswers, sectionStats, WEAK_BELOW, weakestSections } from '../../competition/aggregate.ts';
import { placeOf, type Place } from '../../competition/ranking.ts';
import { streaks } from '../../competition/streaks.ts';
import type { MemberTotals } from '../../competition/types.ts';
import { localDay } from '../../schedule/time.ts';
import type { Command } from '../command.ts';
import { filesOf, picture, withPicture } from '../pictures.ts';
import { clip, COLORS, plain } from '../render.ts';
import { isUserError } from '../reply.ts';
import { standings } from '../standings.ts';

/** A section counts towards the weak spots after this many answers. */
const MIN_ANSWERED = 3;

export interface StatsView {
  readonly name: string;
  readonly totals: MemberTotals | undefined;
  readonly roundsWon: number;
  readonly today: string;
  /** The member's place on the all-time leaderboard; undefined with 0 points. */
  readonly place: Place | undefined;
}

export function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

export function statsEmbed(view: StatsView) {
  const embed = new EmbedBuilder().setColor(COLORS.question).setTitle(clip(`Stats · ${view.name}`, 256));
  const t = view.totals;
  if (!t || (t.answered === 0 && t.points === 0)) {
    return embed.setDescription('No answers yet. Join a `/quiz` round or answer the daily question to get started!').toJSON();
  }
  const streak = streaks(t.dailyDays, view.today);
  const weakest = weakestSections(t, { minAnswered: MIN_ANSWERED, limit: 3, below: WEAK_BELOW });
  const judged = sectionStats(t).some((s) => s.answered >= MIN_ANSWERED);
  const place = view.place;
  embed.addFields(
    { name: 'Rank (all time)', value: place ? `${place.rank} of ${place.of}${place.tied ? ' (tied)' : ''}` : 'not ranked yet', inline: true },
    { name: 'Points', value: String(t.points), inline: true },
    { name: 'Answered', value: String(t.answered), inline: true },
    { name: 'Correct', value: `${t.correct} (${percent(accuracy(t))})`, inline: true },
    { name: 'Daily streak', value: `${streak.current} day${streak.current === 1 ? '' : 's'} (best ${streak.best})`, inline: true },
    { name: 'Live rounds won', value: String(view.roundsWon), inline: true },
    { name: 'Questions won first', value: String(t.won), inline: true },
    {
      name: `Weakest sections (below ${percent(WEAK_BELOW)})`,
      value: weakest.length
        ? clip(weakest.map((s) => `${plain(s.section ? `${s.deck} · ${s.section}` : s.deck)}: ${percent(s.accuracy)} of ${s.answered}`).join('\n'), 1024)
        : judged
          ? `No weak spot yet: every section is at ${percent(WEAK_BELOW)} or better.`
          : `No weak spot yet: a section counts after ${MIN_ANSWERED} answers.`,
    },
  );
  return embed.toJSON();
}

export const stats: Command = {
  data: new SlashCommandBuilder()
    .setName('stats')
    .setDescription('Study stats of a member (default: you)')
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) => o.setName('member').setDescription('Whose stats (default: yours)')),

  async execute(interaction, ctx) {
    const user = interaction.options.getUser('member') ?? interaction.user;
    const member = interaction.options.getMember('member') ?? (user.id === interaction.user.id ? interaction.member : null);
    const totals = await ctx.scores.member(interaction.guildId, user.id);
    const name = member?.displayName ?? totals?.name ?? user.displayName;
    const now = ctx.clock.now();
    const timeZone = await ctx.daily.timeZoneOf(interaction.guildId);
    const today = localDay(new Date(now), timeZone);
    const roundsWon = await ctx.scores.roundWins(interaction.guildId, user.id);
    // The same ranking as /leaderboard, all time.
    const board = await standings(ctx, interaction.guildId, 'all', null);
    const place = isUserError(board) ? undefined : placeOf(board.rows, user.id);
    // Accuracy per section and the last 8 weeks of daily answers, drawn on the worker.
    const sections = totals ? chartSections(totals).map(({ deck, section, answered, correct }) => ({ deck, section, answered, correct })) : [];
    const image = await picture(ctx, interaction.guildId, { kind: 'stats', input: { name, sections, daily: totals ? dailyAnswers(totals) : [], now, timeZone } }, 'stats.png');
    await interaction.reply({ embeds: [withPicture(statsEmbed({ name, totals, roundsWon, today, place }), image)], files: filesOf(image), flags: MessageFlags.Ephemeral });
  },
};
