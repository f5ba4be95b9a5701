/**
 * Live rounds end to end: the real bot against the fake Discord, with a manual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { APIEmbed, APIMessage, APIUser } from 'discord.js';
import type Keyv from 'keyv';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card, Deck } from '../../src/deck/types.ts';
import { livePrompt, promptMarkdown } from '../../src/bot/render.ts';
import { makeGuild, makeUser, type RecordedRequest } from '../support/discord/index.ts';
import { FaultyStore } from '../support/faulty-store.ts';
import { ana, ben, classGuild, cleo, closeChecked, DEFAULT_NOW, eventually, startHarness, statsOf as statsView, teacher, type Harness } from './harness.ts';

const BIO = `# deck: bio cells

## Organelles
The -mitochondria- is the powerhouse of the cell.
The 1.-nucleus- holds the 1.-DNA- of the cell.
Plants use -chloroplasts- for photosynthesis.

## Membranes
The -cell membrane- controls what enters the cell.
`;

const CHEM = `# deck: chem basics
Water is made of -hydrogen- and -oxygen-.
`;

function deck(source: string, file: string): Deck {
  const { deck, errors } = parseDeck(source, file);
  if (!deck) throw new Error(errors.map((e) => e.message).join('\n'));
  return deck;
}

const MENTIONS = `# deck: pings
Say -@everyone- to <@&1234> and <@5678>.
`;

const decks = [deck(BIO, 'decks/bio.md'), deck(CHEM, 'decks/chem.md')];
const pings = deck(MENTIONS, 'decks/pings.md');
const BIG = deck(
  ['# deck: big quiz', ...['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'].map((word, i) => `Word ${i + 1} of the spelling alphabet is -${word}-.`)].join('\n'),
  'decks/big.md',
);

const allCards = [...decks, pings, BIG].flatMap((d) => d.cards);

/** Waits until the open question's timer is armed (it is set once the question is posted). */
async function timerArmed(harness: Harness): Promise<void> {
  await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
}

let h: Harness | undefined;
afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness) await closeChecked(harness);
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness({ decks, ...options });
  return h;
}

