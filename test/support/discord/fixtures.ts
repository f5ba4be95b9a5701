// Fixtures: users, guilds, channels, roles and members, and their Discord API (v10) shapes.
import { PermissionFlagsBits, type APIUser, type APIGuildMember, type APIRole, type APIOverwrite } from 'discord.js';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A fresh, increasing snowflake id. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** A fresh snowflake whose guild would be on `shard` of `count` by Discord's rule (id >> 22) % count. */
export function snowflakeOnShard(shard: number, count: number): string {
  const id = BigInt(snowflake());
  const timestamp = id >> 22n;
  const shift = (BigInt(shard) - (timestamp % BigInt(count)) + BigInt(count)) % BigInt(count);
  return (((timestamp + shift) << 22n) | (id & 0x3fffffn)).toString();
}

export type PermissionName = keyof typeof PermissionFlagsBits;

export function permissionBits(names: readonly PermissionName[]): bigint {
  return names.reduce((acc, n) => acc | PermissionFlagsBits[n], 0n);
}

/** What a regular member may do: talk, react, use commands; no moderation or server management. */
export const MEMBER_PERMISSIONS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'ReadMessageHistory',
  'AddReactions',
  'UseApplicationCommands',
  'EmbedLinks',
  'AttachFiles',
  'UseExternalEmojis',
  'Connect',
  'Speak',
  'ChangeNickname',
  'CreateInstantInvite',
];

/** What the bot's own role grants by default. */
export const BOT_PERMISSIONS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'ReadMessageHistory',
  'AttachFiles',
];

export function makeUser(init: { id?: string; username?: string; global_name?: string | null; bot?: boolean } = {}): APIUser {
  const id = init.id ?? snowflake();
  const username = init.username ?? `user${id.slice(-4)}`;
  return {
    id,
    username,
    global_name: init.global_name === undefined ? username : init.global_name,
    discriminator: '0',
    avatar: null,
    bot: init.bot ?? false,
    flags: 0,
    public_flags: 0,
  } as unknown as APIUser;
}

export interface ChannelFixture {
  id: string;
  name: string;
  /** Channel type; 0 (guild text) by default. */
  type: number;
  parent_id: string | null;
  topic: string | null;
  permission_overwrites: APIOverwrite[];
  /** Permissions denied/allowed to the bot (as a member overwrite) in this channel. */
  botDeny: PermissionName[];
  botAllow: PermissionName[];
}

export interface MemberFixture {
  user: APIUser;
  roles: string[];
  nick: string | null;
}

export interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  /** The role the bot gets in this guild (added to its member on connect). */
  botRoleId: string;
  channels: ChannelFixture[];
  /** Extra roles (the @everyone and bot roles are added automatically). */
  roles: APIRole[];
  members: MemberFixture[];
  everyonePermissions: bigint;
  botPermissions: bigint;
}

export interface ChannelInit {
  id?: string;
  name: string;
  type?: number;
  parent_id?: string | null;
  topic?: string | null;
  permission_overwrites?: APIOverwrite[];
  botDeny?: PermissionName[];
  botAllow?: PermissionName[];
}

export interface GuildInit {
  id?: string;
  name?: string;
  ownerId?: string;
  channels?: ChannelInit[];
  roles?: Array<Partial<APIRole> & { id?: string; name: string }>;
  members?: Array<APIUser | { user: APIUser; roles?: string[]; nick?: string | null }>;
  everyonePermissions?: readonly PermissionName[];
  botPermissions?: readonly PermissionName[];
}

export function makeRole(init: Partial<APIRole> & { name: string; id?: string }, position = 1): APIRole {
  return {
    id: init.id ?? snowflake(),
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0,
    ...init,
  } as APIRole;
}

export function makeGuild(init: GuildInit = {}): GuildFixture {
  const id = init.id ?? snowflake();
  const members: MemberFixture[] = (init.members ?? []).map((m) =>
    'user' in m ? { user: m.user, roles: m.roles ?? [], nick: m.nick ?? null } : { user: m, roles: [], nick: null },
  );
  const channels = (init.channels ?? [{ name: 'general' }]).map(
    (c): ChannelFixture => ({
      id: c.id ?? snowflake(),
      name: c.name,
      type: c.type ?? 0,
      parent_id: c.parent_id ?? null,
      topic: c.topic ?? null,
      permission_overwrites: c.permission_overwrites ?? [],
      botDeny: c.botDeny ?? [],
      botAllow: c.botAllow ?? [],
    }),
  );
  return {
    id,
    name: init.name ?? 'Study Hall',
    ownerId: init.ownerId ?? members[0]?.user.id ?? snowflake(),
    botRoleId: snowflake(),
    channels,
    roles: (init.roles ?? []).map((r, i) => makeRole(r, i + 2)),
    members,
    everyonePermissions: permissionBits(init.everyonePermissions ?? MEMBER_PERMISSIONS),
    botPermissions: permissionBits(init.botPermissions ?? BOT_PERMISSIONS),
  };
}

export function apiMember(user: APIUser, roles: string[], nick: string | null = null, joinedAt = '2024-09-01T08:00:00.000Z'): APIGuildMember {
  return {
    user,
    nick,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  } as unknown as APIGuildMember;
}

/** The API form of a guild fixture: the pieces GUILD_CREATE and REST reads need. */
export interface GuildState {
  fixture: GuildFixture;
  roles: APIRole[];
  members: Map<string, APIGuildMember>;
  channels: Map<string, Record<string, unknown>>;
}

export function materializeGuild(fixture: GuildFixture, botUser: APIUser): GuildState {
  const everyone = makeRole({ id: fixture.id, name: '@everyone', permissions: fixture.everyonePermissions.toString() }, 0);
  const botRole = makeRole(
    { id: fixture.botRoleId, name: botUser.username, permissions: fixture.botPermissions.toString(), managed: true, tags: { bot_id: botUser.id } },
    1,
  );
  const roles = [everyone, botRole, ...fixture.roles];
  const members = new Map<string, APIGuildMember>();
  for (const m of fixture.members) members.set(m.user.id, apiMember(m.user, m.roles, m.nick));
  members.set(botUser.id, apiMember(botUser, [fixture.botRoleId]));
  const channels = new Map<string, Record<string, unknown>>();
  fixture.channels.forEach((c, position) => {
    const overwrites = [...c.permission_overwrites];
    if (c.botDeny.length > 0 || c.botAllow.length > 0) {
      overwrites.push({
        id: botUser.id,
        type: 1,
        allow: permissionBits(c.botAllow).toString(),
        deny: permissionBits(c.botDeny).toString(),
      } as APIOverwrite);
    }
    channels.set(c.id, {
      id: c.id,
      type: c.type,
      guild_id: fixture.id,
      name: c.name,
      position,
      permission_overwrites: overwrites,
      parent_id: c.parent_id,
      topic: c.topic,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    });
  });
  return { fixture, roles, members, channels };
}

/** The data of a GUILD_CREATE dispatch (also the body of GET /guilds/:id, minus the gateway-only parts). */
export function guildObject(state: GuildState, botUser: APIUser, withGatewayParts: boolean): Record<string, unknown> {
  const f = state.fixture;
  const base: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: f.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: state.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
  };
  if (!withGatewayParts) return base;
  return {
    ...base,
    joined_at: state.members.get(botUser.id)?.joined_at ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: state.members.size,
    voice_states: [],
    members: [...state.members.values()],
    channels: [...state.channels.values()].map(({ guild_id: _g, ...c }) => c),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
