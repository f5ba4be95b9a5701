/**
 * A live round as a pure state machine. Every transition takes the current
 * time (`now`, epoch ms) and returns a new state plus what happened; nothing
 * here reads a clock, talks to Discord or stores anything. The caller (terminal
 * or Discord layer) renders the events and arms the timers.
 */
import type { Card } from '../deck/types.ts';
import { rank } from '../competition/ranking.ts';
import type { ScoreEvent } from '../competition/types.ts';
import { looksLikeAnswer } from './attempt.ts';
import { judge, type Verdict } from './judge.ts';
import { maskAnswer } from './hint.ts';
import { livePoints, MAX_HINTS, type LivePoints } from './scoring.ts';

export type QuestionStatus = 'open' | 'answered' | 'timed-out' | 'skipped' | 'stopped';

export interface Question {
  readonly card: Card;
  /** 0-based position in the round. */
  readonly index: number;
  readonly openedAt: number;
  readonly deadline: number;
  readonly hints: number;
  /** Who asked for each hint, in order (ids; '' when not known). */
  readonly hintedBy: readonly string[];
  readonly status: QuestionStatus;
  /** `typo`: the winning reply was accepted only as a typo. */
  readonly winner?: { readonly userId: string; readonly points: LivePoints; readonly at: number; readonly typo?: boolean };
  /** Members who replied to this question, in order of their first reply. */
  readonly attempted: readonly string[];
  /** Wrong replies per member while the question was open. */
  readonly wrongTries?: Readonly<Record<string, number>>;
  /** Members who replied right just after the winner (within `LATE_RIGHT_MS`): they knew it, but score nothing. */
  readonly lateRight?: readonly LateRight[];
}

export interface LateRight {
  readonly userId: string;
  readonly at: number;
  readonly typo: boolean;
}

/**
 * How long after a question is won a right reply to it still counts for the
 * member's memory (not for points): two members typing the answer at once
 * both knew it, even though only the first message wins.
 */
export const LATE_RIGHT_MS = 5_000;

export interface RoundSettings {
  /** Seconds each question stays open. */
  readonly seconds: number;
  readonly startedBy: string;
}

export interface RoundScore {
  readonly points: number;
  readonly correct: number;
}

export interface RoundState {
  readonly settings: RoundSettings;
  readonly cards: readonly Card[];
  /** Questions asked so far, the last one being the current one. */
  readonly questions: readonly Question[];
  readonly finished: boolean;
  /** Who stopped the round, when it was stopped before its last question. */
  readonly stoppedBy?: string;
  readonly scores: Readonly<Record<string, RoundScore>>;
}

export type ReplyOutcome =
  | { readonly type: 'correct'; readonly question: Question; readonly points: LivePoints; readonly verdict: Verdict }
  | { readonly type: 'wrong'; readonly verdict: Verdict }
  /** Right for the question just won by someone else (see `LATE_RIGHT_MS`): no points, no attempt at the open question. */
  | { readonly type: 'late-right'; readonly question: Question }
  /** `not-an-answer`: a wrong message that is chat (`um`, a question), not an attempt: see `looksLikeAnswer`. */
  | { readonly type: 'ignored'; readonly why: 'no-open-question' | 'too-late' | 'not-an-answer' };

export type HintOutcome =
  | { readonly type: 'hint'; readonly level: number; readonly masks: readonly string[]; readonly worth: number }
  | { readonly type: 'ignored'; readonly why: 'no-open-question' | 'no-more-hints' };

export function startRound(cards: readonly Card[], settings: RoundSettings, now: number): RoundState {
  if (cards.length === 0) throw new Error('a round needs at least one card');
  const state: RoundState = { settings, cards, questions: [], finished: false, scores: {} };
  return askQuestion(state, 0, now);
}

/** The question being asked, if one is open. */
export function currentQuestion(state: RoundState): Question | undefined {
  const last = state.questions.at(-1);
  return last && last.status === 'open' ? last : undefined;
}

