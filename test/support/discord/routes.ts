// REST route handlers of the fake Discord, keyed by the spec's path templates.
import { PermissionFlagsBits, type APIMessage } from 'discord.js';
import { guildObject } from './fixtures.ts';
import { snowflake } from './fixtures.ts';
import type { UploadedFile } from './multipart.ts';
import {
  applyMessageBody,
  newMessage,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
  type InteractionRecord,
  type Store,
  type StoredCommand,
} from './store.ts';

type Json = Record<string, unknown>;

export interface RouteContext {
  method: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  store: Store;
  gatewayUrl: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Set when the call is a mistake of the bot (e.g. answering an interaction twice). */
  violation?: string;
}

type Handler = (ctx: RouteContext) => RouteResult;

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const noContent = (): RouteResult => ({ status: 204 });
const notFound = (message: string, code: number, violation?: string): RouteResult => ({
  status: 404,
  body: { message, code },
  ...(violation ? { violation } : {}),
});
const badRequest = (message: string, code: number, violation: string): RouteResult => ({
  status: 400,
  body: { message, code },
  violation,
});
const forbidden = (message: string, code: number): RouteResult => ({ status: 403, body: { message, code } });

const asJson = (body: unknown): Json => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {});

// ---------------------------------------------------------------------------------------------
// Gateway, users, application

const gatewayBot: Handler = (ctx) =>
  ok({
    url: ctx.gatewayUrl,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
  });

const applicationObject = (store: Store): Json => ({
  id: store.applicationId,
  name: store.botUser.username,
  icon: null,
  description: '',
  summary: '',
  type: null,
  bot_public: true,
  bot_require_code_grant: false,
  verify_key: '0'.repeat(64),
  flags: 0,
  owner: { ...store.botUser, id: '1', username: 'owner', bot: false },
  team: null,
  bot: store.botUser,
});

// ---------------------------------------------------------------------------------------------
// Application commands

function commandList(ctx: RouteContext): StoredCommand[] {
  const guildId = ctx.params['guild_id'];
  if (!guildId) return ctx.store.globalCommands;
  let list = ctx.store.guildCommands.get(guildId);
  if (!list) {
    list = [];
    ctx.store.guildCommands.set(guildId, list);
  }
  return list;
}

function toStoredCommand(ctx: RouteContext, body: Json, existing?: StoredCommand): StoredCommand {
  const guildId = ctx.params['guild_id'];
  const type = typeof body['type'] === 'number' ? body['type'] : 1;
  return {
    name_localizations: null,
    description_localizations: null,
    default_member_permissions: null,
    contexts: null,
    integration_types: [0],
    nsfw: false,
    ...existing,
    ...body,
    id: existing?.id ?? snowflake(),
    application_id: ctx.store.applicationId,
    version: snowflake(),
    type,
    name: String(body['name'] ?? ''),
    description: String(body['description'] ?? ''),
    ...(guildId ? { guild_id: guildId } : {}),
  } as StoredCommand;
}

const overwriteCommands: Handler = (ctx) => {
  const list = commandList(ctx);
  const previous = [...list];
  const bodies = Array.isArray(ctx.body) ? (ctx.body as Json[]) : [];
  const next = bodies.map((b) =>
    toStoredCommand(ctx, b, previous.find((p) => p.name === b['name'] && p.type === (b['type'] ?? 1))),
  );
  list.splice(0, list.length, ...next);
  return ok(next);
};

const createCommand: Handler = (ctx) => {
  const list = commandList(ctx);
  const body = asJson(ctx.body);
  const i = list.findIndex((c) => c.name === body['name'] && c.type === (body['type'] ?? 1));
  const cmd = toStoredCommand(ctx, body, i === -1 ? undefined : list[i]);
  if (i === -1) list.push(cmd);
  else list[i] = cmd;
  return { status: i === -1 ? 201 : 200, body: cmd };
};

