/**
 * Turns cards, questions and results into Discord message payloads.
 * Pure: no I/O, easy to check against Discord's limits.
 */
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle, escapeMarkdown, type APIEmbed, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { HIDDEN_BLANK, type Card } from '../deck/types.ts';
import { customId } from './custom-id.ts';

export const COLORS = { question: 0x5865f2, correct: 0x57f287, revealed: 0xfee75c, stopped: 0x99aab5 } as const;

/** Keeps text within a Discord limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes Discord markdown and mention syntax in deck text. */
export function plain(text: string): string {
  return escapeMarkdown(text).replace(/@/g, '@\u200b');
}

/** The prompt with each hidden blank shown as inline code (`____`, or a hint mask). */
export function promptMarkdown(card: Card, masks?: readonly string[]): string {
  return card.parts
    .map((part) => (typeof part === 'string' ? plain(part) : `\`${masks?.[part.blank] ?? HIDDEN_BLANK}\``))
    .join('');
}

/** The full answer, e.g. `lack / talent`. */
export function answerText(card: Card): string {
  return card.answers.join(' / ');
}

/** How to answer, shown with every question. */
export function howToAnswer(card: Card, where: 'channel' | 'modal'): string {
  const n = card.answers.length;
  const start = where === 'channel' ? 'Reply in this channel' : 'Type your answer';
  if (n === 1) return `${start} with the missing words.`;
  return `${start} with the ${n} missing parts in order, separated by commas (e.g. \`first, second\`), or as the phrase reads.`;
}

export function cardLocation(card: Card): string {
  return card.section ? `${card.deck} · ${card.section}` : card.deck;
}

export interface QuestionView {
  readonly card: Card;
  readonly index: number;
  readonly total: number;
  readonly deadline: number;
  readonly seconds: number;
  readonly masks?: readonly string[];
  readonly hintLevel: number;
  readonly worth: number;
}

export function questionEmbed(view: QuestionView): APIEmbed {
  const embed = new EmbedBuilder()
    .setColor(COLORS.question)
    .setTitle(`Question ${view.index + 1} of ${view.total}`)
    .setDescription(clip(promptMarkdown(view.card, view.masks), 4000))
    .addFields(
      { name: 'Deck', value: clip(plain(view.card.deck), 1024), inline: true },
      { name: 'Section', value: clip(plain(view.card.section || '—'), 1024), inline: true },
      { name: 'Time', value: `${view.seconds} s, ends <t:${Math.ceil(view.deadline / 1000)}:R>`, inline: true },
      { name: 'How to answer', value: howToAnswer(view.card, 'channel') },
    )
    .setFooter({ text: view.hintLevel > 0 ? `Hint ${view.hintLevel} used · now worth ${view.worth} points + speed bonus` : `Worth ${view.worth} points + speed bonus · a hint lowers the points` });
  return embed.toJSON();
}

export function questionButtons(roundId: string): APIActionRowComponent<APIButtonComponent>[] {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('quiz', 'hint', roundId)).setLabel('Hint').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(customId('quiz', 'skip', roundId)).setLabel('Skip').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(customId('quiz', 'stop', roundId)).setLabel('Stop').setStyle(ButtonStyle.Danger),
  );
  return [row.toJSON()];
}

export type ClosedHow = 'answered' | 'timed-out' | 'skipped' | 'stopped';

const CLOSED_TEXT: Record<ClosedHow, string> = {
  answered: 'Answered',
  'timed-out': "Time's up",
  skipped: 'Skipped',
  stopped: 'Round stopped',
};

/** The question message once closed: the full note with the answer shown, no buttons. */
export function closedQuestionEmbed(view: QuestionView, how: ClosedHow, winnerName?: string): APIEmbed {
  const fields = [
    { name: 'Answer', value: clip(plain(answerText(view.card)), 1024) },
    { name: 'Deck', value: clip(plain(cardLocation(view.card)), 1024) },
  ];
  if (winnerName) fields.push({ name: 'Answered by', value: clip(plain(winnerName), 1024) });
  return new EmbedBuilder()
    .setColor(how === 'answered' ? COLORS.correct : how === 'stopped' ? COLORS.stopped : COLORS.revealed)
    .setTitle(`Question ${view.index + 1} of ${view.total} · ${CLOSED_TEXT[how]}`)
    .setDescription(clip(plain(view.card.text), 4000))
    .addFields(fields)
    .toJSON();
}

export interface SummaryLine {
  readonly rank: number;
  readonly name: string;
  readonly points: number;
  readonly correct: number;
}

export function summaryEmbed(title: string, lines: readonly SummaryLine[], asked: number, note?: string): APIEmbed {
  const body = lines.length
    ? lines
        .slice(0, 20)
        .map((l) => `**${l.rank}.** ${clip(plain(l.name), 80)} · ${l.points} pts · ${l.correct} correct`)
        .join('\n')
    : 'Nobody scored this round.';
  return new EmbedBuilder()
    .setColor(COLORS.stopped)
    .setTitle(title)
    .setDescription(clip([note, body].filter(Boolean).join('\n\n'), 4000))
    .setFooter({ text: `${asked} question${asked === 1 ? '' : 's'} asked · /leaderboard for the class ranking` })
    .toJSON();
}