const isChannelPost = (channelId: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
const isEdit = (channelId: string, messageId: string) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/channels/${channelId}/messages/${messageId}`;

function embedOf(body: unknown): APIEmbed {
  const embeds = (body as { embeds?: APIEmbed[] }).embeds;
  expect(embeds).toHaveLength(1);
  return embeds![0]!;
}

/** The title of a body's first embed, if any (safe in request predicates). */
function titleOf(body: unknown): string | undefined {
  return (body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0]?.title;
}

/** The card a question message asks, found by its prompt. */
function cardOf(question: APIMessage | RecordedRequest): Card {
  const embed = 'body' in question ? embedOf(question.body) : question.embeds[0]!;
  const prompt = embed.description?.split('\n\n')[0];
  const card = allCards.find((c) => livePrompt(c, 0) === prompt);
  if (!card) throw new Error(`no card with prompt ${embed.description}`);
  return card;
}

/** The bot's next question message in a channel (after `cursor`). */
async function nextQuestion(harness: Harness, channelId: string, after: number): Promise<{ request: RecordedRequest; message: APIMessage; card: Card }> {
  const request = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && /^Question \d+ of \d+$/.test(titleOf(r.body) ?? ''), { after });
  const message = request.response as APIMessage;
  return { request, message, card: cardOf(request) };
}

async function startRound(harness: Harness, options: Record<string, string | number>, user = teacher, channelId = harness.guild.channels[0]!.id, guildId = harness.guild.id) {
  const cursor = harness.fake.cursor();
  // No pause between questions unless a test asks for one: the next question follows at once.
  const command = await harness.fake.slashCommand({ name: 'quiz', options: { pause: 0, ...options }, user, channelId, guildId });
  const reply = await command.waitForReply();
  const first = await nextQuestion(harness, channelId, cursor);
  return { command, reply, first, channelId };
}

describe('a live round', () => {
  it('runs from start to summary: wrong and right replies, hint, skip, time-out', async () => {
    const harness = await start();
    const { reply, first, channelId } = await startRound(harness, { deck: 'bio', questions: 3, seconds: 30 });
    expect(reply.content).toContain('**Quiz: bio**, 3 questions, 30 s each');
    const q1 = embedOf(first.request.body);
    expect(q1.title).toBe('Question 1 of 3');
    expect(q1.description).toContain('`____`');
    // One compact embed: the sentence, then deck · section with the countdown, and the points.
    expect(q1.fields ?? []).toEqual([]);
    expect(q1.description).toMatch(new RegExp(`\\n\\nbio cells · ${first.card.section} · ends <t:${Math.ceil(DEFAULT_NOW / 1000) + 30}:R>\\n\\*\\*10 points\\*\\* \\+ up to 5 for speed`));
    const buttons = (first.request.body as { components: { components: { custom_id: string; label: string }[] }[] }).components[0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(['Hint', 'Skip', 'Stop']);

    // A wrong reply gets no message; the right one after it gets the only reply.
    let cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: 'ribosome' });
    harness.clock.advance(3_000);
    const right = harness.fake.message({ channelId, author: ben, content: first.card.answers.join(', ').toUpperCase() });
    const winnerReply = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(winnerReply.body).toMatchObject({
      message_reference: { message_id: right.id, fail_if_not_exists: false },
      allowed_mentions: { parse: [], replied_user: false },
    });
    const content = (winnerReply.body as { content: string }).content;
    expect(content).toContain('Correct, Ben!');
    expect(content).toContain('+14 points (10 + 4 for speed)');
    const closed = await harness.fake.waitForRequest(isEdit(channelId, first.message.id), { after: cursor });
    // The answer shows once in the winner's reply and once in the closed question, in bold in its sentence.
    const answered = embedOf(closed.body);
    expect(answered.title).toBe('Question 1 of 3 · ✅ Ben');
    expect(answered.fields ?? []).toEqual([]);
    const firstAnswer = first.card.answers[0]!;
    expect(content.split(firstAnswer)).toHaveLength(2);
    expect(answered.description!.split(firstAnswer)).toHaveLength(2);
    expect(answered.description).toContain(`**${firstAnswer}**`);
    expect(closed.body).toMatchObject({ components: [] });

    // Question 2: a hint, then a skip by the member who started the round.
    const q2 = await nextQuestion(harness, channelId, cursor);
    expect(harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor).filter((r) => r.index !== q2.request.index && r.index !== winnerReply.index)).toEqual([]);
    const hint = await harness.fake.button({ message: q2.message, customId: `quiz:hint:${q2.request.body && (buttonsOf(q2.request)[0]!.custom_id.split(':')[2])}`, user: cleo });
    const hinted = await hint.response();
    expect(hinted.type).toBe(7);
    const hintEmbed = embedOf(hinted.data);
    expect(hintEmbed.description).toContain(`\`${q2.card.answers[0]![0]} _`);
    expect(hintEmbed.description).toContain('💡 Hint 1 of 3 by Cleo: now **7 points** + up to 5 for speed');
    cursor = harness.fake.cursor();
    const skip = await harness.fake.button({ message: q2.message, customId: buttonsOf(q2.request)[1]!.custom_id, user: teacher });
    const skipped = await skip.response();
    expect(skipped.type).toBe(7);
    expect(embedOf(skipped.data).title).toBe('Question 2 of 3 · Skipped');
    expect(embedOf(skipped.data).description).toContain(`**${q2.card.answers[0]!}**`);

    // Question 3 times out: its answer is shown, then the summary.
    const q3 = await nextQuestion(harness, channelId, cursor);
    cursor = harness.fake.cursor();
    await timerArmed(harness);
    harness.clock.advance(29_999);
    expect(harness.fake.calls('PATCH', undefined, cursor)).toEqual([]);
    harness.clock.advance(1);
    const timedOut = await harness.fake.waitForRequest(isEdit(channelId, q3.message.id), { after: cursor });
    expect(embedOf(timedOut.body).title).toBe("Question 3 of 3 · Time's up");
    const summary = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    const summaryEmbed = embedOf(summary.body);
    expect(summaryEmbed.title).toBe('Round over: bio');
    expect(summaryEmbed.description).toBe('🏆 **Ben** wins with 14 points.\n\n**1.** Ben · 14 pts · 1 correct');
    expect(summaryEmbed.footer?.text).toBe('3 questions asked · 1 answered · 1 timed out · 1 skipped · 1 hint used · /leaderboard for the class ranking');
    expect(await pressStale(harness, q3)).toBe('This question is closed.');

    // The points reached the server's totals; the wrong reply counts as answered.
    expect(await statsOf(harness, ben)).toMatchObject({ Points: '14', Answered: '1', Correct: '1 (100%)', 'Questions won first': '1', 'Live rounds won': '1' });
    expect(await statsOf(harness, ana)).toMatchObject({ Points: '0', Answered: '1', Correct: '0 (0%)', 'Questions won first': '0' });
  });

  it('chat during a question is not an attempt: it counts neither in /stats nor in /export, a wrong guess does', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'chem', questions: 1, seconds: 10 });
    harness.fake.message({ channelId, author: ana, content: 'um' });
    harness.fake.message({ channelId, author: ana, content: 'no idea, something about data?' });
    harness.fake.message({ channelId, author: ben, content: 'no idea, something about data?' });
    harness.fake.message({ channelId, author: cleo, content: 'carbon' });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ben, content: first.card.answers[0]! });
    await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body)?.startsWith('Round over') === true, { after: cursor });
    const anaStats = await (await harness.fake.slashCommand({ name: 'stats', user: ana })).waitForReply();
    expect(embedOf(anaStats).description).toContain('No answers yet.');
    expect(await statsOf(harness, ben)).toMatchObject({ Answered: '1', Correct: '1 (100%)' });
    expect(await statsOf(harness, cleo)).toMatchObject({ Answered: '1', Correct: '0 (0%)' });
    const exported = await harness.fake.slashCommand({ name: 'export', user: teacher });
    const csv = (await exported.waitForEdit()).files[0]!.text.slice(1).split('\r\n');
    expect(csv.some((line) => line.includes(ana.id))).toBe(false);
    expect(csv.find((line) => line.includes(ben.id))).toMatch(/,1,1,100,0$/);
    expect(csv.find((line) => line.includes(cleo.id))).toMatch(/,0,1,0,0,0$/);
  });

  it('remembers every member who answered: two right answers both get Good, only the first gets points; a wrong try gets Again', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 2, seconds: 30, pause: 0 });
    const right = first.card.answers.join(', ');
    let cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: cleo, content: 'ribosome' });
    harness.clock.advance(2_000);
    harness.fake.message({ channelId, author: ben, content: right });
    const second = await nextQuestion(harness, channelId, cursor);
    // Ana typed the same answer a second later: the question was already won, and this is not a try at question 2.
    harness.clock.advance(1_000);
    harness.fake.message({ channelId, author: ana, content: right });
    cursor = harness.fake.cursor();
    await timerArmed(harness);
    harness.clock.advance(30_000);
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body) === 'Round over: bio', { after: cursor });
    expect(embedOf(summary.body).description).toContain('**Ben** wins with 14 points.');

    const stateOf = async (user: APIUser) => (await harness.stored.memory(user.id, first.card.deck))[first.card.id];
    expect(await stateOf(ben)).toMatchObject({ reps: 1, firstRating: 'good', firstSource: 'live' });
    expect(await stateOf(ana)).toMatchObject({ reps: 1, firstRating: 'good', firstSource: 'live' });
    expect(await stateOf(cleo)).toMatchObject({ reps: 1, firstRating: 'again' });
    // Nobody tried question 2: no review of it.
    expect((await harness.stored.memory(ana.id, second.card.deck))[second.card.id]).toBeUndefined();
    const log = await harness.stored.reviewLog(0, harness.clock.now() + 1);
    expect(log.map((e) => [e.user, e.card, e.rating, e.source]).sort()).toEqual(
      [[ana.id, first.card.id, 'good', 'live'], [ben.id, first.card.id, 'good', 'live'], [cleo.id, first.card.id, 'again', 'live']].sort(),
    );
    // Points: Ben's only; Ana's late answer counts neither as answered nor as a try at question 2.
    expect(await statsOf(harness, ben)).toMatchObject({ Points: '14', Answered: '1', Correct: '1 (100%)' });
    expect(await statsView(harness, ana)).toEqual({ description: expect.stringContaining('No answers yet'), fields: {} });
  });

  it('names the winner by their server nickname, also when other members write right after the winning reply', async () => {
    const guild = makeGuild({ name: 'MLOps class', members: [teacher, { user: ana, nick: 'Ana R.' }, ben, cleo], channels: [{ name: 'general' }, { name: 'quiz' }] });
    const harness = await start({ guilds: [guild] });
    const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 1, seconds: 30 });
    const cursor = harness.fake.cursor();
    // The winning reply and two more, from other members of the server, at once.
    const winning = harness.fake.message({ channelId, author: ana, content: first.card.answers.join(', ') });
    harness.fake.message({ channelId, author: ben, content: 'um' });
    harness.fake.message({ channelId, author: cleo, content: 'no idea' });
    const reply = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === winning.id, { after: cursor });
    expect((reply.body as { content: string }).content).toMatch(/^Correct, Ana R\.! /);
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body) === 'Round over: bio', { after: cursor });
    expect(embedOf(summary.body).description).toContain('**Ana R.** wins with');
  });

  it('Stop is refused to other members and ends the round for the member who started it', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 4 }, ana);
    const refused = await harness.fake.button({ message: first.message, customId: buttonsOf(first.request)[2]!.custom_id, user: ben });
    expect(await refused.response()).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('Only the member who started the round') } });
    const cursor = harness.fake.cursor();
    const stop = await harness.fake.button({ message: first.message, customId: buttonsOf(first.request)[2]!.custom_id, user: ana });
    expect(embedOf((await stop.response()).data).title).toBe('Question 1 of 4 · Round stopped');
    const summary = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(embedOf(summary.body).description).toContain('Stopped by Ana.');
    expect(embedOf(summary.body).description).toContain('Nobody scored this round.');
    expect(await pressStale(harness, first)).toBe('This question is closed.');
  });

  it('a member with Manage Messages may stop a round someone else started', async () => {
    const harness = await start();
    const { first } = await startRound(harness, { deck: 'bio' }, ana);
    const stop = await harness.fake.button({ message: first.message, customId: buttonsOf(first.request)[2]!.custom_id, user: ben, member: { permissions: ['ViewChannel', 'SendMessages', 'ManageMessages'] } });
    expect((await stop.response()).type).toBe(7);
  });

  it('a card with several blanks takes them in order, and one blank alone is not enough', async () => {
    const harness = await start();
    const multi = allCards.find((c) => c.answers.length === 2)!;
    // Only the nucleus note has a two-blank card; ask for the whole Organelles section until it comes up.
    const { first, channelId } = await startRound(harness, { deck: 'bio cells', section: 'organelles', questions: 3 });
    let question = first;
    let cursor = harness.fake.cursor();
    while (question.card.id !== multi.id) {
      harness.fake.message({ channelId, author: cleo, content: question.card.answers.join(', ') });
      question = await nextQuestion(harness, channelId, cursor);
      cursor = harness.fake.cursor();
    }
    const asked = embedOf(question.request.body).description!;
    expect(asked).toContain('The (1) `____` holds the (2) `____` of the cell.');
    expect(asked).toContain('Answer the 2 blanks in order, e.g. `first, second`, or as the phrase reads.');
    harness.fake.message({ channelId, author: ana, content: 'nucleus' });
    const right = harness.fake.message({ channelId, author: ben, content: 'the nucleus and DNA' });
    const reply = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(reply.body).toMatchObject({ message_reference: { message_id: right.id } });
    expect((reply.body as { content: string }).content).toBe('Correct, Ben! **nucleus** holds the **DNA** · +15 points (10 + 5 for speed).');
    const closed = await harness.fake.waitForRequest(isEdit(channelId, question.message.id), { after: cursor });
    expect(embedOf(closed.body).description).toBe('The **nucleus** holds the **DNA** of the cell.\n\nbio cells · Organelles');
  });

  it('20 simultaneous right replies give exactly one winner and one award', async () => {
    const students = Array.from({ length: 20 }, (_, i) => makeUser({ username: `student${i}`, global_name: `Student ${i}` }));
    const harness = await start({ guilds: [classGuild('MLOps class', students)] });
    const { first, channelId } = await startRound(harness, { deck: 'chem', questions: 1 });
    const cursor = harness.fake.cursor();
    const sent = students.map((author) => harness.fake.message({ channelId, author, content: first.card.answers[0]! }));
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body) === 'Round over: chem', { after: cursor });
    const replies = harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor).filter((r) => r.index < summary.index);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toMatchObject({ message_reference: { message_id: sent[0]!.id } });
    // One member on the board: nobody else was awarded or even counted as answering.
    expect(await leaderboard(harness)).toBe('🥇 **1.** Student 0 · 15 pts · 1 correct');
  });

  it('a channel that stops taking the bot messages ends the round cleanly, and a new one can start later', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 3 });
    harness.fake.setBotChannelPermissions(channelId, { deny: ['SendMessages'] });
    harness.fake.message({ channelId, author: ana, content: first.card.answers.join(', ') });
    // The round tries to tell the members in one message; the channel takes none.
    await eventually(() => expect(harness.logs.some((l) => l.message.includes('could not post the summary'))).toBe(true));
    expect(harness.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringContaining('live round: could not reply to the winner'),
      expect.stringContaining(`live round in channel ${channelId} ended: could not post a question`),
      expect.stringContaining('live round: could not post the summary'),
    ]);
    // The point was kept.
    expect(await leaderboard(harness)).toMatch(/^🥇 \*\*1\.\*\* Ana · \d+ pts · 1 correct$/);
    harness.fake.setBotChannelPermissions(channelId, {});
    await startRound(harness, { deck: 'chem' });
  });

  it('messages from bots, the bot itself included, are not answers', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'chem', questions: 1, seconds: 10 });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: makeUser({ username: 'otherbot', bot: true }), content: first.card.answers[0]! });
    harness.fake.message({ channelId, author: harness.fake.botUser, content: first.card.answers[0]! });
    await timerArmed(harness);
    harness.clock.advance(10_000);
    const summary = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(embedOf(summary.body).description).toContain('Nobody scored');
    expect(await leaderboard(harness)).toContain('No scores yet');
  });
});