const getCommand: Handler = (ctx) => {
  const cmd = commandList(ctx).find((c) => c.id === ctx.params['command_id']);
  return cmd ? ok(cmd) : notFound('Unknown application command', 10063);
};

const editCommand: Handler = (ctx) => {
  const list = commandList(ctx);
  const i = list.findIndex((c) => c.id === ctx.params['command_id']);
  if (i === -1) return notFound('Unknown application command', 10063);
  const cmd = toStoredCommand(ctx, { ...list[i], ...asJson(ctx.body) }, list[i]);
  list[i] = cmd;
  return ok(cmd);
};

const deleteCommand: Handler = (ctx) => {
  const list = commandList(ctx);
  const i = list.findIndex((c) => c.id === ctx.params['command_id']);
  if (i === -1) return notFound('Unknown application command', 10063);
  list.splice(i, 1);
  return noContent();
};

// ---------------------------------------------------------------------------------------------
// Interactions

function interactionBy(ctx: RouteContext): InteractionRecord | undefined {
  const token = ctx.params['interaction_token'] ?? ctx.params['webhook_token'] ?? '';
  const record = ctx.store.interactions.get(token);
  if (!record) return undefined;
  if (ctx.params['interaction_id'] && ctx.params['interaction_id'] !== record.id) return undefined;
  if (ctx.params['webhook_id'] && ctx.params['webhook_id'] !== ctx.store.applicationId) return undefined;
  return record;
}

/** Callback types each interaction type may answer with. */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

function interactionMessage(ctx: RouteContext, record: InteractionRecord, body: Json, flags: number): APIMessage {
  const message = newMessage({
    channelId: record.channelId,
    guildId: record.guildId,
    author: ctx.store.botUser,
    type: record.type === 2 ? 20 : 0,
    webhookId: ctx.store.applicationId,
    interaction: record,
  });
  applyMessageBody(message, body, ctx.files, false);
  (message as unknown as Json)['flags'] = flags;
  ctx.store.channelMessages(record.channelId).push(message);
  return message;
}

