/**
 * The teacher's view end to end: members study through a live round, the daily
 * question and /practice; /class then shows the hardest card, the sections by
 * mastery with their chart, who studied this week (in the server's time zone)
 * and who has not, and the cards due today; /export kind:cards gives one CSV
 * line per card, and /export alone still gives the scores.
 */
import type { APIEmbed, APIMessage } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card, Deck } from '../../src/deck/types.ts';
import type { ImageJob } from '../../src/images/job-types.ts';
import type { Renderer } from '../../src/images/renderer.ts';
import { promptMarkdown } from '../../src/bot/render.ts';
import { recall, stateOf } from '../../src/study/memory.ts';
import { makeGuild, makeUser, type RecordedRequest } from '../support/discord/index.ts';
import { ana, ben, checkAndClose, cleo, eventually, startHarness, teacher, TINY_PNG, type Harness } from './harness.ts';

type Json = Record<string, unknown>;
const EPHEMERAL = 64;

function deck(source: string, file: string): Deck {
  const { deck: parsed, errors } = parseDeck(source, file);
  if (!parsed) throw new Error(`test deck does not parse: ${JSON.stringify(errors)}`);
  return parsed;
}

const CELLS = deck(
  [
    '# deck: bio cells',
    '',
    '## Organelles',
    '',
    'The -mitochondria- is the powerhouse of the cell.',
    '',
    '## Membranes',
    '',
    'The -cell membrane- controls what enters the cell.',
    '',
    '## Genetics',
    '',
    'DNA is kept in the -nucleus- of the cell.',
    '',
  ].join('\n'),
  'decks/bio-cells.md',
);
const PLANTS = deck(['# deck: bio plants', '', 'Plants make sugar by -photosynthesis-.', ''].join('\n'), 'decks/bio-plants.md');
const [MITO, MEMBRANE, NUCLEUS] = CELLS.cards as [Card, Card, Card];
const [PHOTO] = PLANTS.cards as [Card];

/** Practises only, and has a server nickname that would ping everyone if it were not plain text. */
const dan = makeUser({ username: 'dan', global_name: 'Dan' });
/** Scored in an earlier week (before memory was kept). */
const eve = makeUser({ username: 'eve', global_name: 'Eve' });

/** Monday 23 Nov 2026 04:00 UTC: still Sunday evening in Los Angeles, the server's time zone. */
const SUNDAY_EVENING_LA = Date.UTC(2026, 10, 23, 4, 0);
const FRIDAY_NOON_UTC = Date.UTC(2026, 10, 27, 12, 0);
/** 13:00 in Los Angeles, when the daily question is posted. */
const FRIDAY_1PM_LA = Date.UTC(2026, 10, 27, 21, 0);

let h: Harness | undefined;
afterEach(async () => {
  const current = h;
  h = undefined;
  if (current) await checkAndClose(current);
});