describe('pauses, summaries and hints', () => {
  it('waits 4 s between a question and the next by default, and says so', async () => {
    const harness = await start();
    const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 2, pause: 4 });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: first.card.answers.join(', ') });
    const closed = await harness.fake.waitForRequest(isEdit(channelId, first.message.id), { after: cursor });
    expect(embedOf(closed.body).description).toMatch(/\nNext question in 4 s$/);
    await timerArmed(harness);
    harness.clock.advance(3_999);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor).filter((r) => titleOf(r.body)?.startsWith('Question'))).toEqual([]);
    // Replies during the pause are nobody's attempt.
    await harness.messageReceived({ channelId, author: ben, content: 'mitochondria' });
    harness.clock.advance(1);
    const second = await nextQuestion(harness, channelId, cursor);
    expect(embedOf(second.request.body).title).toBe('Question 2 of 2');
    expect(await statsOf(harness, ana)).toMatchObject({ Answered: '1' });
    const benStats = await (await harness.fake.slashCommand({ name: 'stats', user: ben })).waitForReply();
    expect(embedOf(benStats).description).toContain('No answers yet.');
  });

  it('/quiz without pause uses 4 s; the last question is followed by the summary at once', async () => {
    const harness = await start();
    const cursor = harness.fake.cursor();
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'chem', questions: 1 }, user: teacher, channelId: harness.guild.channels[0]!.id });
    await command.waitForReply();
    const only = await nextQuestion(harness, harness.guild.channels[0]!.id, cursor);
    harness.fake.message({ channelId: harness.guild.channels[0]!.id, author: ana, content: only.card.answers[0]! });
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(harness.guild.channels[0]!.id)(r) && titleOf(r.body)?.startsWith('Round over') === true, { after: cursor });
    expect(embedOf(summary.body).description).toContain('🏆 **Ana** wins');
    const definition = harness.fake.commands().find((c) => c.name === 'quiz') as unknown as { options: { name: string; min_value?: number; max_value?: number; description: string }[] };
    expect(definition.options.find((o) => o.name === 'pause')).toMatchObject({ min_value: 0, max_value: 15, description: expect.stringContaining('default 4') });
  });

  it('the summary names the winner, lists the top 5 plus the member who started the round, and what happened', async () => {
    const students = Array.from({ length: 6 }, (_, i) => makeUser({ username: `s${i}`, global_name: `Student ${i}` }));
    const harness = await start({ decks: [BIG], guilds: [classGuild('MLOps class', students)] });
    const { first, channelId } = await startRound(harness, { deck: 'big', questions: 8, seconds: 30 });
    let question = first;
    // Student i answers after 6·i seconds (15, 14, 13, 12, 11, 10 points); the teacher after three hints (1 + 5).
    for (let i = 0; i < 7; i++) {
      const cursor = harness.fake.cursor();
      if (i < 6) {
        await timerArmed(harness);
        harness.clock.advance(i === 5 ? 29_000 : 6_000 * i);
        harness.fake.message({ channelId, author: students[i]!, content: question.card.answers[0]! });
      } else {
        for (let n = 0; n < 3; n++) await (await harness.fake.button({ message: question.message, customId: buttonsOf(question.request)[0]!.custom_id, user: ana })).response();
        harness.fake.message({ channelId, author: teacher, content: question.card.answers[0]! });
      }
      question = await nextQuestion(harness, channelId, cursor);
    }
    const cursor = harness.fake.cursor();
    await timerArmed(harness);
    harness.clock.advance(30_000);
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body)?.startsWith('Round over') === true, { after: cursor });
    expect(embedOf(summary.body).description).toBe(
      [
        '🏆 **Student 0** wins with 15 points.',
        '',
        '**1.** Student 0 · 15 pts · 1 correct',
        '**2.** Student 1 · 14 pts · 1 correct',
        '**3.** Student 2 · 13 pts · 1 correct',
        '**4.** Student 3 · 12 pts · 1 correct',
        '**5.** Student 4 · 11 pts · 1 correct',
        '…',
        '**7.** Ms Rivera · 6 pts · 1 correct',
      ].join('\n'),
    );
    expect(embedOf(summary.body).footer?.text).toBe('8 questions asked · 7 answered · 1 timed out · 3 hints used · /leaderboard for the class ranking');
  });

  it('hints show countable letters, name who asked, say "1 point", and the Hint button is disabled after the last', async () => {
    const harness = await start();
    const { first } = await startRound(harness, { deck: 'chem', questions: 1 });
    const hintId = buttonsOf(first.request)[0]!.custom_id;
    const press = async (user: APIUser) => (await (await harness.fake.button({ message: first.message, customId: hintId, user })).response()).data as { embeds: APIEmbed[]; components: { components: { label: string; disabled?: boolean }[] }[] };
    const one = await press(ana);
    const answer = first.card.answers[0]!;
    const spaced = (shown: number) => [...answer].map((c, i) => (i < shown ? c : '_')).join(' ');
    expect(one.embeds[0]!.description).toContain(`\`${spaced(1)}\` (${answer.length} letters)`);
    expect(one.embeds[0]!.description).toContain('💡 Hint 1 of 3 by Ana: now **7 points** + up to 5 for speed');
    expect(one.components[0]!.components[0]).toMatchObject({ label: 'Hint', disabled: false });
    await press(ben);
    const three = await press(ana);
    expect(three.embeds[0]!.description).toContain(`\`${spaced(3)}\``);
    expect(three.embeds[0]!.description).toContain('💡 Hint 3 of 3 by Ana, Ben: now **1 point** + up to 5 for speed');
    expect(three.components[0]!.components[0]).toMatchObject({ label: 'Hint', disabled: true });
  });
});

