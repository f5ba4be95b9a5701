/**
 * `npm run bench -- latency`: the bot beside a bare discord.js client (bench/latency/bare.ts,
 * the anchor), each in a child process of its own (`node --import tsx`, no npm or tsx CLI),
 * one after the other against the same fake Discord in this process, with 1,000 servers.
 *
 * - Start-up to usable: from starting the process to its first answer (a `/decks` command
 *   answered by the bot once it is ready; a message answered by the anchor).
 * - Memory after garbage collection (RSS and heap): connected and idle, then with 50 live
 *   rounds running and the replies below answered; then, for information, after a /leaderboard
 *   page with its picture (the bot's RSS, and its picture worker process's).
 * - Latency: 50 live rounds in 50 channels (50 servers), members' replies injected at 200/s for
 *   20 s, most wrong (other answers, chatter), a right one to each open question about every
 *   2.5 s per channel, the channels' turns spread (one right answer every 50 ms in all). From
 *   the fake dispatching a right answer's MESSAGE_CREATE to the bot's winner reply reaching the
 *   fake's REST: p50 and p99. The anchor gets the same messages at the same times and replies
 *   to the same messages as the bot: the right answers, which the bench marks with a nonce the
 *   anchor reads instead of judging (Discord sends a message's nonce back in MESSAGE_CREATE;
 *   the bot reads none). An anchor that replied to every message ran discord.js's reply path
 *   ten times as often as the bot, and that path got faster for it: from message.reply to the
 *   request reaching the fake, 0.28 ms in such an anchor against 1.0 ms in the bot (p50s of
 *   the two steps, added); with the anchor replying to the right answers only, 1.1 ms in the
 *   anchor and 1.0 ms in the bot.
 * - CPU time of each process during the injection (/proc/<pid>/stat).
 * - Right answers never acknowledged (no winner reply within 30 s of the last message).
 *
 *   BENCH_SECONDS=20 BENCH_RATE=200 npx tsx bench/latency.ts
 *   BENCH_CPU_PROF=/tmp/prof npx tsx bench/latency.ts   # the bot runs with --cpu-prof there
 *   BENCH_DEBUG=1 npx tsx bench/latency.ts   # each unacknowledged right answer and what the bot sent next
 *   BENCH_DATABASE_URL=memory:// npx tsx bench/latency.ts   # the bot on another store (default: SQLite in a temp folder)
 *   BENCH_LOCKSTEP=1 npx tsx bench/latency.ts   # every channel's right answer in the same wave (see `counts`)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIEmbed, APIMessage, APIUser } from 'discord.js';
import { livePrompt } from '../src/bot/render.ts';
import { loadDecksDir } from '../src/deck/load.ts';
import type { Card } from '../src/deck/types.ts';
import { judge } from '../src/engine/judge.ts';
import { seededRandom } from '../src/engine/random.ts';
import { makeGuild, makeUser, startFakeDiscord, type GuildFixture, type RecordedRequest } from '../test/support/discord/index.ts';
import type { ToChild, ToParent } from './latency/child.ts';

const SERVERS = 1_000;
const ROUNDS = 50;
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Every this many messages in a channel, the next one while a question is open is its right answer. */
const RIGHT_EVERY = 10;
const STUDENTS = 30;
const LOCKSTEP = process.env.BENCH_LOCKSTEP === '1';
/** How long after the last message an acknowledgment may still come; later is never. */
const ACK_GRACE_MS = 30_000;
const TARGETS = { latency: 1.5, cpu: 2, memory: 1.0, startup: 1.5 };
/** The nonce of the messages the anchor answers: the right answers, the messages the bot answers too. */
const RIGHT = 'right';

const root = fileURLToPath(new URL('..', import.meta.url));
const decksDir = join(root, 'decks');
const random = seededRandom('latency');