/** Draws every picture as a 1×1 PNG and keeps what it was asked to draw. */
function recordingRenderer(jobs: ImageJob[]): Renderer {
  return {
    render: (job) => {
      jobs.push(job);
      return Promise.resolve(Buffer.from(TINY_PNG));
    },
    warmUp: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function embedOf(payload: Json | APIMessage): APIEmbed {
  const embed = ((payload as Json)['embeds'] as APIEmbed[] | undefined)?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(payload)}`);
  return embed;
}

/** The title of a body's first embed, if any (safe in request predicates). */
function titleOf(body: unknown): string {
  return (body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0]?.title ?? '';
}

function field(embed: APIEmbed, prefix: string): string {
  const found = embed.fields?.find((f) => f.name.startsWith(prefix));
  if (!found) throw new Error(`no field ${prefix} in ${JSON.stringify(embed.fields)}`);
  return found.value;
}

function buttonId(message: APIMessage | Json, label: string): string {
  const rows = ((message as Json)['components'] ?? []) as { components: { custom_id: string; label: string }[] }[];
  const found = rows.flatMap((r) => r.components).find((b) => b.label.startsWith(label));
  if (!found) throw new Error(`no ${label} button in ${JSON.stringify(rows)}`);
  return found.custom_id;
}

function channelId(x: Harness, name: string): string {
  const channel = x.guild.channels.find((c) => c.name === name);
  if (!channel) throw new Error(`no channel ${name}`);
  return channel.id;
}

/** Dan practises the Membranes section: one new card, answered right. */
async function danPractises(x: Harness): Promise<void> {
  const start = await x.fake.slashCommand({ name: 'practice', options: { deck: 'bio cells', section: 'Membranes' }, user: dan });
  const offer = await start.waitForReply();
  const message = start.original() as APIMessage;
  const begin = await x.fake.button({ message: message.id, customId: buttonId(offer, 'Start'), user: dan });
  const question = await begin.waitForReply();
  expect(embedOf(question).description).toBe(promptMarkdown(MEMBRANE));
  const answer = await x.fake.button({ message: message.id, customId: buttonId(question, 'Answer'), user: dan });
  const modal = await answer.modal();
  const submit = await x.fake.modalSubmit({ customId: String(modal['custom_id']), fields: { answer: 'cell membrane' }, user: dan, message: message.id });
  expect(String((await submit.waitForReply())['content'])).toContain('Right!');
}

/** A one-question round on Organelles: Ana and Cleo reply wrong, Ben right. */
async function liveRound(x: Harness): Promise<void> {
  const channel = channelId(x, 'quiz');
  const cursor = x.fake.cursor();
  await (await x.fake.slashCommand({ name: 'quiz', options: { deck: 'bio cells', section: 'Organelles', questions: 1, pause: 0 }, user: teacher, channelId: channel })).waitForReply();
  await x.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages` && titleOf(r.body) === 'Question 1 of 1', { after: cursor });
  x.fake.message({ channelId: channel, author: ana, content: 'ribosome' });
  x.fake.message({ channelId: channel, author: cleo, content: 'golgi' });
  x.fake.message({ channelId: channel, author: ben, content: 'mitochondria' });
  await x.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages` && titleOf(r.body).startsWith('Round over'), { after: cursor });
  await eventually(async () => expect(Object.keys(await x.stored.memory(cleo.id, CELLS.name))).toEqual([MITO.id]));
}

/** The daily question of 13:00 Los Angeles time (bio plants, one card): Cleo answers it right. */
async function dailyQuestion(x: Harness): Promise<void> {
  await (await x.fake.slashCommand({ name: 'daily', subcommand: 'set', options: { channel: channelId(x, 'general'), time: '13:00', timezone: 'America/Los_Angeles', deck: 'bio plants' }, user: teacher })).waitForReply();
  await x.minute(FRIDAY_1PM_LA);
  const drop = x.fake.channelMessages(channelId(x, 'general')).find((m) => !m.webhook_id) as APIMessage;
  const customId = buttonId(drop, 'Answer');
  const submit = await x.fake.modalSubmit({ customId: customId.replace('daily:answer:', 'daily:submit:'), fields: { answer: 'photosynthesis' }, user: cleo, message: drop.id });
  await submit.waitForReply();
  await eventually(async () => expect(Object.keys(await x.stored.memory(cleo.id, PLANTS.name))).toEqual([PHOTO.id]));
}

/** A class that studied: Dan last week (server time), Ana, Ben and Cleo this week, Eve only scored last week. */
async function studiedClass(jobs: ImageJob[] = []): Promise<Harness> {
  const guild = makeGuild({ name: 'Biology class', members: [teacher, ana, ben, cleo, { user: dan, nick: '@everyone Dan' }, eve], channels: [{ name: 'general' }, { name: 'quiz' }] });
  const x = await startHarness({ guilds: [guild], decks: [CELLS, PLANTS], now: SUNDAY_EVENING_LA, images: recordingRenderer(jobs) });
  h = x;
  await x.seedScores({
    events: [{ userId: eve.id, at: SUNDAY_EVENING_LA, deck: PLANTS.name, section: '', cardId: PHOTO.id, correct: true, points: 10, source: 'live', won: true }],
    names: { [eve.id]: 'Eve' },
  });
  await danPractises(x);
  x.clock.set(FRIDAY_NOON_UTC);
  await liveRound(x);
  await dailyQuestion(x);
  x.clock.set(FRIDAY_1PM_LA + 5 * 60_000);
  return x;
}

async function classView(x: Harness, options: Record<string, string> = {}): Promise<{ reply: Json; request: RecordedRequest; flags: unknown }> {
  const handle = await x.fake.slashCommand({ name: 'class', options, user: teacher });
  const { type, data } = await handle.response();
  expect(type).toBe(5);
  const request = await handle.waitForEdit();
  return { reply: request.body as Json, request, flags: data?.['flags'] };
}

/** The cards CSV as rows of fields (no field of these decks holds a comma or a quote). */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).split('\r\n');
  expect(lines.at(-1)).toBe('');
  return lines.slice(0, -1).map((line) => line.split(','));
}

describe('/class', () => {
  it("shows the teacher the hardest card, sections by mastery with a chart, who studied this week in the server's time zone, and the cards due today", async () => {
    const jobs: ImageJob[] = [];
    const x = await studiedClass(jobs);
    const { reply, request, flags } = await classView(x);
    expect(flags).toBe(EPHEMERAL);
    const embed = embedOf(reply);
    expect(embed.title).toBe('Class · every deck');
    // Dan practised on Monday 04:00 UTC, which was still last week (Sunday) in Los Angeles. His
    // card came due during the week; the cards missed at noon UTC today come back in a day,
    // after the end of today in Los Angeles (08:00 UTC tomorrow).
    expect(embed.description).toBe(
      ['**3 of 5 members** studied this week (Mon 23 Nov – Sun 29 Nov).', '**Due today:** 1 card due for the class today (1 review by the end of the day).'].join('\n'),
    );

    // The mitochondria card: missed at first by Ana and Cleo, right at once by Ben.
    const hardest = field(embed, 'Hardest cards');
    expect(hardest).toMatch(/^1\. \*\*33%\*\* right at first try · 3 attempts · recall \d+%\nThe \\\[mitochondria\\\] is the powerhouse of the cell\.$/);

    const sections = field(embed, 'Sections by mastery').split('\n');
    expect(sections).toHaveLength(4);
    expect(sections.at(-1)).toBe('Not started: bio cells · Genetics');
    const shown = sections.slice(0, 3).map((line) => /^(.+): \*\*(\d+)%\*\* · (\d+) members? · (\d+) of (\d+) cards? tried$/.exec(line)?.slice(1));
    expect(shown.map((s) => [s?.[0], s?.[2], s?.[3], s?.[4]]).sort()).toEqual([
      ['bio cells · Membranes', '1', '1', '1'],
      ['bio cells · Organelles', '3', '1', '1'],
      ['bio plants', '1', '1', '1'],
    ]);
    const percents = shown.map((s) => Number(s?.[1]));
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);

    expect(field(embed, 'Studied this week (3)')).toBe('Ana, Ben, Cleo');
    // Names as plain text: the nickname's @everyone is broken up and the message allows no mentions.
    expect(field(embed, 'Not studied this week (2)')).toBe('@\u200beveryone Dan, Eve');
    expect(reply['allowed_mentions']).toMatchObject({ parse: [] });

    // The chart of the sections the class started, weakest first, attached and shown in the embed.
    const mastery = jobs.filter((j) => j.kind === 'mastery');
    expect(mastery).toHaveLength(1);
    const chart = mastery[0]!.input as { title: string; sections: { deck: string; section: string; mastery: number; members: number }[] };
    expect(chart.title).toBe('every deck');
    expect(chart.sections.map((s) => [s.deck, s.section, Math.round(s.mastery * 100), s.members])).toEqual(
      shown.map((s) => {
        const [deckName, section = ''] = (s?.[0] ?? '').split(' · ');
        return [deckName, section, Number(s?.[1]), Number(s?.[2])];
      }),
    );
    expect(request.files.map((f) => [f.filename, f.contentType])).toEqual([['mastery.png', 'image/png']]);
    expect(embed.image?.url).toBe('attachment://mastery.png');

    // One course or deck only.
    const plants = embedOf((await classView(x, { deck: 'bio plants' })).reply);
    expect(plants.title).toBe('Class · bio plants');
    expect(field(plants, 'Sections by mastery').split('\n')).toHaveLength(1);
    expect(field(plants, 'Hardest cards')).toBe('No card has 3 attempts yet.');
    expect(plants.description).toContain('no card is due for the class today.');

    // With pictures off, text only.
    await (await x.fake.slashCommand({ name: 'settings', subcommand: 'images', options: { state: 'off' }, user: teacher })).waitForReply();
    const textOnly = await classView(x);
    expect(textOnly.request.files).toEqual([]);
    expect(embedOf(textOnly.reply).image).toBeUndefined();

    // An unknown deck is the member's error, shown to them only.
    const unknown = await (await x.fake.slashCommand({ name: 'class', options: { deck: 'chemistry' }, user: teacher })).waitForReply();
    expect(unknown).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('There is no deck or course called "chemistry"') });
  });

  it('is registered for Manage Server only', async () => {
    h = await startHarness({ decks: [CELLS, PLANTS] });
    const definition = h.fake.commands().find((c) => c.name === 'class');
    expect(definition?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(definition?.options?.map((o) => [o.name, o.required ?? false, 'autocomplete' in o && o.autocomplete])).toEqual([['deck', false, true]]);
    const empty = embedOf((await classView(h)).reply);
    expect(empty.description).toContain('Nobody has studied these cards yet.');
  });
});

describe('/export kind', () => {
  it('cards: one line per card with attempts, first-try accuracy, mean recall and members who know it; without kind the scores as before', async () => {
    const x = await studiedClass();
    const handle = await x.fake.slashCommand({ name: 'export', options: { kind: 'cards' }, user: teacher });
    expect((await handle.response()).data?.['flags']).toBe(EPHEMERAL);
    const file = (await handle.waitForEdit()).files[0];
    expect(file?.filename).toBe('studybot-cards-2026-11-27.csv');
    const [header, ...rows] = csvRows(file?.text ?? '');
    expect(header).toEqual(['deck', 'section', 'sentence', 'attempts', 'first-try accuracy %', 'mean predicted recall %', 'members who know it']);

    // The class's predicted recall now, from each member's memory of the card.
    const now = x.clock.now();
    const recalls = async (card: Card, members: { id: string }[]) =>
      Promise.all(members.map(async (m) => recall(stateOf(await x.stored.memory(m.id, card.deck), card.id), now)));
    const percent = (values: number[]) => String(Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 10);
    const knowing = (values: number[]) => String(values.filter((r) => r >= 0.9).length);
    const mito = await recalls(MITO, [ana, ben, cleo]);
    const membrane = await recalls(MEMBRANE, [dan]);
    const photo = await recalls(PHOTO, [cleo]);
    expect(rows).toEqual([
      ['bio cells', 'Organelles', 'The [mitochondria] is the powerhouse of the cell.', '3', '33.3', percent(mito), knowing(mito)],
      ['bio cells', 'Membranes', 'The [cell membrane] controls what enters the cell.', '1', '100', percent(membrane), knowing(membrane)],
      ['bio cells', 'Genetics', 'DNA is kept in the [nucleus] of the cell.', '0', '', '', '0'],
      ['bio plants', '', 'Plants make sugar by [photosynthesis].', '1', '100', percent(photo), knowing(photo)],
    ]);
    // Ben answered right an hour ago and knows it; Ana and Cleo missed it then.
    expect(mito.filter((r) => r >= 0.9)).toHaveLength(1);
    expect(NUCLEUS.section).toBe('Genetics');

    // One deck; and without kind, the scores export as before.
    const one = await x.fake.slashCommand({ name: 'export', options: { kind: 'cards', deck: 'bio plants' }, user: teacher });
    const oneFile = (await one.waitForEdit()).files[0];
    expect(oneFile?.filename).toBe('studybot-cards-bio-plants-2026-11-27.csv');
    expect(csvRows(oneFile?.text ?? '').slice(1).map((r) => r[2])).toEqual(['Plants make sugar by [photosynthesis].']);
    const scores = await x.fake.slashCommand({ name: 'export', user: teacher });
    const scoresFile = (await scores.waitForEdit()).files[0];
    expect(scoresFile?.filename).toBe('studybot-all-2026-11-27.csv');
    const scoreRows = csvRows(scoresFile?.text ?? '');
    expect(scoreRows[0]).toEqual(['rank', 'member id', 'display name', 'points', 'answered', 'correct', 'accuracy %', 'streak']);
    expect(scoreRows.slice(1).map((r) => r[2]).sort()).toEqual(['Ana', 'Ben', 'Cleo', 'Eve']);

    // A period belongs to the scores export.
    const refused = await (await x.fake.slashCommand({ name: 'export', options: { kind: 'cards', period: 'week' }, user: teacher })).waitForReply();
    expect(refused).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('period is for the scores export') });
  });
});
