/**
 * Several bot processes on one shared store, end to end: two processes (`SHARD_COUNT=2`, one
 * shard each, as `npm start` runs them) on one Redis store, and again on one PostgreSQL
 * database, with four servers split between the shards by Discord's rule. Live rounds and
 * daily drops run in servers of both shards; each drop is posted once, every point is counted
 * once, and no process writes about a server it does not hold. Then both stop, and one process
 * holding both shards starts on the same store: the leaderboards are as they were, the next
 * day's drop is posted once in every server, and a new round works in every server.
 *
 * The processes run `src/process.ts` through `test/support/bot-process.ts`, whose clock and
 * daily minute beat the test gives over IPC (the production minute timer waits for the wall
 * clock's minute). Redis and PostgreSQL must run (as in CI): the test fails, saying so, when
 * they cannot be reached. Each run uses a Redis database no one else uses and a PostgreSQL
 * database of its own, and removes what it wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import type { APIEmbed, APIMessage, APIUser } from 'discord.js';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { livePrompt, promptMarkdown } from '../../src/bot/render.ts';
import type { Card } from '../../src/deck/types.ts';
import { shardOf } from '../../src/storage/shards.ts';
import { makeGuild, snowflakeOnShard, startFakeDiscord, type FakeDiscord, type GuildFixture } from '../support/discord/index.ts';
import type { FromBot, ToBot } from '../support/bot-process.ts';
import { POSTGRES_URL, REDIS_URL } from '../storage/servers.ts';
import { ana, ben, cleo, seedDecks, teacher } from './harness.ts';

type Json = Record<string, unknown>;

const root = new URL('../..', import.meta.url).pathname;
const runId = `${process.pid}_${Date.now().toString(36)}`;
const SHARD_COUNT = 2;
/** 2026-11-27 (a Friday) at hh:mm:ss UTC, plus `days`: the time the bots' clocks show. */
const utc = (hour: number, minute = 0, second = 0, days = 0) => Date.UTC(2026, 10, 27 + days, hour, minute, second);

// ——— the shared stores ———————————————————————————————————————————————————

interface SharedStore {
  readonly url: string;
  release(): Promise<void>;
}

const unreachable = (what: string, url: string, error: unknown) =>
  new Error(`${what} at ${new URL(url).host} cannot be reached (${(error as Error).message || String(error)}). This test needs it running (CI starts Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432; TEST_REDIS_URL and TEST_POSTGRES_URL point elsewhere).`);

/** A marker that a test run holds a Redis database (it expires, should a run die before removing it). */
const CLAIM_KEY = 'studybot-test:cluster-claim';

/**
 * A Redis logical database for this run: the bot's namespace is fixed (`studybot::`), so two
 * runs at once, or other tests, must not share one. The first of databases 1–15 that holds
 * nothing is claimed with a marker; released, it is emptied.
 */
