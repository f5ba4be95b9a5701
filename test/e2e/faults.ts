/**
 * Helpers for the fault tests: live-round messages as the fake Discord saw them.
 */
import type { APIEmbed, APIMessage } from 'discord.js';
import type { Card, Deck } from '../../src/deck/types.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { livePrompt } from '../../src/bot/render.ts';
import type { RecordedRequest } from '../support/discord/index.ts';
import { teacher, type Harness } from './harness.ts';

export const FAULT_DECK = `# deck: chem basics
Water is made of -hydrogen- and -oxygen-.
Table salt is sodium -chloride-.
The symbol of gold is -Au-.
`;

export function faultDecks(): Deck[] {
  const { deck, errors } = parseDeck(FAULT_DECK, 'decks/chem.md');
  if (!deck) throw new Error(errors.map((e) => e.message).join('\n'));
  return [deck];
}

export const firstEmbed = (body: unknown): APIEmbed | undefined => (body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0];

/** The bot's messages in a channel whose embed title matches. */
export function postedTitled(h: Harness, channelId: string, title: RegExp): APIMessage[] {
  return h.fake.channelMessages(channelId).filter((m) => title.test(m.embeds[0]?.title ?? ''));
}

export const isQuestionPost = (channelId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/channels/${channelId}/messages` && /^Question \d+ of \d+$/.test(firstEmbed(r.body)?.title ?? '');

/** A question post Discord took (not one answered with an error). */
export const isPostedQuestion = (channelId: string) => (r: RecordedRequest) => r.status === 200 && isQuestionPost(channelId)(r);

/** The card a question of the fault deck asks, found by its prompt. */
export function cardAsked(body: unknown): Card {
  const description = firstEmbed(body)?.description;
  const card = faultDecks().flatMap((d) => d.cards).find((c) => description?.startsWith(livePrompt(c, 0)) ?? false);
  if (!card) throw new Error(`no card asks ${description}`);
  return card;
}

/** Starts a round as the teacher in the first channel; returns once the first question was asked. */
export async function startQuiz(h: Harness, options: Record<string, string | number> = { deck: 'chem', questions: 3, pause: 0 }) {
  const channelId = h.guild.channels[0]!.id;
  const cursor = h.fake.cursor();
  const command = await h.fake.slashCommand({ name: 'quiz', options, user: teacher, channelId, guildId: h.guild.id });
  const first = await h.fake.waitForRequest(isPostedQuestion(channelId), { after: cursor, timeout: 10_000 });
  return { command, channelId, first };
}
