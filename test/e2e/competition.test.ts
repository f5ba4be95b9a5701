/**
 * The class competition end to end: /leaderboard (pages, periods, decks,
 * servers), /stats, /season and /export through the fake Discord. Scores are
 * seeded with `harness.seedScores`, through the bot's score book as live rounds and daily drops write them.
 */
import type { APIEmbed, APIMessage, APIUser } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScoreEvent } from '../../src/competition/types.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { SCORE_LAYOUT } from '../../src/storage/scores.ts';
import { BOT_PERMISSIONS, makeGuild, makeUser, type PermissionName } from '../support/discord/index.ts';
import { ana, ben, classGuild, cleo, DEFAULT_NOW, eventually, seedDecks, startHarness, teacher, type Harness, type HarnessOptions } from './harness.ts';

type Json = Record<string, unknown>;
type Button = { custom_id: string; label: string; disabled?: boolean };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EPHEMERAL = 64;

let h: Harness | undefined;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function ev(user: APIUser | string, at: number, init: Partial<ScoreEvent> = {}): ScoreEvent {
  const correct = init.correct ?? true;
  return {
    userId: typeof user === 'string' ? user : user.id,
    at,
    deck: 'mlops wk9',
    section: 'MLOps Process',
    cardId: 'card',
    correct,
    points: correct ? 10 : 0,
    source: 'live',
    won: correct,
    ...init,
  };
}

