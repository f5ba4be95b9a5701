/**
 * End-to-end harness: the real bot (startBot, real discord.js client) against
 * the fake Discord on 127.0.0.1, with a manual clock and an SQLite file in a
 * temp folder. `restart()` stops the bot and starts a new one on the same
 * database, as a host restarting the process would.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events, type APIMessage, type APIUser, type Message } from 'discord.js';
import type Keyv from 'keyv';
import { expect } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/app.ts';
import type { Clock, Logger, MinuteTimer } from '../../src/clock.ts';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Deck } from '../../src/deck/types.ts';
import { seededRandom } from '../../src/engine/random.ts';
import type { Renderer } from '../../src/images/renderer.ts';
import { clockMinuteTimer } from '../../src/minute-timer.ts';
import { openKeyv } from '../../src/storage/keyv.ts';
import type { ReviewInput, ReviewLogEntry } from '../../src/storage/memory-book.ts';
import type { OpenDrop } from '../../src/engine/drop.ts';
import type { MemoryRecord } from '../../src/study/memory.ts';
import { makeGuild, makeUser, startFakeDiscord, type FakeDiscord, type GuildFixture, type UserMessageInit } from '../support/discord/index.ts';

/**
 * A clock the test moves by hand; timers fire when their time is reached.
 * Like the system's, timers run on elapsed time: `jump` steps the wall clock
 * (an NTP correction, a resumed VM) without moving them.
 */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  /** Elapsed time; `now()` is this plus the steps of the wall clock. */
  private current: number;
  private offset = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current + this.offset;
  }

  /** Steps the wall clock by `ms` (back when negative); timers keep their elapsed time. */
  jump(ms: number): void {
    this.offset += ms;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  /** Moves time forward to the wall time `ms` (never back), firing due timers in order. */
  set(ms: number): void {
    this.current = Math.max(this.current, ms - this.offset);
    for (;;) {
      const due = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((t) => t !== due);
      due.fn();
    }
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

/** The minute beat of the daily drops, given by hand in place of the clock timer's. */
export class ManualMinuteTimer {
  private readonly beats = new Set<() => Promise<void>>();

  readonly timer: MinuteTimer = (onMinute) => {
    const beat = () => onMinute();
    this.beats.add(beat);
    return () => {
      this.beats.delete(beat);
    };
  };

  /** How many tickers listen to the beat. */
  get listeners(): number {
    return this.beats.size;
  }

  /** One beat: runs what listens and waits until it has finished. */
  async beat(): Promise<void> {
    await Promise.all([...this.beats].map((beat) => beat()));
  }
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly error?: unknown;
}

export function captureLogger(lines: LogLine[]): Logger {
  return {
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message, error) => lines.push({ level: 'error', message, error }),
  };
}

export const SEED_DECK_FILE = new URL('../../decks/mlops-wk9.md', import.meta.url);

export async function seedDecks(): Promise<Deck[]> {
  const { deck } = parseDeck(await readFile(SEED_DECK_FILE, 'utf8'), 'decks/mlops-wk9.md');
  if (!deck) throw new Error('the seed deck does not parse');
  return [deck];
}

export const teacher = makeUser({ username: 'teacher', global_name: 'Ms Rivera' });
export const ana = makeUser({ username: 'ana', global_name: 'Ana' });
export const ben = makeUser({ username: 'ben', global_name: 'Ben' });
export const cleo = makeUser({ username: 'cleo', global_name: 'Cleo' });

/** A class server: the teacher owns it; two channels. */
export function classGuild(name = 'MLOps class', extra: APIUser[] = []): GuildFixture {
  return makeGuild({ name, members: [teacher, ana, ben, cleo, ...extra], channels: [{ name: 'general' }, { name: 'quiz' }] });
}

export interface HarnessOptions {
  readonly guilds?: GuildFixture[];
  readonly decks?: Deck[];
  /** A deck folder the bot watches (DECKS_DIR); its decks replace `decks` once loaded. */
  readonly decksDir?: string;
  /** Start time, epoch ms (default 2026-11-27 12:00 UTC, a Friday). */
  readonly now?: number;
  readonly seed?: string;
  readonly defaultTimeZone?: string;
  /** Register the commands in this server only (DISCORD_GUILD_ID). */
  readonly registerIn?: string;
  /** Draws the pictures (default: `stubRenderer`). */
  readonly images?: Renderer;
  /** Wraps the store each bot gets (say, into one that fails on demand); called at every start. */
  readonly wrapKeyv?: (keyv: Keyv) => Keyv;
  /** How long a stop waits for work under way (default: the bot's). */
  readonly stopGraceMs?: number;
  /** discord.js REST options (e.g. `retries` for fault tests; default none). */
  readonly rest?: { retries?: number; timeout?: number };
  /** Beat the daily drops with the production minute timer on the manual clock (default: by hand, `minute()`). */
  readonly clockTimer?: boolean;
}

export interface Harness {
  readonly fake: FakeDiscord;
  readonly clock: ManualClock;
  readonly logs: LogLine[];
  readonly guild: GuildFixture;
  readonly minuteTimer: ManualMinuteTimer;
  bot: RunningBot;
  /** Moves the clock to `at` (default: where it is) and gives the bot's minute beat, as at the start of a minute. */
  minute(at?: number): Promise<void>;
  /**
   * A member's message, settled once the bot's client has received it and its handlers have
   * been called: for a test that moves the clock next and needs the message taken before that.
   */
  messageReceived(init: UserMessageInit): Promise<APIMessage>;
  /**
   * Stops the bot and starts a new one on the same database and fake Discord;
   * with `at`, the clock moves there while the bot is down; with `whileDown`,
   * the database is changed then (say, into what an earlier version wrote).
   */
  restart(options?: { at?: number; whileDown?: (keyv: Keyv) => Promise<void> }): Promise<void>;
  close(): Promise<void>;
  /** The unexpected errors logged so far. */
  errors(): LogLine[];
  /**
   * The one way tests put in scores without playing them: `events` (with the members' `names`)
   * are written by the bot's score book as a live round or a daily answer writes them, and
   * each list of `roundsWon` counts as one live round those members won. Default server: the first.
   */
  seedScores(scores: SeedScores): Promise<void>;
  /**
   * The one way tests put in study memory without playing it (for states that take days of
   * play to reach): each review is recorded by the bot's memory book as a live round, a daily
   * answer or practice records it. Default server: the first.
   */
  seedMemory(reviews: readonly ReviewInput[], guildId?: string): Promise<void>;
  /**
   * What the bot has stored that no message shows (a member's study memory, the review log,
   * the open daily question's card, a raw key), read with the bot's own readers. Assert what
   * members see in Discord instead wherever a message shows it.
   */
  readonly stored: StoredState;
}

/** Reads of stored state (see `Harness.stored`); `guildId` defaults to the first server. */
export interface StoredState {
  /** A member's memory of a deck: card id → state (`{}` when they never tried it). */
  memory(userId: string, deck: string, guildId?: string): Promise<MemoryRecord>;
  /** The review log between `from` and `to` (epoch ms). */
  reviewLog(from: number, to: number, guildId?: string): Promise<ReviewLogEntry[]>;
  /** The open daily question (its card holds the answer, which no member sees before the reveal). */
  openDrop(guildId?: string): Promise<OpenDrop | undefined>;
  /** The value stored under `key` (for checks that the bot cleaned up after itself). */
  get(key: string): Promise<unknown>;
}

export interface SeedScores {
  readonly events: readonly ScoreEvent[];
  readonly names: Readonly<Record<string, string>>;
  readonly roundsWon?: readonly (readonly string[])[];
  readonly guildId?: string;
}

export const DEFAULT_NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Draws every picture as a 1×1 PNG at once: starting the real worker takes seconds on a busy
 * machine, so only the picture tests (images.test.ts) pass a real `ImageRenderer`.
 */
export const stubRenderer: Renderer = {
  render: () => Promise.resolve(Buffer.from(TINY_PNG)),
  warmUp: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const guilds = options.guilds ?? [classGuild()];
  const fake = await startFakeDiscord({ guilds });
  const dir = await mkdtemp(join(tmpdir(), 'studybot-e2e-'));
  const databaseUrl = `sqlite://${join(dir, 'test.sqlite')}`;
  const decks = options.decks ?? (await seedDecks());
  const clock = new ManualClock(options.now ?? DEFAULT_NOW);
  const logs: LogLine[] = [];
  const random = seededRandom(options.seed ?? 'e2e');
  const minuteTimer = new ManualMinuteTimer();

  const logger = captureLogger(logs);
  const boot = async (): Promise<{ bot: RunningBot; close: () => Promise<void> }> => {
    const opened = await openKeyv(databaseUrl);
    const keyv = options.wrapKeyv ? options.wrapKeyv(opened) : opened;
    const bot = await startBot({
      token: fake.token,
      rest: { api: fake.restUrl, retries: 0, globalRequestsPerSecond: 10_000, timeout: 5_000, ...options.rest },
      keyv,
      decks,
      ...(options.decksDir ? { decksDir: options.decksDir, deckReloadMs: 100 } : {}),
      clock,
      random,
      logger,
      defaultTimeZone: options.defaultTimeZone ?? 'UTC',
      minuteTimer: options.clockTimer ? clockMinuteTimer(clock, logger) : minuteTimer.timer,
      images: options.images ?? stubRenderer,
      ...(options.registerIn ? { guildId: options.registerIn } : {}),
      ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    });
    await bot.ready;
    return {
      bot,
      close: async () => {
        await bot.stop();
        await keyv.disconnect();
      },
    };
  };

  let running = await boot();
  const harness: Harness = {
    fake,
    clock,
    logs,
    guild: guilds[0] as GuildFixture,
    minuteTimer,
    bot: running.bot,
    async minute(at) {
      if (at !== undefined) clock.set(at);
      await minuteTimer.beat();
    },
    messageReceived(init) {
      const client = harness.bot.client;
      return new Promise((resolve) => {
        // The fake dispatches the message over the socket, so the listener is on before it can arrive.
        const sent = fake.message(init);
        const listener = (message: Message): void => {
          if (message.id !== sent.id) return;
          client.off(Events.MessageCreate, listener);
          resolve(sent);
        };
        client.on(Events.MessageCreate, listener);
      });
    },
    async restart(restartOptions = {}) {
      await running.close();
      if (restartOptions.at !== undefined) clock.set(restartOptions.at);
      if (restartOptions.whileDown) {
        const keyv = await openKeyv(databaseUrl);
        await restartOptions.whileDown(keyv);
        await keyv.disconnect();
      }
      running = await boot();
      harness.bot = running.bot;
    },
    async close() {
      await running.close();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
    errors: () => logs.filter((l) => l.level === 'error'),
    async seedScores({ events, names, roundsWon = [], guildId = harness.guild.id }) {
      const scores = harness.bot.ctx.scores;
      if (events.length) await scores.record(guildId, events, names);
      for (const winners of roundsWon) await scores.recordRoundWin(guildId, winners);
    },
    async seedMemory(reviews, guildId = harness.guild.id) {
      await harness.bot.ctx.memory.record(guildId, reviews);
    },
    stored: {
      memory: (userId, deck, guildId = harness.guild.id) => harness.bot.ctx.memory.memory(guildId, userId, deck),
      reviewLog: (from, to, guildId = harness.guild.id) => harness.bot.ctx.memory.reviewLog(guildId, from, to),
      openDrop: (guildId = harness.guild.id) => harness.bot.ctx.daily.openDrop(guildId),
      get: (key) => harness.bot.ctx.store.get(key),
    },
  };
  return harness;
}

/** Closes a harness after checking that every request was valid and no unexpected error was logged. */
export async function closeChecked(harness: Harness): Promise<void> {
  try {
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
  } finally {
    await harness.close();
  }
}

/** Waits until `check` passes (for state reached through asynchronous work). */
export async function eventually<T>(check: () => T | Promise<T>, timeout = 5_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - start > timeout) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The end of a test: the fake saw only valid calls, nothing unexpected was logged; then the harness closes. */
export async function checkAndClose(harness: Harness): Promise<void> {
  try {
    harness.fake.assertClean();
    if (harness.errors().length > 0) throw new Error(`unexpected errors logged: ${JSON.stringify(harness.errors().map((e) => e.message))}`);
  } finally {
    await harness.close();
  }
}

/** What /stats shows `user` about themselves (ephemeral): the embed's description and its fields by name. */
export async function statsOf(harness: Harness, user: APIUser): Promise<{ description: string | undefined; fields: Record<string, string> }> {
  const reply = await (await harness.fake.slashCommand({ name: 'stats', user })).waitForReply();
  const embed = (reply['embeds'] as { description?: string; fields?: { name: string; value: string }[] }[] | undefined)?.[0];
  if (!embed) throw new Error(`/stats replied without an embed: ${JSON.stringify(reply)}`);
  return { description: embed.description, fields: Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value])) };
}
