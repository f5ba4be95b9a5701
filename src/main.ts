/**
 * `npm start`: starts the bot from the environment (and `.env`) and stops it cleanly on
 * Ctrl+C or SIGTERM. A problem at start-up ends with one clear message and exit code 1.
 */
import 'dotenv/config';
import { consoleLogger, systemClock } from './clock.ts';
import { startFromEnv } from './startup.ts';

process.on('unhandledRejection', (error) => consoleLogger.error('unhandled rejection', error));

const started = await startFromEnv(process.env, { clock: systemClock, random: Math.random, logger: consoleLogger, args: process.argv.slice(2) });
if (!started.ok) {
  console.error(started.message);
  process.exit(1);
}
const { bot, keyv } = started;
const shutdown = () => {
  consoleLogger.info('Shutting down.');
  // Work under way (a score being written, its announcement) gets up to 5 s inside stop(); this is the last resort.
  setTimeout(() => process.exit(1), 10_000).unref();
  void bot
    .stop()
    .then(() => keyv.disconnect())
    .finally(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
