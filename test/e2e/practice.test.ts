/**
 * /practice end to end: an ephemeral session with its Answer form, Hint,
 * Skip and Stop, the practice order (due first, most overdue first; new
 * cards up to the server's daily limit; never the same note twice in a
 * row), and a session that goes on after a restart.
 */
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card, Deck } from '../../src/deck/types.ts';
import { livePrompt, promptMarkdown } from '../../src/bot/render.ts';
import type { InteractionHandle } from '../support/discord/index.ts';
import { ana, ben, checkAndClose, cleo, startHarness, statsOf, teacher, type Harness } from './harness.ts';

type Json = Record<string, unknown>;
const EPHEMERAL = 64;
const DAY = 86_400_000;

function deck(source: string): Deck {
  const { deck: parsed, errors } = parseDeck(source, 'test.md');
  if (!parsed) throw new Error(`test deck does not parse: ${JSON.stringify(errors)}`);
  return parsed;
}

/** Four cards; the first two share a note (two blank groups). */
const CELLS = deck(
  ['# deck: bio cells', '', '## Organelles', '', 'The 1.-mitochondria- makes energy and the 2.-ribosome- makes proteins.', '', 'Plants make sugar by -photosynthesis-.', '', 'DNA is kept in the -nucleus- of the cell.', ''].join('\n'),
);
const [MITO, RIBO, PHOTO, NUCLEUS] = CELLS.cards as [Card, Card, Card, Card];

let h: Harness | undefined;
afterEach(async () => {
  if (!h) return;
  const current = h;
  h = undefined;
  await checkAndClose(current);
});

async function start(): Promise<Harness> {
  h = await startHarness({ decks: [CELLS] });
  return h;
}

function embedOf(payload: Json | APIMessage): APIEmbed | undefined {
  return ((payload as Json)['embeds'] as APIEmbed[] | undefined)?.[0];
}

/** The card a practice message asks, found by its prompt (hint masks aside). */
function cardOf(payload: Json | APIMessage): Card | undefined {
  const description = embedOf(payload)?.description;
  return CELLS.cards.find((c) => promptMarkdown(c) === description);
}

function buttons(message: APIMessage): { custom_id: string; label: string }[] {
  return (message.components ?? []).flatMap((row) => ('components' in row ? (row.components as unknown as { custom_id: string; label: string }[]) : []));
}

function buttonId(message: APIMessage, label: string): string {
  const found = buttons(message).find((b) => b.label.startsWith(label));
  if (!found) throw new Error(`no ${label} button on ${JSON.stringify(message.components)}`);
  return found.custom_id;
}

class Session {
  constructor(
    private readonly x: Harness,
    /** The ephemeral message the session lives on. */
    public message: APIMessage,
    private readonly user = ana,
  ) {}

  static async start(x: Harness, options: Record<string, string> = {}, user = ana): Promise<{ session: Session; reply: Json }> {
    const handle = await x.fake.slashCommand({ name: 'practice', options, user });
    const reply = await handle.waitForReply();
    expect(reply['flags']).toBe(EPHEMERAL);
    const message = handle.original();
    if (!message) throw new Error('no reply message');
    return { session: new Session(x, message, user), reply };
  }

  async press(label: string): Promise<InteractionHandle> {
    return this.x.fake.button({ message: this.message.id, customId: buttonId(this.message, label), user: this.user });
  }

  /** Presses a button and returns the message as the bot updated it. */
  async pressAndRead(label: string): Promise<Json> {
    const handle = await this.press(label);
    const reply = await handle.waitForReply();
    this.refresh();
    return reply;
  }

  /** Presses Answer, checks the form, submits `answer` and returns the updated message. */
  async answer(text: string): Promise<Json> {
    const button = await this.press('Answer');
    const modal = await button.modal();
    const submit = await this.x.fake.modalSubmit({ customId: String(modal['custom_id']), fields: { answer: text }, user: this.user, message: this.message.id });
    const reply = await submit.waitForReply();
    expect((await submit.response()).type).toBe(7);
    this.refresh();
    return reply;
  }

  refresh(): void {
    this.message = this.x.fake.getMessage(this.message.id) as APIMessage;
  }
}

