/** Builds the discord.js client: the intents and defaults the bot needs, in one place. */
import { Client, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import { NO_PINGS } from './reply.ts';

export interface ClientOptions {
  /** Base URL of the REST API (discord.js `rest.api`), e.g. a proxy. */
  readonly apiUrl?: string;
  /** Extra REST options (tests lower retries and raise the rate limit). */
  readonly rest?: Partial<RESTOptions>;
}

export function createClient(options: ClientOptions = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    partials: [Partials.Channel],
    // Nothing the bot posts pings anyone: this default goes with every message and interaction reply.
    allowedMentions: NO_PINGS,
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.rest },
  });
}