describe('starting a round', () => {
  it('an unknown deck gets an ephemeral error listing the decks', async () => {
    const harness = await start();
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'physics' }, user: ana });
    const reply = await command.waitForReply();
    expect(reply.flags).toBe(64);
    expect(reply.content).toContain('There is no deck or course called "physics"');
    expect(reply.content).toContain('`bio cells`');
    expect(reply.content).toContain('`chem basics`');
  });

  it('an unknown section gets an ephemeral error listing the sections', async () => {
    const harness = await start();
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'bio', section: 'Genetics' }, user: ana });
    const reply = await command.waitForReply();
    expect(reply).toMatchObject({ flags: 64, content: expect.stringContaining('`Organelles`, `Membranes`') });
  });

  it('focus weak asks only the cards the class has tried, weakest first; with none tried it says what to use instead', async () => {
    const harness = await start();
    const refused = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'bio', focus: 'weak' }, user: ana });
    expect(await refused.waitForReply()).toMatchObject({ flags: 64, content: expect.stringContaining('Nobody in this server has tried a card of this deck yet') });
    const mito = decks[0]!.cards[0]!;
    await missInPractice(harness, ben, mito);
    const { first } = await startRound(harness, { deck: 'bio', focus: 'weak' });
    expect(first.card.id).toBe(mito.id);
    expect(embedOf(first.request.body).title).toBe('Question 1 of 1');
  });

  it('a second round in the same channel is refused; another channel may have its own', async () => {
    const harness = await start();
    await startRound(harness, { deck: 'bio' });
    const second = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'chem' }, user: ana });
    expect(await second.waitForReply()).toMatchObject({
      flags: 64,
      content: 'A round started by Ms Rivera is running in this channel. Join it by replying to its question, or start your own round in another channel.',
    });
    const mine = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'chem' }, user: teacher });
    expect(await mine.waitForReply()).toMatchObject({ flags: 64, content: expect.stringContaining('Your round is still running in this channel. Press Stop') });
    const other = await startRound(harness, { deck: 'chem' }, ana, harness.guild.channels[1]!.id);
    expect(embedOf(other.first.request.body).title).toBe('Question 1 of 1');
  });

  it('a deck with fewer sentences than questions asked says so and asks one blank per sentence', async () => {
    const harness = await start();
    // chem basics: one sentence with two blanks; asking both would show one's answer in the other.
    const { reply, first, channelId } = await startRound(harness, { deck: 'chem', questions: 5 });
    expect(reply.content).toContain('**Quiz: chem**, 1 question, 30 s each.');
    expect(reply.content).toContain("chem has only 1 sentence to ask from, and a round never asks two blanks of one sentence (one would show the other's answer), so 1 question instead of 5.");
    expect(embedOf(first.request.body).title).toBe('Question 1 of 1');
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: first.card.answers[0]! });
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body)?.startsWith('Round over') === true, { after: cursor });
    expect(embedOf(summary.body).footer?.text).toContain('1 question asked');
  });

  it('a channel where the bot cannot post embeds gets an error that names the missing permission', async () => {
    const harness = await start();
    const channelId = harness.guild.channels[1]!.id;
    harness.fake.setBotChannelPermissions(channelId, { deny: ['EmbedLinks'] });
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'bio' }, user: ana, channelId });
    expect(await command.waitForReply()).toMatchObject({ flags: 64, content: expect.stringContaining('I am missing Embed Links here') });
    // No round was left behind: once allowed, the channel takes a new one.
    harness.fake.setBotChannelPermissions(channelId, {});
    await startRound(harness, { deck: 'bio' }, ana, channelId);
  });

  it('a button the bot no longer knows gets an ephemeral note instead of failing', async () => {
    const harness = await start();
    const { first } = await startRound(harness, { deck: 'chem', questions: 1 });
    const stale = await harness.fake.button({ message: first.message, customId: 'gone:button', user: ana });
    expect(await stale.response()).toMatchObject({ type: 4, data: { flags: 64, content: 'This no longer works. Run the command again.' } });
  });

  it('autocomplete offers courses and decks, and the sections of the chosen deck', async () => {
    const harness = await start();
    const decksTyped = await harness.fake.autocomplete({ name: 'quiz', options: { deck: 'b' }, focused: 'deck' });
    expect(await decksTyped.choices()).toEqual([
      { name: 'bio (every bio deck)', value: 'bio' },
      { name: 'bio cells', value: 'bio cells' },
      { name: 'chem basics', value: 'chem basics' },
    ]);
    const sections = await harness.fake.autocomplete({ name: 'quiz', options: { deck: 'bio', section: 'mem' }, focused: 'section' });
    expect(await sections.choices()).toEqual([{ name: 'Membranes', value: 'Membranes' }]);
  });

  it('/decks lists the decks with sections and card counts', async () => {
    const harness = await start();
    const reply = await (await harness.fake.slashCommand({ name: 'decks', user: ana })).waitForReply();
    const embed = embedOf(reply);
    expect(embed.description).toContain('**bio cells**: 4 cards\n- Organelles (3)\n- Membranes (1)');
    expect(embed.description).toContain('**chem basics**: 2 cards');
  });

  it('/decks lists one section per line, so a section name with commas reads as one', async () => {
    const ops = deck(['# deck: ops wk1', '', '## DevOps, MLOps, DataOps', '', 'The -pipeline- runs the steps.', '', '## Tools', '', 'We track runs with -MLflow-.', ''].join('\n'), 'ops.md');
    const harness = await start({ decks: [ops] });
    const embed = embedOf(await (await harness.fake.slashCommand({ name: 'decks', user: ana })).waitForReply());
    expect(embed.description).toContain('**ops wk1**: 2 cards\n- DevOps, MLOps, DataOps (1)\n- Tools (1)\n');
  });
});

