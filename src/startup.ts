/**
 * What `npm start` does before it waits for a signal: reads the configuration, loads the
 * decks, opens the store and connects to Discord. Every expected problem (no token, a token
 * Discord rejects, a missing intent, a bad database URL) comes back as one clear message.
 */
import type Keyv from 'keyv';
import type { Clock, Logger } from './clock.ts';
import { DISALLOWED_INTENTS_MESSAGE, readConfig, REJECTED_TOKEN_MESSAGE } from './config.ts';
import { loadDecksDir } from './deck/load.ts';
import { formatDeckError, formatDeckWarning } from './deck/types.ts';
import { startBot, type RunningBot } from './bot/app.ts';
import { openKeyv, redact, StorageConfigError } from './storage/keyv.ts';

export function isTokenRejected(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | undefined;
  return e?.code === 'TokenInvalid' || e?.status === 401;
}

/** The gateway closes with 4014 when a privileged intent is not enabled for the application. */
export function isIntentRefused(error: unknown): boolean {
  return error instanceof Error && /disallowed intent/i.test(error.message);
}

export type Started = { readonly ok: true; readonly bot: RunningBot; readonly keyv: Keyv } | { readonly ok: false; readonly message: string };

export async function startFromEnv(env: Readonly<Record<string, string | undefined>>, deps: { readonly clock: Clock; readonly random: () => number; readonly logger: Logger }): Promise<Started> {
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
    keyv = await openKeyv(config.databaseUrl);
  } catch (error) {
    if (error instanceof StorageConfigError) return { ok: false, message: error.message };
    return { ok: false, message: `Could not open the database at ${redact(config.databaseUrl)}: ${(error as Error).message}` };
  }
  keyv.on('error', (error: unknown) => logger.error('storage error', error));

  try {
    const bot = await startBot({
      token: config.token,
      ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      ...(config.guildId ? { guildId: config.guildId } : {}),
      keyv,
      decks,
      ...deps,
      defaultTimeZone: config.defaultTimeZone,
    });
    return { ok: true, bot, keyv };
  } catch (error) {
    await keyv.disconnect();
    if (isTokenRejected(error)) return { ok: false, message: REJECTED_TOKEN_MESSAGE };
    if (isIntentRefused(error)) return { ok: false, message: DISALLOWED_INTENTS_MESSAGE };
    return { ok: false, message: `Could not connect to Discord: ${(error as Error).message}` };
  }
}
