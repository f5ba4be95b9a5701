/**
 * The bot as a process: started from the environment, stopped cleanly on Ctrl+C or SIGTERM.
 * A problem at start-up ends with one clear message and exit code 1. `src/main.ts` runs it
 * with the system clock; what it runs on (clock, minute beat) is passed in.
 */
import type Keyv from 'keyv';
import type { RunningBot } from './bot/app.ts';
import { startFromEnv, type StartDeps } from './startup.ts';

export async function runProcess(env: Readonly<Record<string, string | undefined>>, deps: StartDeps): Promise<{ readonly bot: RunningBot; readonly keyv: Keyv }> {
  const started = await startFromEnv(env, deps);
  if (!started.ok) {
    console.error(started.message);
    process.exit(1);
  }
  const { bot, keyv } = started;
  const shutdown = () => {
    deps.logger.info('Shutting down.');
    // Work under way (a score being written, its announcement) gets up to 5 s inside stop(); this is the last resort.
    setTimeout(() => process.exit(1), 10_000).unref();
    void bot
      .stop()
      .then(() => keyv.disconnect())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return { bot, keyv };
}