describe('safety', () => {
  it('nothing the bot sends pings: deck text and names with mentions stay plain', async () => {
    const pinger = makeUser({ username: 'pinger', global_name: '@everyone' });
    const harness = await start({ decks: [pings], guilds: [classGuild('MLOps class', [pinger])] });
    const { first, channelId } = await startRound(harness, { deck: 'pings', questions: 1 });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: pinger, content: '@everyone' });
    const summary = await harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body) === 'Round over: pings', { after: cursor });
    // The text shows mentions as plain text (a zero-width space after each @).
    const escaped = '@\u200beveryone';
    expect(embedOf(first.request.body).description!.split('\n\n')[0]).toBe('Say `____` to <@\u200b&1234> and <@\u200b5678>.');
    const winner = harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor).find((r) => r.index < summary.index)!;
    expect((winner.body as { content: string }).content).toContain(`Correct, ${escaped}! **${escaped}** · +15 points`);
    expect(embedOf(summary.body).description).toBe(`🏆 **${escaped}** wins with 15 points.\n\n**1.** ${escaped} · 15 pts · 1 correct`);
    const bodies = harness.fake.requests.filter((r) => r.body && typeof r.body === 'object' && ('content' in (r.body as object) || 'embeds' in (r.body as object)));
    expect(bodies.length).toBeGreaterThan(3);
    const text = bodies.map((r) => JSON.stringify(r.body)).join('\n');
    expect(text).not.toMatch(/@(everyone|here)|<@[&!]?\d/);
    // And the client's default went with every one of them: allowed mentions that parse nothing.
    for (const r of bodies) expect((r.body as { allowed_mentions?: { parse: unknown[] } }).allowed_mentions?.parse).toEqual([]);
  });

  it('a handler that meets an unexpected error (the database is down) answers with an apology and logs it; the bot works again when the database does', async () => {
    let faulty: FaultyStore | undefined;
    const harness = await start({ wrapKeyv: (keyv) => (faulty = new FaultyStore(keyv)).keyv });
    faulty!.failReads(new Error('database unavailable'));
    const command = await harness.fake.slashCommand({ name: 'leaderboard', user: ana });
    expect(await command.waitForReply()).toMatchObject({ flags: 64, content: 'Sorry, something went wrong on my side. Please try again in a moment.' });
    const errors = harness.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('interaction /leaderboard failed');
    expect((errors[0]!.error as Error).stack).toContain('database unavailable');
    harness.logs.length = 0;
    faulty!.heal();
    const again = await harness.fake.slashCommand({ name: 'leaderboard', user: ana });
    expect(embedOf(await again.waitForReply()).description).toContain('No scores yet');
  });
});

