// Builders for what users do (slash commands, autocomplete, components, modals, messages)
// and handles to await the bot's answers.
import { randomBytes } from 'node:crypto';
import type { APIGuildMember, APIMessage, APIUser } from 'discord.js';
import { apiMember, makeUser, permissionBits, snowflake, type GuildState, type PermissionName } from './fixtures.ts';
import type { FakeDiscord, RecordedRequest, WaitOptions } from './server.ts';
import { newMessage, type InteractionRecord, type StoredCommand } from './store.ts';

type Json = Record<string, unknown>;

/** An option value; for user/channel/role options pass the id (or an object with an id); for attachments, `fake.attachment(...)`. */
export type OptionValue = string | number | boolean | { id: string };

export type PermissionsInit = string | bigint | readonly PermissionName[];

export interface MemberInit {
  /** The member's permissions in the channel (default: computed from the guild fixture). */
  permissions?: PermissionsInit;
  roles?: string[];
  nick?: string | null;
}

export interface InteractionBase {
  /** Default: the first guild. */
  guildId?: string;
  /** Default: the first channel of the guild (for components: the message's channel). */
  channelId?: string;
  /** Default: the first member of the guild fixture (or a new user). */
  user?: APIUser;
  member?: MemberInit;
  /** The bot's permissions in the channel (default: computed from the guild fixture). */
  appPermissions?: PermissionsInit;
  locale?: string;
}

export interface SlashCommandInit extends InteractionBase {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  options?: Record<string, OptionValue>;
}

export interface AutocompleteInit extends SlashCommandInit {
  /** The option being typed in; its value is sent as typed (a string). */
  focused: string;
}

export interface ComponentInit extends InteractionBase {
  /** The message the component is on (or its id). */
  message: APIMessage | string;
  customId: string;
  /** 2 button (default for `button`), 3 string select, 5 user, 6 role, 7 mentionable, 8 channel select. */
  componentType?: number;
  values?: string[];
}

export interface ModalSubmitInit extends InteractionBase {
  customId: string;
  /** Text input values by custom id. */
  fields: Record<string, string>;
  /** The message whose component opened the modal, if any. */
  message?: APIMessage | string;
}

export interface UserMessageInit {
  guildId?: string;
  channelId?: string;
  author?: APIUser;
  content: string;
  /** The message this one replies to (or its id). */
  referenced?: APIMessage | string;
  /** The nonce the sender's client gave the message (Discord sends it back in MESSAGE_CREATE). */
  nonce?: string;
}

