/** Builds the discord.js client: the intents and defaults the bot needs, in one place. */
import { Client, DefaultRestOptions, GatewayIntentBits, Options, Partials, type CacheFactory, type RESTOptions } from 'discord.js';
import { fitBody } from './fit.ts';
import type { ShardLayout } from '../storage/shards.ts';
import { NO_PINGS } from './reply.ts';

export interface ClientOptions {
  /** Base URL of the REST API (discord.js `rest.api`), e.g. a proxy. */
  readonly apiUrl?: string;
  /** Extra REST options (tests lower retries and raise the rate limit). */
  readonly rest?: Partial<RESTOptions>;
  /** The gateway shards this client runs (default: as many as Discord recommends, all in this process). */
  readonly shards?: ShardLayout;
}

type MakeRequest = RESTOptions['makeRequest'];

/** Sends every request through `send`, with its body fitted to Discord's limits (see fit.ts). */
export function fittingRequests(send: MakeRequest): MakeRequest {
  return async (url, init) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const path = new URL(url).pathname;
    const body: unknown = init.body;
    if (typeof body === 'string' && body.startsWith('{')) {
      return send(url, { ...init, body: JSON.stringify(fitBody(method, path, JSON.parse(body))) });
    }
    if (body instanceof FormData || (typeof body === 'object' && body !== null && 'get' in body && 'set' in body)) {
      const form = body as FormData;
      const json = form.get('payload_json');
      if (typeof json === 'string') form.set('payload_json', JSON.stringify(fitBody(method, path, JSON.parse(json))));
    }
    return send(url, init);
  };
}

/**
 * What discord.js keeps in memory: only what the bot reads. It reads servers, their channels
 * and roles, and its own member (its permissions in a channel, `/daily set`); everything else
 * comes with the event or interaction that needs it. A member's name is read from the message
 * it came with, at once (the member and user caches hold the bot and the latest author only);
 * question messages are edited by id, so no message is cached; no emojis, stickers, threads,
 * presences, voice states, invites, bans or reactions.
 */
export function botCaches(): CacheFactory {
  const isBot = (id: string, client: Client): boolean => id === client.user?.id;
  return Options.cacheWithLimits({
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    EntitlementManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildForumThreadManager: 0,
    GuildInviteManager: 0,
    GuildMessageManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    GuildTextThreadManager: 0,
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    StageInstanceManager: 0,
    ThreadManager: 0,
    ThreadMemberManager: 0,
    VoiceStateManager: 0,
    // Itself always; one other, the author of the message being read (discord.js builds a
    // message's member from its cached author, so the author must be cached for its name).
    GuildMemberManager: { maxSize: 1, keepOverLimit: (member) => isBot(member.id, member.client) },
    UserManager: { maxSize: 1, keepOverLimit: (user) => isBot(user.id, user.client) },
  });
}

export function createClient(options: ClientOptions = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    partials: [Partials.Channel],
    makeCache: botCaches(),
    // Nothing is cached that a sweep would have to clear.
    sweepers: {},
    // Nothing the bot posts pings anyone: this default goes with every message and interaction reply.
    allowedMentions: NO_PINGS,
    // Every message carries a nonce that Discord enforces: when a 5xx is answered after the
    // message was created, discord.js's retry returns that message instead of posting a second.
    enforceNonce: true,
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      ...options.rest,
      makeRequest: fittingRequests(options.rest?.makeRequest ?? DefaultRestOptions.makeRequest),
    },
    ...gatewayShards(options.shards),
  });
}

/**
 * discord.js's own sharding options for a layout: `auto` (Discord's
 * recommended count, every shard here; one shard below 2,500 servers), or
 * some shards of a fixed total.
 */
export function gatewayShards(layout: ShardLayout | undefined): { shards: number[] | 'auto'; shardCount?: number } {
  if (!layout || layout.shardCount === 'auto') return { shards: 'auto' };
  const { shardCount } = layout;
  const shards = layout.shardIds === 'all' ? Array.from({ length: shardCount }, (_, i) => i) : [...layout.shardIds];
  return { shards, shardCount };
}
