import { ActionRowBuilder, ButtonBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { ButtonStyle, InteractionContextType, MessageFlags, type APIEmbed } from 'discord.js';
import { findRow, page } from '../../competition/ranking.ts';
import type { Period, RankedRow } from '../../competition/types.ts';
import type { Command, ComponentHandler } from '../command.ts';
import { customId } from '../custom-id.ts';
import type { BotContext } from '../context.ts';
import { isUserError, userError } from '../reply.ts';
import { clip, COLORS, MEDALS, plain } from '../render.ts';
import { filesOf, picture, withPicture } from '../pictures.ts';
import { PERIOD_CHOICES, standingsPage, type PageStandings } from '../standings.ts';
import { leaderboardPagesKey } from '../../storage/keys.ts';
import { suggestDecks } from './shared.ts';

export const PAGE_SIZE = 10;
/** Page buttons work for this long after /leaderboard; a press after that removes them from the message. */
export const PAGES_TTL_MS = 10 * 60 * 1000;

interface PageQuery {
  readonly ownerId: string;
  readonly guildId: string;
  readonly period: Period;
  readonly deck: string | null;
  readonly expiresAt: number;
}


/** A ranking line: a medal for ranks 1 to 3 (ties share it), and the caller's own row marked. */
function line(row: RankedRow, callerId?: string): string {
  const medal = MEDALS[row.rank - 1];
  const text = `${medal ? `${medal} ` : ''}**${row.rank}.** ${clip(plain(row.name), 60)} · ${row.points} pts · ${row.correct} correct`;
  return row.userId === callerId ? `${text} ◀ you` : text;
}

/** Members with 0 points are not listed, in the text or the picture: their rank would only say they have none. */
function withPoints(rows: readonly RankedRow[]): readonly RankedRow[] {
  return rows.filter((row) => row.points > 0);
}

/** The page as text (kept beside the picture for screen readers and search). */
export function leaderboardEmbed(allRows: readonly RankedRow[], label: string, pageIndex: number, callerId: string): { embed: APIEmbed; page: number; pageCount: number } {
  const rows = withPoints(allRows);
  const shown = page(rows, pageIndex, PAGE_SIZE);
  // Plain data, as the question embeds: the title is clipped to Discord's limit here, and the
  // description (at most 12 lines of names clipped to 60 characters) and footer are far below theirs.
  const title = clip(`Leaderboard · ${label}`, 256);
  if (rows.length === 0) {
    const description = 'No scores yet for this. Start a round with `/quiz`, or answer the daily question, to get on the board!';
    return { embed: { color: COLORS.question, title, description } satisfies APIEmbed, page: 0, pageCount: 1 };
  }
  const lines = shown.rows.map((row) => line(row, callerId));
  const own = findRow(rows, callerId);
  if (own && !shown.rows.includes(own)) lines.push('', `Your rank: ${line(own)}`);
  else if (!own) lines.push('', 'You have no points on this board yet: answer a question right to get on it.');
  const members = `${rows.length} member${rows.length === 1 ? '' : 's'} with points`;
  const footer = { text: `Page ${shown.page + 1} of ${shown.pageCount} · ${members} · ties share a rank` };
  return { embed: { color: COLORS.question, title, description: lines.join('\n'), footer } satisfies APIEmbed, page: shown.page, pageCount: shown.pageCount };
}

function pageButtons(id: string, current: number, pageCount: number) {
  if (pageCount <= 1) return [];
  return [
    new ActionRowBuilder<ButtonBuilder>()
      .addComponents(
        new ButtonBuilder().setCustomId(customId('lb', id, String(current - 1))).setLabel('Previous').setStyle(ButtonStyle.Secondary).setDisabled(current <= 0),
        new ButtonBuilder().setCustomId(customId('lb', id, String(current + 1))).setLabel('Next').setStyle(ButtonStyle.Secondary).setDisabled(current >= pageCount - 1),
      )
      .toJSON(),
  ];
}

/** The page's message: the picture (when the server has images on) shown in the embed, the text, the page buttons. */
async function pagePayload(ctx: BotContext, result: PageStandings, query: PageQuery, pageIndex: number, id: string) {
  const listed = withPoints(result.rows);
  const shown = page(listed, pageIndex, PAGE_SIZE);
  const rows = listed.map(({ rank, userId, name, points, correct }) => ({ rank, userId, name, points, correct }));
  const image = await picture(ctx, query.guildId, { kind: 'leaderboard', input: { rows, page: shown.page, pageSize: PAGE_SIZE, period: result.period, deck: result.deck, callerId: query.ownerId } }, 'leaderboard.png');
  const { embed, page: current, pageCount } = leaderboardEmbed(result.rows, result.label, pageIndex, query.ownerId);
  // `files` always: on a page turn an empty list removes the previous page's picture.
  return { embeds: [withPicture(embed, image)], components: pageButtons(id, current, pageCount), files: filesOf(image) };
}

export const leaderboard: Command = {
  data: new SlashCommandBuilder()
    .setName('leaderboard')
    .setDescription("This server's ranking")
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('period').setDescription('Which period (default: all time)').addChoices(...PERIOD_CHOICES))
    .addStringOption((o) => o.setName('deck').setDescription('Only this course or deck').setAutocomplete(true).setMaxLength(100)),

  async execute(interaction, ctx) {
    const period = (interaction.options.getString('period') ?? 'all') as Period;
    if (!PERIOD_CHOICES.some((c) => c.value === period)) return userError('period must be one of: all time, this week, this month, this season.');
    const query: PageQuery = { ownerId: interaction.user.id, guildId: interaction.guildId, period, deck: interaction.options.getString('deck'), expiresAt: ctx.clock.now() + PAGES_TTL_MS };
    const result = await standingsPage(ctx, query.guildId, query.period, query.deck, { page: 0, pageSize: PAGE_SIZE, callerId: query.ownerId });
    if (isUserError(result)) return result;
    const payload = await pagePayload(ctx, result, query, 0, interaction.id);
    // Stored only while there are pages to turn; `expiresAt` (on the bot's clock) is the one expiry rule.
    if (payload.components.length > 0) await ctx.store.set(leaderboardPagesKey(interaction.id), query);
    await interaction.reply(payload);
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(suggestDecks(ctx.library, interaction.options.getFocused()));
  },
};

export const leaderboardPages: ComponentHandler = {
  prefix: 'lb',
  async button(interaction, [id = '', pageText = '0'], ctx) {
    const query = await ctx.store.get<PageQuery>(leaderboardPagesKey(id));
    if (!query || query.expiresAt <= ctx.clock.now()) {
      // Expired: remove the dead buttons and say so.
      await ctx.store.delete(leaderboardPagesKey(id));
      await interaction.update({ components: [] });
      await interaction.followUp({ content: 'These pages have expired. Run /leaderboard again.', flags: MessageFlags.Ephemeral });
      return;
    }
    if (query.ownerId !== interaction.user.id) return userError('Only the member who ran this /leaderboard can turn its pages. Run /leaderboard to get your own.');
    const pageIndex = Number(pageText);
    const result = await standingsPage(ctx, query.guildId, query.period, query.deck, { page: pageIndex, pageSize: PAGE_SIZE, callerId: query.ownerId });
    if (isUserError(result)) return result;
    await interaction.update(await pagePayload(ctx, result, query, pageIndex, id));
  },
};
