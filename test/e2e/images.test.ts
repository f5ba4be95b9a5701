/**
 * Pictures end to end: they arrive as multipart uploads the fake Discord checks
 * against the OpenAPI description, the embed shows them by `attachment://`, page
 * buttons replace them, and a server with images off gets text only.
 */
import type { APIEmbed, APIUser } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { renderDailyReveal, renderLeaderboard, renderPodium, renderStats } from '../../src/images/index.ts';
import { ImageRenderer } from '../../src/images/renderer.ts';
import { cardLocation } from '../../src/bot/render.ts';
import { makeUser, type RecordedRequest } from '../support/discord/index.ts';
import { ana, ben, classGuild, cleo, DEFAULT_NOW, startHarness, teacher, type Harness } from './harness.ts';

type Json = Record<string, unknown>;
const HOUR = 3_600_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The real picture worker, shared by the tests of this file and warmed up once (seconds on a busy machine). */
const images = new ImageRenderer({ timeoutMs: 20_000 });
beforeAll(() => images.warmUp(), 120_000);
afterAll(() => images.close());

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function ev(user: APIUser, at: number, init: Partial<ScoreEvent> = {}): ScoreEvent {
  return { userId: user.id, at, deck: 'mlops wk9', section: 'MLOps Process', cardId: 'card', correct: true, points: 10, source: 'live', won: true, ...init };
}

function embedOf(payload: Json | undefined): APIEmbed {
  const embed = (payload?.['embeds'] as APIEmbed[] | undefined)?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(payload)}`);
  return embed;
}

/** The one PNG of a request, checked to be what the embed shows. */
function shownPicture(request: RecordedRequest, payload: Json, name: string): Buffer {
  expect(request.headers['content-type']).toMatch(/^multipart\/form-data/);
  expect(request.files.map((f) => [f.field, f.filename, f.contentType])).toEqual([['files[0]', name, 'image/png']]);
  expect(payload['attachments']).toEqual([{ id: '0' }]);
  expect(embedOf(payload).image?.url).toBe(`attachment://${name}`);
  const data = request.files[0]!.data;
  expect(data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  return data;
}

function buttonId(payload: Json | undefined, label: string): string {
  const rows = (payload?.['components'] ?? []) as { components: { label: string; custom_id: string }[] }[];
  const found = rows.flatMap((r) => r.components).find((b) => b.label === label);
  if (!found) throw new Error(`no ${label} button`);
  return found.custom_id;
}

/** The teacher turns pictures off for the server with /settings. */
async function imagesOff(harness: Harness): Promise<void> {
  const reply = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'images', user: teacher, options: { state: 'off' } })).waitForReply();
  expect(String(reply['content'])).toContain('Images are off');
}

async function seedClass(harness: Harness, students: APIUser[]): Promise<void> {
  const names = Object.fromEntries(students.map((s) => [s.id, s.global_name ?? s.username]));
  await harness.seedScores({ events: students.map((s, i) => ev(s, DEFAULT_NOW - HOUR, { points: 200 - 10 * i })), names: names });
}

