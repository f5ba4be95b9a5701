/**
 * Turns cards, questions and results into Discord message payloads.
 * Pure: no I/O, easy to check against Discord's limits.
 */
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle, type APIEmbed, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { HIDDEN_BLANK, type Card } from '../deck/types.ts';
import { spacedHint } from '../engine/hint.ts';
import type { RoundTally } from '../engine/round.ts';
import { MAX_HINTS, SPEED_BONUS_MAX } from '../engine/scoring.ts';
import { customId } from './custom-id.ts';

/** Medals of ranks 1 to 3 on boards and podiums (ties share one). */
export const MEDALS = ['🥇', '🥈', '🥉'] as const;

export const COLORS = { question: 0x5865f2, correct: 0x57f287, revealed: 0xfee75c, stopped: 0x99aab5 } as const;

/** Keeps text within a Discord limit, marking the cut (never inside a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Discord's largest text field (an embed description). */
export const MAX_TEXT = 4096;

/**
 * Escapes Discord markdown in linear time: a backslash before every character that
 * formats (`\ * _ ~ \` | [ ]`) and before headings, quotes and list markers at the
 * start of a line. (discord.js's escapeMarkdown takes seconds on a long line.)
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\*_~`|[\]]/g, '\\$&')
    .replace(/^( *)(#{1,3} |>|[-+] )/gm, '$1\\$2')
    .replace(/^( *\d+)\. /gm, '$1\\. ');
}

/**
 * Deck or member text as plain text in a message: clipped to `max` first (escaping
 * only lengthens it), then markdown and mentions escaped, then clipped again.
 */
export function plain(text: string, max = MAX_TEXT): string {
  return clip(escapeText(clip(text, max)).replace(/@/g, '@\u200b'), max);
}

/** The prompt with each hidden blank shown as inline code (`____`, or a hint mask). */
export function promptMarkdown(card: Card, masks?: readonly string[]): string {
  let out = '';
  for (const part of card.parts) {
    if (out.length > MAX_TEXT) break; // the rest would be clipped away
    out += typeof part === 'string' ? plain(part) : `\`${masks?.[part.blank] ?? HIDDEN_BLANK}\``;
  }
  return out;
}

/** The sentence with the card's answers in its blanks, in bold. */
export function answeredSentence(card: Card): string {
  return card.parts.map((part) => (typeof part === 'string' ? plain(part) : `**${plain(card.answers[part.blank] ?? '')}**`)).join('');
}