describe('/practice', () => {
  it('runs a private session: new cards up to the server limit, the answer form, verdicts, same-note rule, a restart, no points', async () => {
    const x = await start();
    const settings = await (await x.fake.slashCommand({ name: 'settings', subcommand: 'new-cards', options: { n: 3 }, user: teacher })).waitForReply();
    expect(settings).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('3 new cards a day') });

    // Nothing tried yet: nothing due, new cards offered.
    const { session, reply } = await Session.start(x, { deck: 'bio' });
    expect(String(reply['content'])).toContain('Nothing is due for review now.');
    expect(String(reply['content'])).toContain('You can start 3 new cards today.');
    let step = await session.pressAndRead('Start 3 new cards');
    expect(cardOf(step)?.id).toBe(MITO.id);
    expect(embedOf(step)?.title).toBe('Practice · card 1');
    expect(buttons(session.message).map((b) => b.label)).toEqual(['Answer', 'Hint', 'Skip', 'Stop']);

    // Right: the verdict with the answer, then the next card, not of the same note (RIBO waits).
    step = await session.answer('mitochondria');
    expect(step['content']).toBe('Right! The answer: **mitochondria**.');
    expect(cardOf(step)?.id).toBe(PHOTO.id);

    // Skip: Again, the answer, then the held-back card of the first note.
    step = await session.pressAndRead('Skip');
    expect(step['content']).toBe('Skipped. The answer: **photosynthesis**.');
    expect(cardOf(step)?.id).toBe(RIBO.id);

    // The bot restarts mid-session: the buttons still work.
    await x.restart();
    step = await session.pressAndRead('Hint');
    expect(embedOf(step)?.description).toContain('`r_______`');
    expect(embedOf(step)?.footer?.text).toContain('hint 1');

    // Wrong: the answer shown; the limit of 3 new cards is reached, so the session ends.
    const hintId = buttonId(session.message, 'Hint');
    step = await session.answer('golgi');
    const end = String(step['content']);
    expect(end).toMatch(/^Not quite\. The answer: \*\*ribosome\*\*\.\n\n\*\*Practice over\.\*\* Reviewed 3, right 1\./);
    expect(end).toContain(`Your next card is due <t:${Math.ceil((x.clock.now() + DAY) / 1000)}:R>.`);
    expect(end).toContain('You have started your 3 new cards for today');
    expect(step['components']).toEqual([]);

    const memory = await x.stored.memory(ana.id, CELLS.name);
    expect(Object.fromEntries(Object.entries(memory).map(([id, s]) => [id, [s.firstRating, s.firstSource]]))).toEqual({
      [MITO.id]: ['good', 'practice'],
      [PHOTO.id]: ['again', 'practice'],
      [RIBO.id]: ['again', 'practice'],
    });
    // Practice never touches the leaderboard: /stats has no answer of Ana's.
    expect(await statsOf(x, ana)).toEqual({ description: expect.stringContaining('No answers yet'), fields: {} });

    // A button of the ended session says so, and how to start again.
    const stale = await (await x.fake.button({ message: session.message.id, customId: hintId, user: ana })).waitForReply();
    expect(stale).toMatchObject({ flags: EPHEMERAL, content: 'This practice session has ended. Start a new one with /practice.' });
  });

  it('asks due cards first, most overdue first, then new cards; Stop ends with a summary', async () => {
    const x = await start();
    // Five days ago Ben practised: MITO right (due in 3 days), PHOTO missed (due in 1 day), RIBO missed a second later (due in 1 day, a little later).
    const earlier = await Session.start(x, {}, ben);
    expect(cardOf(await earlier.session.pressAndRead('Start'))?.id).toBe(MITO.id);
    let before = await earlier.session.answer('mitochondria');
    expect(cardOf(before)?.id).toBe(PHOTO.id);
    x.clock.advance(1_000);
    before = await earlier.session.answer('golgi');
    expect(cardOf(before)?.id).toBe(RIBO.id);
    x.clock.advance(1_000);
    before = await earlier.session.answer('golgi');
    expect(cardOf(before)?.id).toBe(NUCLEUS.id);
    expect(String((await earlier.session.pressAndRead('Stop'))['content'])).toMatch(/^\*\*Practice over\.\*\* Reviewed 3, right 1\./);
    x.clock.advance(5 * DAY);

    const { session, reply } = await Session.start(x, {}, ben);
    expect(cardOf(reply)?.id).toBe(PHOTO.id);
    let step = await session.answer('photosynthesis');
    expect(cardOf(step)?.id).toBe(RIBO.id);
    // MITO is due too, but shares RIBO's note: the new card comes between them.
    step = await session.answer('ribosome');
    expect(cardOf(step)?.id).toBe(NUCLEUS.id);
    step = await session.answer('nucleus');
    expect(cardOf(step)?.id).toBe(MITO.id);
    const answerId = buttonId(session.message, 'Answer');
    step = await session.pressAndRead('Stop');
    expect(String(step['content'])).toMatch(/^\*\*Practice over\.\*\* Reviewed 3, right 3\.\nYour next card is due <t:\d+:R>\./);
    expect(step['components']).toEqual([]);
    expect(step['embeds']).toEqual([]);

    // Its buttons now say the session ended and how to start again.
    const stale = await (await x.fake.button({ message: session.message.id, customId: answerId, user: ben })).waitForReply();
    expect(stale['content']).toBe('This practice session has ended. Start a new one with /practice.');
  });
});

