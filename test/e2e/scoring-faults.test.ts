/**
 * Nothing announced that is not stored: live rounds against a store that fails
 * or stops on demand. Points are written before "Correct … +N points" is sent;
 * a write the store refuses is not claimed (the channel is told once that
 * scoring is paused, and once that it resumed); a stop between the write and
 * the announcement is finished at the next start, the points counted once; a
 * stop waits for a write under way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { APIEmbed, APIMessage } from 'discord.js';
import type Keyv from 'keyv';
import { answerText, livePrompt } from '../../src/bot/render.ts';
import { SCORING_PAUSED, SCORING_RESUMED } from '../../src/bot/scoring-notice.ts';
import { FaultyStore } from '../support/faulty-store.ts';
import type { RecordedRequest } from '../support/discord/index.ts';
import { ana, ben, cleo, eventually, seedDecks, startHarness, teacher, type Harness, type HarnessOptions } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ stopGraceMs: 1_000, ...options });
  return h;
}

const cards = (await seedDecks()).flatMap((d) => d.cards);

function embedOf(body: unknown): APIEmbed | undefined {
  return (body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0];
}

function contentOf(body: unknown): string {
  return (body as { content?: string } | undefined)?.content ?? '';
}

const posts = (harness: Harness, channelId: string, after = 0): RecordedRequest[] => harness.fake.calls('POST', `/channels/${channelId}/messages`, after);

async function question(harness: Harness, channelId: string, after: number): Promise<{ message: APIMessage; answer: string; shown: string }> {
  const request = await harness.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && /^Question \d+ of \d+$/.test(embedOf(r.body)?.title ?? ''), { after });
  const card = cards.find((c) => livePrompt(c, 0) === embedOf(request.body)?.description?.split('\n\n')[0]);
  if (!card) throw new Error('a question of an unknown card');
  return { message: request.response as APIMessage, answer: card.answers.join(', '), shown: answerText(card) };
}

async function startQuiz(harness: Harness, questions: number) {
  const channelId = harness.guild.channels[0]!.id;
  const cursor = harness.fake.cursor();
  const command = await harness.fake.slashCommand({ name: 'quiz', options: { deck: 'mlops wk9', questions, seconds: 60, pause: 0 }, user: teacher, channelId });
  await command.waitForReply();
  const first = await question(harness, channelId, cursor);
  await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
  return { channelId, first };
}

/** Answers the open question as `user`; returns the bot's reply to that message. */
async function answer(harness: Harness, channelId: string, q: { answer: string }, user = ana): Promise<string> {
  const cursor = harness.fake.cursor();
  const sent = harness.fake.message({ channelId, author: user, content: q.answer });
  const reply = await harness.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === sent.id, { after: cursor });
  return contentOf(reply.body);
}

async function leaderboard(harness: Harness): Promise<string | undefined> {
  const command = await harness.fake.slashCommand({ name: 'leaderboard', user: cleo });
  // The ranking lines, without the medals and the caller's marker.
  return embedOf(await command.waitForReply())
    ?.description?.split('\n\n')[0]
    ?.replace(/^[🥇🥈🥉] /gmu, '')
    .replace(/ ◀ you$/gm, '');
}

/** A Keyv that, once armed, hands writes matching `key` to `onWrite` (which may never settle: the bot has died there). */
function interceptWrites(onWrite: (key: string, write: () => Promise<unknown>) => Promise<unknown>) {
  let armed = false;
  const wrap = (inner: Keyv): Keyv =>
    new Proxy(inner, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property === 'setMany') {
          // Several records in one request: seen as the write of its first.
          return (entries: { key: string }[], ...rest: unknown[]) => (armed ? onWrite(entries[0]?.key ?? '', () => Promise.resolve(method(entries, ...rest))) : method(entries, ...rest));
        }
        if (property !== 'set' && property !== 'delete') return method;
        return (key: string, ...rest: unknown[]) => (armed ? onWrite(key, () => Promise.resolve(method(key, ...rest))) : method(key, ...rest));
      },
    });
  return { wrap, arm: () => (armed = true), disarm: () => (armed = false) };
}