// ——— 1,000 servers: 10 channels and 5 roles each, the teacher; 30 students talk in the first 50 ———
let nextId = (BigInt(Date.now()) - 1420070400000n) << 22n;
const id = (): string => (nextId++).toString();
const guilds: GuildFixture[] = [];
for (let g = 0; g < SERVERS; g++) {
  const teacher = makeUser({ id: id(), username: `teacher${g}` });
  guilds.push(
    makeGuild({
      id: id(),
      name: `Class ${g}`,
      members: [teacher],
      channels: ['general', 'quiz', 'homework', 'notes', 'questions', 'links', 'off-topic', 'exams', 'projects', 'announcements'].map((name) => ({ id: id(), name })),
      roles: ['students', 'tutors', 'group a', 'group b', 'alumni'].map((name) => ({ id: id(), name })),
    }),
  );
}
const active = guilds.slice(0, ROUNDS).map((guild) => ({
  guild,
  channelId: guild.channels[1]!.id,
  teacher: guild.members[0]!.user,
  students: Array.from({ length: STUDENTS }, (_, i): APIUser => makeUser({ id: id(), username: `s${i}`, global_name: `Student ${i}` })),
}));
const byChannel = new Map(active.map((a, i) => [a.channelId, i]));

// Connections kept open as Discord keeps them (the fake's default makes each request a new one).
const fake = await startFakeDiscord({ guilds, keepAliveMs: 60_000 });
const { decks } = await loadDecksDir(decksDir);
const cards = decks.filter((d) => d.name === 'mlops wk9').flatMap((d) => d.cards);
const byPrompt = new Map(cards.map((card) => [livePrompt(card, 0), card]));
const CHATTER = ['um', 'no idea', 'is it the data?', 'wait what', 'lol', 'something about pipelines', 'hmm', 'I knew this one'];

// ——— the clients, as child processes ———
interface Child {
  readonly process: ChildProcess;
  readonly spawnedAt: number;
  readonly ready: Promise<number>;
  readonly warm: Promise<number>;
  memory(): Promise<{ rss: number; heapUsed: number }>;
}

