/**
 * Routes every interaction to its command or component handler, shows user
 * errors ephemerally, and turns anything unexpected into a logged error and a
 * short apology. No interaction can crash the bot.
 */
import type { Interaction } from 'discord.js';
import type { Command, ComponentHandler, Outcome } from './command.ts';
import type { BotContext } from './context.ts';
import type { DeckLibrary } from '../deck/library.ts';
import { APOLOGY, isUserError, sendEphemeral, userError } from './reply.ts';

export class InteractionRouter {
  private readonly commands: Map<string, Command>;
  private readonly components: Map<string, ComponentHandler>;

  constructor(commands: readonly Command[], components: readonly ComponentHandler[], private readonly ctx: BotContext) {
    this.commands = new Map(commands.map((c) => [c.data.name, c]));
    this.components = new Map(components.map((c) => [c.prefix, c]));
  }

  async handle(interaction: Interaction): Promise<void> {
    try {
      if (!interaction.inCachedGuild()) {
        if (interaction.isRepliable()) await sendEphemeral(interaction, 'I work in servers only: use my commands in a class channel.');
        else if (interaction.isAutocomplete()) await interaction.respond([]);
        return;
      }
      // Every handler sees the decks of this server: the folder's and its own, never another server's.
      const ctx: BotContext = { ...this.ctx, library: await this.libraryFor(interaction.guildId) };
      let outcome: Outcome = undefined;
      if (interaction.isChatInputCommand()) {
        const command = this.commands.get(interaction.commandName);
        outcome = command ? await command.execute(interaction, ctx) : undefined;
      } else if (interaction.isAutocomplete()) {
        await this.commands.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
        return;
      } else if (interaction.isButton() || interaction.isModalSubmit()) {
        const [prefix = '', ...args] = interaction.customId.split(':');
        const handler = this.components.get(prefix);
        if (interaction.isButton() && handler?.button) outcome = await handler.button(interaction, args, ctx);
        else if (interaction.isModalSubmit() && handler?.modal) outcome = await handler.modal(interaction, args, ctx);
        else outcome = userError('This no longer works. Run the command again.');
      } else if (interaction.isRepliable()) {
        outcome = userError('I do not know this kind of interaction.');
      }
      if (isUserError(outcome) && interaction.isRepliable()) await sendEphemeral(interaction, outcome.message);
    } catch (error) {
      this.ctx.logger.error(`interaction ${describe(interaction)} failed`, error);
      try {
        if (interaction.isRepliable()) await sendEphemeral(interaction, APOLOGY);
      } catch (replyError) {
        this.ctx.logger.error('could not send the apology', replyError);
      }
    }
  }

  /** The server's decks; when its uploads cannot be read (the store is unreachable), the folder's, so live rounds and the rest go on. */
  private async libraryFor(guildId: string): Promise<DeckLibrary> {
    try {
      return await this.ctx.serverDecks.libraryFor(guildId);
    } catch (error) {
      this.ctx.logger.warn(`the decks uploaded in server ${guildId} cannot be read (${error instanceof Error ? error.message : String(error)}): only the folder's decks are used for now`);
      return this.ctx.serverDecks.folder;
    }
  }
}

function describe(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return `/${interaction.commandName}`;
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return `component ${interaction.customId}`;
  return `of type ${(interaction as { type: number }).type}`;
}
