/**
 * Daily questions end to end: /daily set|status|now|off, the drop at its
 * time, the Answer button and modal, verdicts and points, the reveal, and
 * what survives a restart. The bot's own ticker runs; the harness gives its
 * minute beat by hand (`x.minute(at)`), where the minute timer would.
 */
import type { APIEmbed, APIMessage, APIUser } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card, Deck } from '../../src/deck/types.ts';
import type { OpenDrop } from '../../src/engine/drop.ts';
import { makeGuild, type GuildFixture } from '../support/discord/index.ts';
import type { InteractionHandle } from '../support/discord/index.ts';
import { FaultyStore } from '../support/faulty-store.ts';
import { SCORING_PAUSED, SCORING_RESUMED } from '../../src/bot/scoring-notice.ts';
import { ana, ben, cleo, eventually, startHarness, statsOf, teacher, type Harness, type HarnessOptions } from './harness.ts';

type Json = Record<string, unknown>;

const EPHEMERAL = 64;
const MANAGE_GUILD = 1n << 5n;
/** 2026-11-27 (a Friday) at hh:mm UTC, plus `days`. */
const utc = (hour: number, minute = 0, days = 0) => Date.UTC(2026, 10, 27 + days, hour, minute);

function deck(source: string): Deck {
  const { deck: parsed, errors } = parseDeck(source, 'test.md');
  if (!parsed) throw new Error(`test deck does not parse: ${JSON.stringify(errors)}`);
  return parsed;
}

/** Three single-blank cards. */
const CELLS = deck(['# deck: bio cells', '', 'The -mitochondria- is the powerhouse of the cell.', '', 'Plants make sugar by -photosynthesis-.', '', 'DNA is kept in the -nucleus- of the cell.', ''].join('\n'));
/** Two cards, each with two blanks answered together. */
const PAIRS = deck(['# deck: bio pairs', '', '## Membranes', '', 'The cell membrane is made of 1.-lipids- and 1.-proteins-.', '', 'Oxygen enters the 2.-blood- through the 2.-lungs-.', ''].join('\n'));
const DECKS = [CELLS, PAIRS];

function dailyGuild(): GuildFixture {
  return makeGuild({
    name: 'Biology class',
    members: [teacher, ana, ben, cleo],
    channels: [{ name: 'general' }, { name: 'class' }, { name: 'no-embeds', botDeny: ['EmbedLinks'] }],
  });
}

let h: Harness | undefined;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ guilds: [dailyGuild()], decks: DECKS, ...options });
  return h;
}

afterEach(async () => {
  if (!h) return;
  const current = h;
  h = undefined;
  try {
    current.fake.assertClean();
    expect(current.errors()).toEqual([]);
  } finally {
    await current.close();
  }
});

const guildId = (x: Harness) => x.guild.id;
const channelId = (x: Harness, name: string) => {
  const channel = x.guild.channels.find((c) => c.name === name);
  if (!channel) throw new Error(`no channel ${name}`);
  return channel.id;
};

/** Runs /daily <sub> as `user` (default: the teacher, who owns the server) and returns the reply. */
async function daily(x: Harness, subcommand: string, options: Record<string, string> = {}, user = teacher): Promise<Json> {
  const cmd = await x.fake.slashCommand({ name: 'daily', subcommand, options, user });
  return replyOf(cmd);
}

/** The reply's message payload, with the flags of the first response (a deferral carries them, not the later edit). */
async function replyOf(handle: InteractionHandle): Promise<Json> {
  const reply = await handle.waitForReply();
  const { type, data } = await handle.response();
  return type === 5 ? { ...reply, flags: data?.['flags'] } : reply;
}

function setDaily(x: Harness, options: { time: string; timezone?: string; deck?: string; channel?: string }, user = teacher): Promise<Json> {
  const { channel = 'class', ...rest } = options;
  return daily(x, 'set', { channel: channelId(x, channel), ...rest }, user);
}

/** The minute beat at `ms`: the bot's ticker posts what is due then. */
function tickAt(x: Harness, ms: number): Promise<void> {
  return x.minute(ms);
}

/** Copies of the drop messages the bot posted in a channel (not interaction replies), oldest first, as they are now. */
function drops(x: Harness, channel = 'class'): APIMessage[] {
  return structuredClone(x.fake.channelMessages(channelId(x, channel)).filter((m) => !m.webhook_id));
}

function embedOf(message: APIMessage | Json): APIEmbed {
  const embeds = (message as Json)['embeds'] as APIEmbed[] | undefined;
  const embed = embeds?.[0];
  if (!embed) throw new Error('message has no embed');
  return embed;
}

function buttonIds(message: APIMessage): string[] {
  return (message.components ?? []).flatMap((row) => ('components' in row ? (row.components as Array<{ custom_id?: string }>) : [])).map((c) => c.custom_id ?? '');
}

/** The open drop as stored: its card holds the answer, which members see only at the reveal. */
async function openDrop(x: Harness): Promise<OpenDrop> {
  const drop = await x.stored.openDrop();
  if (!drop) throw new Error('no open drop');
  return drop;
}

const rightAnswer = (card: Card) => card.answers.join(', ');

/** What /stats shows `user`: points, answered and correct, or undefined when they have no answers yet. */
async function scoreOf(x: Harness, user: APIUser): Promise<{ points: string; answered: string; correct: string } | undefined> {
  const { description, fields } = await statsOf(x, user);
  if (description?.startsWith('No answers yet')) return undefined;
  return { points: fields['Points'] ?? '', answered: fields['Answered'] ?? '', correct: fields['Correct'] ?? '' };
}