/** A dispatched interaction, and the bot's answers to it. */
export class InteractionHandle {
  constructor(
    private readonly fake: FakeDiscord,
    readonly payload: Json,
    private readonly record: InteractionRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** Every REST call made for this interaction (callback and webhook calls), so far. */
  requests(): RecordedRequest[] {
    return this.fake.requests.filter((r) => this.isMine(r));
  }

  /** The first callback (`POST /interactions/:id/:token/callback`). */
  callback(options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.fake.waitForRequest((r) => r.method === 'POST' && r.path === this.callbackPath(), options);
  }

  /** The callback body: `{ type, data? }`. */
  async response(options: WaitOptions = {}): Promise<{ type: number; data?: Json }> {
    return (await this.callback(options)).body as { type: number; data?: Json };
  }

  /**
   * The first message payload the bot answered with: callback data of a type 4/7 response, or
   * after a deferral (5/6) the body of the first edit of `@original` or follow-up.
   */
  async waitForReply(options: WaitOptions = {}): Promise<Json> {
    const { type, data } = await this.response(options);
    if (type === 4 || type === 7) return data ?? {};
    const next = await this.fake.waitForRequest(
      (r) => this.isMine(r) && ((r.method === 'PATCH' && r.path.includes('/messages/')) || (r.method === 'POST' && r.path === this.webhookPath())),
      options,
    );
    return (next.body ?? {}) as Json;
  }

  /** Follow-up messages (`POST /webhooks/:app/:token`) so far. */
  followUps(): RecordedRequest[] {
    return this.requests().filter((r) => r.method === 'POST' && r.path === this.webhookPath());
  }

  /** Waits for the n-th follow-up (0-based). */
  waitForFollowUp(n = 0, options: WaitOptions = {}): Promise<RecordedRequest> {
    let seen = 0;
    return this.fake.waitForRequest((r) => r.method === 'POST' && r.path === this.webhookPath() && seen++ === n, options);
  }

  /** Edits of `@original` or of follow-ups (`PATCH /webhooks/:app/:token/messages/...`) so far. */
  edits(): RecordedRequest[] {
    return this.requests().filter((r) => r.method === 'PATCH');
  }

  waitForEdit(options: WaitOptions = {}): Promise<RecordedRequest> {
    return this.fake.waitForRequest((r) => this.isMine(r) && r.method === 'PATCH', options);
  }

  /** The stored `@original` message in its latest state (undefined before the bot answers). */
  original(): APIMessage | undefined {
    return this.record.originalId ? this.fake.getMessage(this.record.originalId) : undefined;
  }

  /** The autocomplete choices (type 8 callback). */
  async choices(options: WaitOptions = {}): Promise<Array<{ name: string; value: string | number }>> {
    const { type, data } = await this.response(options);
    if (type !== 8) throw new Error(`expected an autocomplete result (type 8), got callback type ${type}`);
    return (data?.['choices'] ?? []) as Array<{ name: string; value: string | number }>;
  }

  /** The modal shown (type 9 callback data: custom_id, title, components). */
  async modal(options: WaitOptions = {}): Promise<Json> {
    const { type, data } = await this.response(options);
    if (type !== 9) throw new Error(`expected a modal (type 9), got callback type ${type}`);
    return data ?? {};
  }

  private callbackPath(): string {
    return `/interactions/${this.record.id}/${this.record.token}/callback`;
  }

  private webhookPath(): string {
    return `/webhooks/${this.fake.applicationId}/${this.record.token}`;
  }

  private isMine(r: RecordedRequest): boolean {
    return r.path === this.callbackPath() || r.path === this.webhookPath() || r.path.startsWith(`${this.webhookPath()}/`);
  }
}

// ---------------------------------------------------------------------------------------------

function toBits(p: PermissionsInit): string {
  if (typeof p === 'string') return p;
  if (typeof p === 'bigint') return p.toString();
  return permissionBits(p).toString();
}

function guildFor(fake: FakeDiscord, guildId?: string): GuildState {
  const guild = guildId ? fake.store.guilds.get(guildId) : fake.store.guilds.values().next().value;
  if (!guild) throw new Error(guildId ? `unknown guild ${guildId}` : 'the fake has no guild fixture');
  return guild;
}

function channelFor(guild: GuildState, channelId?: string): Json {
  const channel = channelId ? guild.channels.get(channelId) : guild.channels.values().next().value;
  if (!channel) throw new Error(`unknown channel ${channelId ?? '(none in guild)'} in guild ${guild.fixture.id}`);
  return channel;
}

/** The member for a user; users not in the fixture join the guild. */
function memberFor(guild: GuildState, user: APIUser, init: MemberInit | undefined): APIGuildMember {
  let member = guild.members.get(user.id);
  if (!member) {
    member = apiMember(user, init?.roles ?? [], init?.nick ?? null);
    guild.members.set(user.id, member);
  }
  return {
    ...member,
    ...(init?.roles ? { roles: init.roles } : {}),
    ...(init?.nick !== undefined ? { nick: init.nick } : {}),
  };
}

function defaultUser(fake: FakeDiscord, guild: GuildState): APIUser {
  const first = guild.fixture.members.find((m) => m.user.id !== fake.botUser.id);
  return first?.user ?? makeUser({ username: 'student' });
}

function baseInteraction(fake: FakeDiscord, type: number, init: InteractionBase, channelId?: string) {
  const guild = guildFor(fake, init.guildId);
  const channel = channelFor(guild, channelId ?? init.channelId);
  const guildId = guild.fixture.id;
  const user = init.user ?? defaultUser(fake, guild);
  const member = memberFor(guild, user, init.member);
  const chId = String(channel['id']);
  const permissions = init.member?.permissions
    ? toBits(init.member.permissions)
    : fake.store.permissions(guildId, user.id, chId).toString();
  const appPermissions = init.appPermissions
    ? toBits(init.appPermissions)
    : fake.store.permissions(guildId, fake.botUser.id, chId).toString();
  const record: InteractionRecord = {
    id: snowflake(),
    token: `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`,
    type,
    guildId,
    channelId: chId,
    user,
    followUpIds: [],
  };
  const payload: Json = {
    id: record.id,
    application_id: fake.applicationId,
    type,
    token: record.token,
    version: 1,
    guild_id: guildId,
    guild: { id: guildId, locale: 'en-US', features: [] },
    channel_id: chId,
    channel: { ...channel, guild_id: guildId },
    member: { ...member, user, permissions },
    locale: init.locale ?? 'en-US',
    guild_locale: 'en-US',
    app_permissions: appPermissions,
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 10485760,
  };
  return { guild, record, payload };
}

function findCommand(fake: FakeDiscord, guildId: string, name: string): StoredCommand | undefined {
  const match = (c: StoredCommand) => c.name === name && c.type === 1;
  return fake.commands(guildId).find(match) ?? fake.commands().find(match);
}

function inferType(value: OptionValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  if (typeof value === 'object') return 6;
  return 3;
}

/** Builds `data.options` (with resolved users/channels/roles) using the registered definition when known. */
function commandData(fake: FakeDiscord, guild: GuildState, init: SlashCommandInit, focused?: string): Json {
  const command = findCommand(fake, guild.fixture.id, init.name);
  let defs = (command?.options ?? []) as Json[];
  const sub = (name: string, type: number): Json | undefined => {
    const d = defs.find((o) => o['name'] === name && o['type'] === type);
    defs = (d?.['options'] ?? []) as Json[];
    return d;
  };
  if (init.subcommandGroup) sub(init.subcommandGroup, 2);
  if (init.subcommand) sub(init.subcommand, 1);
  const resolved: Record<string, Json> = {};
  const addResolved = (kind: string, id: string, value: unknown): void => {
    resolved[kind] = { ...resolved[kind], [id]: value };
  };
  const leaves: Json[] = Object.entries(init.options ?? {}).map(([name, raw]) => {
    const def = defs.find((o) => o['name'] === name);
    const type = typeof def?.['type'] === 'number' ? def['type'] : inferType(raw);
    const value = typeof raw === 'object' ? raw.id : raw;
    if (name === focused) return { name, type, value: String(value), focused: true };
    const id = String(value);
    if (type === 6 || type === 9) {
      const user = fake.store.findUser(id);
      if (user) addResolved('users', id, user);
      const member = guild.members.get(id);
      if (member) {
        const { user: _u, ...rest } = member;
        addResolved('members', id, { ...rest, permissions: fake.store.permissions(guild.fixture.id, id).toString() });
      }
    }
    if (type === 7) {
      const ch = guild.channels.get(id);
      if (ch) addResolved('channels', id, { id, name: ch['name'], type: ch['type'], permissions: '0' });
    }
    if (type === 11) {
      const attachment = fake.attachments.get(id);
      if (attachment) {
        const { bytes: _bytes, ...described } = attachment;
        addResolved('attachments', id, described);
      }
    }
    if (type === 8 || type === 9) {
      const role = guild.roles.find((r) => r.id === id);
      if (role) addResolved('roles', id, role);
    }
    return { name, type, value };
  });
  let options: Json[] = leaves;
  if (init.subcommand) options = [{ name: init.subcommand, type: 1, options }];
  if (init.subcommandGroup) options = [{ name: init.subcommandGroup, type: 2, options }];
  return {
    id: command?.id ?? snowflake(),
    name: init.name,
    type: 1,
    ...(command?.['guild_id'] ? { guild_id: command['guild_id'] } : {}),
    options,
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}

function register(fake: FakeDiscord, payload: Json, record: InteractionRecord): InteractionHandle {
  fake.store.interactions.set(record.token, record);
  return new InteractionHandle(fake, payload, record);
}

export function buildSlashCommand(fake: FakeDiscord, init: SlashCommandInit): InteractionHandle {
  const { guild, record, payload } = baseInteraction(fake, 2, init);
  payload['data'] = commandData(fake, guild, init);
  record.commandName = init.name;
  return register(fake, payload, record);
}

export function buildAutocomplete(fake: FakeDiscord, init: AutocompleteInit): InteractionHandle {
  const { guild, record, payload } = baseInteraction(fake, 4, init);
  if (!(init.focused in (init.options ?? {}))) throw new Error(`focused option "${init.focused}" is not among the options`);
  payload['data'] = commandData(fake, guild, init, init.focused);
  record.commandName = init.name;
  return register(fake, payload, record);
}

function resolveMessage(fake: FakeDiscord, message: APIMessage | string): APIMessage {
  const found = fake.getMessage(typeof message === 'string' ? message : message.id);
  if (found) return found;
  if (typeof message === 'string') throw new Error(`unknown message ${message}`);
  return message;
}

export function buildComponent(fake: FakeDiscord, init: ComponentInit): InteractionHandle {
  const message = resolveMessage(fake, init.message);
  const { record, payload } = baseInteraction(fake, 3, init, message.channel_id);
  const componentType = init.componentType ?? 2;
  record.message = message;
  payload['message'] = message;
  payload['data'] = {
    custom_id: init.customId,
    component_type: componentType,
    ...(componentType === 2 ? {} : { values: init.values ?? [] }),
  };
  return register(fake, payload, record);
}

export function buildModalSubmit(fake: FakeDiscord, init: ModalSubmitInit): InteractionHandle {
  const message = init.message === undefined ? undefined : resolveMessage(fake, init.message);
  const { record, payload } = baseInteraction(fake, 5, init, message?.channel_id);
  if (message) {
    record.message = message;
    payload['message'] = message;
  }
  payload['data'] = {
    custom_id: init.customId,
    components: Object.entries(init.fields).map(([customId, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: customId, value }],
    })),
  };
  return register(fake, payload, record);
}