/** At most `max` characters of `text` around its first `mark` (both ends cut with `…` when needed). */
export function clipAround(text: string, mark: string, max: number): string {
  if (text.length <= max) return text;
  const at = Math.max(0, text.indexOf(mark));
  const start = Math.max(0, Math.min(at - Math.floor((max - mark.length) / 2), text.length - max));
  return start === 0 ? clip(text, max) : clip(`…${text.slice(start + 1)}`, max);
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
  return `${start} with the ${n} missing parts in order, separated by commas (e.g. \`${exampleParts(n)}\`), or as the phrase reads.`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** An example answer of `n` parts: `first, second, third`. */
export function exampleParts(n: number): string {
  return Array.from({ length: n }, (_, i) => ORDINALS[i] ?? `part ${i + 1}`).join(', ');
}

/** `1 point`, `7 points`. */
export function points(n: number): string {
  return `${n} point${n === 1 ? '' : 's'}`;
}

/**
 * A live question's sentence: the hidden blanks in inline code, numbered `(1)`, `(2)` when the
 * card has several, and after a hint spaced so the letters can be counted (`v _ _ _` (4 letters)).
 */
export function livePrompt(card: Card, hintLevel: number): string {
  const numbered = card.answers.length > 1;
  return card.parts
    .map((part) => {
      if (typeof part === 'string') return plain(part);
      const number = numbered ? `(${part.blank + 1}) ` : '';
      if (hintLevel <= 0) return `${number}\`${HIDDEN_BLANK}\``;
      const { mask, letters } = spacedHint(card.answers[part.blank] ?? '', hintLevel);
      return `${number}\`${mask}\` (${letters})`;
    })
    .join('');
}

/** The card's sentence with its answers in bold. */
export function answerSentence(card: Card): string {
  return card.parts.map((part) => (typeof part === 'string' ? plain(part) : `**${plain(card.answers[part.blank] ?? '')}**`)).join('');
}

/** The answer as it reads in the sentence: from the card's first blank to its last, the answers in bold. */
export function answerPhrase(card: Card): string {
  const blanks = card.parts.flatMap((part, i) => (typeof part === 'string' ? [] : [i]));
  const first = blanks[0] ?? 0;
  const last = blanks.at(-1) ?? card.parts.length - 1;
  return answerSentence({ ...card, parts: card.parts.slice(first, last + 1) }).trim();
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
  /** Display names of the members who asked for the hints so far. */
  readonly hintedBy?: readonly string[];
}

/** One compact embed per question: the sentence, then deck · section, the countdown and the points. */
export function questionEmbed(view: QuestionView): APIEmbed {
  const worth = `**${points(view.worth)}** + up to ${SPEED_BONUS_MAX} for speed`;
  const by = [...new Set(view.hintedBy ?? [])].map((name) => plain(name)).join(', ');
  const hints = view.hintLevel > 0 ? `💡 Hint ${view.hintLevel} of ${MAX_HINTS}${by ? ` by ${by}` : ''}: now ${worth}` : `${worth} · a hint lowers the points`;
  const lines = [`${plain(cardLocation(view.card))} · ends <t:${Math.ceil(view.deadline / 1000)}:R>`, hints];
  if (view.card.answers.length > 1) lines.push(`Answer the ${view.card.answers.length} blanks in order, e.g. \`${exampleParts(view.card.answers.length)}\`, or as the phrase reads.`);
  // Plain data: each field is clipped to Discord's limit here, and this embed is made for every
  // question (the builder's checks cost more than making it).
  return {
    color: COLORS.question,
    title: `Question ${view.index + 1} of ${view.total}`,
    description: `${clip(livePrompt(view.card, view.hintLevel), 3500)}\n\n${clip(lines.join('\n'), 490)}`,
  } satisfies APIEmbed;
}

export function questionButtons(roundId: string, options: { readonly hintsLeft?: boolean } = {}): APIActionRowComponent<APIButtonComponent>[] {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('quiz', 'hint', roundId)).setLabel('Hint').setStyle(ButtonStyle.Secondary).setDisabled(options.hintsLeft === false),
    new ButtonBuilder().setCustomId(customId('quiz', 'skip', roundId)).setLabel('Skip').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(customId('quiz', 'stop', roundId)).setLabel('Stop').setStyle(ButtonStyle.Danger),
  );
  return [row.toJSON()];
}

export type ClosedHow = 'answered' | 'timed-out' | 'skipped' | 'stopped' | 'interrupted';

const CLOSED_TEXT: Record<ClosedHow, string> = {
  answered: 'Answered',
  'timed-out': "Time's up",
  skipped: 'Skipped',
  stopped: 'Round stopped',
  interrupted: 'Interrupted by a restart',
};

/**
 * The question message once closed: the sentence with the answer in bold, deck · section, and
 * when another question follows after a pause, when it comes. No buttons.
 */
export function closedQuestionEmbed(view: QuestionView, how: ClosedHow, winnerName?: string, nextInSeconds?: number): APIEmbed {
  const status = how === 'answered' && winnerName ? `✅ ${plain(winnerName)}` : CLOSED_TEXT[how];
  const lines = [plain(cardLocation(view.card))];
  if (nextInSeconds !== undefined && nextInSeconds > 0) lines.push(`Next question in ${nextInSeconds} s`);
  // Plain data, as `questionEmbed`: made at every close and every save of a round.
  return {
    color: how === 'answered' ? COLORS.correct : how === 'stopped' || how === 'interrupted' ? COLORS.stopped : COLORS.revealed,
    title: clip(`Question ${view.index + 1} of ${view.total} · ${status}`, 256),
    description: `${clip(answerSentence(view.card), 3500)}\n\n${clip(lines.join('\n'), 490)}`,
  } satisfies APIEmbed;
}