describe('scores and restarts', () => {
  it('/leaderboard counts rounds in two channels of a server and keeps servers apart', async () => {
    const other = classGuild('Other class');
    const harness = await start({ guilds: [classGuild(), other] });
    const [general, quiz] = harness.guild.channels;
    const roundOver = (channelId: string, after: number) => harness.fake.waitForRequest((r) => isChannelPost(channelId)(r) && titleOf(r.body) === 'Round over: chem', { after });
    let cursor = harness.fake.cursor();
    const a = await startRound(harness, { deck: 'chem', questions: 1 }, teacher, general!.id);
    const b = await startRound(harness, { deck: 'chem', questions: 1 }, teacher, quiz!.id);
    harness.fake.message({ channelId: general!.id, author: ana, content: a.first.card.answers[0]! });
    harness.fake.message({ channelId: quiz!.id, author: ben, content: b.first.card.answers[0]! });
    await Promise.all([roundOver(general!.id, cursor), roundOver(quiz!.id, cursor)]);
    cursor = harness.fake.cursor();
    const c = await startRound(harness, { deck: 'chem', questions: 1 }, teacher, quiz!.id);
    harness.fake.message({ channelId: quiz!.id, author: ana, content: c.first.card.answers[0]! });
    await roundOver(quiz!.id, cursor);
    cursor = harness.fake.cursor();
    const otherRound = await startRound(harness, { deck: 'chem', questions: 1 }, teacher, other.channels[0]!.id, other.id);
    harness.fake.message({ guildId: other.id, channelId: other.channels[0]!.id, author: cleo, content: otherRound.first.card.answers[0]! });
    await roundOver(other.channels[0]!.id, cursor);

    const board = embedOf(await (await harness.fake.slashCommand({ name: 'leaderboard', user: ben })).waitForReply());
    expect(board.title).toBe('Leaderboard · all time');
    expect(board.description).toBe('🥇 **1.** Ana · 30 pts · 2 correct\n🥈 **2.** Ben · 15 pts · 1 correct ◀ you');
    const otherBoard = embedOf(await (await harness.fake.slashCommand({ name: 'leaderboard', guildId: other.id, user: cleo })).waitForReply());
    expect(otherBoard.description).toBe('🥇 **1.** Cleo · 15 pts · 1 correct ◀ you');
  });

  it('a restart keeps the scores and closes the round that was running', async () => {
    const harness = await start();
    const { channelId, q2 } = await roundAtSecondQuestion(harness);
    await timerArmed(harness); // the round has saved itself: a restart in the middle of a write is another test
    let cursor = harness.fake.cursor();
    await harness.restart();
    // Closed after the restart: the open question loses its buttons and the scores are posted.
    const edit = await harness.fake.waitForRequest(isEdit(channelId, q2.message.id), { after: cursor });
    expect(edit.body).toMatchObject({ components: [] });
    // The interrupted question shows its answer, not blanks under a stale countdown.
    const interrupted = embedOf(edit.body);
    expect(interrupted.title).toBe('Question 2 of 4 · Interrupted by a restart');
    expect(interrupted.description).toContain(`**${q2.card.answers[0]!}**`);
    expect(interrupted.description).not.toContain('____');
    expect(interrupted.description).not.toContain('<t:');
    const summary = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(embedOf(summary.body).description).toContain('interrupted because the bot restarted');
    expect(embedOf(summary.body).footer?.text).toBe('2 questions asked · 1 answered · 0 timed out · 0 hints used · /leaderboard for the class ranking');
    expect(embedOf(summary.body).description).toContain('**1.** Ana · 15 pts · 1 correct');
    // The old buttons say the question is closed; a new round can start; the scores stayed.
    const late = await harness.fake.button({ message: q2.message, customId: buttonsOf(q2.request)[0]!.custom_id, user: ben });
    expect(await late.response()).toMatchObject({ data: { flags: 64, content: 'This question is closed.' } });
    await startRound(harness, { deck: 'chem' });
    expect(await leaderboard(harness)).toBe('🥇 **1.** Ana · 15 pts · 1 correct');
    // A second restart finds nothing left to close.
    cursor = harness.fake.cursor();
    await harness.restart();
    expect(harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor)).toHaveLength(1);
  });

  it('a round saved by the previous version of the bot is closed after the restart, ties ranked by name', async () => {
    const harness = await start();
    const { channelId, q2 } = await roundAtSecondQuestion(harness);
    await timerArmed(harness); // the round has saved itself: overwritten below while the bot is down
    // Exactly what the bot stored before live rounds became one object each: the same keys and fields.
    // Aaron's user id sorts after Ana's, so a tie ordered by id would put Ana first.
    expect(BigInt(ana.id) < BigInt(ben.id)).toBe(true);
    const legacy = async (store: Keyv) => {
      await store.set(`live:${harness.guild.id}:${channelId}`, {
        id: 'legacy-round',
        guildId: harness.guild.id,
        channelId,
        label: 'bio',
        questionMessageId: q2.message.id,
        asked: 2,
        scores: { [ana.id]: { points: 15, correct: 1 }, [ben.id]: { points: 15, correct: 1 } },
        names: { [ana.id]: 'Ana', [ben.id]: 'Aaron' },
      });
      await store.set('live:index', [`${harness.guild.id}:${channelId}`]);
    };
    const cursor = harness.fake.cursor();
    await harness.restart({ whileDown: legacy });
    const edit = await harness.fake.waitForRequest(isEdit(channelId, q2.message.id), { after: cursor });
    expect(edit.body).toMatchObject({ components: [] });
    const summary = await harness.fake.waitForRequest(isChannelPost(channelId), { after: cursor });
    expect(embedOf(summary.body)).toMatchObject({ title: 'Round over: bio', footer: { text: expect.stringContaining('2 questions asked') } });
    expect(embedOf(summary.body).description).toBe(
      'This round was interrupted because the bot restarted. Points already won are kept.\n\n🤝 2-way tie for first: **Aaron** and **Ana**, 15 points each.\n\n**1.** Aaron · 15 pts · 1 correct\n**1.** Ana · 15 pts · 1 correct',
    );
    expect(await harness.stored.get('live:index')).toBeUndefined();
    expect(await harness.stored.get(`live:${harness.guild.id}:${channelId}`)).toBeUndefined();
  });
});

