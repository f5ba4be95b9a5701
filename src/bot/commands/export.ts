import { SlashCommandBuilder } from '@discordjs/builders';
import { AttachmentBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { leaderboardCsv } from '../../competition/csv.ts';
import { streaks } from '../../competition/streaks.ts';
import type { Period } from '../../competition/types.ts';
import { localDay } from '../../schedule/time.ts';
import type { Command } from '../command.ts';
import { isUserError, userError } from '../reply.ts';
import { plain } from '../render.ts';
import { PERIOD_CHOICES, standings } from '../standings.ts';
import { suggestDecks } from './shared.ts';

/** A file name safe on every system: `studybot-week-mlops-2026-11-27.csv`. */
export function exportFileName(period: Period, deck: string | null, today: string): string {
  const deckPart = deck ? `-${deck.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}` : '';
  return `studybot-${period}${deckPart}-${today}.csv`;
}

export const exportCommand: Command = {
  data: new SlashCommandBuilder()
    .setName('export')
    .setDescription('Download the class results as a CSV file (Manage Server)')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((o) => o.setName('period').setDescription('Which period (default: all time)').addChoices(...PERIOD_CHOICES))
    .addStringOption((o) => o.setName('deck').setDescription('Only this course or deck').setAutocomplete(true).setMaxLength(100)),

  async execute(interaction, ctx) {
    const period = (interaction.options.getString('period') ?? 'all') as Period;
    if (!PERIOD_CHOICES.some((c) => c.value === period)) return userError('period must be one of: all time, this week, this month, this season.');
    const deck = interaction.options.getString('deck');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await standings(ctx, interaction.guildId, period, deck);
    if (isUserError(result)) return result;
    const today = localDay(new Date(ctx.clock.now()), result.timeZone);
    const csv = leaderboardCsv(result.rows, (userId) => streaks(result.totals[userId]?.dailyDays ?? [], today).current);
    const file = new AttachmentBuilder(Buffer.from(csv, 'utf8'), { name: exportFileName(period, deck, today) });
    await interaction.editReply({
      content: `Results for ${plain(result.label)}: ${result.rows.length} member${result.rows.length === 1 ? '' : 's'}. UTF-8 CSV; the streak column is the current daily streak.`,
      files: [file],
    });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(suggestDecks(ctx.library, interaction.options.getFocused()));
  },
};
