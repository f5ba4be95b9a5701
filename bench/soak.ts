/**
 * Soak test, `npm run bench:soak` (not part of `npm test`): many live rounds
 * against the fake Discord with members' replies, clean restarts, hard stops
 * between a score write and its announcement, and random 503s from Discord
 * (a proxy in front of the fake answers some channel requests with an error
 * instead of passing them on).
 *
 * It ends by checking that every point announced to members ("Correct … +N
 * points", or a winner named in the summary after a restart) is on the
 * leaderboard exactly once, and nothing else is; and that the heap after the
 * last quarter of rounds is about what it was after the first (printed as a
 * ratio). Exits with status 1 when either fails.
 *
 *   npm run bench:soak                  # 500 rounds
 *   SOAK_ROUNDS=100 npm run bench:soak  # a shorter run
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIEmbed, APIMessage } from 'discord.js';
import type Keyv from 'keyv';
import { startBot, type RunningBot } from '../src/bot/app.ts';
import { livePrompt } from '../src/bot/render.ts';
import { seededRandom } from '../src/engine/random.ts';
import { openKeyv } from '../src/storage/keyv.ts';
import { startFakeDiscord } from '../test/support/discord/index.ts';
import { ana, ben, captureLogger, classGuild, cleo, ManualClock, seedDecks, teacher, type LogLine } from '../test/e2e/harness.ts';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 500);
const QUESTIONS = 3;
const RESTART_EVERY = 20;
const CRASH_EVERY = 25;
const ERROR_RATE = 0.03;

const random = seededRandom('soak');
const guild = classGuild();
const channelId = guild.channels[1]!.id;
const members = [ana, ben, cleo];
const fake = await startFakeDiscord({ guilds: [guild] });
const decks = await seedDecks();
const cards = decks.flatMap((d) => d.cards);
const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
const logs: LogLine[] = [];
const dir = await mkdtemp(join(tmpdir(), 'studybot-soak-'));
const databaseUrl = `sqlite://${join(dir, 'soak.sqlite')}`;

// ——— a proxy in front of the fake: some channel requests get a 503 and never reach it ———
let injected = 0;
/** Winner replies the proxy answered with a 503: sent by the bot, never seen by members. */
const lostWinnerReplies: string[] = [];
const proxy: Server = createServer((req, res) => {
  if (req.url?.includes('/channels/') && random() < ERROR_RATE) {
    injected++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const content = /"content":"(Correct, [^"]*)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (content) lostWinnerReplies.push(content);
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable', code: 0 }));
    });
    return;
  }
  const target = new URL(req.url ?? '/', fake.restUrl);
  const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const restUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api`;

// ——— the bot, on a store that can "die" right after a score was written (its award's journal entry) ———
let crashNext = false;
let died: (() => void) | undefined;
function dying(inner: Keyv): Keyv {
  return new Proxy(inner, {
    get: (target, property) => {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== 'set' && property !== 'setMany') return method;
      return async (first: string | { key: string }[], ...rest: unknown[]) => {
        const result = await method(first, ...rest);
        const keys = typeof first === 'string' ? [first] : first.map((entry) => entry.key);
        if (crashNext && keys.some((key) => key.startsWith('award:'))) {
          crashNext = false;
          died?.();
          return new Promise(() => undefined); // the process is gone: nothing after this write happens
        }
        return result;
      };
    },
  });
}

let running!: { bot: RunningBot; keyv: Keyv };
async function boot(): Promise<void> {
  const keyv = await openKeyv(databaseUrl);
  const bot = await startBot({
    token: fake.token,
    rest: { api: restUrl, retries: 0, globalRequestsPerSecond: 10_000, timeout: 5_000 },
    keyv: dying(keyv),
    decks,
    clock,
    random,
    logger: captureLogger(logs),
    defaultTimeZone: 'UTC',
    minuteTimer: () => () => undefined,
    stopGraceMs: 300,
  });
  await bot.ready;
  running = { bot, keyv };
}
async function restart(): Promise<void> {
  await running.bot.stop();
  await running.keyv.disconnect();
  await boot();
}

// ——— what members were told ———
const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
const embedOf = (body: unknown): APIEmbed | undefined => (body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0];

async function waitFor<T>(find: () => T | undefined, ms = 1_000): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined || Date.now() > end) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The open question posted after `cursor`, if one comes. */
async function questionAfter(cursor: number): Promise<APIMessage | undefined> {
  return waitFor(() => fake.requests.slice(cursor).find((r) => isPost(r) && r.status < 300 && /^Question \d+ of \d+$/.test(embedOf(r.body)?.title ?? ''))?.response as APIMessage | undefined);
}

async function heap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}

// Announced: every winner reply the bot sent toward Discord (some got a 503 on the way),
// and every winner named in a summary after a restart.
const announced = new Map<string, number>();
const add = (name: string, points: number) => announced.set(name, (announced.get(name) ?? 0) + points);
const addReply = (content: string) => {
  const won = /^Correct, (\w+)! .*\+(\d+) points/.exec(content);
  if (won) add(won[1]!, Number(won[2]));
};
/** Counts the announcements among the fake's recorded requests, then lets them go (the fake would otherwise keep every request and message of the run, and the heap figures would measure it, not the bot). */
function tallyAndForget(): void {
  for (const r of fake.requests.filter(isPost)) {
    addReply((r.body as { content?: string } | undefined)?.content ?? '');
    const noted = /Question \d+: (\w+) answered it: .*, \+(\d+) points\./.exec(embedOf(r.body)?.description ?? '');
    if (noted) add(noted[1]!, Number(noted[2]));
  }
  fake.requests.length = 0;
  // The channel keeps its last messages: a question of the round may still be edited after a restart.
  const messages = fake.store.channelMessages(channelId);
  messages.splice(0, Math.max(0, messages.length - 50));
}

await boot();
const heapAtStart = await heap();
const started = performance.now();
let heapAtQuarter = 0;
let crashes = 0;
let restarts = 0;
for (let round = 1; round <= ROUNDS; round++) {
  let cursor = fake.requests.length;
  const quiz = await fake.slashCommand({ name: 'quiz', options: { deck: 'mlops wk9', questions: QUESTIONS, seconds: 30, pause: 0 }, user: teacher, channelId });
  await quiz.waitForReply().catch(() => undefined);
  const crashAt = round % CRASH_EVERY === 0 ? Math.floor(random() * QUESTIONS) : -1;
  for (let q = 0; q < QUESTIONS; q++) {
    const question = await questionAfter(cursor);
    if (!question) break; // the round ended: a question could not be posted
    cursor = fake.requests.length;
    const card = cards.find((c) => livePrompt(c, 0) === question.embeds[0]?.description?.split('\n\n')[0]);
    const member = members[Math.floor(random() * members.length)]!;
    if (random() < 0.3) fake.message({ channelId, author: member, content: 'no idea' });
    clock.advance(Math.floor(random() * 20_000));
    const stop = q === crashAt ? new Promise<void>((resolve) => (died = resolve)) : undefined;
    if (stop) crashNext = true;
    fake.message({ channelId, author: member, content: card ? card.answers.join(', ') : '?' });
    if (stop) {
      const stopped = await Promise.race([stop.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, 10_000, false))]);
      if (!stopped) {
        console.error(`soak: round ${round}: the right answer wrote no award journal entry within 10 s, so the stop between the score write and its announcement never happened`);
        process.exit(1);
      }
      crashes++;
      await restart();
      break;
    }
  }
  // Let the round finish (its summary), or end it.
  await waitFor(() => fake.requests.slice(cursor).find((r) => isPost(r) && embedOf(r.body)?.title?.startsWith('Round over') === true), 300);
  clock.advance(60_000); // a question left open times out
  await running.bot.ctx.rounds.shutdown();
  if (round % RESTART_EVERY === 0) {
    restarts++;
    await restart();
  }
  tallyAndForget();
  if (round === Math.ceil(ROUNDS / 4)) heapAtQuarter = await heap();
  if (round % 50 === 0) console.log(`  … ${round} rounds, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await restart();
