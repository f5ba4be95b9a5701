import { ActionRowBuilder, ButtonBuilder, EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import {
  ButtonStyle,
  DiscordAPIError,
  HTTPError,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type APIEmbed,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { Command, ComponentHandler } from '../command.ts';
import { customId } from '../custom-id.ts';
import type { BotContext } from '../context.ts';
import { userError, type UserError } from '../reply.ts';
import { clip, COLORS, MEDALS, plain } from '../render.ts';
import { localDay } from '../../schedule/time.ts';
import { seasonConfirmationKey } from '../../storage/keys.ts';
import { tallyFromTotals } from '../../competition/aggregate.ts';
import { dateLabel } from '../../competition/periods.ts';
import { rank, sharedRanks } from '../../competition/ranking.ts';
import { filesOf, picture, withPicture, type Picture } from '../pictures.ts';
import type { PastSeason } from '../../storage/scores.ts';
import type { Logger } from '../../clock.ts';
import { missingPermissions, POST_PERMISSIONS } from './shared.ts';
import { CONFIRM_TTL_MS, takeConfirmation, type PendingConfirmation } from '../confirmation.ts';

interface Pending extends PendingConfirmation {
  readonly name: string;
}

/** The local day of an instant in the server's time zone, as people write it: '2 Dec 2026'. */
function day(ms: number, timeZone: string): string {
  return dateLabel(localDay(new Date(ms), timeZone));
}

/** A past season's top 3 with the leaderboard's ranks (equal points share one): "1. Ana (30), 2. Ben (20), 2. Cleo (20)". */
function topText(season: PastSeason): string {
  if (season.top.length === 0) return 'nobody scored';
  const names = sharedRanks(season.top).map((t) => `${t.rank}. ${clip(plain(t.name), 50)} (${t.points})`);
  return `${names.join(', ')}${season.more ? `, and ${season.more} more` : ''}`;
}

export function seasonLine(season: PastSeason, timeZone = 'UTC'): string {
  return `**${clip(plain(season.name), 100)}** (${day(season.startedAt, timeZone)} – ${day(season.endedAt, timeZone)}): ${topText(season)}`;
}

/** The closed season's podium as text: one line per member with a medal for their shared rank, then its dates. */
function podiumEmbed(season: PastSeason, timeZone: string): APIEmbed {
  const lines = sharedRanks(season.top).map((t) => `${MEDALS[t.rank - 1] ?? ''} **${t.rank}.** ${clip(plain(t.name), 60)} · ${t.points} pts`);
  if (season.more) lines.push(`and ${season.more} more`);
  const body = lines.length ? lines.join('\n') : 'Nobody scored this season.';
  return new EmbedBuilder()
    .setColor(COLORS.question)
    .setTitle(clip(`${season.name} · final podium`, 256))
    .setDescription(clip(`${body}\n\n${day(season.startedAt, timeZone)} – ${day(season.endedAt, timeZone)}`, 4000))
    .setFooter({ text: 'Ties share a rank' })
    .toJSON();
}

/**
 * Posts the announcement in the channel of the confirmation; says why not when the
 * channel does not take it (a permission missing, or Discord refusing the message).
 */
async function announce(interaction: ButtonInteraction<'cached'>, logger: Logger, message: { content: string; embeds: APIEmbed[]; files: ReturnType<typeof filesOf> }, image: Picture | undefined): Promise<{ ok: true; channelId: string } | { ok: false; why: string }> {
  const channel = interaction.channel;
  if (!channel) return { ok: false, why: 'I cannot see this channel.' };
  const needed = image ? [...POST_PERMISSIONS, [PermissionFlagsBits.AttachFiles, 'Attach Files'] as const] : POST_PERMISSIONS;
  const missing = missingPermissions(interaction.appPermissions, needed);
  if (missing.length) return { ok: false, why: `I am missing ${missing.join(', ')} here.` };
  try {
    await channel.send(message);
    return { ok: true, channelId: channel.id };
  } catch (error) {
    if (!(error instanceof DiscordAPIError || error instanceof HTTPError)) throw error;
    logger.warn(`the new season of server ${interaction.guildId} was not announced in channel ${channel.id}: ${error.message}`);
    return { ok: false, why: `Discord did not take the message (${error.message}).` };
  }
}

async function startNew(interaction: ChatInputCommandInteraction<'cached'>, ctx: Pick<BotContext, 'clock' | 'scores' | 'store'>): Promise<UserError | void> {
  const name = interaction.options.getString('name', true).trim().replace(/\s+/g, ' ');
  if (!name) return userError('Give the new season a name, e.g. "Spring 2027".');
  const now = ctx.clock.now();
  const current = (await ctx.scores.seasons(interaction.guildId, now)).current;
  await ctx.store.set<Pending>(seasonConfirmationKey(interaction.id), { guildId: interaction.guildId, ownerId: interaction.user.id, name, expiresAt: now + CONFIRM_TTL_MS });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('season', 'confirm', interaction.id)).setLabel(`Start ${clip(name, 60)}`).setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(customId('season', 'cancel', interaction.id)).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  await interaction.reply({
    content: `Start the season **${plain(name)}**? This closes **${plain(current.name)}** (its top 3 are announced in this channel and kept in /season list) and the season leaderboard starts from zero. All-time totals stay.`,
    components: [row.toJSON()],
    flags: MessageFlags.Ephemeral,
  });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: Pick<BotContext, 'clock' | 'scores' | 'daily'>): Promise<UserError | void> {
  const doc = await ctx.scores.seasons(interaction.guildId, ctx.clock.now());
  const timeZone = await ctx.daily.timeZoneOf(interaction.guildId);
  const lines = [`Current: **${plain(doc.current.name)}** since ${day(doc.current.startedAt, timeZone)}`, ''];
  lines.push(...(doc.past.length ? [...doc.past].reverse().map((past) => seasonLine(past, timeZone)) : ['No past seasons yet.']));
  const embed = new EmbedBuilder().setColor(COLORS.question).setTitle('Seasons').setDescription(clip(lines.join('\n'), 4000));
  await interaction.reply({ embeds: [embed.toJSON()] });
}

export const season: Command = {
  data: new SlashCommandBuilder()
    .setName('season')
    .setDescription('Competition seasons')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('new')
        .setDescription('Close the current season and start a new one (Manage Server)')
        .addStringOption((o) => o.setName('name').setDescription('Name of the new season, e.g. Spring 2027').setRequired(true).setMaxLength(60)),
    )
    .addSubcommand((s) => s.setName('list').setDescription('The current season and the past ones with their top 3')),

  async execute(interaction, ctx) {
    const sub = interaction.options.getSubcommand();
    if (sub === 'list') return list(interaction, ctx);
    // Checked here, not by default_member_permissions: /season list is for everyone, in the same command.
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return userError('Only members with Manage Server can start a new season.');
    return startNew(interaction, ctx);
  },
};