/** A 4-question bio round whose first question Ana won; returns the second question. */
async function roundAtSecondQuestion(harness: Harness) {
  const { first, channelId } = await startRound(harness, { deck: 'bio', questions: 4 });
  const cursor = harness.fake.cursor();
  harness.fake.message({ channelId, author: ana, content: first.card.answers.join(', ') });
  return { channelId, q2: await nextQuestion(harness, channelId, cursor) };
}

/** The rows of the server's all-time leaderboard, as /leaderboard shows them (without the note to the caller). */
async function leaderboard(harness: Harness): Promise<string | undefined> {
  const command = await harness.fake.slashCommand({ name: 'leaderboard', user: cleo });
  return embedOf(await command.waitForReply()).description?.split('\n\n')[0];
}

/** A member's /stats fields, by name. */
async function statsOf(harness: Harness, user: APIUser): Promise<Record<string, string>> {
  return (await statsView(harness, user)).fields;
}

/** `user` misses `card` in /practice, the first new card it asks, and stops there. */
async function missInPractice(harness: Harness, user: APIUser, card: Card): Promise<void> {
  const command = await harness.fake.slashCommand({ name: 'practice', options: { deck: card.deck }, user });
  await command.waitForReply();
  const message = command.original()!;
  const press = (label: string) => {
    const rows = (harness.fake.getMessage(message.id)!.components ?? []) as unknown as { components: { custom_id: string; label: string }[] }[];
    const button = rows.flatMap((r) => r.components).find((b) => b.label.startsWith(label));
    if (!button) throw new Error(`no ${label} button`);
    return harness.fake.button({ message: message.id, customId: button.custom_id, user });
  };
  const shown = await (await press('Start')).waitForReply();
  expect((shown['embeds'] as APIEmbed[])[0]?.description).toBe(promptMarkdown(card));
  const modal = await (await press('Answer')).modal();
  const verdict = await (await harness.fake.modalSubmit({ customId: String(modal['custom_id']), fields: { answer: 'ribosome' }, user, message: message.id })).waitForReply();
  expect(String(verdict['content'])).toMatch(/^Not quite/);
  expect(String((await (await press('Stop')).waitForReply())['content'])).toContain('Reviewed 1, right 0.');
}

/** Presses the Hint button of a question that should be closed; returns the ephemeral note the bot answers with. */
async function pressStale(harness: Harness, question: { message: APIMessage; request: RecordedRequest }): Promise<string> {
  const press = await harness.fake.button({ message: question.message, customId: buttonsOf(question.request)[0]!.custom_id, user: ana });
  const response = await press.response();
  expect(response).toMatchObject({ type: 4, data: { flags: 64 } });
  return (response.data as { content: string }).content;
}

function buttonsOf(request: RecordedRequest): { custom_id: string; label: string }[] {
  return (request.body as { components: { components: { custom_id: string; label: string }[] }[] }).components[0]!.components;
}
