/**
 * The contract of a slash command file: its definition and its handler, plus
 * optional autocomplete. Component (button, modal) handlers are keyed by the
 * first part of their custom id.
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.ts';
import type { UserError } from './reply.ts';

export type Outcome = void | UserError;

export interface Command {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<Outcome>;
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void>;
}

export interface ComponentHandler {
  /** First segment of the custom id, e.g. `quiz` for `quiz:hint:123`. */
  readonly prefix: string;
  button?(interaction: ButtonInteraction<'cached'>, args: readonly string[], ctx: BotContext): Promise<Outcome>;
  modal?(interaction: ModalSubmitInteraction<'cached'>, args: readonly string[], ctx: BotContext): Promise<Outcome>;
}

/** Custom ids are `prefix:arg:arg`; Discord allows 100 characters. */
export function customId(prefix: string, ...args: string[]): string {
  const id = [prefix, ...args].join(':');
  if (id.length > 100) throw new Error(`custom id too long: ${id}`);
  return id;
}

/** Checks that every command is complete and names are unique; throws on a broken command list. */
export function validateCommands(commands: readonly unknown[]): Command[] {
  const seen = new Set<string>();
  return commands.map((candidate, i) => {
    const command = candidate as Partial<Command> | undefined;
    const name = command?.data?.name;
    if (!name || typeof command?.data?.toJSON !== 'function' || typeof command.execute !== 'function') {
      throw new Error(`command #${i + 1} (${name ?? 'unnamed'}) must export data (with a name and toJSON) and execute`);
    }
    if (seen.has(name)) throw new Error(`two commands are named /${name}`);
    seen.add(name);
    return command as Command;
  });
}
