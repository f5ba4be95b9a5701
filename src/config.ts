/**
 * Configuration from the environment (and `.env`, loaded by the entry point).
 * Pure: takes the environment as an argument and returns a value or a message.
 */
import { canonicalTimeZone } from './schedule/time.ts';

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
  return {
    ok: true,
    config: {
      token,
      ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
      databaseUrl: value('DATABASE_URL') ?? DEFAULT_DATABASE_URL,
      decksDir: value('DECKS_DIR') ?? 'decks',
      ...(guildId ? { guildId } : {}),
      defaultTimeZone,
      ...(storeInit ? { storeInit } : {}),
    },
  };
}
