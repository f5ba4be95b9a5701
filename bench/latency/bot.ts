/**
 * The bot as bench/latency.ts runs it: what `npm start` starts (the decks folder, an SQLite
 * store, the picture worker started on the first picture, the system clock), against the fake
 * Discord at BENCH_API_URL.
 * The one difference: discord.js's own global limit of 50 requests/s is raised, as for the
 * anchor, since 200 replies/s are asked of both.
 */
import { startBot } from '../../src/bot/app.ts';
import { systemClock, type Logger } from '../../src/clock.ts';
import { loadDecksDir } from '../../src/deck/load.ts';
import { openKeyv } from '../../src/storage/keyv.ts';
import { env, serveBench } from './child.ts';

const bench = serveBench();
// Problems only: the bench's output stays its own.
const logger: Logger = {
  info: () => undefined,
  warn: (message) => console.warn(`bot: ${message}`),
  error: (message, error) => console.error(`bot: ${message}`, error instanceof Error ? error.stack : (error ?? '')),
};
const { decks } = await loadDecksDir(env('BENCH_DECKS_DIR'));
const keyv = await openKeyv(env('BENCH_DATABASE_URL'));
const bot = await startBot({
  token: env('BENCH_TOKEN'),
  rest: { api: env('BENCH_API_URL'), globalRequestsPerSecond: 10_000 },
  keyv,
  decks,
  clock: systemClock,
  random: Math.random,
  logger,
  defaultTimeZone: 'UTC',
});
await bot.ready;
bench.ready();
// Nothing more to warm up: like `npm start`, the picture worker starts on the first picture.
bench.warm();
