/**
 * The Answer button of a daily drop opens a modal; the modal's verdict comes
 * back ephemeral, so nobody's answer is spoiled. `daily:answer:<drop>` and
 * `daily:submit:<drop>`.
 */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder } from '@discordjs/builders';
import { MessageFlags, TextInputStyle } from 'discord.js';
import type { ComponentHandler } from '../command.ts';
import { customId } from '../custom-id.ts';
import { userError } from '../reply.ts';
import { answerText, clipAround, plain } from '../render.ts';
import { HIDDEN_BLANK } from '../../deck/types.ts';
import { TRIES_PER_DROP } from '../../engine/drop.ts';
import type { ShapeRefusal } from '../../engine/reply-shape.ts';

const CLOSED = 'This question is closed: its answer was revealed. Answer the newest question of the day instead.';
const SOLVED = 'You already solved this one. Come back for the next question!';
const PAUSED = 'Your answer could not be saved because scoring is paused for now, so it earned no points. A message in the channel says when scoring resumes.';
const NO_TRIES = `You have used your ${TRIES_PER_DROP} tries on this question. The answer comes with the next question.`;

/** Refusals that do not use a try: they depend on the reply's shape alone, never on the answer. */
const REFUSED: Record<ShapeRefusal, string> = {
  'several-guesses': 'Give one guess for each blank, not a list of guesses.',
  'in-sentence': 'That is already shown in the sentence: give the missing words.',
};

const triesLeft = (n: number) => `${n} ${n === 1 ? 'try' : 'tries'}`;

const PLACEHOLDER_MAX = 100;

/** Label of the modal's text field (Discord allows 45 characters). */
function answerLabel(blanks: number): string {
  return blanks > 1 ? `${blanks} missing parts, in order, comma-separated` : 'The missing words';
}

export const dailyAnswer: ComponentHandler = {
  prefix: 'daily',

  async button(interaction, [action, dropId = ''], ctx) {
    if (action !== 'answer') return userError('Unknown button.');
    const member = await ctx.daily.memberState(interaction.guildId, dropId, interaction.user.id);
    if (member.state === 'closed') return userError(CLOSED);
    const { state, drop } = member;
    if (state === 'solved') return userError(SOLVED);
    if (state === 'no-tries-left') return userError(NO_TRIES);
    const blanks = drop.card.answers.length;
    const modal = new ModalBuilder()
      .setCustomId(customId('daily', 'submit', dropId))
      .setTitle(`Question of the day · ${triesLeft(state)} left`)
      .addComponents(
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder()
            .setCustomId('answer')
            .setLabel(answerLabel(blanks))
            .setStyle(TextInputStyle.Short)
            .setRequired(true)
            .setMaxLength(300)
            // The question itself, so the form does not hide it (Discord allows 100 characters).
            .setPlaceholder(clipAround(drop.card.prompt, HIDDEN_BLANK, PLACEHOLDER_MAX)),
        ),
      );
    await interaction.showModal(modal);
  },

  async modal(interaction, [action, dropId = ''], ctx) {
    if (action !== 'submit') return userError('Unknown form.');
    const reply = interaction.fields.getTextInputValue('answer');
    const name = interaction.member.displayName;
    let result: Awaited<ReturnType<typeof ctx.daily.answer>>;
    try {
      result = await ctx.daily.answer(interaction.guildId, { dropId, userId: interaction.user.id, name, reply });
    } catch (error) {
      if (!ctx.notice?.isWriteFailure(error)) throw error;
      // Not stored, so not claimed: the channel hears once that scoring is paused.
      const channel = interaction.channel;
      if (channel) await ctx.notice.paused(channel.id, (content) => channel.send({ content }));
      return userError(PAUSED);
    }
    let content: string;
    switch (result.type) {
      case 'closed':
        return userError(CLOSED);
      case 'already-solved':
        return userError(SOLVED);
      case 'no-tries-left':
        return userError(NO_TRIES);
      case 'correct': {
        const answer = ` The answer: **${plain(answerText(result.card))}**.`;
        content = `Correct!${answer} +${result.points.total} points${result.first ? ` (${result.points.base} + ${result.points.firstSolverBonus} for solving it first)` : ''}. Keep it to yourself until the reveal!`;
        break;
      }
      case 'refused':
        content = `${REFUSED[result.reason]} This did not use a try: ${triesLeft(result.triesLeft)} left.`;
        break;
      case 'wrong': {
        const hint = result.hint ? ` This question has ${result.hint.blanks} blanks: give them all, in order, separated by commas.` : '';
        content = result.triesLeft > 0
          ? `Not quite.${hint} ${triesLeft(result.triesLeft)} left.`
          : `Not quite.${hint} That was your last try: the answer comes with the next question.`;
        break;
      }
    }
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  },
};
