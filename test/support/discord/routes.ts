// REST route handlers of the fake Discord, keyed by the spec's path templates.
import { PermissionFlagsBits, type APIMessage } from 'discord.js';
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
  /** The shard count GET /gateway/bot recommends. */
  recommendedShards: number;
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
    shards: ctx.recommendedShards,
    // max_concurrency as for large bots: shards identify in parallel instead of 5 s apart.
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
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
  if (!message) return notFound('Unknown Message', 10008, `delete of an unknown message of interaction ${record.id}`);
  ctx.store.deleteMessage(message.id);
  return noContent();
};

// ---------------------------------------------------------------------------------------------
// Channels and messages

function channelOf(ctx: RouteContext): ReturnType<Store['channel']> {
  return ctx.store.channel(ctx.params['channel_id'] ?? '');
}

/** How long Discord remembers a message nonce (it says "a few minutes"). */
const NONCE_MS = 5 * 60_000;

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
  // Like Discord: with `enforce_nonce`, a nonce used by the same author in the channel in the
  // last few minutes returns the message it created instead of creating a second one.
  const nonce = body['nonce'];
  const nonceKey = body['enforce_nonce'] === true && nonce !== undefined && nonce !== null ? `${String(channel['id'])}:${ctx.store.botUser.id}:${String(nonce)}` : undefined;
  if (nonceKey) {
    const seen = ctx.store.nonces.get(nonceKey);
    const existing = seen && Date.now() - seen.at < NONCE_MS ? ctx.store.findMessage(seen.messageId) : undefined;
    if (existing) return ok(existing);
  }
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
  if (nonceKey) ctx.store.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
  return ok(message);
};

function channelMessage(ctx: RouteContext): APIMessage | RouteResult {
  const found = channelOf(ctx);
  if (!found) return notFound('Unknown Channel', 10003);
  const message = ctx.store.channelMessages(String(found.channel['id'])).find((m) => m.id === ctx.params['message_id']);
  return message ?? notFound('Unknown Message', 10008);
}

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

const getMember: Handler = (ctx) => {
  const guild = guildOf(ctx);
  if (!guild) return notFound('Unknown Guild', 10004);
  const member = guild.members.get(ctx.params['user_id'] ?? '');
  return member ? ok(member) : notFound('Unknown Member', 10007);
};

// ---------------------------------------------------------------------------------------------

const W = '/webhooks/{webhook_id}/{webhook_token}';
const APP = '/applications/{application_id}';
const GUILD_APP = '/applications/{application_id}/guilds/{guild_id}';

export const ROUTES: Record<string, Handler> = {
  'get /gateway/bot': gatewayBot,
  [`put ${APP}/commands`]: overwriteCommands,
  [`put ${GUILD_APP}/commands`]: overwriteCommands,
  'post /interactions/{interaction_id}/{interaction_token}/callback': interactionCallback,
  [`post ${W}`]: followUp,
  [`patch ${W}/messages/@original`]: editWebhookMessage,
  [`delete ${W}/messages/@original`]: deleteWebhookMessage,
  'post /channels/{channel_id}/messages': createMessage,
  'patch /channels/{channel_id}/messages/{message_id}': editMessage,
  'delete /channels/{channel_id}/messages/{message_id}': deleteMessage,
  'get /guilds/{guild_id}/members/{user_id}': getMember,
};

/** Answer for operations the spec knows but the fake does not model: recorded, accepted, empty. */
export function fallback(method: string): RouteResult {
  return method === 'delete' || method === 'put' ? noContent() : ok({});
}
