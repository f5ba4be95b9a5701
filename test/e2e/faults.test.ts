/**
 * Discord's faults end to end: errors after the effect, rate limits, slow answers,
 * gateway drops. The bot survives each, and nothing is posted or scored twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ana, ben, closeChecked, eventually, startHarness, teacher, type Harness, type HarnessOptions } from './harness.ts';
import { cardAsked, faultDecks, firstEmbed, isPostedQuestion, isQuestionPost, postedTitled, startQuiz } from './faults.ts';

let h: Harness | undefined;
afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness) await closeChecked(harness);
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  // discord.js retries a 5xx once, as in production (where it retries 3 times).
  h = await startHarness({ decks: faultDecks(), rest: { retries: 1 }, ...options });
  return h;
}

describe('a 5xx answered after Discord created the message', () => {
  it('does not post a question or the winner reply twice: every message carries an enforced nonce', async () => {
    const harness = await start();
    const channelId = harness.guild.channels[0]!.id;
    const path = `/channels/${channelId}/messages`;
    const questionFault = harness.fake.fault({ method: 'POST', path, where: isQuestionPost(channelId) }, { status: 503, effect: 'after' });
    const { first } = await startQuiz(harness);
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    expect(questionFault.hits).toHaveLength(1);
    expect(first.body).toMatchObject({ nonce: expect.any(String), enforce_nonce: true });
    expect(postedTitled(harness, channelId, /^Question 1 of 3$/)).toHaveLength(1);

    const replyFault = harness.fake.fault({ method: 'POST', path, where: (r) => (r.body as { content?: string }).content?.startsWith('Correct') ?? false }, { status: 502, effect: 'after' });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: cardAsked(first.body).answers.join(', ') });
    await harness.fake.waitForRequest(isPostedQuestion(channelId), { after: cursor });
    expect(replyFault.hits).toHaveLength(1);
    expect(harness.fake.channelMessages(channelId).filter((m) => m.content.startsWith('Correct, Ana!'))).toHaveLength(1);
    expect(harness.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a button on a message that is not the live question says it is closed and changes nothing', async () => {
    const harness = await start();
    const { first, channelId } = await startQuiz(harness);
    const firstMessage = first.response as Parameters<typeof harness.fake.button>[0]['message'];
    const buttons = (first.body as { components: { components: { custom_id: string }[] }[] }).components[0]!.components.map((b) => b.custom_id);
    let cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ben, content: cardAsked(first.body).answers.join(', ') });
    const second = await harness.fake.waitForRequest(isPostedQuestion(channelId), { after: cursor });
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));

    cursor = harness.fake.cursor();
    // Hint, Skip and Stop of question 1, by the starter and by another member.
    for (const [customId, user] of [[buttons[0]!, ana], [buttons[1]!, ana], [buttons[2]!, teacher], [buttons[1]!, teacher]] as const) {
      const press = await harness.fake.button({ message: firstMessage, customId, user });
      expect(await press.response()).toEqual({ type: 4, data: expect.objectContaining({ flags: 64, content: 'This question is closed.' }) });
    }
    // Nothing else was sent or edited, and question 2 is still live.
    expect(harness.fake.requests.slice(cursor).filter((r) => !r.path.startsWith('/interactions/'))).toEqual([]);
    expect(harness.fake.getMessage((second.response as { id: string }).id)?.components).toHaveLength(1);
    const hint = await harness.fake.button({ message: second.response as typeof firstMessage, customId: buttons[0]!, user: ana });
    expect((await hint.response()).type).toBe(7);
    expect(firstEmbed((await hint.response()).data)?.title).toBe('Question 2 of 3');
  });
});

describe('a 5xx on the /quiz answer', () => {
  it('answered after Discord took the reply: the retry is "already acknowledged", and the round starts with its questions', async () => {
    const harness = await start();
    const fault = harness.fake.fault({ method: 'POST', path: /^\/interactions\/.*\/callback$/ }, { status: 503, effect: 'after' });
    const { command, channelId } = await startQuiz(harness);
    expect(fault.hits).toHaveLength(1);
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    expect(command.original()?.content).toContain('**Quiz: chem**, 3 questions');
    expect(postedTitled(harness, channelId, /^Question 1 of 3$/)).toHaveLength(1);
    expect(command.followUps()).toEqual([]);
  });

  it('when the first question cannot be posted, no round message is left in the channel and the member is told', async () => {
    const harness = await start();
    const channelId = harness.guild.channels[0]!.id;
    harness.fake.fault({ method: 'POST', path: `/channels/${channelId}/messages`, times: 2 }, { status: 503 });
    const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'chem' }, user: teacher, channelId, guildId: harness.guild.id });
    const told = await command.waitForFollowUp();
    expect(told.body).toMatchObject({ flags: 64, content: expect.stringContaining('did not start') });
    expect(harness.fake.channelMessages(channelId).filter((m) => ((m.flags ?? 0) & 64) === 0)).toEqual([]);
    // The channel is free for the next round.
    await startQuiz(harness);
  });
});

describe('a question that cannot be posted mid-round', () => {
  it('ends the round and tells the members in one message, with the points kept', async () => {
    const harness = await start();
    const channelId = harness.guild.channels[0]!.id;
    const { first } = await startQuiz(harness);
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    const fault = harness.fake.fault({ method: 'POST', path: `/channels/${channelId}/messages`, where: isQuestionPost(channelId), times: 2 }, { status: 503 });
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: cardAsked(first.body).answers.join(', ') });
    const summary = await harness.fake.waitForRequest((r) => firstEmbed(r.body)?.title === 'Round over: chem', { after: cursor });
    expect(fault.hits).toHaveLength(2);
    expect(firstEmbed(summary.body)?.description).toMatch(/^The round ended: I could not post the next question here\. Points won so far are kept\.\n\n/);
    expect(firstEmbed(summary.body)?.description).toMatch(/\*\*1\.\*\* Ana · \d+ pts · 1 correct/);
    // Only the winner reply and the summary came after the answer; the round is over.
    const posts = harness.fake.calls('POST', `/channels/${channelId}/messages`, cursor).filter((r) => r.status === 200);
    expect(posts.map((r) => firstEmbed(r.body)?.title ?? 'reply')).toEqual(['reply', 'Round over: chem']);
    expect(harness.clock.pendingTimers).toBe(0);
    await startQuiz(harness);
  });
});

describe('rate limits and slow answers', () => {
  it.each([
    ['a 429 on the route', { retryAfter: 0.3 }],
    ['a global 429', { retryAfter: 0.3, global: true }],
  ])('%s: the bot waits retry_after, then posts the question and the winner reply once each', async (_, action) => {
    const harness = await start();
    const channelId = harness.guild.channels[0]!.id;
    const path = `/channels/${channelId}/messages`;
    const limited = harness.fake.fault({ method: 'POST', path, where: isQuestionPost(channelId) }, action);
    const { first } = await startQuiz(harness);
    expect(first.at - limited.hits[0]!.at).toBeGreaterThanOrEqual(250);
    const limitedReply = harness.fake.fault({ method: 'POST', path, where: (r) => (r.body as { content?: string }).content?.startsWith('Correct') ?? false }, action);
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: cardAsked(first.body).answers.join(', ') });
    await harness.fake.waitForRequest(isPostedQuestion(channelId), { after: cursor, timeout: 10_000 });
    expect(limitedReply.hits).toHaveLength(1);
    expect(postedTitled(harness, channelId, /^Question 1 of 3/)).toHaveLength(1);
    expect(harness.fake.channelMessages(channelId).filter((m) => m.content.startsWith('Correct, Ana!'))).toHaveLength(1);
  });

  it('an answer slower than the client waits: the request is retried with the same nonce and the question is posted once', async () => {
    const harness = await start({ rest: { retries: 1, timeout: 500 } });
    const channelId = harness.guild.channels[0]!.id;
    const slow = harness.fake.fault({ method: 'POST', path: `/channels/${channelId}/messages` }, { delayMs: 1_000 });
    await startQuiz(harness);
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    expect(slow.hits).toHaveLength(1);
    await eventually(() => expect(harness.fake.calls('POST', `/channels/${channelId}/messages`)).toHaveLength(2));
    expect(postedTitled(harness, channelId, /^Question 1 of 3/)).toHaveLength(1);
  });
});

describe('gateway faults', () => {
  it.each([
    ['closed with 4000 (unknown error)', (x: Harness) => x.fake.closeGateway(4000, 'Unknown error')],
    ['closed with 1011 (server error)', (x: Harness) => x.fake.closeGateway(1011)],
    ['RECONNECT', (x: Harness) => x.fake.requestReconnect()],
    ['INVALID_SESSION', (x: Harness) => x.fake.invalidateSession(false)],
  ])('%s mid-round: the bot connects again and the round goes on, nothing doubled', async (_, fault) => {
    const harness = await start();
    const { first, channelId } = await startQuiz(harness);
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    const identified = harness.fake.identifyCount;
    fault(harness);
    await eventually(() => {
      expect(harness.fake.identifyCount).toBe(identified + 1);
      expect(harness.fake.connected).toBe(true);
    }, 15_000);
    await eventually(() => expect(harness.bot.client.ws.status).toBe(0), 15_000);
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ben, content: cardAsked(first.body).answers.join(', ') });
    await harness.fake.waitForRequest(isPostedQuestion(channelId), { after: cursor });
    expect(harness.fake.channelMessages(channelId).filter((m) => m.content.startsWith('Correct, Ben!'))).toHaveLength(1);
    expect(postedTitled(harness, channelId, /^Question \d of 3/)).toHaveLength(2);
  }, 30_000);
});