describe('Review my misses', () => {
  it('opens, for the member who presses it, a practice session of only the round cards they did not answer right', async () => {
    const x = await start();
    const channelId = x.guild.channels[0]!.id;
    const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
    const question = async (after: number) => {
      const request = await x.fake.waitForRequest((r) => isPost(r) && /^Question \d+ of 2$/.test(embedOf(r.body as Json)?.title ?? ''), { after });
      const prompt = embedOf(request.body as Json)?.description?.split('\n\n')[0];
      return CELLS.cards.find((c) => livePrompt(c, 0) === prompt)!;
    };
    let cursor = x.fake.cursor();
    await (await x.fake.slashCommand({ name: 'quiz', options: { deck: 'bio', questions: 2, seconds: 30, pause: 0 }, user: teacher, channelId })).waitForReply();
    const q1 = await question(cursor);
    cursor = x.fake.cursor();
    // Question 1: Cleo wrong, Ben right, Ana right a second later (no points, but she knew it).
    x.fake.message({ channelId, author: cleo, content: 'golgi' });
    x.fake.message({ channelId, author: ben, content: q1.answers.join(', ') });
    const q2 = await question(cursor);
    x.clock.advance(1_000);
    x.fake.message({ channelId, author: ana, content: q1.answers.join(', ') });
    // Question 2: Ana right.
    cursor = x.fake.cursor();
    x.fake.message({ channelId, author: ana, content: q2.answers.join(', ') });
    const summaryRequest = await x.fake.waitForRequest((r) => isPost(r) && embedOf(r.body as Json)?.title === 'Round over: bio', { after: cursor });
    const summary = summaryRequest.response as APIMessage;
    expect(buttons(summary).map((b) => b.label)).toEqual(['Review my misses']);

    // Ana answered both right: nothing to review.
    const anaReply = await (await x.fake.button({ message: summary.id, customId: buttonId(summary, 'Review'), user: ana })).waitForReply();
    expect(anaReply).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('nothing to review') });

    // Ben missed question 2 only: his session asks it, then ends.
    const benPress = await x.fake.button({ message: summary.id, customId: buttonId(summary, 'Review'), user: ben });
    const benReply = await benPress.waitForReply();
    expect(benReply['flags']).toBe(EPHEMERAL);
    expect(cardOf(benReply)?.id).toBe(q2.id);
    const session = new Session(x, benPress.original()!, ben);
    const end = await session.answer(q2.answers.join(', '));
    expect(String(end['content'])).toContain('**Practice over.** Reviewed 1, right 1.');

    // Cleo missed both: her session starts with question 1's card.
    const cleoReply = await (await x.fake.button({ message: summary.id, customId: buttonId(summary, 'Review'), user: cleo })).waitForReply();
    expect(cardOf(cleoReply)?.id).toBe(q1.id);
  });
});
