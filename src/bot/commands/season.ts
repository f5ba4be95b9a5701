import { ActionRowBuilder, ButtonBuilder, EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { ButtonStyle, InteractionContextType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, ComponentHandler } from '../command.ts';
import { customId } from '../custom-id.ts';
import type { BotContext } from '../context.ts';
import { userError, type UserError } from '../reply.ts';
import { clip, COLORS, plain } from '../render.ts';
import { localDay } from '../../schedule/time.ts';
import { seasonConfirmationKey } from '../../storage/keys.ts';
import { tallyFromTotals } from '../../competition/aggregate.ts';
import { rank } from '../../competition/ranking.ts';
import { filesOf, picture, withPicture } from '../pictures.ts';
import type { PastSeason } from '../../storage/scores.ts';

/** A confirmation button works for this long. */
export const CONFIRM_TTL_MS = 5 * 60 * 1000;

interface Pending {
  readonly guildId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly expiresAt: number;
}


/** The local day of an instant in the server's time zone. */
function day(ms: number, timeZone: string): string {
  return localDay(new Date(ms), timeZone);
}

export function seasonLine(season: PastSeason, timeZone = 'UTC'): string {
  const top = season.top.length ? season.top.map((t, i) => `${i + 1}. ${clip(plain(t.name), 50)} (${t.points})`).join(', ') : 'nobody scored';
  return `**${clip(plain(season.name), 100)}** (${day(season.startedAt, timeZone)} – ${day(season.endedAt, timeZone)}): ${top}`;
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
    content: `Start the season **${plain(name)}**? This closes **${plain(current.name)}** (its top 3 are kept in /season list) and the season leaderboard starts from zero. All-time totals stay.`,
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
    const taken = await ctx.store.update<Pending, Pending | 'not-yours' | undefined>(key, (request) => {
      if (!request || request.expiresAt <= now) return { value: undefined, result: undefined };
      if (request.ownerId !== interaction.user.id) return { value: request, result: 'not-yours' };
      return { value: undefined, result: request };
    });
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
    // The podium of the closed season: its ranking with shared ranks, so members tied on points share a step.
    const totals = await ctx.scores.seasonTotals(request.guildId, closed.id);
    const rows = rank(tallyFromTotals(totals), (userId) => totals[userId]?.name || 'a former member')
      .filter((r) => r.rank <= 3 && r.points > 0)
      .map(({ rank: place, name, points }) => ({ rank: place, name, points }));
    const image = await picture(ctx, request.guildId, { kind: 'podium', input: { season: closed.name, rows } }, 'podium.png');
    const podium = new EmbedBuilder().setColor(COLORS.question).setTitle(clip(`${closed.name} · final podium`, 256)).setDescription(clip(seasonLine(closed, timeZone), 4000)).toJSON();
    await interaction.update({
      content: `**${plain(current.name)}** has started. Closed: ${seasonLine(closed, timeZone)}`,
      components: [],
      embeds: image ? [withPicture(podium, image)] : [],
      files: filesOf(image),
    });
  },
};