function embedOf(payload: Json | APIMessage | undefined): APIEmbed {
  const embed = (payload?.embeds as APIEmbed[] | undefined)?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(payload)}`);
  return embed;
}

/** The ranking lines of a leaderboard embed: "**3.** Name · 10 pts · 1 correct". */
function rankLines(embed: APIEmbed): string[] {
  return (embed.description ?? '').split('\n').filter((l) => /^(?:[🥇🥈🥉] )?\*\*/u.test(l));
}

function buttonsOf(payload: Json | APIMessage | undefined): Button[] {
  const rows = (payload?.components ?? []) as { components: Button[] }[];
  return rows.flatMap((r) => r.components);
}

function button(payload: Json | APIMessage | undefined, label: string): Button {
  const found = buttonsOf(payload).find((b) => b.label === label || b.label.startsWith(label));
  if (!found) throw new Error(`no "${label}" button in ${JSON.stringify(payload?.components)}`);
  return found;
}

async function leaderboard(harness: Harness, user: APIUser, options: Record<string, string> = {}, guildId?: string) {
  const handle = await harness.fake.slashCommand({ name: 'leaderboard', user, options, ...(guildId ? { guildId } : {}) });
  const reply = await handle.waitForReply();
  return { handle, reply, embed: embedOf(reply) };
}

/** What /season list shows a member. */
async function seasonList(harness: Harness): Promise<string> {
  const list = await harness.fake.slashCommand({ name: 'season', subcommand: 'list', user: ana });
  return embedOf(await list.waitForReply()).description ?? '';
}

function expectClean(harness: Harness): void {
  harness.fake.assertClean();
  expect(harness.errors()).toEqual([]);
}

describe('/leaderboard', () => {
  it('hides members with 0 points, gives medals to the top 3 (ties share them) and marks the caller’s row', async () => {
    const harness = await start();
    await harness.seedScores({
      events: [ev(ana, DEFAULT_NOW - HOUR, { points: 20 }), ev(ben, DEFAULT_NOW - HOUR, { points: 20 }), ev(cleo, DEFAULT_NOW - HOUR, { points: 5 }), ev(teacher, DEFAULT_NOW - HOUR, { points: 0, correct: false })],
      names: { [ana.id]: 'Ana', [ben.id]: 'Ben', [cleo.id]: 'Cleo', [teacher.id]: 'Ms Rivera' },
    });
    const { embed } = await leaderboard(harness, cleo);
    expect(rankLines(embed)).toEqual(['🥇 **1.** Ana · 20 pts · 1 correct', '🥇 **1.** Ben · 20 pts · 1 correct', '🥉 **3.** Cleo · 5 pts · 1 correct ◀ you']);
    expect(embed.description).not.toContain('Ms Rivera');
    expect(embed.footer?.text).toBe('Page 1 of 1 · 3 members with points · ties share a rank');
    const teacherBoard = await leaderboard(harness, teacher);
    expect(teacherBoard.embed.description).toContain('You have no points on this board yet: answer a question right to get on it.');
    expectClean(harness);
  });

  it('pages through 25 members: Next, Previous, own rank, shared ranks, other members refused, expiry', async () => {
    const students = Array.from({ length: 24 }, (_, i) => makeUser({ username: `s${i + 1}`, global_name: `Student ${String(i + 1).padStart(2, '0')}` }));
    const harness = await start({ guilds: [classGuild('MLOps class', students)] });
    // Student n has 300 - 10n points, except that students 2 and 3 tie; the teacher has 105 (rank 20).
    const events = students.map((s, i) => ev(s, DEFAULT_NOW - HOUR, { points: i === 2 ? 280 : 300 - 10 * (i + 1) }));
    const names: Record<string, string> = Object.fromEntries(students.map((s) => [s.id, s.global_name ?? s.username]));
    await harness.seedScores({ events: [...events, ev(teacher, DEFAULT_NOW - HOUR, { points: 105 })], names: { ...names, [teacher.id]: 'Ms Rivera' } });

    const { handle, reply, embed } = await leaderboard(harness, teacher);
    const first = rankLines(embed);
    expect(first).toHaveLength(10);
    expect(first.slice(0, 5)).toEqual([
      '🥇 **1.** Student 01 · 290 pts · 1 correct',
      '🥈 **2.** Student 02 · 280 pts · 1 correct',
      '🥈 **2.** Student 03 · 280 pts · 1 correct',
      '**4.** Student 04 · 260 pts · 1 correct',
      '**5.** Student 05 · 250 pts · 1 correct',
    ]);
    expect(embed.description).toContain('Your rank: **20.** Ms Rivera · 105 pts · 1 correct');
    expect(embed.title).toBe('Leaderboard · all time');
    expect(embed.footer?.text).toBe('Page 1 of 3 · 25 members with points · ties share a rank');
    expect(button(reply, 'Previous').disabled).toBe(true);
    expect(button(reply, 'Next').disabled).toBe(false);

    const message = handle.original();
    if (!message) throw new Error('the leaderboard message was not stored');

    // Next: page 2, where the teacher is, so no separate "your rank" line.
    const next = await harness.fake.button({ message: message.id, customId: button(reply, 'Next').custom_id, user: teacher });
    const page2 = await next.response();
    expect(page2.type).toBe(7);
    const page2Embed = embedOf(page2.data);
    expect(rankLines(page2Embed)).toHaveLength(10);
    expect(rankLines(page2Embed)[0]).toBe('**11.** Student 11 · 190 pts · 1 correct');
    expect(rankLines(page2Embed)[9]).toBe('**20.** Ms Rivera · 105 pts · 1 correct ◀ you');
    expect(page2Embed.description).not.toContain('Your rank');
    expect(page2Embed.footer?.text).toContain('Page 2 of 3');
    expect(button(page2.data, 'Previous').disabled).toBe(false);

    // Next again: the last page, 5 rows, Next disabled.
    const third = await harness.fake.button({ message: message.id, customId: button(page2.data, 'Next').custom_id, user: teacher });
    const page3 = (await third.response()).data;
    expect(rankLines(embedOf(page3)).map((l) => l.slice(0, 6))).toEqual(['**21.*', '**22.*', '**23.*', '**24.*', '**25.*']);
    expect(button(page3, 'Next').disabled).toBe(true);

    // Previous: back to page 2.
    const back = await harness.fake.button({ message: message.id, customId: button(page3, 'Previous').custom_id, user: teacher });
    const backData = (await back.response()).data;
    expect(embedOf(backData).footer?.text).toContain('Page 2 of 3');
    expect(embedOf(harness.fake.getMessage(message.id)).footer?.text).toContain('Page 2 of 3');

    // Another member cannot turn the teacher's pages: an ephemeral refusal, the message unchanged.
    const before = structuredClone(harness.fake.getMessage(message.id));
    const foreign = await harness.fake.button({ message: message.id, customId: button(backData, 'Next').custom_id, user: ana });
    const refusal = await foreign.response();
    expect(refusal.type).toBe(4);
    expect(refusal.data?.flags).toBe(EPHEMERAL);
    expect(String(refusal.data?.content)).toContain('Only the member who ran this /leaderboard');
    expect(harness.fake.getMessage(message.id)).toEqual(before);

    // A page number out of range shows the nearest page.
    const forged = await harness.fake.button({ message: message.id, customId: button(backData, 'Next').custom_id.replace(/:\d+$/, ':99'), user: teacher });
    expect(embedOf((await forged.response()).data).footer?.text).toContain('Page 3 of 3');

    // Ana's own /leaderboard shows that she is not on the board.
    const anaBoard = await leaderboard(harness, ana);
    expect(anaBoard.embed.description).toContain('You have no points on this board yet');

    // After 10 minutes the pages expire: a press removes the buttons from the message and says so.
    harness.clock.advance(10 * 60 * 1000);
    const late = await harness.fake.button({ message: message.id, customId: button(backData, 'Next').custom_id, user: teacher });
    const expired = await late.response();
    expect(expired.type).toBe(7);
    expect(expired.data?.components).toEqual([]);
    const note = (await late.waitForFollowUp(0)).body as Json;
    expect(note.content).toContain('These pages have expired');
    expect(note.flags).toBe(EPHEMERAL);
    expect(buttonsOf(harness.fake.getMessage(message.id))).toEqual([]);
    expect(embedOf(harness.fake.getMessage(message.id)).footer?.text).toContain('Page 3 of 3');
    expectClean(harness);
  });

  it('keeps its pages turning across a restart while they have not expired', async () => {
    const students = Array.from({ length: 12 }, (_, i) => makeUser({ username: `r${i + 1}`, global_name: `Reader ${i + 1}` }));
    const harness = await start({ guilds: [classGuild('MLOps class', students)] });
    await harness.seedScores({ events: students.map((s, i) => ev(s, DEFAULT_NOW - HOUR, { points: 100 - i })), names: Object.fromEntries(students.map((s) => [s.id, s.global_name ?? ''])) });
    const { handle, reply } = await leaderboard(harness, teacher);
    await harness.restart();
    const next = await harness.fake.button({ message: handle.original()!.id, customId: button(reply, 'Next').custom_id, user: teacher });
    const page2 = await next.response();
    expect(page2.type).toBe(7);
    expect(rankLines(embedOf(page2.data))).toEqual(['**11.** Reader 11 · 90 pts · 1 correct', '**12.** Reader 12 · 89 pts · 1 correct']);
    expectClean(harness);
  });

  it('follows the server time zone for weeks and months', async () => {
    const harness = await start();
    const channel = harness.guild.channels[0]?.id as string;
    const set = await harness.fake.slashCommand({ name: 'daily', subcommand: 'set', user: teacher, options: { channel, time: '09:00', timezone: 'America/New_York' } });
    await set.waitForReply();
    const names = { [ana.id]: 'Ana', [ben.id]: 'Ben', [cleo.id]: 'Cleo', [teacher.id]: 'Ms Rivera' };
    await harness.seedScores({
      events: [
        // New York is UTC-5 in November: local midnight is 05:00 UTC.
        ev(teacher, Date.UTC(2026, 10, 1, 3, 59), { points: 1 }), // Sat 31 Oct 23:59 local (EDT): October
        ev(teacher, Date.UTC(2026, 10, 1, 4, 0), { points: 2 }), // Sun 1 Nov 00:00 local (EDT): November
        ev(ana, Date.UTC(2026, 10, 23, 4, 59), { points: 40 }), // Sun 22 Nov 23:59 local: the week before
        ev(ben, Date.UTC(2026, 10, 23, 5, 0), { points: 20 }), // Mon 23 Nov 00:00 local: this week
        ev(cleo, Date.UTC(2026, 10, 30, 4, 0), { points: 30 }), // Sun 29 Nov 23:00 local: this week (Monday in UTC)
        ev(ana, Date.UTC(2026, 11, 1, 4, 30), { points: 7 }), // Mon 30 Nov 23:30 local: November
        ev(ben, Date.UTC(2026, 11, 1, 5, 0), { points: 9 }), // Tue 1 Dec 00:00 local: December
      ],
      names,
    });

    // Sunday 29 Nov, 23:30 in New York.
    harness.clock.set(Date.UTC(2026, 10, 30, 4, 30));
    const week = await leaderboard(harness, ana, { period: 'week' });
    expect(week.embed.title).toBe('Leaderboard · this week (Mon 23 Nov – Sun 29 Nov)');
    expect(rankLines(week.embed)).toEqual(['🥇 **1.** Cleo · 30 pts · 1 correct', '🥈 **2.** Ben · 20 pts · 1 correct']);
    const month = await leaderboard(harness, ana, { period: 'month' });
    expect(month.embed.title).toBe('Leaderboard · this month (November 2026)');
    expect(rankLines(month.embed)).toEqual([
      '🥇 **1.** Ana · 47 pts · 2 correct ◀ you',
      '🥈 **2.** Cleo · 30 pts · 1 correct',
      '🥉 **3.** Ben · 20 pts · 1 correct',
      '**4.** Ms Rivera · 2 pts · 1 correct',
    ]);

    // Monday 30 Nov, 00:30 local: a new week, nothing in it yet (the later events are still to come).
    harness.clock.set(Date.UTC(2026, 10, 30, 5, 30));
    const monday = await leaderboard(harness, ana, { period: 'week' });
    expect(monday.embed.title).toBe('Leaderboard · this week (Mon 30 Nov – Sun 6 Dec)');
    expect(rankLines(monday.embed)).toEqual(['🥇 **1.** Ben · 9 pts · 1 correct', '🥈 **2.** Ana · 7 pts · 1 correct ◀ you']);

    // Tuesday 1 Dec, 00:30 local: December holds only Ben's last answer.
    harness.clock.set(Date.UTC(2026, 11, 1, 5, 30));
    const december = await leaderboard(harness, ana, { period: 'month' });
    expect(december.embed.title).toBe('Leaderboard · this month (December 2026)');
    expect(rankLines(december.embed)).toEqual(['🥇 **1.** Ben · 9 pts · 1 correct']);
    expect(december.embed.description).toContain('You have no points on this board yet');

    // All time has everything.
    const all = await leaderboard(harness, ana);
    expect(rankLines(all.embed).map((l) => l.split(' · ')[0])).toEqual(['🥇 **1.** Ana', '🥈 **2.** Cleo', '🥉 **3.** Ben', '**4.** Ms Rivera']);
    expectClean(harness);
  });

  it('narrows to a course or deck, keeps servers apart, shows members who left, and starts empty', async () => {
    const bio = parseDeck('# deck: bio wk1\n\n## Cells\n\nCells keep their DNA in the -nucleus-.\n', 'decks/bio-wk1.md').deck;
    if (!bio) throw new Error('the test deck does not parse');
    const classA = classGuild('Class A');
    const classB = classGuild('Class B');
    const harness = await start({ guilds: [classA, classB], decks: [...(await seedDecks()), bio] });

    // Empty state first.
    const empty = await leaderboard(harness, ana, {}, classA.id);
    expect(empty.embed.description).toContain('No scores yet');
    expect(buttonsOf(empty.reply)).toEqual([]);

    const gone = '123456789012345678';
    await harness.seedScores({
      events: [ev(ana, DEFAULT_NOW - HOUR, { points: 12 }), ev(ben, DEFAULT_NOW - HOUR, { points: 8, deck: 'bio wk1', section: 'Cells' }), ev(gone, DEFAULT_NOW - 2 * HOUR, { points: 5 })],
      names: { [ana.id]: 'Ana', [ben.id]: 'Ben', [gone]: 'Old Friend' },
      guildId: classA.id,
    });
    await harness.seedScores({ events: [ev(cleo, DEFAULT_NOW - HOUR, { points: 99 })], names: { [cleo.id]: 'Cleo' }, guildId: classB.id });

    const all = await leaderboard(harness, ana, {}, classA.id);
    expect(rankLines(all.embed)).toEqual(['🥇 **1.** Ana · 12 pts · 1 correct ◀ you', '🥈 **2.** Ben · 8 pts · 1 correct', '🥉 **3.** Old Friend · 5 pts · 1 correct']);
    const otherServer = await leaderboard(harness, ana, {}, classB.id);
    expect(rankLines(otherServer.embed)).toEqual(['🥇 **1.** Cleo · 99 pts · 1 correct']);

    const course = await leaderboard(harness, ana, { deck: 'bio' }, classA.id);
    expect(course.embed.title).toBe('Leaderboard · all time · bio');
    expect(rankLines(course.embed)).toEqual(['🥇 **1.** Ben · 8 pts · 1 correct']);
    const deck = await leaderboard(harness, ana, { deck: 'MLOps  WK9', period: 'week' }, classA.id);
    expect(deck.embed.title).toContain('· mlops wk9');
    expect(rankLines(deck.embed).map((l) => l.split(' · ')[0])).toEqual(['🥇 **1.** Ana', '🥈 **2.** Old Friend']);

    const unknown = await harness.fake.slashCommand({ name: 'leaderboard', user: ana, guildId: classA.id, options: { deck: 'chemistry' } });
    const refusal = await unknown.response();
    expect(refusal.data?.flags).toBe(EPHEMERAL);
    expect(String(refusal.data?.content)).toContain('no deck or course called "chemistry"');

    const suggestions = await (await harness.fake.autocomplete({ name: 'leaderboard', user: ana, guildId: classA.id, options: { deck: 'bi' }, focused: 'deck' })).choices();
    expect(suggestions.map((c) => c.value)).toContain('bio');
    expectClean(harness);
  });
});

describe('/stats', () => {
  it('shows rank, answered, correct, accuracy, points, streaks, rounds won and the sections below 80%, for oneself and for another member', async () => {
    const dana = makeUser({ username: 'dana', global_name: 'Dana' });
    const harness = await start({ guilds: [classGuild('MLOps class', [dana])] });
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
    const at = (d: number) => Date.UTC(2026, 10, d, 10, 0);
    const daily = (d: number, correct = true) => ev(ana, at(d), { source: 'daily', day: day(d), correct, points: correct ? 10 : 0, won: false, section: 'Data Engineering' });
    await harness.seedScores({
      events: [
        // Daily: 20, 21, 22 in a row (best 3), 23 missed, then 25 and 26 (current 2; today not answered yet): 5 of 6 (83.3%).
        daily(20), daily(21), daily(22), daily(24, false), daily(25), daily(26),
        // Live: 1 of 4 right in "MLOps Process", 2 of 3 in the untitled section, 1 of 2 in "Pipelines" (too few to judge).
        ev(ana, at(26), { points: 14 }),
        ev(ana, at(26), { correct: false }),
        ev(ana, at(26), { correct: false }),
        ev(ana, at(26), { correct: false }),
        ev(ana, at(26), { section: '', points: 9 }),
        ev(ana, at(26), { section: '', points: 8 }),
        ev(ana, at(26), { section: '', correct: false }),
        ev(ana, at(26), { section: 'Pipelines', correct: false }),
        ev(ana, at(26), { section: 'Pipelines', points: 3 }),
        ev(ben, at(26), { points: 10 }),
        // The teacher ties with Ben on 10 points, 3 of 3 in one section.
        ev(teacher, at(26), { section: 'Tools of MLOps', points: 4 }),
        ev(teacher, at(26), { section: 'Tools of MLOps', points: 3 }),
        ev(teacher, at(26), { section: 'Tools of MLOps', points: 3 }),
        // Dana answered once, wrong: no points.
        ev(dana, at(26), { correct: false }),
      ],
      names: { [ana.id]: 'Ana', [ben.id]: 'Ben', [teacher.id]: 'Ms Rivera', [dana.id]: 'Dana' },
      // Two live rounds: Ana and Ben tied for first in one, Ana won the other.
      roundsWon: [[ana.id, ben.id], [ana.id]],
    });
    const statsOf = async (member?: APIUser) => {
      const handle = await harness.fake.slashCommand({ name: 'stats', user: ana, ...(member ? { options: { member: member.id } } : {}) });
      const reply = await handle.waitForReply();
      const embed = embedOf(reply);
      return { reply, embed, fields: Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value])) };
    };
    const WEAKEST = 'Weakest sections (below 80%)';

    const own = await statsOf();
    expect(own.reply.flags).toBe(EPHEMERAL);
    expect(own.embed.title).toBe('Stats · Ana');
    // 15 answered (6 daily, 9 live), 9 right (5 daily, 4 live).
    expect(own.fields['Rank (all time)']).toBe('1 of 3');
    expect(own.fields['Points']).toBe(String(5 * 10 + 14 + 9 + 8 + 3));
    expect(own.fields['Answered']).toBe('15');
    expect(own.fields['Correct']).toBe('9 (60%)');
    expect(own.fields['Daily streak']).toBe('2 days (best 3)');
    expect(own.fields['Live rounds won']).toBe('2');
    // Data Engineering (83.3%) is no weak spot; Pipelines has too few answers.
    expect(own.fields[WEAKEST]).toBe('mlops wk9 · MLOps Process: 25% of 4\nmlops wk9: 66.7% of 3');

    const other = await statsOf(ben);
    expect(other.embed.title).toBe('Stats · Ben');
    expect(other.fields).toMatchObject({ 'Rank (all time)': '2 of 3 (tied)', Points: '10', Answered: '1', Correct: '1 (100%)', 'Daily streak': '0 days (best 0)', 'Live rounds won': '1' });
    expect(other.fields[WEAKEST]).toBe('No weak spot yet: a section counts after 3 answers.');

    // The same rank as on /leaderboard, where ties share a rank.
    const board = await leaderboard(harness, ana);
    expect(rankLines(board.embed).map((l) => l.split(' · ')[0])).toEqual(['🥇 **1.** Ana', '🥈 **2.** Ms Rivera', '🥈 **2.** Ben']);
    const tied = await statsOf(teacher);
    expect(tied.fields['Rank (all time)']).toBe('2 of 3 (tied)');
    expect(tied.fields[WEAKEST]).toBe('No weak spot yet: every section is at 80% or better.');

    const unranked = await statsOf(dana);
    expect(unranked.fields['Rank (all time)']).toBe('not ranked yet');
    expect(unranked.fields['Points']).toBe('0');

    expect((await statsOf(cleo)).embed.description).toContain('No answers yet');
    expectClean(harness);
  });
});

describe('/season', () => {
  it('starts a new season after confirmation, announced in the channel with the top 3 ranked as on /leaderboard; all time stays; the list keeps the top 3', async () => {
    const harness = await start();
    const general = harness.guild.channels[0]!.id;
    // Ben and Cleo tie for second: they share rank 2, and the teacher (4th) is not in the top 3.
    await harness.seedScores({
      events: [ev(ana, DEFAULT_NOW - DAY, { points: 30 }), ev(ben, DEFAULT_NOW - DAY, { points: 20 }), ev(cleo, DEFAULT_NOW - DAY, { points: 20 }), ev(teacher, DEFAULT_NOW - DAY, { points: 5 })],
      names: { [ana.id]: 'Ana', [ben.id]: 'Ben', [cleo.id]: 'Cleo', [teacher.id]: 'Ms Rivera' },
    });

    // A member without Manage Server is refused.
    const denied = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: ana, options: { name: 'Mine' } });
    const deniedReply = await denied.response();
    expect(deniedReply.data?.flags).toBe(EPHEMERAL);
    expect(String(deniedReply.data?.content)).toContain('Only members with Manage Server');

    const ask = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: teacher, options: { name: 'Spring 2027' } });
    const question = await ask.waitForReply();
    expect(question.flags).toBe(EPHEMERAL);
    expect(String(question.content)).toContain('Start the season **Spring 2027**?');
    const message = ask.original();
    if (!message) throw new Error('the confirmation was not stored');

    // Someone else pressing the confirm button is refused and nothing changes.
    const intruder = await harness.fake.button({ message: message.id, customId: button(question, 'Start').custom_id, user: ana });
    const intruderReply = await intruder.response();
    expect(intruderReply.type).toBe(4);
    expect(intruderReply.data?.flags).toBe(EPHEMERAL);
    expect(String(intruderReply.data?.content)).toContain('Only the member who asked');
    expect(await seasonList(harness)).toContain('Current: **Season 1**');

    harness.clock.advance(60_000);
    const confirm = await harness.fake.button({ message: message.id, customId: button(question, 'Start').custom_id, user: teacher });
    const done = await confirm.response();
    expect(done.type).toBe(7);
    expect(String(done.data?.content)).toBe(`**Spring 2027** has started. Announced in <#${general}>. Closed: **Season 1** (26 Nov 2026 – 27 Nov 2026): 1. Ana (30), 2. Ben (20), 2. Cleo (20)`);
    expect(done.data?.components).toEqual([]);

    // The class sees it: a public message in the channel (not an interaction reply), with the podium.
    const posted = harness.fake.channelMessages(general).filter((m) => !m.webhook_id);
    expect(posted).toHaveLength(1);
    const announcement = posted[0]!;
    expect(announcement.flags ?? 0).toBe(0);
    expect(announcement.content).toBe('🏁 **Season 1** is over and **Spring 2027** has started! The season leaderboard starts from zero; all-time totals stay.');
    const podium = embedOf(announcement);
    expect(podium.title).toBe('Season 1 · final podium');
    expect(podium.description).toBe('🥇 **1.** Ana · 30 pts\n🥈 **2.** Ben · 20 pts\n🥈 **2.** Cleo · 20 pts\n\n26 Nov 2026 – 27 Nov 2026');
    expect(podium.footer?.text).toBe('Ties share a rank');
    expect(podium.image?.url).toContain('podium.png');
    expect(announcement.attachments.map((a) => a.filename)).toEqual(['podium.png']);

    // The season board is empty; all time is not.
    const season = await leaderboard(harness, ana, { period: 'season' });
    expect(season.embed.title).toBe('Leaderboard · season Spring 2027');
    expect(season.embed.description).toContain('No scores yet');
    const all = await leaderboard(harness, ana);
    expect(rankLines(all.embed)).toHaveLength(4);

    // New points count for both.
    await harness.seedScores({ events: [ev(cleo, harness.clock.now(), { points: 3 })], names: { [cleo.id]: 'Cleo' } });
    const after = await leaderboard(harness, ana, { period: 'season' });
    expect(rankLines(after.embed)).toEqual(['🥇 **1.** Cleo · 3 pts · 1 correct']);
    expect(after.embed.description).toContain('You have no points on this board yet');

    const listed = await seasonList(harness);
    expect(listed).toContain('Current: **Spring 2027** since 27 Nov 2026');
    expect(listed).toContain('**Season 1** (26 Nov 2026 – 27 Nov 2026): 1. Ana (30), 2. Ben (20), 2. Cleo (20)');
    expect(listed).not.toContain('Ms Rivera');

    // The button cannot be used twice.
    const again = await harness.fake.button({ message: message.id, customId: button(question, 'Start').custom_id, user: teacher });
    expect(String((await again.response()).data?.content)).toContain('expired');
    expect((await seasonList(harness)).match(/^\*\*Season 1\*\*/gm)).toHaveLength(1);

    // A confirmation can be cancelled, and expires after 5 minutes.
    const cancelAsk = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: teacher, options: { name: 'Never' } });
    const cancelQuestion = await cancelAsk.waitForReply();
    const cancel = await harness.fake.button({ message: cancelAsk.original()?.id ?? '', customId: button(cancelQuestion, 'Cancel').custom_id, user: teacher });
    expect(String((await cancel.response()).data?.content)).toContain('Cancelled');
    const slowAsk = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: teacher, options: { name: 'Too late' } });
    const slowQuestion = await slowAsk.waitForReply();
    harness.clock.advance(5 * 60 * 1000);
    const slow = await harness.fake.button({ message: slowAsk.original()?.id ?? '', customId: button(slowQuestion, 'Start').custom_id, user: teacher });
    const slowReply = await slow.response();
    expect(String(slowReply.data?.content)).toContain('This confirmation has expired');
    expect(slowReply.data?.components).toEqual([]);
    expect(await seasonList(harness)).toContain('Current: **Spring 2027**');

    // All time survives a restart, the season too.
    await harness.restart();
    const restarted = await leaderboard(harness, ana, { period: 'season' });
    expect(rankLines(restarted.embed)).toEqual(['🥇 **1.** Cleo · 3 pts · 1 correct']);
    expectClean(harness);
  });
});

