/**
 * What `npm start` does before it waits for a signal: reads the configuration, loads the
 * decks, opens and checks the store and connects to Discord. Every expected problem (no token, a
 * token Discord rejects, a missing intent, a bad database URL, a store that cannot be reached or
 * written, a lost database) comes back as one clear message.
 */
import type Keyv from 'keyv';
import type { Clock, Logger } from './clock.ts';
import { DISALLOWED_INTENTS_MESSAGE, readConfig, REJECTED_TOKEN_MESSAGE } from './config.ts';
import { loadDecksDir } from './deck/load.ts';
import { formatDeckError, formatDeckWarning } from './deck/types.ts';
import { startBot, type BotOptions, type RunningBot } from './bot/app.ts';
import { redact, StorageConfigError, StoreUnreachableError } from './storage/keyv.ts';
import { openCheckedKeyv, StoreStartupError } from './storage/startup.ts';

export function isTokenRejected(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | undefined;
  return e?.code === 'TokenInvalid' || e?.status === 401;
}

/** The gateway closes with 4014 when a privileged intent is not enabled for the application. */
export function isIntentRefused(error: unknown): boolean {
  return error instanceof Error && /disallowed intent/i.test(error.message);
}

/** Error codes of a network that does not let the bot reach Discord at all. */
const UNREACHABLE = /\b(EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/;

/** The network code when Discord could not be reached at all (no network, DNS, firewall), else undefined. */
export function unreachableCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (const text of [e?.code, e?.message, (e?.cause as { code?: unknown } | undefined)?.code]) {
    const found = typeof text === 'string' ? UNREACHABLE.exec(text) : null;
    if (found) return found[1];
  }
  return undefined;
}

/** What a host without a working network reads, instead of `getaddrinfo EAI_AGAIN discord.com`. */
export function unreachableMessage(code: string, apiUrl: string | undefined): string {
  const where = apiUrl ? `DISCORD_API_URL (${apiUrl})` : 'discord.com';
  return `Discord cannot be reached (${code}). Check that this machine is online and can reach ${where}: the network connection, DNS, a firewall or proxy${apiUrl ? ', and that DISCORD_API_URL is right' : ''}. \`npm run play\` works without a network.`;
}

export type Started = { readonly ok: true; readonly bot: RunningBot; readonly keyv: Keyv } | { readonly ok: false; readonly message: string };

export interface StartDeps extends Pick<BotOptions, 'minuteTimer' | 'images'> {
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Command-line arguments: `--init-store` is STORE_INIT=1. */
  readonly args?: readonly string[];
}

export async function startFromEnv(env: Readonly<Record<string, string | undefined>>, { args = [], ...deps }: StartDeps): Promise<Started> {
  const { logger } = deps;
  const result = readConfig(env);
  if (!result.ok) return { ok: false, message: result.message };
  const { config } = result;

  const { decks, errors, warnings } = await loadDecksDir(config.decksDir);
  for (const error of errors) logger.warn(formatDeckError(error));
  // Probable mistakes in decks that loaded: `npm run decks:check` lists them too.
  for (const warning of warnings) logger.warn(formatDeckWarning(warning));
  logger.info(`Loaded ${decks.length} deck${decks.length === 1 ? '' : 's'} from ${config.decksDir}${errors.length ? ` (${errors.length} problem${errors.length === 1 ? '' : 's'} above; those files were skipped)` : ''}.`);

  let keyv: Keyv;
  try {
    // Reachable, writable, and not a lost database silently recreated empty.
    keyv = await openCheckedKeyv(config.databaseUrl, { init: config.storeInit || args.includes('--init-store'), logger });
  } catch (error) {
    if (error instanceof StorageConfigError || error instanceof StoreUnreachableError || error instanceof StoreStartupError) return { ok: false, message: error.message };
    return { ok: false, message: `Could not open the database at ${redact(config.databaseUrl)}: ${(error as Error).message}` };
  }
  // The bot logs once when writes start failing and once when they work again (ScoringNotice).

  try {
    const bot = await startBot({
      token: config.token,
      ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      ...(config.guildId ? { guildId: config.guildId } : {}),
      ...(config.shards ? { shards: config.shards } : {}),
      ...(config.pictureIdleMinutes !== undefined ? { pictureIdleMs: config.pictureIdleMinutes * 60_000 } : {}),
      keyv,
      decks,
      decksDir: config.decksDir,
      ...deps,
      defaultTimeZone: config.defaultTimeZone,
    });
    return { ok: true, bot, keyv };
  } catch (error) {
    await keyv.disconnect();
    if (isTokenRejected(error)) return { ok: false, message: REJECTED_TOKEN_MESSAGE };
    if (isIntentRefused(error)) return { ok: false, message: DISALLOWED_INTENTS_MESSAGE };
    const unreachable = unreachableCode(error);
    if (unreachable) return { ok: false, message: unreachableMessage(unreachable, config.apiUrl) };
    return { ok: false, message: `Could not connect to Discord: ${(error as Error).message}` };
  }
}