describe('/leaderboard picture', () => {
  it('attaches the page as a PNG shown in the embed; Next replaces it; images off gives text only', async () => {
    const students = Array.from({ length: 14 }, (_, i) => makeUser({ username: `p${i + 1}`, global_name: `Pupil ${i + 1}` }));
    const harness = (h = await startHarness({ guilds: [classGuild('MLOps class', students)], images }));
    await seedClass(harness, students);

    const command = await harness.fake.slashCommand({ name: 'leaderboard', user: students[12]!, options: { period: 'week', deck: 'mlops' } });
    const callback = await command.callback();
    const reply = (callback.body as Json)['data'] as Json;
    const first = shownPicture(callback, reply, 'leaderboard.png');
    // The text stays beside the picture.
    expect(embedOf(reply).description).toContain('**1.** Pupil 1 · 200 pts · 1 correct');
    expect(embedOf(reply).description).toContain('Your rank: **13.** Pupil 13');
    expect(embedOf(reply).footer?.text).toBe('Page 1 of 2 · 14 members with points · ties share a rank');
    // The picture is the page of the caller's board: period and deck apart, the caller's row highlighted below the page.
    const rows = students.map((s, i) => ({ rank: i + 1, userId: s.id, name: `Pupil ${i + 1}`, points: 200 - 10 * i, correct: 1 }));
    const expected = await renderLeaderboard({ rows, page: 0, pageSize: 10, period: 'this week (Mon 23 Nov – Sun 29 Nov)', deck: 'mlops', callerId: students[12]!.id });
    expect(first.equals(expected)).toBe(true);
    const message = command.original()!;
    expect(message.attachments.map((a) => a.filename)).toEqual(['leaderboard.png']);
    const firstAttachment = message.attachments[0]!.id;

    // Next: the update carries page 2's picture, which replaces page 1's on the message.
    const next = await harness.fake.button({ message: message.id, customId: buttonId(reply, 'Next'), user: students[12]! });
    const update = await next.callback();
    expect((update.body as Json)['type']).toBe(7);
    const second = shownPicture(update, (update.body as Json)['data'] as Json, 'leaderboard.png');
    expect(second.equals(first)).toBe(false);
    expect(second.equals(await renderLeaderboard({ rows, page: 1, pageSize: 10, period: 'this week (Mon 23 Nov – Sun 29 Nov)', deck: 'mlops', callerId: students[12]!.id }))).toBe(true);
    const stored = harness.fake.getMessage(message.id)!;
    expect(stored.attachments).toHaveLength(1);
    expect(stored.attachments[0]!.id).not.toBe(firstAttachment);
    expect(stored.attachments[0]!.size).toBe(second.length);

    // Images off: the next page turn is text only and takes the picture away.
    await imagesOff(harness);
    const back = await harness.fake.button({ message: message.id, customId: buttonId((update.body as Json)['data'] as Json, 'Previous'), user: students[12]! });
    const textOnly = await back.callback();
    const data = (textOnly.body as Json)['data'] as Json;
    expect(textOnly.files).toEqual([]);
    expect(data['attachments']).toEqual([]);
    expect(embedOf(data).image).toBeUndefined();
    expect(embedOf(data).footer?.text).toBe('Page 1 of 2 · 14 members with points · ties share a rank');
    expect(harness.fake.getMessage(message.id)!.attachments).toEqual([]);

    // And a new /leaderboard is text only as before.
    const plain = await harness.fake.slashCommand({ name: 'leaderboard', user: ana });
    const plainCall = await plain.callback();
    expect(plainCall.files).toEqual([]);
    expect(plainCall.headers['content-type']).toMatch(/^application\/json/);
    expect(embedOf(((plainCall.body as Json)['data']) as Json).image).toBeUndefined();
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
    expect(harness.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

describe('/stats picture', () => {
  it('attaches the accuracy per section and the 8-week calendar of daily answers, solved or not', async () => {
    const harness = (h = await startHarness({ images }));
    const at = (d: number) => Date.UTC(2026, 10, d, 10, 0);
    const daily = (d: number, correct: boolean) => ev(ana, at(d), { source: 'daily', day: `2026-11-${d}`, correct, points: correct ? 10 : 0, won: false, section: 'Data Engineering' });
    await harness.seedScores({
      events: [daily(20, true), daily(21, false), daily(25, true), daily(26, true), ev(ana, at(26)), ev(ana, at(26), { correct: false, points: 0 }), ev(ana, at(26), { section: '' })],
      names: { [ana.id]: 'Ana' },
    });
    const command = await harness.fake.slashCommand({ name: 'stats', user: ben, options: { member: ana.id } });
    const callback = await command.callback();
    const reply = (callback.body as Json)['data'] as Json;
    expect(reply['flags']).toBe(64);
    const png = shownPicture(callback, reply, 'stats.png');
    expect(embedOf(reply).fields?.find((f) => f.name === 'Answered')?.value).toBe('7');
    const expected = await renderStats({
      name: 'Ana',
      sections: [
        { deck: 'mlops wk9', section: 'Data Engineering', answered: 4, correct: 3 },
        { deck: 'mlops wk9', section: 'MLOps Process', answered: 2, correct: 1 },
        { deck: 'mlops wk9', section: '', answered: 1, correct: 1 },
      ],
      daily: [
        { day: '2026-11-20', answered: 1, correct: 1 },
        { day: '2026-11-21', answered: 1, correct: 0 },
        { day: '2026-11-25', answered: 1, correct: 1 },
        { day: '2026-11-26', answered: 1, correct: 1 },
      ],
      now: DEFAULT_NOW,
      timeZone: 'UTC',
    });
    expect(png.equals(expected)).toBe(true);

    // Images off: text only.
    await imagesOff(harness);
    const plain = await (await harness.fake.slashCommand({ name: 'stats', user: ana })).callback();
    expect(plain.files).toEqual([]);
    expect(embedOf(((plain.body as Json)['data']) as Json).image).toBeUndefined();
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
  });
});

describe('daily reveal picture', () => {
  it('the revealed drop shows how many solved it on the 1st, 2nd and 3rd try and how many did not, also for a drop opened before tries were kept', async () => {
    const harness = (h = await startHarness({ images }));
    const guildId = harness.guild.id;
    const channel = harness.guild.channels[0]!.id;
    /** /daily now: posts a question (revealing the open one) and returns its message. */
    const postNow = async () => {
      expect(String((await (await harness.fake.slashCommand({ name: 'daily', subcommand: 'now', user: teacher })).waitForReply())['content'])).toContain('Posted a question');
      return harness.fake.channelMessages(channel).filter((m) => !m.webhook_id).at(-1)!;
    };
    // Later today than now: only /daily now posts.
    await (await harness.fake.slashCommand({ name: 'daily', subcommand: 'set', user: teacher, options: { channel, time: '23:00', timezone: 'UTC' } })).waitForReply();
    const message = await postNow();
    const drop = (await harness.stored.openDrop())!;
    expect(drop.messageId).toBe(message.id);
    const right = drop.card.answers.join(', ');
    /** The member presses Answer on the drop and sends `reply` in its form; returns the private verdict. */
    const answer = async (user: APIUser, reply: string) => {
      const rows = (message.components ?? []) as { components: { custom_id: string }[] }[];
      const customId = rows[0]!.components[0]!.custom_id;
      const modal = await (await harness.fake.button({ message: message.id, customId, user })).modal();
      return String((await (await harness.fake.modalSubmit({ customId: String(modal['custom_id']), fields: { answer: reply }, user, message: message.id })).waitForReply())['content']);
    };
    expect(await answer(ana, right)).toMatch(/^Correct!/);
    await answer(ben, 'banana');
    await answer(ben, 'cherry');
    expect(await answer(ben, right)).toMatch(/^Correct!/);
    await answer(cleo, 'banana');
    await answer(teacher, 'banana');
    expect(await answer(teacher, right)).toMatch(/^Correct!/);
    // The teacher's solve as a drop opened before the try was kept stores it (written while the bot is down): no `try`, the wrong tries say 2nd.
    await harness.restart({
      whileDown: async (keyv) => {
        const open = (await keyv.get(`daily:drop:${guildId}`)) as typeof drop;
        const solvers = open.solvers.map((s) => (s.userId === teacher.id ? { userId: s.userId, name: s.name, at: s.at, points: s.points } : s));
        expect(solvers).not.toEqual(open.solvers);
        await keyv.set(`daily:drop:${guildId}`, { ...open, solvers });
      },
    });

    const cursor = harness.fake.cursor();
    const second = await postNow();
    const edit = harness.fake.calls('PATCH', `/channels/${channel}/messages/${drop.messageId}`, cursor)[0]!;
    const png = shownPicture(edit, edit.body as Json, 'daily-reveal.png');
    expect(png.equals(await renderDailyReveal({ title: `${drop.day} · ${cardLocation(drop.card)}`, solvedOnTry: [1, 1, 1], notSolved: 1 }))).toBe(true);
    const revealed = harness.fake.getMessage(drop.messageId)!;
    expect(revealed.attachments.map((a) => a.filename)).toEqual(['daily-reveal.png']);
    expect(JSON.stringify(revealed.embeds[0]?.fields)).toContain('3 members; first: Ana');

    // Images off: the next reveal is text only.
    await imagesOff(harness);
    const after = harness.fake.cursor();
    await postNow();
    const plain = harness.fake.calls('PATCH', `/channels/${channel}/messages/${second.id}`, after)[0]!;
    expect(plain.files).toEqual([]);
    expect(embedOf(plain.body as Json).image).toBeUndefined();
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
  });
});

describe('season podium picture', () => {
  it('/season new announces the closed season on a podium in the channel, members tied on points on one step', async () => {
    const harness = (h = await startHarness({ images }));
    await harness.seedScores({
      events: [ev(ana, DEFAULT_NOW - HOUR, { points: 30 }), ev(ben, DEFAULT_NOW - HOUR, { points: 30 }), ev(cleo, DEFAULT_NOW - HOUR, { points: 10 }), ev(teacher, DEFAULT_NOW - HOUR, { points: 5 })],
      names: { [ana.id]: 'Ana', [ben.id]: 'Ben', [cleo.id]: 'Cleo', [teacher.id]: 'Ms Rivera' },
    });
    const ask = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: teacher, options: { name: 'Spring 2027' } });
    const question = await ask.waitForReply();
    const cursor = harness.fake.cursor();
    const confirm = await harness.fake.button({ message: ask.original()!.id, customId: buttonId(question, 'Start Spring 2027'), user: teacher });
    const callback = await confirm.callback();
    expect(String(((callback.body as Json)['data'] as Json)['content'])).toContain('**Spring 2027** has started');
    // The picture goes with the public announcement in the channel.
    const channel = harness.guild.channels[0]!.id;
    const [announcement] = harness.fake.calls('POST', `/channels/${channel}/messages`, cursor);
    const data = announcement!.body as Json;
    expect(embedOf(data).title).toBe('Season 1 · final podium');
    const png = shownPicture(announcement!, data, 'podium.png');
    const expected = await renderPodium({ season: 'Season 1', rows: [{ rank: 1, name: 'Ana', points: 30 }, { rank: 1, name: 'Ben', points: 30 }, { rank: 3, name: 'Cleo', points: 10 }] });
    expect(png.equals(expected)).toBe(true);
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
  });
});
