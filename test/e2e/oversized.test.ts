/**
 * Forged over-long input (Discord enforces an option's maximum length; a forged
 * payload does not): whatever the text, no body the bot sends is over Discord's
 * limits. The fake checks every body against them.
 */
import type { APIApplicationCommandOption } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/bot/commands/index.ts';
import { makeUser, type InteractionHandle, type OptionValue } from '../support/discord/index.ts';
import { classGuild, closeChecked, eventually, startHarness, teacher, type Harness } from './harness.ts';
import { cardAsked, faultDecks, startQuiz } from './faults.ts';

/** 6,000 characters with markdown and mentions in them. */
const LONG = `*${'x_@'.repeat(1999)}*`;
const longName = makeUser({ username: 'long', global_name: LONG });

let h: Harness | undefined;
afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness) await closeChecked(harness);
});

type Option = APIApplicationCommandOption & { options?: Option[] };

/** A forged value for every option: over-long text, the long-named member, a channel, a deck file with an over-long name. */
function forged(options: readonly Option[], x: Harness): Record<string, OptionValue> {
  const values: Record<string, OptionValue> = {};
  for (const option of options) {
    if (option.type === 3) values[option.name] = LONG;
    else if (option.type === 6) values[option.name] = { id: longName.id };
    else if (option.type === 7) values[option.name] = { id: x.guild.channels[1]!.id };
    else if (option.type === 11) values[option.name] = x.fake.attachment({ filename: `${'n'.repeat(200)}.md`, bytes: `# deck: ${LONG}\n${LONG} -blank-.\n` });
  }
  return values;
}

async function settled(x: Harness, handle: InteractionHandle): Promise<void> {
  await handle.callback({ timeout: 10_000 });
  // Let deferred answers and follow-ups arrive.
  await eventually(() => expect(handle.requests().every((r) => r.status !== 0)).toBe(true));
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('forged over-long text', () => {
  it('every command and subcommand, every autocomplete, and the season confirmation stay within Discord limits', async () => {
    const x = (h = await startHarness({ guilds: [classGuild('MLOps class', [longName])], decks: faultDecks() }));
    const channelId = x.guild.channels[0]!.id;
    let ran = 0;
    for (const command of commandDefinitions() as { name: string; options?: Option[] }[]) {
      const subs = (command.options ?? []).filter((o) => o.type === 1);
      const variants = subs.length ? subs.map((s) => ({ subcommand: s.name, options: s.options ?? [] })) : [{ subcommand: undefined, options: command.options ?? [] }];
      for (const { subcommand, options } of variants) {
        const base = { name: command.name, user: teacher, channelId, ...(subcommand ? { subcommand } : {}) };
        const handle = await x.fake.slashCommand({ ...base, options: forged(options, x) });
        await settled(x, handle);
        ran += 1;
        for (const option of options.filter((o) => 'autocomplete' in o && o.autocomplete)) {
          const complete = await x.fake.autocomplete({ ...base, options: forged(options, x), focused: option.name });
          await complete.choices();
        }
        if (command.name === 'season' && subcommand === 'new') {
          const reply = await handle.waitForReply();
          const buttons = (reply['components'] as { components: { custom_id: string }[] }[])[0]!.components;
          const confirm = await x.fake.button({ message: handle.original()!, customId: buttons[0]!.custom_id, user: teacher });
          await settled(x, confirm);
        }
        x.fake.assertClean();
      }
    }
    expect(ran).toBeGreaterThanOrEqual(10);
    // The season's name comes back in /season list, /leaderboard and /stats.
    for (const [name, subcommand] of [['season', 'list'], ['leaderboard', undefined], ['stats', undefined]] as const) {
      await settled(x, await x.fake.slashCommand({ name, user: teacher, channelId, ...(subcommand ? { subcommand } : {}) }));
    }
  });

  it('a member with a 6,000-character name wins a question: the reply and the summary stay within limits', async () => {
    const x = (h = await startHarness({ guilds: [classGuild('MLOps class', [longName])], decks: faultDecks() }));
    const { first, channelId } = await startQuiz(x, { deck: 'chem', questions: 1, pause: 0 });
    const cursor = x.fake.cursor();
    x.fake.message({ channelId, author: longName, content: `${cardAsked(first.body).answers.join(', ')} ${'*'.repeat(3000)}` });
    x.fake.message({ channelId, author: longName, content: cardAsked(first.body).answers.join(', ') });
    const summary = await x.fake.waitForRequest((r) => (r.body as { embeds?: { title?: string }[] })?.embeds?.[0]?.title === 'Round over: chem', { after: cursor });
    const reply = x.fake.calls('POST', `/channels/${channelId}/messages`, cursor).find((r) => (r.body as { content?: string }).content?.startsWith('Correct'));
    expect((reply!.body as { content: string }).content.length).toBeLessThanOrEqual(2000);
    expect(summary.status).toBe(200);
    await settled(x, await x.fake.slashCommand({ name: 'leaderboard', user: teacher, channelId }));
  });
});
