/** Builds the discord.js client: the intents and defaults the bot needs, in one place. */
import { Client, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';

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
    // Nothing the bot posts pings anyone; every send also states it explicitly.
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.rest },
  });
}
