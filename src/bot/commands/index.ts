/** The one place that lists the bot's slash commands and component handlers. */
import { uniqueCommands, type ComponentHandler } from '../command.ts';
import { quiz } from './quiz.ts';
import { decks } from './decks.ts';
import { leaderboard, leaderboardPages } from './leaderboard.ts';
import { daily } from './daily.ts';
import { stats } from './stats.ts';
import { season, seasonConfirm } from './season.ts';
import { exportCommand } from './export.ts';
import { practice } from './practice.ts';
import { settings } from './settings.ts';
import { classCommand } from './class.ts';
import { deck, deckConfirm } from './deck.ts';
import { quizButtons } from '../live/buttons.ts';
import { practiceButtonsHandler } from '../practice/sessions.ts';
import { reviewMisses } from '../live/review-misses.ts';
import { dailyAnswer } from '../daily/answer.ts';

export const commands = uniqueCommands([quiz, decks, leaderboard, daily, stats, season, exportCommand, practice, settings, classCommand, deck]);

export const components: ComponentHandler[] = [quizButtons, leaderboardPages, dailyAnswer, seasonConfirm, practiceButtonsHandler, reviewMisses, deckConfirm];

/** The JSON Discord receives when the commands are registered. */
export function commandDefinitions() {
  return commands.map((command) => command.data.toJSON());
}