async function claimRedis(): Promise<SharedStore> {
  for (let db = 1; db < 16; db++) {
    const url = new URL(REDIS_URL);
    url.pathname = `/${db}`;
    const client = createClient({ url: url.toString(), socket: { connectTimeout: 3_000, reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      throw unreachable('Redis', REDIS_URL, error);
    }
    if ((await client.set(CLAIM_KEY, runId, { NX: true, EX: 600 })) && (await client.dbSize()) === 1) {
      return {
        url: url.toString(),
        async release() {
          await client.flushDb();
          await client.quit();
        },
      };
    }
    if ((await client.get(CLAIM_KEY)) === runId) await client.del(CLAIM_KEY);
    await client.quit();
  }
  throw new Error(`No free Redis database at ${new URL(REDIS_URL).host}: databases 1 to 15 all hold data (this test uses an empty one of its own).`);
}

/** A PostgreSQL database for this run, dropped when released. */
async function createPostgres(): Promise<SharedStore> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (error) {
    throw unreachable('PostgreSQL', POSTGRES_URL, error);
  }
  const name = `studybot_cluster_${runId}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async release() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

// ——— the bot processes —————————————————————————————————————————————————

class BotProcess {
  /** stdout and stderr as they came. */
  output = '';
  stderr = '';
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private beats = 0;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (message: FromBot) => {
        if (message.type === 'ready') resolve();
      });
      void this.exited.then(({ code, signal }) => reject(new Error(`${this.name} exited (${signal ?? code}) before it was ready:\n${this.output}`)));
      setTimeout(() => reject(new Error(`${this.name} was not ready within 60 s:\n${this.output}`)), 60_000).unref();
    });
    this.ready.catch(() => undefined);
  }

  private send(message: ToBot): void {
    this.child.send(message);
  }

  /** The bot's clock shows `at` from now on (its timers keep their elapsed time). */
  setClock(at: number): void {
    this.send({ type: 'clock', offsetMs: at - Date.now() });
  }

  /** The daily drops' minute beat; settles once the tick has run. */
  async beat(): Promise<void> {
    const id = ++this.beats;
    const done = new Promise<void>((resolve) => {
      const listener = (message: FromBot) => {
        if (message.type === 'beaten' && message.id === id) {
          this.child.off('message', listener);
          resolve();
        }
      };
      this.child.on('message', listener);
    });
    this.send({ type: 'beat', id });
    await done;
  }

  /** SIGTERM, as a host stopping the service; the process must end cleanly. */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const { code, signal } = await this.exited;
    expect({ code, signal }, `${this.name} after SIGTERM:\n${this.output}`).toEqual({ code: 0, signal: null });
  }

  /**
   * What the process logged as an error or warning: nothing, in particular no write refused by
   * the one-writer check (`NotHeldError`: "refused to write … belongs to another process").
   */
  problems(): string {
    return this.stderr;
  }
}

/** The processes still to be killed after a test; `started`, every process of the test (for its output on failure). */
const children: BotProcess[] = [];
const started: BotProcess[] = [];

function startBotProcess(fake: FakeDiscord, databaseUrl: string, shardIds: string | undefined, clockAt: number, folder: string): BotProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|SHARD_|TEST_CLOCK_)/.test(k) && !['DATABASE_URL', 'STORE_INIT', 'DECKS_DIR', 'DEFAULT_TIMEZONE'].includes(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/bot-process.ts'], {
    cwd: root,
    env: {
      ...base,
      DOTENV_CONFIG_PATH: join(folder, 'none.env'),
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      DATABASE_URL: databaseUrl,
      SHARD_COUNT: String(SHARD_COUNT),
      ...(shardIds === undefined ? {} : { SHARD_IDS: shardIds }),
      TEST_CLOCK_OFFSET_MS: String(clockAt - Date.now()),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const bot = new BotProcess(shardIds === undefined ? 'the process holding every shard' : `the process of shard ${shardIds}`, child);
  children.push(bot);
  started.push(bot);
  return bot;
}

// ——— servers, members, messages ———————————————————————————————————————————

interface Server {
  readonly guild: GuildFixture;
  readonly id: string;
  readonly shard: number;
  readonly general: string;
  readonly quiz: string;
}

function server(name: string, shard: number): Server {
  const guild = makeGuild({ id: snowflakeOnShard(shard, SHARD_COUNT), name, members: [teacher, ana, ben, cleo], channels: [{ name: 'general' }, { name: 'quiz' }] });
  return { guild, id: guild.id, shard, general: guild.channels[0]!.id, quiz: guild.channels[1]!.id };
}

const embedOf = (payload: unknown): APIEmbed | undefined => (payload as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0];

/** The ranking lines of a leaderboard reply: "**1.** Ana · 17 pts · 2 correct". */
function rankLines(reply: Json): string[] {
  return (embedOf(reply)?.description ?? '').split('\n').filter((l) => /^(?:[🥇🥈🥉] )?\*\*/u.test(l));
}

/** Member name → points and correct answers, as a leaderboard shows them. */
type Board = Record<string, { points: number; correct: number }>;

function boardOf(lines: readonly string[]): Board {
  const board: Board = {};
  for (const line of lines) {
    const found = /\*\*\d+\.\*\* (.+) · (\d+) pts · (\d+) correct$/.exec(line);
    if (!found) throw new Error(`not a ranking line: ${line}`);
    board[found[1]!] = { points: Number(found[2]), correct: Number(found[3]) };
  }
  return board;
}

function add(board: Board, name: string, points: number): void {
  const row = (board[name] ??= { points: 0, correct: 0 });
  row.points += points;
  row.correct += 1;
}

/** The announced points of a winner reply or a daily verdict ("… +17 points …"). */
function announcedPoints(text: string): number {
  const found = /\+(\d+) points?\b/.exec(text);
  if (!found) throw new Error(`no points announced in: ${text}`);
  return Number(found[1]);
}

function displayName(user: APIUser): string {
  return user.global_name ?? user.username;
}

describe.each([
  { store: 'Redis', open: claimRedis },
  { store: 'PostgreSQL', open: createPostgres },
])('two processes, one shard each, on one $store store; then one process holding both', ({ open }) => {
  let fake: FakeDiscord | undefined;
  let shared: SharedStore | undefined;
  let folder: string | undefined;
  let cards: Card[] = [];

  beforeAll(async () => {
    cards = (await seedDecks()).flatMap((d) => d.cards);
  });

  afterEach(async () => {
    for (const bot of children.splice(0)) {
      if (bot.child.exitCode === null && bot.child.signalCode === null) {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
    }
    await fake?.close();
    await shared?.release();
    if (folder) await rm(folder, { recursive: true, force: true });
    fake = undefined;
    shared = undefined;
    folder = undefined;
  });

  it('rounds and drops in servers of both shards count once; after a restart into one process everything is kept and goes on', async () => {
    started.length = 0;
    onTestFailed(() => {
      for (const bot of started) console.error(`——— ${bot.name} (${bot.child.pid}) ———\n${bot.output}`);
    });
    const servers = [server('Class A', 0), server('Class B', 0), server('Class C', 1), server('Class D', 1)];
    expect(servers.map((s) => shardOf(s.id, SHARD_COUNT))).toEqual([0, 0, 1, 1]);
    const [a, b, c, d] = servers as [Server, Server, Server, Server];
    fake = await startFakeDiscord({ guilds: servers.map((s) => s.guild) });
    shared = await open();
    folder = await mkdtemp(join(tmpdir(), 'studybot-cluster-'));
    const x = fake;

    const cardOf = (text: string | undefined, prompt: (card: Card) => string): Card => {
      const card = cards.find((each) => text?.startsWith(prompt(each)) ?? false);
      if (!card) throw new Error(`no card of the seed deck asks: ${text}`);
      return card;
    };

    /** A one-question round in the server's quiz channel, won by `winner`; the points it announced. */
    const round = async (s: Server, winner: APIUser): Promise<number> => {
      const after = x.cursor();
      await x.slashCommand({ name: 'quiz', options: { deck: 'mlops', questions: 1, pause: 0 }, user: teacher, guildId: s.id, channelId: s.quiz });
      const question = await x.waitForRequest((r) => r.status === 200 && r.method === 'POST' && r.path === `/channels/${s.quiz}/messages` && /^Question 1 of 1/.test(embedOf(r.body)?.title ?? ''), { after, timeout: 15_000 });
      const card = cardOf(embedOf(question.body)?.description, (each) => livePrompt(each, 0));
      x.message({ guildId: s.id, channelId: s.quiz, author: winner, content: card.answers.join(', ') });
      const won = await x.waitForRequest((r) => r.status === 200 && r.method === 'POST' && r.path === `/channels/${s.quiz}/messages` && String((r.body as Json)['content'] ?? '').startsWith(`Correct, ${displayName(winner)}!`), { after, timeout: 15_000 });
      await x.waitForRequest((r) => r.status === 200 && r.path.startsWith(`/channels/${s.quiz}/messages`) && /^Round over/.test(embedOf(r.body)?.title ?? ''), { after, timeout: 15_000 });
      return announcedPoints(String((won.body as Json)['content']));
    };

    const setDaily = async (s: Server): Promise<void> => {
      const handle = await x.slashCommand({ name: 'daily', subcommand: 'set', options: { channel: s.general, time: '09:00', timezone: 'UTC' }, user: teacher, guildId: s.id, channelId: s.general });
      expect(String((await handle.waitForReply({ timeout: 10_000 }))['content'])).toContain('Daily question set');
    };

    /** The daily drop messages in the server's channel (revealed or not), oldest first. */
    const dropsIn = (s: Server): APIMessage[] => x.channelMessages(s.general).filter((m) => !m.webhook_id && (embedOf(m)?.title ?? '').startsWith('Question of the day'));

    /** Presses Answer on the drop and submits the right answer as `member`; the points the verdict announced. */
    const answerDrop = async (s: Server, drop: APIMessage, member: APIUser): Promise<number> => {
      const card = cardOf(embedOf(drop)?.description, (each) => promptMarkdown(each));
      const customId = ((drop.components?.[0] as { components?: { custom_id?: string }[] } | undefined)?.components?.[0]?.custom_id ?? '');
      expect(customId).toMatch(/^daily:answer:/);
      const modal = await x.button({ message: drop.id, customId, user: member, guildId: s.id, channelId: s.general });
      expect((await modal.response({ timeout: 10_000 })).type).toBe(9);
      const submit = await x.modalSubmit({ customId: customId.replace('daily:answer:', 'daily:submit:'), fields: { answer: card.answers.join(', ') }, user: member, message: drop.id, guildId: s.id, channelId: s.general });
      const verdict = String((await submit.waitForReply({ timeout: 10_000 }))['content']);
      expect(verdict).toMatch(/^Correct!/);
      return announcedPoints(verdict);
    };

    const leaderboard = async (s: Server): Promise<Board> => {
      const handle = await x.slashCommand({ name: 'leaderboard', user: teacher, guildId: s.id, channelId: s.general });
      return boardOf(rankLines(await handle.waitForReply({ timeout: 10_000 })));
    };
    const leaderboards = async (): Promise<Board[]> => Promise.all(servers.map(leaderboard));

    // ——— two processes, one shard each ———
    const zero = startBotProcess(x, shared.url, '0', utc(8, 58), folder);
    const one = startBotProcess(x, shared.url, '1', utc(8, 58), folder);
    await Promise.all([zero.ready, one.ready]);
    // Each process identified for its own shard only; commands were registered once (by shard 0's).
    expect(x.identifyCount).toBe(2);
    expect(x.commandOverwrites).toHaveLength(1);

    const expected: Board[] = servers.map(() => ({}));
    const [liveA, liveC] = await Promise.all([round(a, ana), round(c, ben)]);
    add(expected[0]!, 'Ana', liveA);
    add(expected[2]!, 'Ben', liveC);

    for (const s of servers) await setDaily(s);
    for (const bot of [zero, one]) bot.setClock(utc(9, 0, 5));
    await Promise.all([zero.beat(), one.beat()]);
    // Every server's drop is posted once, by the process of its shard; the next minute posts nothing more.
    expect(servers.map((s) => dropsIn(s).length)).toEqual([1, 1, 1, 1]);
    for (const bot of [zero, one]) bot.setClock(utc(9, 1, 5));
    await Promise.all([zero.beat(), one.beat()]);
    expect(servers.map((s) => dropsIn(s).length)).toEqual([1, 1, 1, 1]);

    const solvers = [ana, ben, cleo, ana];
    const dailyPoints = await Promise.all(servers.map((s, i) => answerDrop(s, dropsIn(s)[0]!, solvers[i]!)));
    servers.forEach((_, i) => add(expected[i]!, displayName(solvers[i]!), dailyPoints[i]!));

    const before = await leaderboards();
    expect(before).toEqual(expected);
    expect(zero.problems()).toBe('');
    expect(one.problems()).toBe('');
    await Promise.all([zero.stop(), one.stop()]);

    // ——— one process holding both shards, on the same store ———
    const identified = x.identifyCount;
    const both = startBotProcess(x, shared.url, undefined, utc(9, 30), folder);
    await both.ready;
    expect(x.identifyCount).toBe(identified + SHARD_COUNT);
    // Today's drops were posted before the restart: not again.
    expect(servers.map((s) => dropsIn(s).length)).toEqual([1, 1, 1, 1]);
    expect(await leaderboards()).toEqual(before);

    // The next day's drop, once in every server, revealing the first.
    both.setClock(utc(9, 0, 5, 1));
    await both.beat();
    both.setClock(utc(9, 1, 5, 1));
    await both.beat();
    expect(servers.map((s) => dropsIn(s).length), both.output).toEqual([2, 2, 2, 2]);
    for (const s of servers) {
      const [first, second] = dropsIn(s) as [APIMessage, APIMessage];
      expect([embedOf(first)?.title, first.components ?? []]).toEqual(['Question of the day · answer', []]);
      expect(embedOf(second)?.title).toBe('Question of the day');
    }

    // A new round in every server, counted once on top of what was kept.
    const winners = [ben, cleo, ana, cleo];
    const next = await Promise.all(servers.map((s, i) => round(s, winners[i]!)));
    servers.forEach((_, i) => add(expected[i]!, displayName(winners[i]!), next[i]!));
    expect(await leaderboards()).toEqual(expected);

    expect(x.commandOverwrites).toHaveLength(1);
    expect(both.problems()).toBe('');
    await both.stop();
    x.assertClean();
    // Most of the time goes to starting three processes, which takes far longer on a busy machine: hence the margin.
  }, 180_000);
});