const interactionCallback: Handler = (ctx) => {
  const record = interactionBy(ctx);
  if (!record) return notFound('Unknown interaction', 10062, 'callback for an unknown interaction');
  const body = asJson(ctx.body);
  const type = Number(body['type']);
  const data = asJson(body['data']);
  if (record.callbackType !== undefined) {
    return badRequest(
      'Interaction has already been acknowledged.',
      40060,
      `interaction ${record.id} answered twice (callback type ${record.callbackType}, then ${type})`,
    );
  }
  if (!(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
    return badRequest('Interaction callback type invalid', 50035, `callback type ${type} is not valid for interaction type ${record.type}`);
  }
  if ((type === 6 || type === 7) && !record.message) {
    return badRequest('Interaction callback type invalid', 50035, `callback type ${type} needs a message (the interaction has none)`);
  }
  record.callbackType = type;
  let message: APIMessage | undefined;
  const dataFlags = typeof data['flags'] === 'number' ? data['flags'] : 0;
  if (type === 4) {
    message = interactionMessage(ctx, record, data, dataFlags & ~MESSAGE_FLAG_LOADING);
    record.originalId = message.id;
  } else if (type === 5) {
    message = interactionMessage(ctx, record, {}, MESSAGE_FLAG_LOADING | (dataFlags & MESSAGE_FLAG_EPHEMERAL));
    record.originalId = message.id;
  } else if (type === 6 || type === 7) {
    message = record.message ? (ctx.store.findMessage(record.message.id) ?? record.message) : undefined;
    if (message) {
      record.originalId = message.id;
      if (type === 7) applyMessageBody(message, data, ctx.files, true);
    }
  }
  if (ctx.query.get('with_response') !== 'true') return noContent();
  return ok({
    interaction: {
      id: record.id,
      type: record.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: type === 5,
            response_message_ephemeral: ((message.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0,
          }
        : {}),
    },
    resource: { type, ...(message && type !== 6 ? { message } : {}) },
  });
};

function webhookInteraction(ctx: RouteContext): InteractionRecord | RouteResult {
  const record = interactionBy(ctx);
  if (!record) return notFound('Unknown Webhook', 10015, 'webhook call with an unknown application id or interaction token');
  if (record.callbackType === undefined) {
    return notFound('Unknown Webhook', 10015, `webhook call for interaction ${record.id} before it was acknowledged`);
  }
  return record;
}

function webhookMessage(ctx: RouteContext, record: InteractionRecord): APIMessage | undefined {
  const id = ctx.params['message_id'] ?? record.originalId;
  if (!id) return undefined;
  if (id !== record.originalId && !record.followUpIds.includes(id)) return undefined;
  return ctx.store.findMessage(id);
}

const followUp: Handler = (ctx) => {
  const record = webhookInteraction(ctx);
  if ('status' in record) return record;
  const body = asJson(ctx.body);
  const flags = typeof body['flags'] === 'number' ? body['flags'] : 0;
  const original = record.originalId ? ctx.store.findMessage(record.originalId) : undefined;
  let message: APIMessage;
  if (original && ((original.flags ?? 0) & MESSAGE_FLAG_LOADING) !== 0) {
    // The first follow-up after a deferred reply replaces the "thinking" message.
    applyMessageBody(original, body, ctx.files, false);
    (original as unknown as Json)['flags'] = (original.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
    message = original;
  } else {
    message = interactionMessage(ctx, record, body, flags);
    record.followUpIds.push(message.id);
  }
  return ctx.query.get('wait') === 'true' ? ok(message) : noContent();
};

const getWebhookMessage: Handler = (ctx) => {
  const record = webhookInteraction(ctx);
  if ('status' in record) return record;
  const message = webhookMessage(ctx, record);
  return message ? ok(message) : notFound('Unknown Message', 10008);
};

const editWebhookMessage: Handler = (ctx) => {
  const record = webhookInteraction(ctx);
  if ('status' in record) return record;
  const message = webhookMessage(ctx, record);
  if (!message) return notFound('Unknown Message', 10008, `edit of an unknown message of interaction ${record.id}`);
  applyMessageBody(message, asJson(ctx.body), ctx.files, true);
  const m = message as unknown as Json;
  m['flags'] = (message.flags ?? 0) & ~MESSAGE_FLAG_LOADING;
  return ok(message);
};

const deleteWebhookMessage: Handler = (ctx) => {
  const record = webhookInteraction(ctx);
  if ('status' in record) return record;
  const message = webhookMessage(ctx, record);
  if (!message) return notFound('Unknown Message', 10008);
  ctx.store.deleteMessage(message.id);
  return noContent();
};

// ---------------------------------------------------------------------------------------------
// Channels and messages

function channelOf(ctx: RouteContext): ReturnType<Store['channel']> {
  return ctx.store.channel(ctx.params['channel_id'] ?? '');
}

const getChannel: Handler = (ctx) => {
  const found = channelOf(ctx);
  return found ? ok(found.channel) : notFound('Unknown Channel', 10003);
};

const createMessage: Handler = (ctx) => {
  const found = channelOf(ctx);
  if (!found) return notFound('Unknown Channel', 10003);
  const { guild, channel } = found;
  const perms = ctx.store.permissions(guild.fixture.id, ctx.store.botUser.id, String(channel['id']));
  const need = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  if ((perms & need) !== need) return forbidden('Missing Permissions', 50013);
  const body = asJson(ctx.body);
  if (ctx.files.length > 0 && !(perms & PermissionFlagsBits.AttachFiles)) return forbidden('Missing Permissions', 50013);
  const list = ctx.store.channelMessages(String(channel['id']));
  const ref = asJson(body['message_reference']);
  let reference: APIMessage | undefined;
  if (ref['message_id'] !== undefined) {
    reference = list.find((m) => m.id === String(ref['message_id']));
    if (!reference && ref['fail_if_not_exists'] !== false) {
      return badRequest('Invalid Form Body', 50035, `reply to unknown message ${String(ref['message_id'])}`);
    }
  }
  const message = newMessage({
    channelId: String(channel['id']),
    guildId: guild.fixture.id,
    author: ctx.store.botUser,
    ...(reference ? { reference } : {}),
  });
  // Without Embed Links, Discord drops embeds silently.
  const effective = perms & PermissionFlagsBits.EmbedLinks ? body : { ...body, embeds: [] };
  applyMessageBody(message, effective, ctx.files, false);
  list.push(message);
  return ok(message);
};

const listMessages: Handler = (ctx) => {
  const found = channelOf(ctx);
  if (!found) return notFound('Unknown Channel', 10003);
  const limit = Math.min(Number(ctx.query.get('limit') ?? 50), 100);
  const all = [...ctx.store.channelMessages(String(found.channel['id']))].reverse();
  const before = ctx.query.get('before');
  const after = ctx.query.get('after');
  const filtered = all.filter(
    (m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)),
  );
  return ok(filtered.slice(0, limit));
};

function channelMessage(ctx: RouteContext): APIMessage | RouteResult {
  const found = channelOf(ctx);
  if (!found) return notFound('Unknown Channel', 10003);
  const message = ctx.store.channelMessages(String(found.channel['id'])).find((m) => m.id === ctx.params['message_id']);
  return message ?? notFound('Unknown Message', 10008);
}

const getMessage: Handler = (ctx) => {
  const found = channelOf(ctx);
  if (found) {
    // Reading a message needs the channel's history, as on Discord (editing one's own does not).
    const perms = ctx.store.permissions(found.guild.fixture.id, ctx.store.botUser.id, String(found.channel['id']));
    const need = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
    if ((perms & need) !== need) return forbidden('Missing Access', 50001);
  }
  const message = channelMessage(ctx);
  return 'status' in message ? message : ok(message);
};

const editMessage: Handler = (ctx) => {
  const message = channelMessage(ctx);
  if ('status' in message) return message;
  if (message.author.id !== ctx.store.botUser.id) {
    return { ...forbidden('Cannot edit a message authored by another user', 50005), violation: 'edit of a message the bot did not author' };
  }
  applyMessageBody(message, asJson(ctx.body), ctx.files, true);
  return ok(message);
};

const deleteMessage: Handler = (ctx) => {
  const message = channelMessage(ctx);
  if ('status' in message) return message;
  ctx.store.deleteMessage(message.id);
  return noContent();
};

// ---------------------------------------------------------------------------------------------
// Guilds

function guildOf(ctx: RouteContext) {
  return ctx.store.guilds.get(ctx.params['guild_id'] ?? '');
}

const getGuild: Handler = (ctx) => {
  const guild = guildOf(ctx);
  return guild ? ok(guildObject(guild, ctx.store.botUser, false)) : notFound('Unknown Guild', 10004);
};

const getMember: Handler = (ctx) => {
  const guild = guildOf(ctx);
  if (!guild) return notFound('Unknown Guild', 10004);
  const member = guild.members.get(ctx.params['user_id'] ?? '');
  return member ? ok(member) : notFound('Unknown Member', 10007);
};

const listMembers: Handler = (ctx) => {
  const guild = guildOf(ctx);
  if (!guild) return notFound('Unknown Guild', 10004);
  const limit = Math.min(Number(ctx.query.get('limit') ?? 1), 1000);
  const after = BigInt(ctx.query.get('after') ?? '0');
  const members = [...guild.members.values()]
    .filter((m) => BigInt(m.user?.id ?? '0') > after)
    .sort((a, b) => (BigInt(a.user?.id ?? '0') < BigInt(b.user?.id ?? '0') ? -1 : 1));
  return ok(members.slice(0, limit));
};

const searchMembers: Handler = (ctx) => {
  const guild = guildOf(ctx);
  if (!guild) return notFound('Unknown Guild', 10004);
  const q = (ctx.query.get('query') ?? '').toLowerCase();
  const limit = Math.min(Number(ctx.query.get('limit') ?? 1), 1000);
  const members = [...guild.members.values()].filter((m) =>
    [m.user?.username, m.user?.global_name, m.nick].some((n) => n?.toLowerCase().startsWith(q)),
  );
  return ok(members.slice(0, limit));
};

const listChannels: Handler = (ctx) => {
  const guild = guildOf(ctx);
  return guild ? ok([...guild.channels.values()]) : notFound('Unknown Guild', 10004);
};

const listRoles: Handler = (ctx) => {
  const guild = guildOf(ctx);
  return guild ? ok(guild.roles) : notFound('Unknown Guild', 10004);
};

const getUser: Handler = (ctx) => {
  const user = ctx.store.findUser(ctx.params['user_id'] ?? '');
  return user ? ok(user) : notFound('Unknown User', 10013);
};

// ---------------------------------------------------------------------------------------------

const W = '/webhooks/{webhook_id}/{webhook_token}';
const APP = '/applications/{application_id}';
const GUILD_APP = '/applications/{application_id}/guilds/{guild_id}';

export const ROUTES: Record<string, Handler> = {
  'get /gateway/bot': gatewayBot,
  'get /gateway': gatewayBot,
  'get /users/@me': (ctx) => ok(ctx.store.botUser),
  'get /users/{user_id}': getUser,
  'get /applications/@me': (ctx) => ok(applicationObject(ctx.store)),
  'get /oauth2/applications/@me': (ctx) => ok(applicationObject(ctx.store)),
  [`get ${APP}/commands`]: (ctx) => ok(commandList(ctx)),
  [`put ${APP}/commands`]: overwriteCommands,
  [`post ${APP}/commands`]: createCommand,
  [`get ${APP}/commands/{command_id}`]: getCommand,
  [`patch ${APP}/commands/{command_id}`]: editCommand,
  [`delete ${APP}/commands/{command_id}`]: deleteCommand,
  [`get ${GUILD_APP}/commands`]: (ctx) => ok(commandList(ctx)),
  [`put ${GUILD_APP}/commands`]: overwriteCommands,
  [`post ${GUILD_APP}/commands`]: createCommand,
  [`get ${GUILD_APP}/commands/{command_id}`]: getCommand,
  [`patch ${GUILD_APP}/commands/{command_id}`]: editCommand,
  [`delete ${GUILD_APP}/commands/{command_id}`]: deleteCommand,
  'post /interactions/{interaction_id}/{interaction_token}/callback': interactionCallback,
  [`post ${W}`]: followUp,
  [`get ${W}/messages/@original`]: getWebhookMessage,
  [`patch ${W}/messages/@original`]: editWebhookMessage,
  [`delete ${W}/messages/@original`]: deleteWebhookMessage,
  [`get ${W}/messages/{message_id}`]: getWebhookMessage,
  [`patch ${W}/messages/{message_id}`]: editWebhookMessage,
  [`delete ${W}/messages/{message_id}`]: deleteWebhookMessage,
  'get /channels/{channel_id}': getChannel,
  'get /channels/{channel_id}/messages': listMessages,
  'post /channels/{channel_id}/messages': createMessage,
  'get /channels/{channel_id}/messages/{message_id}': getMessage,
  'patch /channels/{channel_id}/messages/{message_id}': editMessage,
  'delete /channels/{channel_id}/messages/{message_id}': deleteMessage,
  'get /guilds/{guild_id}': getGuild,
  'get /guilds/{guild_id}/members': listMembers,
  'get /guilds/{guild_id}/members/search': searchMembers,
  'get /guilds/{guild_id}/members/{user_id}': getMember,
  'get /guilds/{guild_id}/channels': listChannels,
  'get /guilds/{guild_id}/roles': listRoles,
};

/** Answer for operations the spec knows but the fake does not model: recorded, accepted, empty. */
export function fallback(method: string): RouteResult {
  return method === 'delete' || method === 'put' ? noContent() : ok({});
}
