import { SlashCommandBuilder } from '@discordjs/builders';
import { AttachmentBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { leaderboardCsv } from '../../competition/csv.ts';
import { streaks } from '../../competition/streaks.ts';
import type { Period } from '../../competition/types.ts';
import { localDay } from '../../schedule/time.ts';
import { normalizeName } from '../../deck/parse.ts';
import { cardsCsv } from '../../study/class-view.ts';
import { classDecks } from '../class-members.ts';
import type { Command, Outcome } from '../command.ts';
import type { BotContext } from '../context.ts';
import { isUserError, userError } from '../reply.ts';
import { plain } from '../render.ts';
import { PERIOD_CHOICES, standings } from '../standings.ts';
import { suggestDecks } from './shared.ts';

/** A file name safe on every system: `studybot-week-mlops-2026-11-27.csv`, `studybot-cards-mlops-2026-11-27.csv`. */
export function exportFileName(period: Period | 'cards', deck: string | null, today: string): string {
  const deckPart = deck ? `-${deck.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}` : '';
  return `studybot-${period}${deckPart}-${today}.csv`;
}

export const KIND_CHOICES = [
  { name: 'scores (per member)', value: 'scores' },
  { name: 'cards (per card: attempts, accuracy, recall)', value: 'cards' },
] as const;

/** `/export kind:cards`: one line per card of the decks (see `cardsCsv`), the class's memory as it is now. */
async function exportCards(interaction: Parameters<Command['execute']>[0], ctx: BotContext, deck: string | null): Promise<Outcome> {
  if (interaction.options.getString('period')) return userError('period is for the scores export: the cards export shows what the class remembers now. Leave period out.');
  const decks = classDecks(ctx.library, deck);
  if (isUserError(decks)) return decks;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const now = ctx.clock.now();
  const records = await ctx.memory.classRecords(interaction.guildId, decks.map((d) => d.name));
  const cards = decks.flatMap((d) => d.cards);
  const today = localDay(new Date(now), await ctx.daily.timeZoneOf(interaction.guildId));
  const file = new AttachmentBuilder(Buffer.from(cardsCsv(cards, records, now), 'utf8'), { name: exportFileName('cards', deck, today) });
  await interaction.editReply({
    content: `Cards of ${plain(deck ? normalizeName(deck) : 'every deck')}: ${cards.length} card${cards.length === 1 ? '' : 's'}. UTF-8 CSV; recall is the members' predicted recall now, and a member knows a card at 90% or more.`,
    files: [file],
  });
}

export const exportCommand: Command = {
  data: new SlashCommandBuilder()
    .setName('export')
    .setDescription('Download the class results as a CSV file (Manage Server)')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((o) => o.setName('period').setDescription('Which period (default: all time)').addChoices(...PERIOD_CHOICES))
    .addStringOption((o) => o.setName('deck').setDescription('Only this course or deck').setAutocomplete(true).setMaxLength(100))
    .addStringOption((o) => o.setName('kind').setDescription('Scores per member (default) or statistics per card').addChoices(...KIND_CHOICES)),

  async execute(interaction, ctx) {
    if (interaction.options.getString('kind') === 'cards') return exportCards(interaction, ctx, interaction.options.getString('deck')?.trim() || null);
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