describe('scores the store does not take', () => {
  it('are not claimed: the channel is told once that scoring is paused, once that it resumed, then points count again', async () => {
    let faulty: FaultyStore | undefined;
    const harness = await start({ wrapKeyv: (keyv) => (faulty = new FaultyStore(keyv)).keyv });
    const { channelId, first } = await startQuiz(harness, 3);
    const cursor = harness.fake.cursor();
    faulty!.failWrites();

    // Two answers while every write fails: neither reply claims points; one "paused" message.
    let next = question(harness, channelId, harness.fake.cursor());
    expect(await answer(harness, channelId, first, ana)).toMatch(/^Correct, Ana! .*No points this time: scoring is paused\.$/);
    const second = await next;
    next = question(harness, channelId, harness.fake.cursor());
    expect(await answer(harness, channelId, second, ben)).toMatch(/^Correct, Ben! .*No points this time: scoring is paused\.$/);
    const third = await next;
    expect(posts(harness, channelId, cursor).filter((r) => contentOf(r.body) === SCORING_PAUSED)).toHaveLength(1);
    // One loud line in the log, not one per write.
    expect(harness.errors().map((l) => l.message)).toEqual([expect.stringMatching(/^Writing to the store fails \(.*\): scores and schedules cannot be saved until it works again\. Members are told that scoring is paused\.$/)]);

    // Writing works again: "resumed" once, and the next answer scores.
    faulty!.heal();
    expect(await answer(harness, channelId, third, cleo)).toMatch(/^Correct, Cleo! .*\+\d+ points/);
    await eventually(() => expect(posts(harness, channelId, cursor).filter((r) => contentOf(r.body) === SCORING_RESUMED)).toHaveLength(1));
    const summary = await harness.fake.waitForRequest((r) => r.method === 'POST' && embedOf(r.body)?.title?.startsWith('Round over') === true, { after: cursor });
    // The summary counts only stored points.
    expect(embedOf(summary.body)?.description).toContain('Cleo');
    expect(embedOf(summary.body)?.description).not.toMatch(/Ana|Ben/);
    expect(await leaderboard(harness)).toMatch(/^\*\*1\.\*\* Cleo · \d+ pts · 1 correct$/);
    expect(posts(harness, channelId, cursor).filter((r) => contentOf(r.body) === SCORING_PAUSED)).toHaveLength(1);
    harness.fake.assertClean();
  });
});

describe('a stop between the score write and its announcement', () => {
  it.each([
    ['after the points were written', true],
    ['before the points were written', false],
  ])('%s: the next start shows the winner and counts the points once, or shows the question interrupted and counts nothing', async (_, written) => {
    let reached!: () => void;
    const died = new Promise<void>((resolve) => (reached = resolve));
    // The award is stored by one write: its journal entry, with the round's state closing the question.
    const store = interceptWrites(async (key, write) => {
      if (!key.startsWith('award:')) return write();
      if (written) await write();
      reached();
      return new Promise(() => undefined); // the process died here
    });
    let boots = 0;
    const harness = await start({ stopGraceMs: 200, wrapKeyv: (keyv) => (++boots === 1 ? store.wrap(keyv) : keyv) });
    const { channelId, first } = await startQuiz(harness, 2);
    store.arm();
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: first.answer });
    await died;
    await harness.restart();

    // No "Correct" reply was ever sent.
    expect(posts(harness, channelId, cursor).filter((r) => contentOf(r.body).startsWith('Correct'))).toEqual([]);
    const summary = await harness.fake.waitForRequest((r) => r.method === 'POST' && embedOf(r.body)?.title?.startsWith('Round over') === true, { after: cursor });
    if (!written) {
      // Nothing of the answer was stored, and nothing of it was announced: the question closes as interrupted.
      expect(embedOf(summary.body)?.description).toContain('This round was interrupted because the bot restarted.');
      expect(embedOf(summary.body)?.description).toContain('Nobody scored this round.');
      expect(await leaderboard(harness)).not.toContain('Ana');
      return;
    }
    // The restart closes the round with the winner shown.
    const points = /\+(\d+) points/.exec(embedOf(summary.body)?.description ?? '')?.[1];
    expect(embedOf(summary.body)?.description).toContain(`Question 1: Ana answered it: **${first.shown}**, +${points} points.`);
    expect(embedOf(summary.body)?.description).toContain(`**1.** Ana · ${points} pts · 1 correct`);
    expect(await leaderboard(harness)).toBe(`**1.** Ana · ${points} pts · 1 correct`);
    // Another restart has nothing left to close or count.
    const again = harness.fake.cursor();
    await harness.restart();
    expect(posts(harness, channelId, again)).toEqual([]);
    expect(await leaderboard(harness)).toBe(`**1.** Ana · ${points} pts · 1 correct`);
  });
});

describe('stopping the bot', () => {
  it('waits for a score write under way: the points are kept and announced', async () => {
    let started!: () => void;
    const writing = new Promise<void>((resolve) => (started = resolve));
    const store = interceptWrites(async (key, write) => {
      if (key.startsWith('award:')) {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return write();
    });
    let boots = 0;
    const harness = await start({ stopGraceMs: 5_000, wrapKeyv: (keyv) => (++boots === 1 ? store.wrap(keyv) : keyv) });
    const { channelId, first } = await startQuiz(harness, 2);
    store.arm();
    const cursor = harness.fake.cursor();
    harness.fake.message({ channelId, author: ana, content: first.answer });
    await writing;
    await harness.restart();
    const reply = posts(harness, channelId, cursor).find((r) => contentOf(r.body).startsWith('Correct, Ana!'));
    const points = /\+(\d+) points/.exec(contentOf(reply?.body))?.[1];
    expect(points).toBeDefined();
    expect(await leaderboard(harness)).toBe(`**1.** Ana · ${points} pts · 1 correct`);
  });
});
