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

/** The command list, refused when two commands share a name (the type checks the rest). */
export function uniqueCommands(commands: readonly Command[]): readonly Command[] {
  const seen = new Set<string>();
  for (const { data } of commands) {
    if (seen.has(data.name)) throw new Error(`two commands are named /${data.name}`);
    seen.add(data.name);
  }
  return commands;
}
