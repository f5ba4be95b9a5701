// In-memory state of the fake Discord: guilds, messages per channel, interactions and commands.
import { PermissionFlagsBits, type APIUser, type APIMessage, type APIGuildMember } from 'discord.js';
import { snowflake, type GuildState } from './fixtures.ts';
import type { UploadedFile } from './multipart.ts';

type Json = Record<string, unknown>;

export const MESSAGE_FLAG_EPHEMERAL = 1 << 6;
export const MESSAGE_FLAG_LOADING = 1 << 7;

export interface InteractionRecord {
  id: string;
  token: string;
  /** Interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  guildId: string;
  channelId: string;
  user: APIUser;
  /** For command interactions, the command name. */
  commandName?: string;
  /** The message a component (or a modal opened from one) is on. */
  message?: APIMessage;
  /** The first callback type, once acknowledged. */
  callbackType?: number;
  /** The id of the message `@original` refers to. */
  originalId?: string;
  /** Ids of follow-up messages. */
  followUpIds: string[];
}

export interface StoredCommand extends Json {
  id: string;
  name: string;
  type: number;
  options?: Json[];
}

export class Store {
  readonly guilds = new Map<string, GuildState>();
  readonly messages = new Map<string, APIMessage[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly globalCommands: StoredCommand[] = [];
  readonly guildCommands = new Map<string, StoredCommand[]>();
  /** Message nonces sent with `enforce_nonce`, by channel, author and nonce. */
  readonly nonces = new Map<string, { messageId: string; at: number }>();

  constructor(
    readonly botUser: APIUser,
    readonly applicationId: string,
  ) {}

  channel(channelId: string): { guild: GuildState; channel: Json } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  channelMessages(channelId: string): APIMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(messageId: string): APIMessage | undefined {
    for (const list of this.messages.values()) {
      const m = list.find((x) => x.id === messageId);
      if (m) return m;
    }
    return undefined;
  }

  deleteMessage(messageId: string): boolean {
    for (const list of this.messages.values()) {
      const i = list.findIndex((x) => x.id === messageId);
      if (i !== -1) {
        list.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  findUser(userId: string): APIUser | undefined {
    if (userId === this.botUser.id) return this.botUser;
    for (const g of this.guilds.values()) {
      const m = g.members.get(userId);
      if (m?.user) return m.user;
    }
    return undefined;
  }

  /** Effective permissions of a member in a channel (owner/administrator: all). */
  permissions(guildId: string, userId: string, channelId?: string): bigint {
    const guild = this.guilds.get(guildId);
    if (!guild) return 0n;
    const ALL = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);
    if (guild.fixture.ownerId === userId) return ALL;
    const member = guild.members.get(userId);
    const roleIds = [guildId, ...(member?.roles ?? [])];
    let perms = 0n;
    for (const role of guild.roles) if (roleIds.includes(role.id)) perms |= BigInt(role.permissions);
    if (perms & PermissionFlagsBits.Administrator) return ALL;
    const channel = channelId ? guild.channels.get(channelId) : undefined;
    const overwrites = (channel?.['permission_overwrites'] ?? []) as Array<{ id: string; type: number; allow: string; deny: string }>;
    const apply = (o: { allow: string; deny: string } | undefined): void => {
      if (!o) return;
      perms = (perms & ~BigInt(o.deny)) | BigInt(o.allow);
    };
    apply(overwrites.find((o) => o.id === guildId));
    let allow = 0n;
    let deny = 0n;
    for (const o of overwrites) {
      if (o.type === 0 && o.id !== guildId && roleIds.includes(o.id)) {
        allow |= BigInt(o.allow);
        deny |= BigInt(o.deny);
      }
    }
    perms = (perms & ~deny) | allow;
    apply(overwrites.find((o) => o.type === 1 && o.id === userId));
    return perms;
  }

  member(guildId: string, user: APIUser): APIGuildMember | undefined {
    return this.guilds.get(guildId)?.members.get(user.id);
  }
}

export interface MessageInit {
  channelId: string;
  guildId?: string;
  author: APIUser;
  type?: number;
  webhookId?: string;
  interaction?: InteractionRecord;
  reference?: APIMessage;
}

/** A complete message object, as Discord returns it. */
export function newMessage(init: MessageInit): APIMessage {
  const message: Json = {
    id: snowflake(),
    channel_id: init.channelId,
    author: init.author,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: init.type ?? 0,
    flags: 0,
  };
  if (init.guildId) message['guild_id'] = init.guildId;
  if (init.webhookId) {
    message['webhook_id'] = init.webhookId;
    message['application_id'] = init.webhookId;
  }
  if (init.interaction) {
    const i = init.interaction;
    message['interaction_metadata'] = {
      id: i.id,
      type: i.type,
      user: i.user,
      authorizing_integration_owners: { '0': i.guildId },
      ...(i.commandName ? { name: i.commandName } : {}),
    };
  }
  if (init.reference) {
    message['type'] = 19;
    message['message_reference'] = {
      type: 0,
      message_id: init.reference.id,
      channel_id: init.reference.channel_id,
      ...(init.guildId ? { guild_id: init.guildId } : {}),
    };
    message['referenced_message'] = init.reference;
  }
  return message as unknown as APIMessage;
}

/** Applies a create/edit body (already validated) to a stored message, in place. */
export function applyMessageBody(message: APIMessage, body: Json, files: UploadedFile[], isEdit: boolean): void {
  const m = message as unknown as Json;
  if (typeof body['content'] === 'string' || body['content'] === null) m['content'] = body['content'] ?? '';
  if (Array.isArray(body['embeds'])) m['embeds'] = body['embeds'].map((e) => ({ type: 'rich', ...(e as Json) }));
  if (Array.isArray(body['components'])) m['components'] = body['components'];
  if (typeof body['flags'] === 'number') {
    const keep = (m['flags'] as number) & MESSAGE_FLAG_EPHEMERAL;
    m['flags'] = (body['flags'] & ~MESSAGE_FLAG_LOADING) | keep;
  }
  if (body['poll'] && typeof body['poll'] === 'object') m['poll'] = body['poll'];
  if (body['tts'] === true) m['tts'] = true;
  const kept = Array.isArray(body['attachments'])
    ? (m['attachments'] as Json[]).filter((a) => (body['attachments'] as Json[]).some((r) => String(r['id']) === a['id']))
    : isEdit
      ? (m['attachments'] as Json[])
      : [];
  const uploaded = files.map((f) => {
    const id = snowflake();
    const url = `https://cdn.discordapp.com/attachments/${message.channel_id}/${id}/${encodeURIComponent(f.filename)}`;
    return { id, filename: f.filename, size: f.data.length, url, proxy_url: url, content_type: f.contentType };
  });
  m['attachments'] = [...kept, ...uploaded];
  if (isEdit) m['edited_timestamp'] = new Date().toISOString();
}
