/**
 * Hot reload of DECKS_DIR end to end: deck files written, broken and removed while the bot runs
 * against the fake Discord.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ana, eventually, startHarness, teacher, type Harness } from './harness.ts';

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (h) {
    h.fake.assertClean();
    expect(h.errors()).toEqual([]);
    await h.close();
    h = undefined;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(): Promise<Harness> {
  dir = await mkdtemp(join(tmpdir(), 'studybot-hot-'));
  await writeFile(join(dir, 'chem.md'), '# deck: chem basics\nWater is made of -hydrogen- and oxygen.\nSalt is made of -sodium- and chlorine.\n');
  h = await startHarness({ decks: [], decksDir: dir });
  return h;
}

async function decksText(harness: Harness): Promise<string> {
  const reply = (await (await harness.fake.slashCommand({ name: 'decks', user: ana })).waitForReply()) as unknown as APIMessage;
  return (reply.embeds[0] as APIEmbed).description ?? '';
}

async function suggested(harness: Harness, typed: string): Promise<string[]> {
  const choices = await (await harness.fake.autocomplete({ name: 'quiz', options: { deck: typed }, focused: 'deck' })).choices();
  return choices.map((c) => c.value as string);
}

describe('deck folder changes while the bot runs', () => {
  it('a new file shows in /decks and autocomplete; broken, it keeps its last good version and logs why; removed, it is gone', async () => {
    const harness = await start();
    expect(await decksText(harness)).toContain('**chem basics**: 2 cards');
    const file = join(dir!, 'bio.md');

    await writeFile(file, '# deck: bio cells\nThe -mitochondria- is the powerhouse of the cell.\n');
    await eventually(async () => expect(await decksText(harness)).toContain('**bio cells**: 1 cards'));
    expect(await suggested(harness, 'bio')).toEqual(['bio', 'bio cells']);

    await writeFile(file, '# deck: bio cells\nThe -mitochondria- is the powerhouse of the cell.\nThe -nucleus holds DNA.\n');
    await eventually(() => expect(harness.logs.map((l) => l.message)).toContain(`${file}:3:5: blank never closes: no closing hyphen after this one`));
    expect(harness.logs.find((l) => l.message.includes('keeping the last good version'))?.level).toBe('warn');
    expect(await decksText(harness)).toContain('**bio cells**: 1 cards');

    await writeFile(file, '# deck: bio cells\nThe -mitochondria- is the powerhouse of the cell.\nThe -nucleus- holds DNA.\n');
    await eventually(async () => expect(await decksText(harness)).toContain('**bio cells**: 2 cards'));

    await unlink(file);
    await eventually(async () => expect(await decksText(harness)).not.toContain('bio cells'));
    expect(await decksText(harness)).toContain('**chem basics**');
    expect(await suggested(harness, 'bio')).toEqual([]);
  });

  it('a round keeps the cards it started with when its deck file is removed', async () => {
    const harness = await start();
    const channelId = harness.guild.channels[0]!.id;
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'chem', questions: 2, seconds: 30, pause: 0 }, user: teacher, channelId });
    await command.waitForReply();
    const isQuestion = (n: number) => (r: { method: string; path: string; body: unknown }) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && JSON.stringify(r.body).includes(`Question ${n} of 2`);
    await harness.fake.waitForRequest(isQuestion(1));
    // The first question's timer is armed once it is posted.
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    await unlink(join(dir!, 'chem.md'));
    await eventually(async () => expect(await decksText(harness)).toContain('No decks are loaded yet'));
    // The round goes on to its second question with the cards it holds.
    const cursor = harness.fake.cursor();
    harness.clock.advance(31_000);
    const second = await harness.fake.waitForRequest(isQuestion(2), { after: cursor });
    expect(second).toBeDefined();
  });
});