function askQuestion(state: RoundState, index: number, now: number): RoundState {
  const card = state.cards[index];
  if (!card) return { ...state, finished: true };
  const question: Question = {
    card,
    index,
    openedAt: now,
    deadline: now + state.settings.seconds * 1000,
    hints: 0,
    hintedBy: [],
    status: 'open',
    attempted: [],
  };
  return { ...state, questions: [...state.questions, question] };
}

function replaceCurrent(state: RoundState, question: Question): RoundState {
  return { ...state, questions: [...state.questions.slice(0, -1), question] };
}

/**
 * A member's reply. The first correct reply before the deadline wins the question. A wrong
 * reply counts as an attempt only when it looks like an answer; chat is ignored. A reply that
 * is right for the question just won by someone else, within `LATE_RIGHT_MS` of the win, is
 * recorded on that question as a late right answer instead of a try at the next one.
 */
export function reply(state: RoundState, userId: string, text: string, now: number): { state: RoundState; outcome: ReplyOutcome } {
  const question = currentQuestion(state);
  const verdict = question && now <= question.deadline ? judge(question.card, text) : undefined;
  if (!verdict?.correct) {
    const late = lateRight(state, userId, text, now);
    if (late) return late;
  }
  if (!question) return { state, outcome: { type: 'ignored', why: 'no-open-question' } };
  if (!verdict) return { state, outcome: { type: 'ignored', why: 'too-late' } };
  if (!verdict.correct && !looksLikeAnswer(question.card, text)) return { state, outcome: { type: 'ignored', why: 'not-an-answer' } };
  const attempted = question.attempted.includes(userId) ? question.attempted : [...question.attempted, userId];
  if (!verdict.correct) {
    const wrongTries = { ...question.wrongTries, [userId]: (question.wrongTries?.[userId] ?? 0) + 1 };
    return { state: replaceCurrent(state, { ...question, attempted, wrongTries }), outcome: { type: 'wrong', verdict } };
  }
  const points = livePoints(question.hints, now - question.openedAt, question.deadline - question.openedAt);
  const answered: Question = { ...question, attempted, status: 'answered', winner: { userId, points, at: now, typo: verdict.reason === 'typo' } };
  const before = state.scores[userId] ?? { points: 0, correct: 0 };
  const scores = { ...state.scores, [userId]: { points: before.points + points.total, correct: before.correct + 1 } };
  return { state: { ...replaceCurrent(state, answered), scores }, outcome: { type: 'correct', question: answered, points, verdict } };
}

/** The last question won by someone else, when `text` is a right answer to it that came in time to count. */
function lateRight(state: RoundState, userId: string, text: string, now: number): { state: RoundState; outcome: ReplyOutcome } | undefined {
  const index = state.questions.findLastIndex((q) => q.status === 'answered');
  const won = state.questions[index];
  if (!won?.winner || won.winner.userId === userId || now - won.winner.at > LATE_RIGHT_MS) return undefined;
  if (won.lateRight?.some((late) => late.userId === userId)) return undefined;
  const verdict = judge(won.card, text);
  if (!verdict.correct) return undefined;
  // Not added to `attempted`: the score events of the question are already recorded, and a late answer scores nothing.
  const updated: Question = { ...won, lateRight: [...(won.lateRight ?? []), { userId, at: now, typo: verdict.reason === 'typo' }] };
  const questions = state.questions.map((q, i) => (i === index ? updated : q));
  return { state: { ...state, questions }, outcome: { type: 'late-right', question: updated } };
}

/** Reveals one more letter of each word of the hidden blanks; each hint lowers the points. */
export function hint(state: RoundState, now: number, by = ''): { state: RoundState; outcome: HintOutcome } {
  const question = currentQuestion(state);
  if (!question || now > question.deadline) return { state, outcome: { type: 'ignored', why: 'no-open-question' } };
  if (question.hints >= MAX_HINTS) return { state, outcome: { type: 'ignored', why: 'no-more-hints' } };
  const hinted: Question = { ...question, hints: question.hints + 1, hintedBy: [...question.hintedBy, by] };
  return { state: replaceCurrent(state, hinted), outcome: { type: 'hint', level: hinted.hints, masks: hintMasks(hinted), worth: worth(hinted) } };
}