function startChild(script: string, extraEnv: Record<string, string>, execArgv: string[] = []): Child {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...execArgv, '--expose-gc', '--import', 'tsx', join(root, 'bench', 'latency', script)], {
    cwd: root,
    env: { ...process.env, BENCH_API_URL: fake.restUrl, BENCH_TOKEN: fake.token, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waitFor = (type: ToParent['type']) =>
    new Promise<number>((resolve, reject) => {
      const onMessage = (message: ToParent) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(performance.now());
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before ${type}`)));
    });
  const ready = waitFor('ready');
  const warm = waitFor('warm');
  return {
    process: child,
    spawnedAt,
    ready,
    warm,
    memory: () =>
      new Promise((resolve) => {
        const onMessage = (message: ToParent) => {
          if (message.type !== 'memory') return;
          child.off('message', onMessage);
          resolve({ rss: message.rss, heapUsed: message.heapUsed });
        };
        child.on('message', onMessage);
        child.send({ type: 'memory' } satisfies ToChild);
      }),
  };
}

/** CPU seconds (user + system) a process has used so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line (11 and 12 after the command), in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** RSS of every process started by `pid` (its children, theirs, …), from /proc. */
async function descendantsRss(pid: number): Promise<number> {
  let total = 0;
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const task of tasks) {
    const children = (await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
    for (const child of children) {
      const status = await readFile(`/proc/${child}/status`, 'utf8').catch(() => '');
      total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024 + (await descendantsRss(child));
    }
  }
  return total;
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  // Disconnecting ends it (process.exit, which writes a --cpu-prof profile); a child that hangs is killed.
  child.process.disconnect();
  const killer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
  while (fake.connected) await sleep(20);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil<T>(find: () => T | undefined, ms: number, what: string): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const isChannelPost = (r: RecordedRequest) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path);
const referenced = (r: RecordedRequest) => (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id;
const embedOf = (r: RecordedRequest): APIEmbed | undefined => (r.response as APIMessage | undefined)?.embeds?.[0];

// ——— the messages: decided while the bot runs (right answers go to its open questions), replayed to the anchor ———
interface Sent {
  readonly at: number; // ms after the start of the injection
  readonly channel: number;
  readonly author: number;
  readonly content: string;
  readonly right: boolean;
}

interface Run {
  readonly latencies: number[];
  readonly unacknowledged: number;
  readonly rights: number;
  readonly messages: number;
  readonly cpu: number;
  /** CPU of this process (the fake Discord and the injection) meanwhile. */
  readonly fakeCpu: number;
  readonly wall: number;
}

/**
 * Injects messages at RATE for SECONDS: `plan` decides each message (or replays a list);
 * returns the latencies of the replies that referenced the right answers.
 */
async function inject(pid: number, plan: (index: number) => Omit<Sent, 'at'>): Promise<Run & { sent: Sent[] }> {
  const total = Math.round(RATE * SECONDS);
  const interval = 1000 / RATE;
  const sent: Sent[] = [];
  const dispatchedAt = new Map<string, number>();
  const cursor = fake.cursor();
  const cpuBefore = await cpuSeconds(pid);
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  let index = 0;
  while (index < total) {
    const now = performance.now() - start;
    while (index < total && index * interval <= now) {
      const decided = plan(index);
      const a = active[decided.channel]!;
      const at = performance.now();
      // A right answer carries the nonce RIGHT: the anchor replies to those only, without judging (the bot reads no nonce).
      const message = fake.message({ guildId: a.guild.id, channelId: a.channelId, author: a.students[decided.author]!, content: decided.content, ...(decided.right ? { nonce: RIGHT } : {}) });
      if (decided.right) dispatchedAt.set(message.id, at);
      sent.push({ ...decided, at: at - start });
      index++;
    }
    await sleep(1);
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = (await cpuSeconds(pid)) - cpuBefore;
  const own = process.cpuUsage(ownBefore);
  const fakeCpu = (own.user + own.system) / 1e6;
  // The stragglers: answers still on their way.
  const acknowledged = () => {
    const acks = new Map<string, number>();
    for (const r of fake.requests.slice(cursor)) {
      const target = isChannelPost(r) ? referenced(r) : undefined;
      if (target && dispatchedAt.has(target) && !acks.has(target)) acks.set(target, r.receivedAt);
    }
    return acks;
  };
  const graceEnd = performance.now() + ACK_GRACE_MS;
  let acks = acknowledged();
  while (acks.size < dispatchedAt.size && performance.now() < graceEnd) {
    await sleep(50);
    acks = acknowledged();
  }
  const latencies = [...acks].map(([messageId, at]) => at - dispatchedAt.get(messageId)!);
  if (process.env.BENCH_DEBUG) {
    for (const [messageId] of dispatchedAt) {
      if (acks.has(messageId)) continue;
      const m = fake.getMessage(messageId);
      const after = fake.requests.slice(cursor).filter((r) => r.path.includes(m?.channel_id ?? '-') && r.receivedAt > dispatchedAt.get(messageId)!).slice(0, 3);
      console.log('unacknowledged', m?.author.global_name, JSON.stringify(m?.content), after.map((r) => { const ref = fake.getMessage(referenced(r) ?? '-'); return `${r.method} ${(r.receivedAt - dispatchedAt.get(messageId)!).toFixed(0)}ms ${JSON.stringify(r.body).slice(0, 80)} ref ${ref?.author.global_name} ${JSON.stringify(ref?.content)} ${ref ? (dispatchedAt.has(ref.id) ? 'designated' : 'other') : ''}`; }));
    }
  }
  return { sent, latencies, unacknowledged: dispatchedAt.size - acks.size, rights: dispatchedAt.size, messages: sent.length, cpu, fakeCpu, wall };
}

/** Chatter no card takes as its answer. */
const SAFE_CHATTER = CHATTER.filter((content) => cards.every((card) => !judge(card, content).correct));

/**
 * Chatter, or another card's answer that the judge does not take for this card's, so that the
 * right answer sent later is the question's first. Between questions (the next one not seen yet)
 * only chatter that no card takes.
 */
function wrongContent(card: Card | undefined): string {
  if (!card) return SAFE_CHATTER[Math.floor(random() * SAFE_CHATTER.length)]!;
  for (;;) {
    const content = random() < 0.3 ? CHATTER[Math.floor(random() * CHATTER.length)]! : cards[Math.floor(random() * cards.length)]!.answers.join(', ');
    if (!judge(card, content).correct) return content;
  }
}

/** Time to usable: the first answer to `probe` once the child said it is ready. */
async function usable(child: Child, probe: () => Promise<unknown>): Promise<number> {
  await child.ready;
  await probe();
  return performance.now() - child.spawnedAt;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

// ——— the bot ———
const dir = await mkdtemp(join(tmpdir(), 'studybot-latency-'));
const profDir = process.env.BENCH_CPU_PROF;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite://${join(dir, 'bench.sqlite')}`;
const bot = startChild('bot.ts', { BENCH_DECKS_DIR: decksDir, BENCH_DATABASE_URL: databaseUrl }, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
const probeGuild = active[0]!;
const botStartup = await usable(bot, async () => {
  const handle = await fake.slashCommand({ name: 'decks', guildId: probeGuild.guild.id, channelId: probeGuild.channelId, user: probeGuild.teacher });
  await handle.waitForReply();
});
await bot.warm;
await sleep(1_000);
const botIdle = await bot.memory();

// 50 rounds, long enough to outlast the injection; no pause between questions.
const questionCursor = fake.cursor();
for (const a of active) {
  await fake.slashCommand({ name: 'quiz', guildId: a.guild.id, channelId: a.channelId, user: a.teacher, options: { deck: 'mlops wk9', questions: 50, seconds: 300, pause: 0 } });
}
/** The open question of each channel (its card), as last posted; undefined once its right answer was sent. */
const open: (Card | undefined)[] = active.map(() => undefined);
let scanned = questionCursor;
function scanQuestions(): void {
  const requests = fake.requests;
  for (; scanned < requests.length; scanned++) {
    const r = requests[scanned]!;
    if (!isChannelPost(r) || r.status >= 300) continue;
    const channel = byChannel.get(r.params['channel_id'] ?? r.path.split('/')[2] ?? '');
    const embed = embedOf(r);
    if (channel === undefined || !/^Question \d+ of \d+$/.test(embed?.title ?? '')) continue;
    open[channel] = byPrompt.get(embed?.description?.split('\n\n')[0] ?? '');
  }
}
await waitUntil(
  () => {
    scanQuestions();
    return open.every((card) => card !== undefined) ? true : undefined;
  },
  30_000,
  'the first question of every round',
);

// Where each channel starts in its count: spread, the channels' right answers come one every
// 2.5 s / 50 = 50 ms, as independent classes would answer. All at 0 (BENCH_LOCKSTEP=1), the 50
// rounds, started together, all get their right answers in the same quarter of a second.
const counts = active.map((_, i) => (LOCKSTEP ? 0 : i % RIGHT_EVERY));
const botRun = await inject(bot.process.pid!, (index) => {
  scanQuestions();
  const channel = index % ROUNDS;
  const author = Math.floor(random() * STUDENTS);
  const card = open[channel];
  counts[channel]!++;
  if (card && counts[channel]! >= RIGHT_EVERY) {
    counts[channel] = 0;
    open[channel] = undefined;
    return { channel, author, content: card.answers.join(', '), right: true };
  }
  return { channel, author, content: wrongContent(card), right: false };
});
const botBusy = await bot.memory();
// The picture worker, started by the first picture asked for (a /leaderboard page with a picture): its RSS beside the bot's.
const board = await fake.slashCommand({ name: 'leaderboard', guildId: probeGuild.guild.id, channelId: probeGuild.channelId, user: probeGuild.teacher });
const pictureSent = (await board.callback({ timeout: 30_000 })).files.length > 0;
const botPicture = await bot.memory();
const workerRss = await descendantsRss(bot.process.pid!);
await stop(bot);

// ——— the anchor: the same messages at the same times ———
const bare = startChild('bare.ts', {});
const bareStartup = await usable(bare, async () => {
  const cursor = fake.cursor();
  const message = fake.message({ guildId: probeGuild.guild.id, channelId: probeGuild.channelId, author: probeGuild.students[0]!, content: 'hello', nonce: RIGHT });
  await fake.waitForRequest((r) => isChannelPost(r) && referenced(r) === message.id, { after: cursor, timeout: 30_000 });
});
await bare.warm;
await sleep(1_000);
const bareIdle = await bare.memory();
const replay = botRun.sent;
const bareRun = await inject(bare.process.pid!, (index) => {
  const { channel, author, content, right } = replay[index]!;
  return { channel, author, content, right };
});
const bareBusy = await bare.memory();
await stop(bare);
await fake.close();
await rm(dir, { recursive: true, force: true });

// ——— the figures ———
const misses: string[] = [];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
function line(what: string, botValue: number, bareValue: number, format: (v: number) => string, target: number | undefined): void {
  const ratio = botValue / bareValue;
  const met = target === undefined || ratio <= target;
  if (!met) misses.push(what);
  console.log(`  ${what.padEnd(34)} bot ${format(botValue).padStart(9)}   bare ${format(bareValue).padStart(9)}   ${ratio.toFixed(2)}×${target === undefined ? '' : `   target ≤ ${target}× ${met ? 'met' : 'MISSED'}`}`);
}

console.log(`latency: ${SERVERS} servers, ${ROUNDS} live rounds, ${botRun.messages} replies at ${RATE}/s over ${botRun.wall.toFixed(1)} s (${botRun.rights} right), both as \`node --import tsx\` child processes; the bot's store: ${databaseUrl.split(':')[0]}; right answers ${LOCKSTEP ? 'in lockstep (all channels within a quarter second, every 2.5 s)' : 'spread (one every 50 ms, each channel every 2.5 s)'}`);
console.log(`  bare = a discord.js client with the bot's intents and default caches replying to the right answers, the messages the bot answers (bench/latency/bare.ts); both with discord.js's 50 requests/s global limit raised`);
line('start-up to usable', botStartup, bareStartup, ms, TARGETS.startup);
line('RSS after GC, idle', botIdle.rss, bareIdle.rss, mb, TARGETS.memory);
line('heap after GC, idle', botIdle.heapUsed, bareIdle.heapUsed, mb, undefined);
line('RSS after GC, 50 rounds', botBusy.rss, bareBusy.rss, mb, TARGETS.memory);
line('heap after GC, 50 rounds', botBusy.heapUsed, bareBusy.heapUsed, mb, undefined);
line('right answer acknowledged, p50', percentile(botRun.latencies, 50), percentile(bareRun.latencies, 50), ms, TARGETS.latency);
line('right answer acknowledged, p99', percentile(botRun.latencies, 99), percentile(bareRun.latencies, 99), ms, TARGETS.latency);
line('right answer acknowledged, slowest', Math.max(...botRun.latencies), Math.max(...bareRun.latencies), ms, undefined);
line('CPU during the replies', botRun.cpu, bareRun.cpu, (s) => `${s.toFixed(2)} s`, TARGETS.cpu);
const share = (cpu: number, wall: number) => `${((100 * cpu) / wall).toFixed(0)}%`;
console.log(`  CPU share of one core: bot ${share(botRun.cpu, botRun.wall)}, bare ${share(bareRun.cpu, bareRun.wall)}; the fake Discord meanwhile ${share(botRun.fakeCpu, botRun.wall)} and ${share(bareRun.fakeCpu, bareRun.wall)}`);
console.log(`  right answers never acknowledged: bot ${botRun.unacknowledged} of ${botRun.rights}, bare ${bareRun.unacknowledged} of ${bareRun.rights}   target 0 ${botRun.unacknowledged === 0 ? 'met' : 'MISSED'}`);
if (botRun.unacknowledged > 0) misses.push('unacknowledged right answers');
console.log(`  after a /leaderboard page${pictureSent ? ' with its picture' : ' (NO picture attached)'}: bot ${mb(botPicture.rss)} RSS (heap ${mb(botPicture.heapUsed)}), its picture worker process ${mb(workerRss)} RSS; together ${((botPicture.rss + workerRss) / bareBusy.rss).toFixed(2)}× the bare client's last RSS`);
console.log(`  RSS counts the whole process (tsx's loader thread in both); the picture worker is a process of its own, started on the first picture and stopped after PICTURE_IDLE_MINUTES without one. Targets: latency p50/p99 ≤ ${TARGETS.latency}×, CPU ≤ ${TARGETS.cpu}×, RSS ≤ ${TARGETS.memory}×, start-up ≤ ${TARGETS.startup}×, 0 unacknowledged.`);
console.log(misses.length === 0 ? '  every target met' : `  missed: ${misses.join(', ')}`);
if (fake.violations.length > 0) console.log(`  the fake saw ${fake.violations.length} invalid request(s), first: ${fake.violations[0]!.method} ${fake.violations[0]!.path} ${fake.violations[0]!.messages[0]}`);
process.exit(misses.length === 0 && fake.violations.length === 0 ? 0 : 1);