describe('/season new where the channel does not take messages', () => {
  const quietGuild = () => makeGuild({ name: 'MLOps class', members: [teacher, ana, ben, cleo], channels: [{ name: 'general' }, { name: 'quiet', botDeny: ['SendMessages'] }] });

  async function confirmIn(harness: Harness, channelId: string, appPermissions?: readonly PermissionName[]) {
    const ask = await harness.fake.slashCommand({ name: 'season', subcommand: 'new', user: teacher, channelId, options: { name: 'Spring 2027' } });
    const question = await ask.waitForReply();
    const confirm = await harness.fake.button({ message: ask.original()!.id, customId: button(question, 'Start').custom_id, user: teacher, ...(appPermissions ? { appPermissions } : {}) });
    return (await confirm.response()).data;
  }

  it('starts the season; the confirmation says which permission is missing and keeps the podium', async () => {
    const harness = await start({ guilds: [quietGuild()] });
    const quiet = harness.guild.channels[1]!.id;
    await harness.seedScores({ events: [ev(ana, DEFAULT_NOW - DAY, { points: 30 })], names: { [ana.id]: 'Ana' } });
    const done = await confirmIn(harness, quiet);
    expect(String(done?.content)).toBe('**Spring 2027** has started, but I could not announce it in this channel: I am missing Send Messages here. Closed: **Season 1** (26 Nov 2026 – 27 Nov 2026): 1. Ana (30)');
    expect(embedOf(done).title).toBe('Season 1 · final podium');
    expect(embedOf(done).description).toContain('🥇 **1.** Ana · 30 pts');
    expect(harness.fake.channelMessages(quiet).filter((m) => !m.webhook_id)).toEqual([]);
    expect(await seasonList(harness)).toContain('Current: **Spring 2027**');
    expectClean(harness);
  });

  it('says so when Discord refuses the announcement', async () => {
    const harness = await start({ guilds: [quietGuild()] });
    const quiet = harness.guild.channels[1]!.id;
    // The interaction says the bot may post (permissions changed in between, say); Discord refuses.
    const done = await confirmIn(harness, quiet, BOT_PERMISSIONS);
    expect(String(done?.content)).toMatch(/^\*\*Spring 2027\*\* has started, but I could not announce it in this channel: Discord did not take the message \(Missing Permissions\)\. Closed: \*\*Season 1\*\* \(27 Nov 2026 – 27 Nov 2026\): nobody scored$/);
    expect(embedOf(done).description).toContain('Nobody scored this season.');
    expect(harness.fake.channelMessages(quiet).filter((m) => !m.webhook_id)).toEqual([]);
    expect(harness.logs.some((l) => l.level === 'warn' && l.message.includes('was not announced'))).toBe(true);
    expectClean(harness);
  });
});

