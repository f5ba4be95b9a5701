/**
 * Configuration from the environment (and `.env`, loaded by the entry point).
 * Pure: takes the environment as an argument and returns a value or a message.
 */
import { canonicalTimeZone } from './schedule/time.ts';
import type { ShardLayout } from './storage/shards.ts';

export interface Config {
  readonly token: string;
  /** Base URL of Discord's REST API, e.g. a proxy; undefined for Discord's own. */
  readonly apiUrl?: string;
  readonly databaseUrl: string;
  readonly decksDir: string;
  /** Register commands in this one server instead of globally. */
  readonly guildId?: string;
  readonly defaultTimeZone: string;
  /** STORE_INIT: start with an empty store even where the database had data before. */
  readonly storeInit?: boolean;
  /** SHARD_COUNT / SHARD_IDS: the gateway shards this process runs; unset for one process holding every shard. */
  readonly shards?: ShardLayout;
  /** PICTURE_IDLE_MINUTES: stop the picture process after this many minutes without a picture (0: never); unset for the default (5). */
  readonly pictureIdleMinutes?: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite://data/studybot.sqlite';

export const MISSING_TOKEN_MESSAGE = [
  'DISCORD_TOKEN is not set.',
  'Create an application at https://discord.com/developers/applications, open Bot, press "Reset Token",',
  'and put it in .env as DISCORD_TOKEN=... (see .env.example).',
  'To try the decks without Discord: npm run play -- <deck>',
].join('\n');

export const REJECTED_TOKEN_MESSAGE = [
  'Discord rejected DISCORD_TOKEN.',
  'Get a fresh token at https://discord.com/developers/applications (your application, Bot, "Reset Token")',
  'and put it in .env as DISCORD_TOKEN=... (see .env.example).',
  'To try the decks without Discord: npm run play -- <deck>',
].join('\n');

export const DISALLOWED_INTENTS_MESSAGE = [
  'Discord refused the Message Content intent, which live rounds need to read the replies.',
  'Turn it on at https://discord.com/developers/applications: your application, Bot,',
  '"Privileged Gateway Intents", "Message Content Intent". Then start the bot again.',
].join('\n');

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

export function readConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const token = value('DISCORD_TOKEN');
  if (!token) return { ok: false, message: MISSING_TOKEN_MESSAGE };
  const apiUrl = value('DISCORD_API_URL');
  if (apiUrl && !/^https?:\/\/\S+$/.test(apiUrl)) {
    return { ok: false, message: `DISCORD_API_URL must be an http(s) URL, got "${apiUrl}".` };
  }
  const guildId = value('DISCORD_GUILD_ID');
  if (guildId && !/^\d{17,20}$/.test(guildId)) {
    return { ok: false, message: `DISCORD_GUILD_ID must be a server id (17 to 20 digits), got "${guildId}".` };
  }
  const zoneText = value('DEFAULT_TIMEZONE') ?? 'UTC';
  const defaultTimeZone = canonicalTimeZone(zoneText);
  if (!defaultTimeZone) {
    return { ok: false, message: `DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Paris, got "${zoneText}".` };
  }
  const storeInitText = value('STORE_INIT')?.toLowerCase();
  if (storeInitText && !['1', 'true', 'yes', '0', 'false', 'no'].includes(storeInitText)) {
    return { ok: false, message: `STORE_INIT must be 1 (start with an empty store) or 0, got "${value('STORE_INIT')}".` };
  }
  const storeInit = storeInitText === '1' || storeInitText === 'true' || storeInitText === 'yes';
  const databaseUrl = value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const shards = readShards(value('SHARD_COUNT'), value('SHARD_IDS'), databaseUrl);
  if (typeof shards === 'string') return { ok: false, message: shards };
  const idleText = value('PICTURE_IDLE_MINUTES');
  if (idleText !== undefined && (!/^\d+(\.\d+)?$/.test(idleText) || Number(idleText) > MAX_PICTURE_IDLE_MINUTES)) {
    return { ok: false, message: `PICTURE_IDLE_MINUTES must be a number of minutes from 0 (keep the picture process running) to ${MAX_PICTURE_IDLE_MINUTES}, got "${idleText}".` };
  }
  return {
    ok: true,
    config: {
      token,
      ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
      databaseUrl,
      decksDir: value('DECKS_DIR') ?? 'decks',
      ...(guildId ? { guildId } : {}),
      defaultTimeZone,
      ...(storeInit ? { storeInit } : {}),
      ...(shards ? { shards } : {}),
      ...(idleText !== undefined ? { pictureIdleMinutes: Number(idleText) } : {}),
    },
  };
}

/** A week: more is a typo (0 keeps the picture process running). */
const MAX_PICTURE_IDLE_MINUTES = 7 * 24 * 60;

/** Discord's limit is far below this; a larger figure is a typo. */
const MAX_SHARDS = 10_000;

/**
 * SHARD_COUNT (the total across every process) and SHARD_IDS (this process's
 * shards, e.g. `0,1`): the layout, undefined when both are unset, or a message.
 */
function readShards(countText: string | undefined, idsText: string | undefined, databaseUrl: string): ShardLayout | undefined | string {
  if (!countText && !idsText) return undefined;
  if (!countText) return `SHARD_IDS needs SHARD_COUNT, the number of shards across every process (e.g. SHARD_IDS=${idsText} SHARD_COUNT=4).`;
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_SHARDS) {
    return `SHARD_COUNT must be a whole number of shards from 1 to ${MAX_SHARDS}, got "${countText}".`;
  }
  const shardCount = Number(countText);
  if (!idsText) return { shardIds: 'all', shardCount };
  const parts = idsText.split(',').map((part) => part.trim());
  const bad = parts.find((part) => !/^\d+$/.test(part) || Number(part) >= shardCount);
  if (bad !== undefined) {
    return `SHARD_IDS must list shard numbers from 0 to ${shardCount - 1} (SHARD_COUNT is ${shardCount}), separated by commas, e.g. SHARD_IDS=0,1; got "${idsText}".`;
  }
  const shardIds = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (shardIds.length < shardCount && databaseUrl.startsWith('memory:')) {
    return `SHARD_IDS=${idsText} leaves shards to other processes, which cannot share DATABASE_URL=memory://. Use Redis or PostgreSQL (see .env.example).`;
  }
  return { shardIds: shardIds.length === shardCount ? 'all' : shardIds, shardCount };
}