/** What the hidden blanks of a question show at its hint level (`____` before any hint). */
export function hintMasks(question: Question): string[] {
  return question.card.answers.map((answer) => maskAnswer(answer, question.hints));
}

/** The points a correct reply to the question earns now, before the speed bonus. */
export function worth(question: Question): number {
  return livePoints(question.hints, 0, 1).base;
}

function closeCurrent(state: RoundState, status: Exclude<QuestionStatus, 'open' | 'answered'>): { state: RoundState; closed?: Question } {
  const question = currentQuestion(state);
  if (!question) return { state };
  const closed: Question = { ...question, status };
  return { state: replaceCurrent(state, closed), closed };
}

/** Skips the open question (its answer is revealed by the caller). */
export function skip(state: RoundState): { state: RoundState; closed?: Question } {
  return closeCurrent(state, 'skipped');
}

/** Closes the open question when its deadline has passed; does nothing before. */
export function timeOut(state: RoundState, now: number): { state: RoundState; closed?: Question } {
  const question = currentQuestion(state);
  if (!question || now < question.deadline) return { state };
  return closeCurrent(state, 'timed-out');
}

/** Opens the next question, or finishes the round after the last one. */
export function advance(state: RoundState, now: number): RoundState {
  if (state.finished || currentQuestion(state)) return state;
  return askQuestion(state, state.questions.length, now);
}

/**
 * Takes back the points of question `index` (its score could not be saved):
 * the round's scores then count only points that were stored. The question keeps its winner.
 */
export function forfeit(state: RoundState, index: number): RoundState {
  const winner = state.questions[index]?.winner;
  const before = winner && state.scores[winner.userId];
  if (!winner || !before) return state;
  const after = { points: before.points - winner.points.total, correct: before.correct - 1 };
  const scores = { ...state.scores };
  if (after.correct > 0) scores[winner.userId] = after;
  else delete scores[winner.userId];
  return { ...state, scores };
}

/** Ends the round at once; an open question is closed as stopped. */
export function stop(state: RoundState, by?: string): { state: RoundState; closed?: Question } {
  const { state: next, closed } = closeCurrent(state, 'stopped');
  return { state: { ...next, finished: true, ...(by !== undefined && !state.finished ? { stoppedBy: by } : {}) }, closed };
}

/** What happened in a round, for its summary. */
export interface RoundTally {
  readonly asked: number;
  readonly answered: number;
  readonly timedOut: number;
  readonly skipped: number;
  readonly hints: number;
}

export function tally(state: Pick<RoundState, 'questions'>): RoundTally {
  const count = (status: QuestionStatus): number => state.questions.filter((q) => q.status === status).length;
  return {
    asked: state.questions.length,
    answered: count('answered'),
    timedOut: count('timed-out'),
    skipped: count('skipped'),
    hints: state.questions.reduce((sum, q) => sum + q.hints, 0),
  };
}

/**
 * The score events of a closed question: one per member who replied, the
 * winner's with the points won. Members who only replied wrong are recorded
 * at `now`, when the question closed.
 */
export function scoreEvents(question: Question, now: number): ScoreEvent[] {
  const { card, winner } = question;
  return question.attempted.map((userId) => {
    const won = winner?.userId === userId;
    return {
      userId,
      at: won ? winner.at : now,
      deck: card.deck,
      section: card.section,
      cardId: card.id,
      correct: won,
      points: won ? winner.points.total : 0,
      source: 'live',
      won,
    };
  });
}

export interface SummaryRow {
  readonly rank: number;
  readonly userId: string;
  readonly name: string;
  readonly points: number;
  readonly correct: number;
}

/**
 * The round's scores, best first, ranked like the leaderboard
 * (`competition/ranking.ts`): equal points share a rank, and within a tie
 * more correct answers come first, then the name.
 */
export function summary(scores: RoundState['scores'], names: (userId: string) => string): SummaryRow[] {
  const tallies = new Map(Object.entries(scores).map(([userId, s]) => [userId, { points: s.points, answered: s.correct, correct: s.correct, won: s.correct }]));
  return rank(tallies, names).map(({ rank, userId, name, points, correct }) => ({ rank, userId, name, points, correct }));
}
