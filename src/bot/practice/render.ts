/** The messages of a practice session: ephemeral, seen by the member only. Pure. */
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Card } from '../../deck/types.ts';
import { notQuite } from '../../engine/judge.ts';
import { maskAnswer } from '../../engine/hint.ts';
import { MAX_HINTS } from '../../engine/scoring.ts';
import type { CardResult } from '../../study/session.ts';
import { customId } from '../custom-id.ts';
import { answerText, clip, COLORS, howToAnswer, plain, promptMarkdown } from '../render.ts';

export const PRACTICE_PREFIX = 'practice';

const timestamp = (ms: number): string => `<t:${Math.ceil(ms / 1000)}:R>`;

/** A practice card, shown like a live question (prompt, deck, section, how to answer). */
export function practiceEmbed(card: Card, number: number, hints: number, isNew: boolean): APIEmbed {
  const masks = card.answers.map((answer) => maskAnswer(answer, hints));
  const kind = isNew ? 'New card' : 'Review';
  return new EmbedBuilder()
    .setColor(COLORS.question)
    .setTitle(`Practice · card ${number}`)
    .setDescription(clip(promptMarkdown(card, masks), 4000))
    .addFields(
      { name: 'Deck', value: clip(plain(card.deck), 1024), inline: true },
      { name: 'Section', value: clip(plain(card.section || '—'), 1024), inline: true },
      { name: 'How to answer', value: 'Press Answer and type the missing words.' + (card.answers.length > 1 ? ` ${howToAnswer(card, 'modal')}` : '') },
    )
    .setFooter({ text: hints > 0 ? `${kind} · hint ${hints} of ${MAX_HINTS} used · no leaderboard points in practice` : `${kind} · no leaderboard points in practice` })
    .toJSON();
}

export function practiceButtons(sessionId: string): APIActionRowComponent<APIButtonComponent>[] {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId(PRACTICE_PREFIX, 'answer', sessionId)).setLabel('Answer').setStyle(ButtonStyle.Primary),
    new ButtonBuilder().setCustomId(customId(PRACTICE_PREFIX, 'hint', sessionId)).setLabel('Hint').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(customId(PRACTICE_PREFIX, 'skip', sessionId)).setLabel('Skip').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(customId(PRACTICE_PREFIX, 'stop', sessionId)).setLabel('Stop').setStyle(ButtonStyle.Danger),
  );
  return [row.toJSON()];
}

/** The button that starts new cards when nothing is due. */
export function newCardsButton(sessionId: string, count: number): APIActionRowComponent<APIButtonComponent>[] {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId(PRACTICE_PREFIX, 'new', sessionId)).setLabel(`Start ${count} new card${count === 1 ? '' : 's'}`).setStyle(ButtonStyle.Primary),
  );
  return [row.toJSON()];
}

/** The verdict on a card, with the right answer. */
export function verdictLine(card: Card, result: CardResult): string {
  const answer = `The answer: **${plain(answerText(card))}**.`;
  if (result.kind === 'skipped') return `Skipped. ${answer}`;
  if (!result.verdict.correct) return `${notQuite(result.verdict)} ${answer}`;
  return result.verdict.reason === 'typo' ? `Right (mind the spelling)! ${answer}` : `Right! ${answer}`;
}

export interface EndView {
  readonly reviewed: number;
  readonly right: number;
  readonly nextDue: number | undefined;
  readonly capReached: boolean;
  readonly resetsAt: number;
  readonly newCap: number;
}

/** When the next card is due and, when it applies, when the new-card limit resets. */
export function whatsNext(view: Pick<EndView, 'nextDue' | 'capReached' | 'resetsAt' | 'newCap'>): string {
  const lines = [view.nextDue === undefined ? 'No card of yours is waiting for review.' : `Your next card is due ${timestamp(view.nextDue)}.`];
  if (view.capReached) lines.push(`You have started your ${view.newCap} new cards for today; more ${timestamp(view.resetsAt)}.`);
  return lines.join('\n');
}

/** The end of a session. */
export function endText(view: EndView): string {
  return `**Practice over.** Reviewed ${view.reviewed}, right ${view.right}.\n${whatsNext(view)}\nStart again with /practice.`;
}

export const SESSION_ENDED = 'This practice session has ended. Start a new one with /practice.';