/** Presses Answer on the drop message and returns the modal shown. */
async function pressAnswer(x: Harness, message: APIMessage, user = ana): Promise<InteractionHandle> {
  const [customId = ''] = buttonIds(message);
  return x.fake.button({ message: message.id, customId, user });
}

/** Submits the answer modal of a drop message (its id from the button) and returns the verdict reply. */
async function submit(x: Harness, message: APIMessage, answer: string, user = ana): Promise<Json> {
  const handle = await dispatchSubmit(x, message, answer, user);
  return handle.waitForReply();
}

function dispatchSubmit(x: Harness, message: APIMessage, answer: string, user = ana): Promise<InteractionHandle> {
  const [customId = ''] = buttonIds(message);
  return x.fake.modalSubmit({ customId: customId.replace('daily:answer:', 'daily:submit:'), fields: { answer }, user, message: message.id });
}

/** /daily set at 12:00 UTC for 13:00 UTC and the drop at 13:00: the usual start of a test. */
async function dropAtOne(x: Harness, deckName = 'bio cells'): Promise<APIMessage> {
  await setDaily(x, { time: '13:00', timezone: 'UTC', deck: deckName });
  await tickAt(x, utc(13));
  const posted = drops(x);
  expect(posted).toHaveLength(1);
  return posted[0] as APIMessage;
}

/** After today's scheduled drop was posted: /daily set at 15:00 says the next drop is tomorrow, and none comes today. */
async function setAgainAtThreeNextDropTomorrow(x: Harness): Promise<void> {
  const reply = String((await setDaily(x, { time: '15:00', timezone: 'UTC', deck: 'bio cells' }))['content']);
  expect(reply).toContain(`<t:${utc(15, 0, 1) / 1000}:F>`);
  await tickAt(x, utc(15));
  expect(drops(x)).toHaveLength(1);
  await tickAt(x, utc(15, 0, 1));
  expect(drops(x)).toHaveLength(2);
}

describe('/daily set', () => {
  it('is registered for Manage Server by default and serves a member an Integrations override lets run it', async () => {
    const x = await start();
    const command = x.fake.commands().find((c) => c.name === 'daily');
    expect(command?.['default_member_permissions']).toBe(MANAGE_GUILD.toString());

    // Ana has no Manage Server: Discord sends her command only when the server's admins gave /daily to her or her role.
    const set = await setDaily(x, { time: '13:00', timezone: 'UTC' }, ana);
    expect(set['flags']).toBe(EPHEMERAL);
    expect(String(set['content'])).not.toContain('Manage Server');
    expect(String(set['content'])).toContain(`<t:${utc(13) / 1000}:F>`);
    const status = await daily(x, 'status', {}, ana);
    expect(String(status['content'])).toContain(`Channel: <#${channelId(x, 'class')}>`);
    const now = await daily(x, 'now', {}, ana);
    expect(String(now['content'])).not.toContain('Manage Server');
    expect(drops(x)).toHaveLength(1);
    const off = await daily(x, 'off', {}, ana);
    expect(String(off['content'])).not.toContain('Manage Server');
    expect(String((await daily(x, 'status', {}, ana))['content'])).toContain('No daily question is scheduled here');
  });

  it('replies with the channel, time, zone and the next drop in server time and as a Discord timestamp', async () => {
    const x = await start();
    // Now: Fri 27 Nov 2026 12:00 UTC (13:00 in Paris), so 09:00 Paris is tomorrow 08:00 UTC.
    const reply = await setDaily(x, { time: '09:00', timezone: 'Europe/Paris' });
    const content = String(reply['content']);
    expect(reply['flags']).toBe(EPHEMERAL);
    expect(content).toContain(`<#${channelId(x, 'class')}>`);
    expect(content).toContain('09:00');
    expect(content).toContain('Europe/Paris');
    expect(content).toContain('every deck');
    const next = Date.UTC(2026, 10, 28, 8, 0) / 1000;
    // The next drop once, as a Discord timestamp (each reader sees it in their own time zone).
    expect(content).toContain(`Next drop: <t:${next}:F>.`);
    expect(content.match(/<t:/g)).toHaveLength(1);
    expect(content).not.toContain('No time zone given');

    // Setting it again replaces it: a later time today in UTC, one deck.
    const again = String((await setDaily(x, { time: '18:30', timezone: 'UTC', deck: 'bio pairs' }))['content']);
    expect(again).toContain(`<t:${utc(18, 30) / 1000}:F>`);
    expect(again).toContain('bio pairs');
    const status = String((await daily(x, 'status'))['content']);
    expect(status).toContain(`Channel: <#${channelId(x, 'class')}>`);
    expect(status).toContain('Time: 18:30 UTC');
    expect(status).toContain('Deck: bio pairs');
    expect(status).not.toContain('Europe/Paris');
    expect(drops(x)).toHaveLength(0);
  });

  it.each<[string, string]>([
    ['8:30', '08:30'],
    ['08:30', '08:30'],
    ['8:30am', '08:30'],
    ['8:30 pm', '20:30'],
  ])('accepts the time %j with a city as time zone (Paris)', async (time, shown) => {
    const x = await start();
    const content = String((await setDaily(x, { time, timezone: 'Paris' }))['content']);
    expect(content).toContain(`at ${shown} Europe/Paris`);
    expect(String((await daily(x, 'status'))['content'])).toContain(`Time: ${shown} Europe/Paris`);
  });

  it('suggests time zones and decks as they are typed', async () => {
    const x = await start();
    const zones = await (await x.fake.autocomplete({ name: 'daily', subcommand: 'set', user: teacher, options: { time: '09:00', timezone: 'new york' }, focused: 'timezone' })).choices();
    expect(zones).toEqual([{ name: 'America/New_York', value: 'America/New_York' }]);
    const paris = await (await x.fake.autocomplete({ name: 'daily', subcommand: 'set', user: teacher, options: { timezone: 'paris' }, focused: 'timezone' })).choices();
    expect(paris.map((c) => c.value)).toContain('Europe/Paris');
    const decks = await (await x.fake.autocomplete({ name: 'daily', subcommand: 'set', user: teacher, options: { deck: 'pa' }, focused: 'deck' })).choices();
    expect(decks).toEqual([{ name: 'bio pairs', value: 'bio pairs' }]);
  });

  it('uses the default time zone when none is given, and says so', async () => {
    const x = await start({ defaultTimeZone: 'America/New_York' });
    const content = String((await setDaily(x, { time: '08:00' }))['content']);
    expect(content).toContain('No time zone given, so America/New_York is used');
    // 12:00 UTC is 07:00 in New York (EST): 08:00 is still to come today, at 13:00 UTC.
    expect(content).toContain(`<t:${utc(13) / 1000}:F>`);
    expect(String((await daily(x, 'status'))['content'])).toContain('Time: 08:00 America/New_York');
  });

  it('answers each bad input with an ephemeral error that says what is expected', async () => {
    const x = await start();
    const cases: Array<[{ time: string; timezone?: string; deck?: string; channel?: string }, RegExp]> = [
      [{ time: '25:00' }, /"25:00".*like 08:30, 8:30 or 8:30 pm/],
      [{ time: '13:00pm' }, /"13:00pm".*like 08:30/],
      [{ time: '09:00', timezone: 'Mars/Olympus' }, /"Mars\/Olympus".*time zone.*Europe\/Paris/],
      [{ time: '09:00', timezone: 'Pariss' }, /"Pariss" is not a time zone I know\. Did you mean `Europe\/Paris`\?/],
      [{ time: '09:00', timezone: 'CET' }, /"CET" is an abbreviation.*`Europe\/Paris`/],
      [{ time: '09:00', channel: 'no-embeds' }, /Embed Links/],
      [{ time: '09:00', deck: 'chemistry' }, /no deck or course called "chemistry".*bio cells/],
    ];
    for (const [options, expected] of cases) {
      const reply = await setDaily(x, options);
      expect(reply['flags'], JSON.stringify(options)).toBe(EPHEMERAL);
      expect(String(reply['content']), JSON.stringify(options)).toMatch(expected);
    }
    expect(String((await daily(x, 'status'))['content'])).toContain('No daily question is scheduled here');
    await tickAt(x, utc(9, 0, 1));
    expect(drops(x)).toHaveLength(0);
    expect(drops(x, 'no-embeds')).toHaveLength(0);
  });
});

