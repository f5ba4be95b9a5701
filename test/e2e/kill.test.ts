/**
 * SIGKILL at a chosen request: the fake Discord runs a callback at the request
 * (here: killing the bot process as it posts the winner reply). The bot started
 * again on the same database closes the interrupted round once and posts nothing twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { livePrompt } from '../../src/bot/render.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/discord/index.ts';
import { ana, classGuild, eventually, seedDecks, teacher } from './harness.ts';
import { firstEmbed, isPostedQuestion } from './faults.ts';

const root = new URL('../..', import.meta.url).pathname;

let fake: FakeDiscord | undefined;
let dir: string | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

function startBot(x: FakeDiscord, folder: string): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DISCORD_') && k !== 'DATABASE_URL'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...base, DOTENV_CONFIG_PATH: join(folder, 'none.env'), DISCORD_TOKEN: x.token, DISCORD_API_URL: x.restUrl, DATABASE_URL: `sqlite://${join(folder, 'bot.sqlite')}` },
    stdio: 'ignore',
  });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.on('exit', (_, signal) => resolve(signal))) };
}

it('SIGKILL while the winner reply is posted: after a restart the round is closed once, nothing is posted twice', async () => {
  const guild = classGuild();
  fake = await startFakeDiscord({ guilds: [guild] });
  dir = await mkdtemp(join(tmpdir(), 'studybot-kill-'));
  const channelId = guild.channels[0]!.id;
  const cards = (await seedDecks()).flatMap((d) => d.cards);
  const first = startBot(fake, dir);
  await fake.waitForRequest((r) => r.method === 'PUT' && r.path.endsWith('/commands'), { timeout: 30_000 });
  await eventually(() => expect(fake!.connected).toBe(true), 10_000);

  await fake.slashCommand({ name: 'quiz', options: { deck: 'mlops', questions: 2, pause: 0 }, user: teacher, channelId, guildId: guild.id });
  const question = await fake.waitForRequest(isPostedQuestion(channelId), { timeout: 20_000 });
  const description = firstEmbed(question.body)?.description ?? '';
  const card = cards.find((c) => description.startsWith(livePrompt(c, 0)))!;
  const kill = fake.fault({ method: 'POST', path: `/channels/${channelId}/messages`, where: (r) => (r.body as { content?: string }).content?.startsWith('Correct') ?? false }, { run: () => first.child.kill('SIGKILL') });
  // The round is saved once its question is posted; give it that moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  fake.message({ channelId, author: ana, content: card.answers.join(', ') });
  expect(await first.exited).toBe('SIGKILL');
  expect(kill.hits).toHaveLength(1);

  const identified = fake.identifyCount;
  startBot(fake, dir);
  await eventually(() => expect(fake!.identifyCount).toBe(identified + 1), 30_000);
  const summary = await fake.waitForRequest((r) => r.status === 200 && firstEmbed(r.body)?.title?.startsWith('Round over') === true, { timeout: 20_000 });
  expect(firstEmbed(summary.body)?.description).toContain('interrupted because the bot restarted');
  // The question lost its buttons; one question, one reply, one summary in the channel.
  await eventually(() => expect(fake!.getMessage((question.response as { id: string }).id)?.components ?? []).toEqual([]));
  const posted = fake.channelMessages(channelId).filter((m) => !m.webhook_id);
  expect(posted.map((m) => firstEmbed(m)?.title ?? m.content.slice(0, 8))).toEqual([expect.stringMatching(/^Question 1 of 2/), 'Correct,', expect.stringMatching(/^Round over/)]);
  fake.assertClean();
}, 90_000);