describe('/export', () => {
  it('sends the teacher a safe UTF-8 CSV; the command is for Manage Server by default', async () => {
    const harness = await start();
    await harness.seedScores({
      events: [
        ev(ana, DEFAULT_NOW - HOUR, { points: 14 }),
        ev(ana, DEFAULT_NOW - HOUR, { correct: false }),
        ev(ana, DEFAULT_NOW - HOUR, { correct: false }),
        ev(ben, DEFAULT_NOW - DAY, { source: 'daily', day: '2026-11-26', points: 15, won: false }),
        ev(ben, DEFAULT_NOW - 2 * HOUR, { source: 'daily', day: '2026-11-27', points: 10, won: false }),
        ev(cleo, DEFAULT_NOW - HOUR, { points: 3 }),
      ],
      names: { [ana.id]: 'Ana, "the fast"', [ben.id]: '=HYPERLINK("http://x")', [cleo.id]: '@cleo' },
    });

    const handle = await harness.fake.slashCommand({ name: 'export', user: teacher });
    const first = await handle.response();
    expect(first.type).toBe(5);
    expect((first.data as Json | undefined)?.flags).toBe(EPHEMERAL);
    const edit = await handle.waitForEdit();
    expect(edit.files).toHaveLength(1);
    const file = edit.files[0];
    if (!file) throw new Error('no file');
    expect(file.filename).toBe('studybot-all-2026-11-27.csv');
    expect(file.text.startsWith('\uFEFF')).toBe(true);
    expect(file.data.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = file.text.slice(1).split('\r\n');
    expect(lines).toEqual([
      'rank,member id,display name,points,answered,correct,accuracy %,streak',
      `1,${ben.id},"'=HYPERLINK(""http://x"")",25,2,2,100,2`,
      `2,${ana.id},"Ana, ""the fast""",14,3,1,33.3,0`,
      `3,${cleo.id},'@cleo,3,1,1,100,0`,
      '',
    ]);
    expect(String((edit.body as Json).content)).toContain('Results for all time: 3 members');

    // A period and a deck narrow it.
    const week = await harness.fake.slashCommand({ name: 'export', user: teacher, options: { period: 'week', deck: 'mlops' } });
    const weekFile = (await week.waitForEdit()).files[0];
    expect(weekFile?.filename).toBe('studybot-week-mlops-2026-11-27.csv');
    expect(weekFile?.text.split('\r\n')).toHaveLength(5);

    // Discord's permission system decides who may run it: Manage Server by default, as server admins set it in Integrations.
    const definition = harness.fake.commands().find((c) => c.name === 'export');
    expect(definition?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expectClean(harness);
  });
});

describe('upgrading a store of the previous version', () => {
  it('shows the week and all-time boards of the old scores after a restart into the new layout', async () => {
    const harness = await start();
    const g = harness.guild.id;
    // What the previous version stored, written while the bot is down: member totals, their index, the seasons and one hour of events.
    const events = [ev(ana, DEFAULT_NOW - HOUR, { points: 14 }), ev(ben, DEFAULT_NOW - HOUR + 1000, { points: 9 }), ev(ana, DEFAULT_NOW - 20 * DAY, { points: 50 })];
    const doc = (points: number) => ({ name: '', points, answered: 1, correct: 1, won: 1, decks: {}, sections: {}, dailyDays: [] });
    await harness.restart({
      whileDown: async (store) => {
        await store.set(`member:${g}:all:${ana.id}`, { ...doc(64), name: 'Ana', answered: 2, correct: 2, won: 2 });
        await store.set(`member:${g}:all:${ben.id}`, { ...doc(9), name: 'Ben' });
        await store.set(`members:${g}:all`, [ana.id, ben.id]);
        await store.set(`seasons:${g}`, { current: { id: 1, name: 'Season 1', startedAt: DEFAULT_NOW - 20 * DAY }, past: [] });
        await store.set(`events:${g}:${new Date(DEFAULT_NOW - HOUR).toISOString().slice(0, 13)}`, events.slice(0, 2));
        await store.set(`events:${g}:${new Date(DEFAULT_NOW - 20 * DAY).toISOString().slice(0, 13)}`, events.slice(2));
        await store.delete(`scores-layout:${g}`);
      },
    });
    const week = await leaderboard(harness, ana, { period: 'week' });
    expect(rankLines(week.embed)).toEqual(['🥇 **1.** Ana · 14 pts · 1 correct ◀ you', '🥈 **2.** Ben · 9 pts · 1 correct']);
    const all = await leaderboard(harness, ana);
    expect(rankLines(all.embed)).toEqual(['🥇 **1.** Ana · 64 pts · 2 correct ◀ you', '🥈 **2.** Ben · 9 pts · 1 correct']);
    expectClean(harness);
    // The store was moved to the new layout.
    await harness.restart({ whileDown: async (store) => expect(await store.get(`scores-layout:${g}`)).toBe(SCORE_LAYOUT) });
  });

  it('upgrades the servers it holds after it is ready, with no command there first', async () => {
    const harness = await start();
    const g = harness.guild.id;
    const doc = { name: 'Ana', points: 64, answered: 2, correct: 2, won: 2, decks: {}, sections: {}, dailyDays: [] };
    await harness.restart({
      whileDown: async (store) => {
        await store.set(`member:${g}:all:${ana.id}`, doc);
        await store.set(`members:${g}:all`, [ana.id]);
        await store.set(`seasons:${g}`, { current: { id: 1, name: 'Season 1', startedAt: DEFAULT_NOW - 20 * DAY }, past: [] });
        await store.delete(`scores-layout:${g}`);
      },
    });
    // Ready without waiting for it; then it runs by itself.
    await vi.waitFor(async () => expect(await harness.bot.ctx.store.get(`scores-layout:${g}`)).toBe(SCORE_LAYOUT), { timeout: 10_000 });
    const all = await leaderboard(harness, ana);
    expect(rankLines(all.embed)).toEqual(['🥇 **1.** Ana · 64 pts · 2 correct ◀ you']);
    expectClean(harness);
  });
});