describe('the daily drop', () => {
  it('posts once per local day at the set time and reveals the previous drop with the next one', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    await tickAt(x, utc(12, 59));
    expect(drops(x)).toHaveLength(0);

    await tickAt(x, utc(13));
    expect(drops(x)).toHaveLength(1);
    const first = drops(x)[0] as APIMessage;
    const embed = embedOf(first);
    expect(embed.title).toBe('Question of the day');
    expect(embed.description).toContain('`');
    expect(JSON.stringify(embed.fields)).toContain('3 tries');
    expect(buttonIds(first)).toEqual([expect.stringMatching(/^daily:answer:/)]);
    const card = (await openDrop(x)).card;
    expect(CELLS.cards.map((c) => c.id)).toContain(card.id);
    // The prompt hides the answer.
    expect(embed.description).not.toContain(card.answers[0]);

    // The same minute, and a few minutes later: nothing more.
    await x.minute();
    await tickAt(x, utc(13, 5));
    await tickAt(x, utc(23, 59));
    expect(drops(x)).toHaveLength(1);

    // Ana solves it, then the next day comes.
    expect(String((await submit(x, first, rightAnswer(card), ana))['content'])).toContain('Correct');
    await tickAt(x, utc(12, 59, 1));
    expect(drops(x)).toHaveLength(1);
    const cursor = x.fake.cursor();
    await tickAt(x, utc(13, 0, 1));
    const posted = drops(x);
    expect(posted).toHaveLength(2);
    expect(posted[1]?.id).not.toBe(first.id);
    expect(buttonIds(posted[1] as APIMessage)).toEqual([expect.stringMatching(/^daily:answer:/)]);

    const revealed = x.fake.getMessage(first.id) as APIMessage;
    const reveal = embedOf(revealed);
    expect(reveal.title).toContain('answer');
    expect(reveal.fields).toEqual(
      expect.arrayContaining([
        { name: 'Answer', value: card.answers.join(' / ') },
        { name: 'Solved by', value: '1 member; first: Ana' },
      ]),
    );
    expect(revealed.components ?? []).toEqual([]);
    const edit = x.fake.calls('PATCH', `/channels/${channelId(x, 'class')}/messages/${first.id}`, cursor);
    expect(edit).toHaveLength(1);
    expect((edit[0]?.body as Json)['allowed_mentions']).toMatchObject({ parse: [] });
  });

  it('shows the previous question in the new drop with its answer in bold and who solved it first', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    await submit(x, message, rightAnswer(card), ben);
    await submit(x, message, rightAnswer(card), ana);
    await tickAt(x, utc(13, 0, 1));
    const next = drops(x)[1] as APIMessage;
    const field = embedOf(next).fields?.find((f) => f.name === 'Previous question');
    expect(field?.value).toBe(`${card.text.replace(card.answers[0] as string, `**${card.answers[0]}**`)} — solved by 2 members, first: Ben.`);
    // The first drop has no previous question.
    expect(embedOf(drops(x)[0] as APIMessage).fields?.map((f) => f.name)).not.toContain('Previous question');

    await tickAt(x, utc(13, 0, 2));
    expect(embedOf(drops(x)[2] as APIMessage).fields?.find((f) => f.name === 'Previous question')?.value).toMatch(/ — nobody solved it\.$/);
  });

  it('shows the question in the Answer form, clipped around the blank to Discord’s limits', async () => {
    const long = deck(['# deck: bio long', '', `${'Cells are small and they do many things in the body of every living being, '.repeat(3)}and the -ribosome- builds proteins ${'from the code that the cell reads, one piece after another piece. '.repeat(3)}`, ''].join('\n'));
    const x = await start({ decks: [CELLS, long] });
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    const modal = await (await pressAnswer(x, message, ana)).modal();
    expect(modal['title']).toBe('Question of the day · 3 tries left');
    const input = (modal['components'] as Array<{ components: Json[] }>)[0]?.components[0] as Json;
    expect(input['placeholder']).toBe(card.prompt);

    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio long' });
    await daily(x, 'now');
    const longInput = ((await (await pressAnswer(x, drops(x)[1] as APIMessage, ana)).modal())['components'] as Array<{ components: Json[] }>)[0]?.components[0] as Json;
    const placeholder = String(longInput['placeholder']);
    expect(placeholder.length).toBeLessThanOrEqual(100);
    expect(placeholder).toMatch(/^….*and the ____ builds proteins.*…$/);
  });

  it('opens a modal whose single text field explains how to answer several blanks', async () => {
    const x = await start();
    const message = await dropAtOne(x, 'bio pairs');
    const drop = await openDrop(x);
    expect(drop.card.answers).toHaveLength(2);

    const modal = await (await pressAnswer(x, message, ana)).modal();
    expect(modal['custom_id']).toBe(`daily:submit:${drop.id}`);
    expect(String(modal['title'])).toContain('3 tries left');
    const rows = modal['components'] as Array<{ type: number; components: Json[] }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.components).toHaveLength(1);
    const input = rows[0]?.components[0] as Json;
    expect(input['type']).toBe(4);
    expect(input['custom_id']).toBe('answer');
    expect(String(input['label'])).toMatch(/2 missing parts.*in order.*comma/);
    expect(String(input['label']).length).toBeLessThanOrEqual(45);
    expect(JSON.stringify(embedOf(message).fields)).toContain('separated by commas');

    // A single-blank card gets a plain label.
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    expect(String((await daily(x, 'now'))['content'])).toContain('Posted');
    const single = drops(x)[1] as APIMessage;
    const label = String(((await (await pressAnswer(x, single, ana)).modal())['components'] as Array<{ components: Json[] }>)[0]?.components[0]?.['label']);
    expect(label).not.toContain('comma');
    expect(label).toMatch(/missing word/i);
  });

  it('judges answers privately: tries left, points for the first and later solvers, polite refusals', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;

    const wrong = await submit(x, message, 'banana', ana);
    expect(wrong['flags']).toBe(EPHEMERAL);
    expect(String(wrong['content'])).toMatch(/^Not quite.*2 tries left/);

    const right = await submit(x, message, rightAnswer(card), ana);
    expect(right['flags']).toBe(EPHEMERAL);
    expect(String(right['content'])).toMatch(/^Correct!.*\+15 points/);

    const second = await submit(x, message, rightAnswer(card).toUpperCase(), ben);
    expect(second['flags']).toBe(EPHEMERAL);
    expect(String(second['content'])).toMatch(/^Correct!.*\+10 points/);
    expect(String(second['content'])).not.toContain('first');

    // More tries after a right answer: refused, politely, by the button and by a stale form.
    const again = await submit(x, message, rightAnswer(card), ana);
    expect(again['flags']).toBe(EPHEMERAL);
    expect(String(again['content'])).toContain('already solved');
    const button = await (await pressAnswer(x, message, ana)).waitForReply();
    expect(button['flags']).toBe(EPHEMERAL);
    expect(String(button['content'])).toContain('already solved');

    // Cleo: three wrong tries, then no more.
    expect(String((await submit(x, message, 'banana', cleo))['content'])).toContain('2 tries left');
    expect(String((await submit(x, message, 'apple', cleo))['content'])).toContain('1 try left');
    expect(String((await submit(x, message, 'cherry', cleo))['content'])).toContain('last try');
    const fourth = await submit(x, message, rightAnswer(card), cleo);
    expect(fourth['flags']).toBe(EPHEMERAL);
    expect(String(fourth['content'])).toContain('used your 3 tries');
    const noModal = await (await pressAnswer(x, message, cleo)).waitForReply();
    expect(String(noModal['content'])).toContain('used your 3 tries');

    expect(await scoreOf(x, ana)).toEqual({ points: '15', answered: '1', correct: '1 (100%)' });
    expect(await scoreOf(x, ben)).toEqual({ points: '10', answered: '1', correct: '1 (100%)' });
    expect(await scoreOf(x, cleo)).toEqual({ points: '0', answered: '1', correct: '0 (0%)' });

    // The verdicts stayed private: the drop message is unchanged and nothing else was posted.
    expect(drops(x)).toHaveLength(1);
    expect(buttonIds(x.fake.getMessage(message.id) as APIMessage)).toHaveLength(1);

    const status = String((await daily(x, 'status'))['content']);
    expect(status).toContain('2 solvers (Ana, Ben)');
  });

  it('says only right or not and the tries left: two lists, one holding the answer, get the same refusal and use no try', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    const other = CELLS.cards.map((c) => c.answers[0]).filter((a) => a !== card.answers[0]) as [string, string];

    const withAnswer = String((await submit(x, message, `${other[0]} or ${card.answers[0]}`, ana))['content']);
    const without = String((await submit(x, message, `${other[0]} or ${other[1]}`, ben))['content']);
    expect(withAnswer).toBe(without);
    expect(withAnswer).toMatch(/list of guesses.*did not use a try: 3 tries left/);
    expect(String((await submit(x, message, `${other[0]}/${card.answers[0]}`, ana))['content'])).toBe(withAnswer);

    // A word shown in the sentence: refused the same way for everyone, no try used.
    const sentence = card.parts.filter((part): part is string => typeof part === 'string').join(' ');
    const shownWord = sentence.match(/[A-Za-z]{4,}/g)!.find((w) => !card.answers.some((a) => a.toLowerCase().includes(w.toLowerCase())))!;
    const shown = String((await submit(x, message, `the ${shownWord}`, cleo))['content']);
    expect(shown).toMatch(/already shown in the sentence.*3 tries left/);

    // A wrong reply with words around the answer reads like any wrong reply.
    const hedged = String((await submit(x, message, `I think ${card.answers[0]}`, ana))['content']);
    const plainWrong = String((await submit(x, message, 'banana', ben))['content']);
    expect(hedged).toBe('Not quite. 2 tries left.');
    expect(plainWrong).toBe(hedged);
    expect(await scoreOf(x, cleo)).toBeUndefined();
  });

  it('tells a member who gave fewer parts than blanks how many to give, whatever the parts', async () => {
    const x = await start();
    const message = await dropAtOne(x, 'bio pairs');
    const card = (await openDrop(x)).card;
    const reply = String((await submit(x, message, card.answers[0] as string, ana))['content']);
    expect(reply).toBe('Not quite. This question has 2 blanks: give them all, in order, separated by commas. 2 tries left.');
    expect(String((await submit(x, message, 'banana', ben))['content'])).toBe(reply);
  });

  it('remembers each answer in the member’s study memory: right on the third try is Hard, first try Good, 3 tries used Again', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    await submit(x, message, 'banana', ana);
    await submit(x, message, 'apple', ana);
    expect(await x.stored.memory(ana.id, card.deck)).toEqual({});
    expect(String((await submit(x, message, rightAnswer(card), ana))['content'])).toMatch(/^Correct!/);
    await submit(x, message, rightAnswer(card), ben);
    for (const wrong of ['banana', 'apple', 'cherry']) await submit(x, message, wrong, cleo);

    expect((await x.stored.memory(ana.id, card.deck))[card.id]).toMatchObject({ reps: 1, firstRating: 'hard', firstSource: 'daily', last: utc(13) });
    expect((await x.stored.memory(ben.id, card.deck))[card.id]).toMatchObject({ reps: 1, firstRating: 'good' });
    expect((await x.stored.memory(cleo.id, card.deck))[card.id]).toMatchObject({ reps: 1, firstRating: 'again' });
    const log = await x.stored.reviewLog(utc(0), utc(24));
    expect(log.map((e) => [e.user, e.rating, e.source])).toEqual([
      [ana.id, 'hard', 'daily'],
      [ben.id, 'good', 'daily'],
      [cleo.id, 'again', 'daily'],
    ]);
  });

  it('remembers a member who tried and had tries left at the reveal as Again', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    await submit(x, message, 'banana', ben);
    expect(await x.stored.memory(ben.id, card.deck)).toEqual({});
    await tickAt(x, utc(13, 0, 1));
    expect((await x.stored.memory(ben.id, card.deck))[card.id]).toMatchObject({ reps: 1, firstRating: 'again', last: utc(13, 0, 1) });
  });

  it('counts daily points in /leaderboard', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    await submit(x, message, rightAnswer(card), ben);
    await submit(x, message, rightAnswer(card), ana);
    const reply = await (await x.fake.slashCommand({ name: 'leaderboard', user: cleo })).waitForReply();
    const text = String(embedOf(reply).description);
    expect(text).toContain('**1.** Ben · 15 pts · 1 correct');
    expect(text).toContain('**2.** Ana · 10 pts · 1 correct');
  });
});