export interface SummaryLine {
  readonly rank: number;
  readonly userId?: string;
  readonly name: string;
  readonly points: number;
  readonly correct: number;
}

export interface SummaryInput {
  readonly title: string;
  /** Every ranked member, best first. */
  readonly lines: readonly SummaryLine[];
  /** What happened; only `asked` is known for rounds saved by older versions. */
  readonly tally: Partial<RoundTally> & { readonly asked: number };
  /** The member who started the round: listed even when outside the top 5. */
  readonly startedBy?: string;
  /** Who stopped the round, when it was stopped. */
  readonly stoppedBy?: string;
  readonly note?: string;
}

/** How many members the summary lists (plus the member who started the round). */
export const SUMMARY_TOP = 5;

const joinNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The winner, or who tied for first. */
export function summaryHeadline(lines: readonly SummaryLine[]): string {
  const first = lines.filter((l) => l.rank === 1 && l.points > 0);
  const top = first[0];
  if (!top) return 'Nobody scored this round.';
  if (first.length === 1) return `🏆 **${clip(plain(top.name), 80)}** wins with ${points(top.points)}.`;
  const shown = first.slice(0, 4).map((l) => `**${clip(plain(l.name), 80)}**`);
  const names = first.length > 4 ? `${shown.join(', ')} and ${first.length - 4} more` : joinNames(shown);
  return `🤝 ${first.length}-way tie for first: ${names}, ${points(top.points)} each.`;
}

/** `5 questions asked · 3 answered · 1 timed out · 1 skipped · 2 hints used`. */
export function tallyText(tally: SummaryInput['tally']): string {
  const parts = [`${tally.asked} question${tally.asked === 1 ? '' : 's'} asked`];
  if (tally.answered !== undefined) parts.push(`${tally.answered} answered`);
  if (tally.timedOut !== undefined) parts.push(`${tally.timedOut} timed out`);
  if (tally.skipped) parts.push(`${tally.skipped} skipped`);
  if (tally.hints !== undefined) parts.push(`${tally.hints} hint${tally.hints === 1 ? '' : 's'} used`);
  return parts.join(' · ');
}

export function summaryEmbed(input: SummaryInput): APIEmbed {
  const row = (l: SummaryLine): string => `**${l.rank}.** ${clip(plain(l.name), 80)} · ${l.points} pt${l.points === 1 ? '' : 's'} · ${l.correct} correct`;
  const top = input.lines.slice(0, SUMMARY_TOP).map(row);
  const starter = input.lines.findIndex((l) => l.userId !== undefined && l.userId === input.startedBy);
  if (starter >= SUMMARY_TOP) top.push(...(starter > SUMMARY_TOP ? ['…'] : []), row(input.lines[starter]!));
  else if (input.lines.length > SUMMARY_TOP) top.push(`… and ${input.lines.length - SUMMARY_TOP} more`);
  const notes = [input.note, input.stoppedBy ? `Stopped by ${plain(input.stoppedBy)}.` : undefined].filter(Boolean).join('\n');
  const body = input.lines.length ? [summaryHeadline(input.lines), top.join('\n')].join('\n\n') : summaryHeadline(input.lines);
  return new EmbedBuilder()
    .setColor(COLORS.stopped)
    .setTitle(clip(input.title, 256))
    .setDescription(clip([notes, body].filter(Boolean).join('\n\n'), 4000))
    .setFooter({ text: `${tallyText(input.tally)} · /leaderboard for the class ranking` })
    .toJSON();
}