export function buildUserMessage(fake: FakeDiscord, init: UserMessageInit): { message: APIMessage; dispatch: Json } {
  const guild = guildFor(fake, init.guildId);
  const channel = channelFor(guild, init.channelId);
  const author = init.author ?? defaultUser(fake, guild);
  const member = memberFor(guild, author, undefined);
  const reference = init.referenced === undefined ? undefined : resolveMessage(fake, init.referenced);
  const message = newMessage({
    channelId: String(channel['id']),
    guildId: guild.fixture.id,
    author,
    ...(reference ? { reference } : {}),
  });
  const m = message as unknown as Json;
  m['content'] = init.content;
  if (init.nonce !== undefined) m['nonce'] = init.nonce;
  const mentioned = [...init.content.matchAll(/<@!?(\d+)>/g)].map((x) => x[1] ?? '');
  m['mentions'] = mentioned
    .map((id) => fake.store.findUser(id))
    .filter((u): u is APIUser => u !== undefined)
    .map((u) => {
      const mm = guild.members.get(u.id);
      if (!mm) return u;
      const { user: _u, ...rest } = mm;
      return { ...u, member: rest };
    });
  m['mention_roles'] = [...init.content.matchAll(/<@&(\d+)>/g)].map((x) => x[1] ?? '');
  const { user: _user, ...memberData } = member;
  return { message, dispatch: { ...message, member: memberData } };
}