describe('daily drops across restarts and races', () => {
  it('keeps the open drop and the tries through a restart', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const drop = await openDrop(x);
    expect(String((await submit(x, message, 'banana', ana))['content'])).toContain('2 tries left');

    await x.restart({ at: utc(14) });
    // The start-up tick does not post the day's drop again.
    expect(drops(x)).toHaveLength(1);

    const modal = await (await pressAnswer(x, message, ana)).modal();
    expect(modal['custom_id']).toBe(`daily:submit:${drop.id}`);
    expect(String(modal['title'])).toContain('2 tries left');
    expect(String((await submit(x, message, 'apple', ana))['content'])).toContain('1 try left');

    await x.restart();
    const right = await submit(x, message, rightAnswer(drop.card), ana);
    expect(String(right['content'])).toMatch(/^Correct!.*\+15 points/);
    expect(String((await submit(x, message, rightAnswer(drop.card), ana))['content'])).toContain('already solved');
    expect(await scoreOf(x, ana)).toEqual({ points: '15', answered: '1', correct: '1 (100%)' });
    expect(drops(x)).toHaveLength(1);
  });

  it('counts two simultaneous submits from one member once', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;

    const both = [await dispatchSubmit(x, message, rightAnswer(card), ana), await dispatchSubmit(x, message, rightAnswer(card), ana)];
    const contents = (await Promise.all(both.map((b) => b.waitForReply()))).map((r) => String(r['content']));
    expect(contents.filter((c) => c.startsWith('Correct!'))).toHaveLength(1);
    expect(contents.filter((c) => c.includes('already solved'))).toHaveLength(1);

    const wrongs = [await dispatchSubmit(x, message, 'banana', ben), await dispatchSubmit(x, message, 'apple', ben)];
    const left = (await Promise.all(wrongs.map((b) => b.waitForReply()))).map((r) => String(r['content']));
    expect(left.some((c) => c.includes('2 tries left'))).toBe(true);
    expect(left.some((c) => c.includes('1 try left'))).toBe(true);

    expect(await scoreOf(x, ana)).toEqual({ points: '15', answered: '1', correct: '1 (100%)' });
    // Ben used 2 of his 3 tries; Ana solved it once.
    expect((await (await pressAnswer(x, message, ben)).modal())['title']).toBe('Question of the day · 1 try left');
    expect(String((await daily(x, 'status'))['content'])).toContain('1 solver (Ana)');
  });

  it('posts a drop missed while the bot was down on the same local day, not on a later day', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    // Down over 13:00; back at 15:30 the same day.
    await x.restart({ at: utc(15, 30) });
    expect(drops(x)).toHaveLength(1);
    expect((await openDrop(x)).kind).toBe('scheduled');
    await x.minute();
    expect(drops(x)).toHaveLength(1);

    // Down over the whole next day: back on the day after at 10:00, nothing until 13:00.
    await x.restart({ at: utc(10, 0, 2) });
    expect(drops(x)).toHaveLength(1);
    await tickAt(x, utc(13, 0, 2));
    expect(drops(x)).toHaveLength(2);
  });
});