export const seasonConfirm: ComponentHandler = {
  prefix: 'season',
  async button(interaction, [action, id = ''], ctx) {
    const key = seasonConfirmationKey(id);
    const now = ctx.clock.now();
    // Taken in one step, so a double press starts one season.
    const taken = await takeConfirmation<Pending>(ctx.store, key, interaction.user.id, now);
    if (taken === 'not-yours') return userError('Only the member who asked for the new season can confirm it.');
    if (!taken) {
      await interaction.update({ content: 'This confirmation has expired. Run /season new again.', components: [] });
      return;
    }
    const request = taken;
    if (action !== 'confirm') {
      await interaction.update({ content: 'Cancelled: the season goes on.', components: [] });
      return;
    }
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return userError('Only members with Manage Server can start a new season.');
    const { closed, current } = await ctx.scores.newSeason(request.guildId, request.name, ctx.clock.now());
    const timeZone = await ctx.daily.timeZoneOf(request.guildId);
    // The podium picture of the closed season: its ranking with shared ranks, so members tied on points share a step.
    const totals = await ctx.scores.seasonTotals(request.guildId, closed.id);
    const rows = rank(tallyFromTotals(totals), (userId) => totals[userId]?.name || 'a former member')
      .filter((r) => r.rank <= 3 && r.points > 0)
      .map(({ rank: place, name, points }) => ({ rank: place, name, points }));
    const image = await picture(ctx, request.guildId, { kind: 'podium', input: { season: closed.name, rows } }, 'podium.png');
    const podium = withPicture(podiumEmbed(closed, timeZone), image);
    const started = `**${plain(current.name)}** has started`;
    // The class sees it in the channel: a public message with the podium.
    const announced = await announce(
      interaction,
      ctx.logger,
      {
        content: `🏁 **${plain(closed.name)}** is over and ${started}! The season leaderboard starts from zero; all-time totals stay.`,
        embeds: [podium],
        files: filesOf(image),
      },
      image,
    );
    if (announced.ok) {
      await interaction.update({ content: `${started}. Announced in <#${announced.channelId}>. Closed: ${seasonLine(closed, timeZone)}`, components: [] });
      return;
    }
    // Not announced: the podium stays with the confirmation, and it says why.
    await interaction.update({
      content: `${started}, but I could not announce it in this channel: ${announced.why} Closed: ${seasonLine(closed, timeZone)}`,
      components: [],
      embeds: [podium],
      files: filesOf(image),
    });
  },
};
