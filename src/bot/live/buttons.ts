import type { ComponentHandler } from '../command.ts';

/** Hint, Skip and Stop on a live question: `quiz:<action>:<round id>`. */
export const quizButtons: ComponentHandler = {
  prefix: 'quiz',
  button: (interaction, [action = '', roundId = ''], ctx) => ctx.rounds.handleButton(interaction, action, roundId),
};