describe('/daily status, now and off', () => {
  it('shows the schedule and today’s drop, and /daily off reveals it and stops the drops', async () => {
    const x = await start();
    const none = await daily(x, 'status');
    expect(none['flags']).toBe(EPHEMERAL);
    expect(String(none['content'])).toContain('No daily question is scheduled');

    await setDaily(x, { time: '13:00', timezone: 'Europe/Paris' });
    // 13:00 Paris is 12:00 UTC: due now, posted by this tick.
    const before = String((await daily(x, 'status'))['content']);
    expect(before).toContain(`<#${channelId(x, 'class')}>`);
    expect(before).toContain('13:00 Europe/Paris');
    expect(before).toContain('every deck');
    expect(before).toContain('Open question: none yet');

    await x.minute();
    expect(drops(x)).toHaveLength(1);
    const message = drops(x)[0] as APIMessage;
    const card = (await openDrop(x)).card;
    await submit(x, message, rightAnswer(card), ben);
    await submit(x, message, 'banana', cleo);

    const during = (await daily(x, 'status'))['content'] as string;
    expect(during).toContain('1 solver (Ben)');
    // The next drop is tomorrow at 13:00 Paris time.
    expect(during).toContain(`<t:${utc(12, 0, 1) / 1000}:F>`);

    const off = await daily(x, 'off');
    expect(off['flags']).toBe(EPHEMERAL);
    expect(String(off['content'])).toContain('off');
    const revealed = x.fake.getMessage(message.id) as APIMessage;
    expect(revealed.components ?? []).toEqual([]);
    expect(JSON.stringify(embedOf(revealed).fields)).toContain('1 member; first: Ben');
    expect(await x.stored.openDrop()).toBeUndefined();
    // Cleo tried without solving: the reveal counts her question as answered.
    expect(await scoreOf(x, cleo)).toEqual({ points: '0', answered: '1', correct: '0 (0%)' });

    // The old button now says the question is closed.
    const closed = await (await pressAnswer(x, message, ana)).waitForReply();
    expect(closed['flags']).toBe(EPHEMERAL);
    expect(String(closed['content'])).toContain('closed');

    await tickAt(x, utc(12, 0, 1));
    await tickAt(x, utc(12, 0, 2));
    expect(drops(x)).toHaveLength(1);
    expect(String((await daily(x, 'status'))['content'])).toContain('No daily question is scheduled');
    expect(String((await daily(x, 'off'))['content'])).toContain('No daily question was scheduled');
  });

  it('/daily now posts an extra drop and the scheduled one still comes that day', async () => {
    const x = await start();
    const notSet = await daily(x, 'now');
    expect(String(notSet['content'])).toContain('/daily set');
    expect(drops(x)).toHaveLength(0);

    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    const now = await daily(x, 'now');
    expect(now['flags']).toBe(EPHEMERAL);
    expect(String(now['content'])).toContain(`<#${channelId(x, 'class')}>`);
    expect(drops(x)).toHaveLength(1);
    const extra = drops(x)[0] as APIMessage;
    expect((await openDrop(x)).kind).toBe('extra');
    expect(String((await daily(x, 'status'))['content'])).toContain(`<t:${utc(13) / 1000}:F>`);

    await tickAt(x, utc(13));
    expect(drops(x)).toHaveLength(2);
    expect((await openDrop(x)).kind).toBe('scheduled');
    const revealed = x.fake.getMessage(extra.id) as APIMessage;
    expect(revealed.components ?? []).toEqual([]);
    expect(JSON.stringify(embedOf(revealed).fields)).toContain('Nobody');
    await tickAt(x, utc(13, 1));
    expect(drops(x)).toHaveLength(2);
  });
});

