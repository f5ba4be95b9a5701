/**
 * User-facing outcomes of a handler, and the one place that shows them.
 * A user error is a value with a message for the member, shown ephemerally;
 * anything thrown is unexpected: logged with its stack, answered with an apology.
 */
import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type RepliableInteraction } from 'discord.js';

export interface UserError {
  readonly kind: 'user-error';
  readonly message: string;
}

export function userError(message: string): UserError {
  return { kind: 'user-error', message };
}

export function isUserError(value: unknown): value is UserError {
  return typeof value === 'object' && value !== null && (value as UserError).kind === 'user-error';
}

export const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a moment.';

/** Nothing the bot sends pings anyone: the client's default for every send (see client.ts). */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

/** Sends an ephemeral message, as a reply or as a follow-up when the interaction was already answered. */
export async function sendEphemeral(interaction: RepliableInteraction, content: string): Promise<void> {
  const payload = { content, flags: MessageFlags.Ephemeral } as const;
  // A deferred command reply is ephemeral already: fill it in. (A deferred button update
  // would edit the message the button is on, so it gets a follow-up instead.)
  if (interaction.deferred && !interaction.replied && interaction.isChatInputCommand()) {
    await interaction.editReply({ content });
  } else if (interaction.replied || interaction.deferred) {
    await interaction.followUp(payload);
  } else {
    await interaction.reply(payload);
  }
}

/**
 * Answers an interaction once. When Discord says it was already acknowledged, an
 * earlier attempt took effect (its answer was lost, e.g. a 5xx, and the request
 * retried): that is success, and the interaction counts as replied.
 */
export async function replyOnce(interaction: RepliableInteraction, reply: () => Promise<unknown>): Promise<void> {
  try {
    await reply();
  } catch (error) {
    if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) throw error;
    interaction.replied = true;
  }
}
