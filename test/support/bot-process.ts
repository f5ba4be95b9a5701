/**
 * A bot process for tests that spawn the bot: `src/process.ts` (what `npm start` runs) on a
 * clock and minute beat the parent gives over the IPC channel, so a test can make a daily drop
 * due without waiting for the wall clock:
 *
 *   spawn(process.execPath, ['--import', 'tsx', 'test/support/bot-process.ts'], { stdio: [..., 'ipc'], env })
 *
 * - env `TEST_CLOCK_OFFSET_MS`: the clock reads the wall clock plus this (default 0);
 * - `{ type: 'clock', offsetMs }` sets the offset (timers keep running on elapsed time, as after a step of the wall clock);
 * - `{ type: 'beat', id }` gives the daily drops their minute beat; `{ type: 'beaten', id }` comes back once it has run;
 * - `{ type: 'ready' }` is sent once the bot is ready (commands registered, interrupted rounds closed, due drops posted).
 *
 * Pictures are drawn as a 1×1 PNG (`stubRenderer`'s), as in the in-process end-to-end tests.
 */
import type { Clock, MinuteTimer } from '../../src/clock.ts';
import { consoleLogger } from '../../src/clock.ts';
import type { Renderer } from '../../src/images/renderer.ts';
import { runProcess } from '../../src/process.ts';

export type ToBot = { readonly type: 'clock'; readonly offsetMs: number } | { readonly type: 'beat'; readonly id: number };
export type FromBot = { readonly type: 'ready' } | { readonly type: 'beaten'; readonly id: number };

const send = (message: FromBot) => process.send?.(message);

let offsetMs = Number(process.env['TEST_CLOCK_OFFSET_MS'] ?? 0);
const clock: Clock = {
  now: () => Date.now() + offsetMs,
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};

const beats = new Set<() => Promise<void>>();
const minuteTimer: MinuteTimer = (onMinute) => {
  beats.add(onMinute);
  return () => void beats.delete(onMinute);
};

const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const images: Renderer = { render: () => Promise.resolve(Buffer.from(TINY_PNG)), warmUp: () => Promise.resolve(), close: () => Promise.resolve() };

process.on('message', (message: ToBot) => {
  if (message.type === 'clock') offsetMs = message.offsetMs;
  if (message.type === 'beat') {
    void Promise.all([...beats].map((beat) => beat().catch((error: unknown) => consoleLogger.error('minute tick failed', error)))).then(() => send({ type: 'beaten', id: message.id }));
  }
});
// The channel does not keep the process alive: it ends as `npm start` does.
process.channel?.unref();
process.on('unhandledRejection', (error) => consoleLogger.error('unhandled rejection', error));

const { bot } = await runProcess(process.env, { clock, random: Math.random, logger: consoleLogger, minuteTimer, images });
bot.ready.then(
  () => send({ type: 'ready' }),
  () => undefined, // logged by the bot ("start-up failed"); the test sees no ready
);