describe('daily edge cases', () => {
  it('never lets the button of a revealed drop answer a drop posted in the same instant', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    x.clock.set(utc(13));
    await daily(x, 'now');
    const extra = drops(x)[0] as APIMessage;
    await x.minute();
    expect(drops(x)).toHaveLength(2);
    const scheduled = drops(x)[1] as APIMessage;
    const drop = await openDrop(x);
    expect(buttonIds(scheduled)).toEqual([`daily:answer:${drop.id}`]);
    expect(buttonIds(extra)).not.toEqual(buttonIds(scheduled));

    // A form opened on the extra drop before its reveal, sent after the next drop came.
    const stale = await submit(x, extra, rightAnswer(drop.card), ana);
    expect(stale['flags']).toBe(EPHEMERAL);
    expect(String(stale['content'])).toContain('closed');
    expect((await openDrop(x)).solvers).toEqual([]);
    expect(String((await submit(x, scheduled, rightAnswer(drop.card), ana))['content'])).toContain('+15 points');
  });

  it('keeps one scheduled drop per day when the schedule is turned off and set again', async () => {
    const x = await start();
    await dropAtOne(x);
    x.clock.set(utc(14));
    await daily(x, 'off');
    await setAgainAtThreeNextDropTomorrow(x);
  });

  it('posts today at the new time when the schedule is turned off and set again before the drop', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    await daily(x, 'off');
    await setDaily(x, { time: '14:00', timezone: 'UTC', deck: 'bio cells' });
    await tickAt(x, utc(13));
    expect(drops(x)).toHaveLength(0);
    await tickAt(x, utc(14));
    expect(drops(x)).toHaveLength(1);
  });
});

