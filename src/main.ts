/**
 * `npm start`: reads the configuration, loads the decks, opens the store and
 * connects to Discord. Configuration problems end with one clear message.
 */
import 'dotenv/config';
import { consoleLogger, systemClock } from './clock.ts';
import { DISALLOWED_INTENTS_MESSAGE, readConfig, REJECTED_TOKEN_MESSAGE } from './config.ts';
import { loadDecksDir } from './deck/load.ts';
import { formatDeckError } from './deck/types.ts';
import { startBot } from './bot/app.ts';
import { openKeyv, redact, StorageConfigError } from './storage/keyv.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

export function isTokenRejected(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | undefined;
  return e?.code === 'TokenInvalid' || e?.status === 401;
}

/** The gateway closes with 4014 when a privileged intent is not enabled for the application. */
export function isIntentRefused(error: unknown): boolean {
  return error instanceof Error && /disallowed intent/i.test(error.message);
}

async function main(): Promise<void> {
  const result = readConfig(process.env);
  if (!result.ok) fail(result.message);
  const { config } = result;

  const { decks, errors } = await loadDecksDir(config.decksDir);
  for (const error of errors) consoleLogger.warn(formatDeckError(error));
  consoleLogger.info(`Loaded ${decks.length} deck${decks.length === 1 ? '' : 's'} from ${config.decksDir}${errors.length ? ` (${errors.length} problem${errors.length === 1 ? '' : 's'} above; those files were skipped)` : ''}.`);

  let keyv;
  try {
    keyv = await openKeyv(config.databaseUrl);
  } catch (error) {
    if (error instanceof StorageConfigError) fail(error.message);
    fail(`Could not open the database at ${redact(config.databaseUrl)}: ${(error as Error).message}`);
  }
  keyv.on('error', (error: unknown) => consoleLogger.error('storage error', error));

  process.on('unhandledRejection', (error) => consoleLogger.error('unhandled rejection', error));

  let bot;
  try {
    bot = await startBot({
      token: config.token,
      ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      ...(config.guildId ? { guildId: config.guildId } : {}),
      keyv,
      decks,
      clock: systemClock,
      random: Math.random,
      logger: consoleLogger,
      defaultTimeZone: config.defaultTimeZone,
    });
  } catch (error) {
    if (isTokenRejected(error)) fail(REJECTED_TOKEN_MESSAGE);
    if (isIntentRefused(error)) fail(DISALLOWED_INTENTS_MESSAGE);
    fail(`Could not connect to Discord: ${(error as Error).message}`);
  }
  const running = bot;
  const shutdown = () => {
    consoleLogger.info('Shutting down.');
    void running
      .stop()
      .then(() => keyv.disconnect())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

await main();
