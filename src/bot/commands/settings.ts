/**
 * /settings: the server's settings (Manage Server). One subcommand per setting,
 * plus `show`; each handler reads its option, updates the one settings record
 * and says what changed.
 */
import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { NEW_CARDS_LIMITS, readSettings, updateSettings, type ServerSettings } from '../../storage/settings.ts';
import type { Command } from '../command.ts';
import type { BotContext } from '../context.ts';
import { userError, type UserError } from '../reply.ts';

type Handler = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => Promise<UserError | void>;

/** One line per setting, for `/settings show`. */
export function describeSettings(settings: ServerSettings): string {
  return [
    `**images**: ${settings.images ? 'on' : 'off'} (pictures with /leaderboard, /stats, the daily reveal and /season new)`,
    `**new-cards**: ${settings.newCards} (new cards each member may start per day in /practice)`,
  ].join('\n');
}

async function reply(interaction: ChatInputCommandInteraction<'cached'>, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}

const images: Handler = async (interaction, ctx) => {
  const state = interaction.options.getString('state', true);
  if (state !== 'on' && state !== 'off') return userError('images must be on or off.');
  await updateSettings(ctx.store, interaction.guildId, { images: state === 'on' });
  await reply(interaction, state === 'on' ? 'Images are on: /leaderboard, /stats, the daily reveal and /season new come with a picture.' : 'Images are off: the bot answers with text only.');
};

const newCards: Handler = async (interaction, ctx) => {
  const n = interaction.options.getInteger('n');
  if (n === null || !Number.isInteger(n) || n < NEW_CARDS_LIMITS.min || n > NEW_CARDS_LIMITS.max) return userError(`n must be a whole number from ${NEW_CARDS_LIMITS.min} to ${NEW_CARDS_LIMITS.max}.`);
  await updateSettings(ctx.store, interaction.guildId, { newCards: n });
  await reply(interaction, `/practice now lets each member start ${n} new card${n === 1 ? '' : 's'} a day.`);
};

const show: Handler = async (interaction, ctx) => {
  await reply(interaction, `Settings of this server:\n${describeSettings(await readSettings(ctx.store, interaction.guildId))}`);
};

const SUBCOMMANDS: Readonly<Record<string, Handler>> = { images, 'new-cards': newCards, show };

export const settings: Command = {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription("This server's settings for the bot")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('images')
        .setDescription('Pictures with /leaderboard, /stats, the daily reveal and /season new (default: on)')
        .addStringOption((o) =>
          o.setName('state').setDescription('on: pictures with the text; off: text only').setRequired(true).addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' }),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('new-cards')
        .setDescription('How many new cards each member may start per day in /practice (default: 10)')
        .addIntegerOption((o) => o.setName('n').setDescription(`New cards per member per day (${NEW_CARDS_LIMITS.min}–${NEW_CARDS_LIMITS.max})`).setRequired(true).setMinValue(NEW_CARDS_LIMITS.min).setMaxValue(NEW_CARDS_LIMITS.max)),
    )
    .addSubcommand((s) => s.setName('show').setDescription('The current settings')),

  async execute(interaction, ctx) {
    // Who may run it is Discord's to decide: Manage Server by default, as the server's admins set it in Integrations.
    const handler = SUBCOMMANDS[interaction.options.getSubcommand()];
    return handler ? handler(interaction, ctx) : userError('Unknown subcommand.');
  },
};