describe('a drop that cannot be posted', () => {
  it('keeps the open drop, warns once and posts when the channel works again that day', async () => {
    const x = await start();
    const first = await dropAtOne(x);
    const cls = channelId(x, 'class');
    x.fake.setBotChannelPermissions(cls, { deny: ['SendMessages'] });
    await tickAt(x, utc(13, 0, 1));
    await tickAt(x, utc(13, 1, 1));
    expect(drops(x)).toHaveLength(1);
    // The open drop was not revealed and still takes answers.
    expect(buttonIds(drops(x)[0] as APIMessage)).toEqual(buttonIds(first));
    expect(String((await submit(x, first, rightAnswer((await openDrop(x)).card), ben))['content'])).toContain('+15 points');
    expect(x.logs.filter((l) => l.level === 'warn' && l.message.includes('not posted'))).toHaveLength(1);
    x.fake.setBotChannelPermissions(cls, {});
    await tickAt(x, utc(13, 2, 1));
    expect(drops(x)).toHaveLength(2);
    expect(embedOf(drops(x)[0] as APIMessage).title).toBe('Question of the day · answer');
    // Posted once: later ticks that day add nothing.
    await tickAt(x, utc(18, 0, 1));
    expect(drops(x)).toHaveLength(2);
  });
});

describe('the reveal', () => {
  it('edits the old drop even where the bot may not read the channel history', async () => {
    const x = await start();
    await dropAtOne(x);
    // After a restart the drop message is no longer in the bot's cache.
    await x.restart();
    x.fake.setBotChannelPermissions(channelId(x, 'class'), { deny: ['ReadMessageHistory'] });
    await tickAt(x, utc(13, 0, 1));
    expect(drops(x)).toHaveLength(2);
    expect(embedOf(drops(x)[0] as APIMessage).title).toBe('Question of the day · answer');
    expect(x.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

describe('card choice', () => {
  it('does not repeat a card until the deck is used up', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    const seen: string[] = [];
    for (let day = 0; day < 3; day++) {
      await tickAt(x, utc(13, 0, day));
      seen.push((await openDrop(x)).card.id);
    }
    expect(drops(x)).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect([...seen].sort()).toEqual(CELLS.cards.map((c) => c.id).sort());
    // A fourth day starts a new shuffle.
    await tickAt(x, utc(13, 0, 3));
    expect(drops(x)).toHaveLength(4);
    expect(seen).toContain((await openDrop(x)).card.id);
  });

  it('never posts two drops in a row of the same note, so one never shows the answer of the other', async () => {
    // Two notes of three cards each: without the rule, a shuffle puts two cards of one note side by side.
    const notes = deck(['# deck: bio notes', '', 'The -nucleus- holds the -DNA- of the -cell-.', '', 'The -heart- pumps -blood- through the -body-.', ''].join('\n'));
    const x = await start({ decks: [notes] });
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio notes' });
    for (let day = 0; day < 12; day++) await tickAt(x, utc(13, 0, day));
    const sentences = drops(x).map((m) => String(embedOf(m).description));
    expect(sentences).toHaveLength(12);
    const noteOf = (sentence: string) => (sentence.includes('heart') || sentence.includes('blood') || sentence.includes('body') ? 'heart' : 'nucleus');
    for (let i = 1; i < sentences.length; i++) expect(noteOf(sentences[i] as string), `drops ${i} and ${i + 1}`).not.toBe(noteOf(sentences[i - 1] as string));
  });
});

describe('class-need choice', () => {
  it('asks the card the class remembers worst, and never the previous daily question’s note the next day', async () => {
    const x = await start();
    const [mito, photo, nucleus] = CELLS.cards as [Card, Card, Card];
    // Days of play, seeded: what the class answered and when.
    const review = (userId: string, card: Card, rating: 'again' | 'good', daysAgo: number) => x.seedMemory([{ userId, card, rating, source: 'live', at: utc(12) - daysAgo * 86_400_000 }]);
    // Everyone tried every card; photosynthesis was missed long ago, the others answered right just now.
    for (const user of [ana, ben]) {
      await review(user.id, mito, 'good', 0);
      await review(user.id, nucleus, 'good', 0);
      await review(user.id, photo, 'again', 10);
    }
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    await tickAt(x, utc(13));
    expect((await openDrop(x)).card.id).toBe(photo.id);
    // Nobody answered: photosynthesis is still the weakest, but it was the previous question.
    await tickAt(x, utc(13, 0, 1));
    expect((await openDrop(x)).card.id).not.toBe(photo.id);
  });
});

describe('the ticker', () => {
  it('posts on the minute beat only while the bot runs, one ticker per running bot', async () => {
    const x = await start();
    await setDaily(x, { time: '13:00', timezone: 'UTC', deck: 'bio cells' });
    expect(x.minuteTimer.listeners).toBe(1);
    // Time passing without a beat posts nothing; the beat does.
    x.clock.set(utc(13));
    expect(drops(x)).toHaveLength(0);
    await x.minute();
    expect(drops(x)).toHaveLength(1);
    await x.restart();
    expect(x.minuteTimer.listeners).toBe(1);
    await x.minute(utc(13, 0, 1));
    expect(drops(x)).toHaveLength(2);
  });
});

describe('a store written by the earlier version', () => {
  type Json = Record<string, unknown>;
  /** The schedule and open drop as the earlier version stored them: no `enabled` flag, the server id inside. */
  const asEarlierVersion = (guild: string) => async (keyv: import('keyv').default) => {
    const { enabled, ...schedule } = (await keyv.get(`daily:schedule:${guild}`)) as Json;
    const drop = (await keyv.get(`daily:drop:${guild}`)) as Json | undefined;
    if (enabled) {
      await keyv.set(`daily:schedule:${guild}`, { ...schedule, guildId: guild });
    } else {
      await keyv.delete(`daily:schedule:${guild}`);
      await keyv.set(`daily:off:${guild}`, { ...schedule, guildId: guild });
    }
    if (drop) await keyv.set(`daily:drop:${guild}`, { ...drop, guildId: guild });
  };

  it('keeps the schedule, the open drop and its tries', async () => {
    const x = await start();
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    expect(String((await submit(x, message, 'banana', ana))['content'])).toContain('2 tries left');
    await x.restart({ at: utc(14), whileDown: asEarlierVersion(guildId(x)) });
    expect(drops(x)).toHaveLength(1);
    expect(String((await submit(x, message, rightAnswer(card), ana))['content'])).toMatch(/^Correct!.*\+15 points/);
    expect(String((await daily(x, 'status'))['content'])).toContain('13:00 UTC');
    await tickAt(x, utc(13, 0, 1));
    expect(drops(x)).toHaveLength(2);
    expect(JSON.stringify(embedOf(x.fake.getMessage(message.id) as APIMessage).fields)).toContain('1 member; first: Ana');
  });

  it('keeps the day of a schedule turned off there: set again that day, the next drop is tomorrow', async () => {
    const x = await start();
    await dropAtOne(x);
    await daily(x, 'off');
    await x.restart({ at: utc(14), whileDown: asEarlierVersion(guildId(x)) });
    expect(String((await daily(x, 'status'))['content'])).toContain('No daily question is scheduled');
    await setAgainAtThreeNextDropTomorrow(x);
  });
});

describe('a daily answer the store does not take', () => {
  it('claims no points: the member hears privately that scoring is paused, the channel once, and once when it resumes', async () => {
    let faulty: FaultyStore | undefined;
    const x = await start({ wrapKeyv: (keyv) => (faulty = new FaultyStore(keyv)).keyv });
    const message = await dropAtOne(x);
    const card = (await openDrop(x)).card;
    faulty!.failWrites();
    for (const user of [ana, ben]) {
      const verdict = await submit(x, message, rightAnswer(card), user);
      expect(verdict).toMatchObject({ flags: 64, content: expect.stringContaining('scoring is paused') });
      expect(String(verdict['content'])).not.toMatch(/Correct|points \(/);
    }
    const said = () => x.fake.channelMessages(channelId(x, 'class')).map((m) => m.content);
    expect(said().filter((c) => c === SCORING_PAUSED)).toHaveLength(1);
    expect(x.errors().map((l) => l.message)).toEqual([expect.stringMatching(/^Writing to the store fails/)]);
    x.logs.length = 0;

    faulty!.heal();
    expect(String((await submit(x, message, rightAnswer(card), cleo))['content'])).toMatch(/^Correct!.*\+15 points/);
    await eventually(() => expect(said().filter((c) => c === SCORING_RESUMED)).toHaveLength(1));
    // Only Cleo's answer counted.
    expect(await scoreOf(x, cleo)).toEqual({ points: '15', answered: '1', correct: '1 (100%)' });
    expect(await scoreOf(x, ana)).toBeUndefined();
    expect(await scoreOf(x, ben)).toBeUndefined();
  });
});
