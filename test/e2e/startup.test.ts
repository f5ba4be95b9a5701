/**
 * Start-up: command registration, the invite URL, `npm start`'s messages for a
 * missing or rejected token (in-process), and one run of the real entry point as
 * a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/bot/commands/index.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/discord/index.ts';
import { startFromEnv, unreachableCode, unreachableMessage } from '../../src/startup.ts';
import { captureLogger, classGuild, DEFAULT_NOW, eventually, ManualClock, startHarness, type Harness, type LogLine } from './harness.ts';

const root = new URL('../..', import.meta.url).pathname;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('start-up', () => {
  it('registers every slash command once, with one bulk overwrite', async () => {
    h = await startHarness();
    expect(h.fake.commandOverwrites).toHaveLength(1);
    const [put] = h.fake.commandOverwrites;
    expect(put!.method).toBe('PUT');
    expect(put!.path).toBe(`/applications/${h.fake.applicationId}/commands`);
    expect((put!.body as { name: string }[]).map((c) => c.name)).toEqual(['quiz', 'decks', 'leaderboard', 'daily', 'stats', 'season', 'export', 'practice', 'settings', 'class', 'deck']);
    expect(put!.body).toEqual(commandDefinitions());
    // Servers only.
    for (const command of put!.body as { contexts?: number[] }[]) expect(command.contexts).toEqual([0]);
    // The log says how to see them at once.
    expect(h.logs.map((l) => l.message)).toContain('Registered 11 slash commands (globally; they can take up to an hour to show up: set DISCORD_GUILD_ID to a server id to see them there at once).');
    h.fake.assertClean();
  });

  it('registers in one server only when DISCORD_GUILD_ID is set', async () => {
    const guild = classGuild();
    h = await startHarness({ guilds: [guild], registerIn: guild.id });
    expect(h.fake.commandOverwrites.map((r) => r.path)).toEqual([`/applications/${h.fake.applicationId}/guilds/${guild.id}/commands`]);
    expect(h.fake.commands(guild.id).map((c) => c.name)).toContain('quiz');
    expect(h.fake.commands()).toEqual([]);
  });

  it('does not register again after a restart when nothing changed', async () => {
    h = await startHarness();
    await h.restart();
    expect(h.fake.commandOverwrites).toHaveLength(1);
    expect(h.logs.map((l) => l.message)).toContain('Slash commands unchanged (global), not registered again.');
  });

  it('logs an invite URL with the scopes and permissions the bot needs', async () => {
    h = await startHarness();
    const invite = h.logs.find((l) => l.message.startsWith('Invite it to a server: '))!.message.slice('Invite it to a server: '.length);
    const url = new URL(invite);
    expect(url.searchParams.get('client_id')).toBe(h.fake.applicationId);
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['applications.commands', 'bot']);
    // View Channel, Send Messages, Embed Links, Attach Files, Read Message History.
    expect(BigInt(url.searchParams.get('permissions')!)).toBe((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n));
  });
});

describe('start-up from the environment', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** Starts as `npm start` does, in this process, with an in-memory store; a started bot is stopped again. */
  async function start(env: Record<string, string>) {
    const logs: LogLine[] = [];
    const started = await startFromEnv({ DECKS_DIR: join(root, 'decks'), DATABASE_URL: 'memory://', ...env }, { clock: new ManualClock(DEFAULT_NOW), random: () => 0.5, logger: captureLogger(logs) });
    if (started.ok) {
      await started.bot.stop();
      await started.keyv.disconnect();
    }
    return { started, logs, printed: logs.map((l) => `${l.message} ${String(l.error ?? '')}`).join('\n') };
  }

  it('without a token: one clear message, no stack trace', async () => {
    const { started } = await start({});
    if (started.ok) throw new Error('started without a token');
    expect(started.message).toContain('DISCORD_TOKEN is not set.');
    expect(started.message).toContain('https://discord.com/developers/applications');
    expect(started.message).toContain('npm run play');
    expect(started.message).not.toMatch(/\n\s+at /);
  });

  it('without a network: says Discord cannot be reached and what to check, not a raw socket error', async () => {
    // Nothing listens on port 1: the same as a host with no route to Discord.
    const { started } = await start({ DISCORD_TOKEN: 'not-a-real-token', DISCORD_API_URL: 'http://127.0.0.1:1/api' });
    if (started.ok) throw new Error('started without Discord');
    expect(started.message).toBe(
      'Discord cannot be reached (ECONNREFUSED). Check that this machine is online and can reach DISCORD_API_URL (http://127.0.0.1:1/api): the network connection, DNS, a firewall or proxy, and that DISCORD_API_URL is right. `npm run play` works without a network.',
    );
  });

  it.each([
    [Object.assign(new Error('getaddrinfo EAI_AGAIN discord.com'), { code: 'EAI_AGAIN' }), 'EAI_AGAIN'],
    [new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }), 'ENOTFOUND'],
    [new Error('Used disallowed intents'), undefined],
  ])('recognises an unreachable network in %s', (error, code) => {
    expect(unreachableCode(error)).toBe(code);
    if (code) expect(unreachableMessage(code, undefined)).toMatch(/^Discord cannot be reached \(\w+\)\. Check that this machine is online and can reach discord\.com/);
  });

  it('with a token Discord rejects: one clear message, the token never printed', async () => {
    fake = await startFakeDiscord({ guilds: [classGuild()], rejectToken: 'not-a-real-token' });
    const { started, printed } = await start({ DISCORD_TOKEN: 'not-a-real-token', DISCORD_API_URL: fake.restUrl });
    if (started.ok) throw new Error('started with a rejected token');
    expect(started.message).toContain('Discord rejected DISCORD_TOKEN.');
    expect(started.message).toContain('npm run play');
    expect(started.message).not.toMatch(/\n\s+at /);
    expect(`${started.message}\n${printed}`).not.toContain('not-a-real-token');
    expect(fake.calls('GET', '/gateway/bot').length).toBeGreaterThan(0);
  });

  it('logs the warnings of decks that load as file:line:column: warning:', async () => {
    const decks = await mkdtemp(join(tmpdir(), 'studybot-start-warn-'));
    try {
      await writeFile(join(decks, 'w.md'), '# deck: w\nA model is - scalable - and -fast-.\n');
      fake = await startFakeDiscord({ guilds: [classGuild()], rejectToken: 'not-a-real-token' });
      const { logs } = await start({ DISCORD_TOKEN: 'not-a-real-token', DISCORD_API_URL: fake.restUrl, DECKS_DIR: decks });
      expect(logs.map((l) => l.message)).toContain(
        `${join(decks, 'w.md')}:2:12: warning: \`- scalable -\` has spaces inside its hyphens, so it is plain text: write \`-scalable-\` to make it a blank`,
      );
    } finally {
      await rm(decks, { recursive: true, force: true });
    }
  });

  it('without the Message Content intent enabled: says where to turn it on', async () => {
    fake = await startFakeDiscord({ guilds: [classGuild()], privilegedIntents: false });
    const { started } = await start({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl });
    if (started.ok) throw new Error('started without the intent');
    expect(started.message).toContain('Discord refused the Message Content intent');
    expect(started.message).toContain('Privileged Gateway Intents');
    expect(started.message).not.toMatch(/\n\s+at /);
  });
});

describe('npm start', () => {
  let fake: FakeDiscord | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    fake = undefined;
    dir = undefined;
  });

  it('with a valid token: connects, registers, serves commands and stops cleanly on SIGTERM', async () => {
    fake = await startFakeDiscord({ guilds: [classGuild()] });
    dir = await mkdtemp(join(tmpdir(), 'studybot-start-'));
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DISCORD_') && k !== 'DATABASE_URL'));
    // Node itself (with tsx as a loader), so the signal reaches the bot and not a wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...base, DOTENV_CONFIG_PATH: join(dir, 'none.env'), DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl, DATABASE_URL: `sqlite://${join(dir, 'data', 'bot.sqlite')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), { timeout: 20_000 });
      await eventually(() => expect(output).toContain('Invite it to a server:'), 10_000);
      const reply = await (await fake.slashCommand({ name: 'decks' })).waitForReply({ timeout: 10_000 });
      expect(JSON.stringify(reply)).toContain('mlops wk9');
      expect(output).toContain('Loaded 1 deck from decks.');
      expect((await stat(join(dir, 'data', 'bot.sqlite'))).isFile()).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).not.toContain(fake.token);
    fake.assertClean();
  }, 60_000);
});