tallyAndForget();
const heapAtEnd = await heap();
const seconds = (performance.now() - started) / 1000;

lostWinnerReplies.forEach(addReply);
const totals = await running.bot.ctx.scores.totals(guild.id);
const stored = new Map(Object.values(totals).map((m) => [m.name, m.points]));
const storedSum = [...stored.values()].reduce((a, b) => a + b, 0);
const announcedSum = [...announced.values()].reduce((a, b) => a + b, 0);
const exact = [...stored].every(([name, points]) => announced.get(name) === points) && stored.size === announced.size;
const errors = logs.filter((l) => l.level === 'error');

console.log(`soak: ${ROUNDS} rounds of ${QUESTIONS} questions in ${seconds.toFixed(1)} s; ${restarts} restarts, ${crashes} stops between a score write and its announcement, ${injected} injected 503s`);
console.log(`  announced ${announcedSum} points (${[...announced].map(([n, p]) => `${n} ${p}`).join(', ')}); leaderboard ${storedSum} (${[...stored].map(([n, p]) => `${n} ${p}`).join(', ')}); winner replies answered with a 503: ${lostWinnerReplies.length}`);
console.log(`  every announced point on the leaderboard exactly once: ${exact ? 'yes' : 'NO'}`);
const ratio = heapAtEnd / heapAtQuarter;
console.log(`  heap after GC: at the start ${(heapAtStart / 1e6).toFixed(1)} MB, after ${Math.ceil(ROUNDS / 4)} rounds ${(heapAtQuarter / 1e6).toFixed(1)} MB, at the end ${(heapAtEnd / 1e6).toFixed(1)} MB; end/quarter ${ratio.toFixed(2)} (flat below 1.25)`);
if (errors.length) console.log(`  errors logged: ${errors.length}, first: ${errors[0]!.message} ${String(errors[0]!.error)}`);

await running.bot.stop();
await running.keyv.disconnect();
proxy.close();
await fake.close();
await rm(dir, { recursive: true, force: true });
process.exit(exact && ratio < 1.25 ? 0 : 1);
