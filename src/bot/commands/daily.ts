import { SlashCommandBuilder } from '@discordjs/builders';
import { ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../command.ts';
import type { BotContext } from '../context.ts';
import { userError, type UserError } from '../reply.ts';
import { plain } from '../render.ts';
import { nextScheduledDrop } from '../../schedule/daily.ts';
import { formatTimeOfDay, parseTimeOfDay, timeZoneNames } from '../../schedule/time.ts';
import { readTimeZone, zoneInputMessage } from '../../schedule/zone-input.ts';
import { normalizeName } from '../../deck/parse.ts';
import { deckNotFound, missingPermissions, POST_PERMISSIONS, suggestDecks } from './shared.ts';

/** "Sat, 28 Nov 2026, 09:00 (Europe/Paris)" plus Discord timestamps that show in each reader's own time. */
export function describeInstant(ms: number, timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  const unix = Math.floor(ms / 1000);
  return `${local} (${timeZone}), <t:${unix}:F>, <t:${unix}:R>`;
}

async function set(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<UserError | void> {
  const channel = interaction.options.getChannel('channel', true);
  const timeText = interaction.options.getString('time', true);
  const zoneText = interaction.options.getString('timezone');
  const deck = interaction.options.getString('deck');
  const time = parseTimeOfDay(timeText);
  if (!time.ok) return userError(`"${timeText}" is not a time I understand. Write it like 08:30, 8:30 or 8:30 pm.`);
  const zone = zoneText ? readTimeZone(zoneText) : null;
  if (zone && !zone.ok) return userError(zoneInputMessage(zoneText ?? '', zone));
  const timeZone = zone?.ok ? zone.zone : ctx.defaultTimeZone;
  if (deck && !ctx.library.resolve(deck)) return deckNotFound(ctx.library, deck);
  const resolved = interaction.guild.channels.cache.get(channel.id);
  if (!resolved || !resolved.isTextBased() || resolved.isThread() || resolved.isVoiceBased()) return userError('Pick a text channel for the daily question.');
  const me = interaction.guild.members.me;
  const missing = missingPermissions(me ? resolved.permissionsFor(me) : null, POST_PERMISSIONS);
  if (missing.length) return userError(`I cannot post the daily question in <#${resolved.id}>: I am missing ${missing.join(', ')} there. Give me those permissions or pick another channel.`);
  const now = ctx.clock.now();
  const input = { channelId: resolved.id, time: time.value, timeZone, deck: deck ? normalizeName(deck) : null };
  const schedule = await ctx.daily.set(interaction.guildId, input);
  const next = nextScheduledDrop(schedule, new Date(now));
  await interaction.reply({
    content: [
      `Daily question set: <#${resolved.id}> at ${formatTimeOfDay(time.value)} ${timeZone}, from ${schedule.deck ? `**${plain(schedule.deck)}**` : 'every deck'}.`,
      zone ? null : `No time zone given, so ${timeZone} is used: add \`timezone:\` (a city such as Paris works) to change it.`,
      `Next drop: <t:${Math.floor(next.at.getTime() / 1000)}:F>.`,
    ].filter((line) => line !== null).join('\n'),
    flags: MessageFlags.Ephemeral,
  });
}

async function status(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<UserError | void> {
  const schedule = await ctx.daily.schedule(interaction.guildId);
  if (!schedule) return userError('No daily question is scheduled here. Set one with /daily set.');
  const now = ctx.clock.now();
  const next = nextScheduledDrop(schedule, new Date(now));
  const drop = await ctx.daily.openDrop(interaction.guildId);
  const lines = [
    `Channel: <#${schedule.channelId}>`,
    `Time: ${formatTimeOfDay(schedule.time)} ${schedule.timeZone}`,
    `Deck: ${schedule.deck ? plain(schedule.deck) : 'every deck'}`,
    `Next drop: ${describeInstant(next.at.getTime(), schedule.timeZone)}`,
  ];
  if (drop) {
    const solvers = drop.solvers.map((s) => plain(s.name)).join(', ');
    lines.push(`Open question: posted ${describeInstant(drop.postedAt, schedule.timeZone)}, ${drop.solvers.length} solver${drop.solvers.length === 1 ? '' : 's'}${solvers ? ` (${solvers.slice(0, 1500)})` : ''}`);
  } else {
    lines.push('Open question: none yet.');
  }
  await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral });
}

async function now(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<UserError | void> {
  const schedule = await ctx.daily.schedule(interaction.guildId);
  if (!schedule) return userError('Set the daily question first with /daily set (channel and time).');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const result = await ctx.daily.postExtra(interaction.guildId);
  if (!result.ok) {
    const why = result.reason === 'no-cards' ? 'the deck has no cards' : `I could not post in <#${schedule.channelId}>; check my permissions there`;
    return userError(`No question posted: ${why}.`);
  }
  await interaction.editReply({ content: `Posted a question in <#${result.drop.channelId}>. The scheduled one still comes at ${formatTimeOfDay(schedule.time)} ${schedule.timeZone}.` });
}

async function off(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<UserError | void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const had = await ctx.daily.turnOff(interaction.guildId);
  await interaction.editReply({ content: had ? 'Daily questions are off. The open question was revealed.' : 'No daily question was scheduled here.' });
}

const SUBCOMMANDS = { set, status, now, off } as const;

export const daily: Command = {
  data: new SlashCommandBuilder()
    .setName('daily')
    .setDescription('Schedule one question a day in a class channel')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('set')
        .setDescription('Post a question every day at this time (replaces the current schedule)')
        .addChannelOption((o) => o.setName('channel').setDescription('Where to post').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement))
        .addStringOption((o) => o.setName('time').setDescription('Time of day, e.g. 08:30, 8:30 or 8:30 pm').setRequired(true).setMaxLength(12))
        .addStringOption((o) => o.setName('timezone').setDescription('A city or time zone, e.g. Paris or Europe/Paris (default: the bot default)').setAutocomplete(true).setMaxLength(64))
        .addStringOption((o) => o.setName('deck').setDescription('A course or deck (default: every deck)').setAutocomplete(true).setMaxLength(100)),
    )
    .addSubcommand((s) => s.setName('status').setDescription('The schedule, the next drop and today’s solvers'))
    .addSubcommand((s) => s.setName('now').setDescription('Post a question now (the scheduled one still comes)'))
    .addSubcommand((s) => s.setName('off').setDescription('Stop the daily questions and reveal the open one')),

  async execute(interaction, ctx) {
    // Who may run it is Discord's to decide: Manage Server by default, as the server's admins set it in Integrations.
    const sub = interaction.options.getSubcommand() as keyof typeof SUBCOMMANDS;
    const handler = SUBCOMMANDS[sub];
    return handler ? handler(interaction, ctx) : userError('Unknown subcommand.');
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') {
      const typed = focused.value.toLowerCase().replace(/\s+/g, '_');
      const zones = timeZoneNames().filter((z) => z.toLowerCase().includes(typed)).slice(0, 25);
      await interaction.respond(zones.map((z) => ({ name: z, value: z })));
      return;
    }
    await interaction.respond(suggestDecks(ctx.library, focused.value));
  },
};
