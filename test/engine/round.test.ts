import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card } from '../../src/deck/types.ts';
import { maskAnswer } from '../../src/engine/hint.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { advance, currentQuestion, forfeit, hint, LATE_RIGHT_MS, reply, scoreEvents, skip, startRound, stop, summary, timeOut } from '../../src/engine/round.ts';
import { dailyPoints, livePoints } from '../../src/engine/scoring.ts';
import { chooseRoundCards } from '../../src/engine/select.ts';

const seed = parseDeck(readFileSync(new URL('../../decks/mlops-wk9.md', import.meta.url), 'utf8'), 'decks/mlops-wk9.md').deck!;
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const byAnswers = (...answers: string[]): Card => seed.cards.find((c) => c.answers.join('|') === answers.join('|'))!;
const weeks = byAnswers('weeks');
const months = byAnswers('months');
const lackTalent = byAnswers('lack', 'talent');
const settings = { seconds: 30, startedBy: 'teacher' };
const byId = (userId: string): string => userId;

describe('choosing cards for a round', () => {
  it('the same pool and seed give the same cards, without repeats', () => {
    const a = chooseRoundCards(seed.cards, 20, seededRandom('class-1'));
    const b = chooseRoundCards(seed.cards, 20, seededRandom('class-1'));
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    expect(new Set(a.map((c) => c.id)).size).toBe(20);
  });

  it('another seed gives another order', () => {
    const a = chooseRoundCards(seed.cards, 20, seededRandom('class-1'));
    const b = chooseRoundCards(seed.cards, 20, seededRandom('class-2'));
    expect(a.map((c) => c.id)).not.toEqual(b.map((c) => c.id));
  });

  it('asking for more cards than the pool has gives one card of each note', () => {
    expect(weeks.text).toBe(months.text);
    const pool = [weeks, months, lackTalent, weeks];
    const cards = chooseRoundCards(pool, 10, seededRandom(1));
    expect(cards).toHaveLength(2);
    expect(cards.map((c) => c.text).sort()).toEqual([weeks.text, lackTalent.text].sort());
  });
});

describe('scoring', () => {
  it.each([
    { hints: 0, elapsed: 0, expected: { base: 10, speedBonus: 5, total: 15 } },
    { hints: 0, elapsed: 15_000, expected: { base: 10, speedBonus: 2, total: 12 } },
    { hints: 0, elapsed: 30_000, expected: { base: 10, speedBonus: 0, total: 10 } },
    { hints: 1, elapsed: 6_000, expected: { base: 7, speedBonus: 4, total: 11 } },
    { hints: 3, elapsed: 29_000, expected: { base: 1, speedBonus: 0, total: 1 } },
  ])('$hints hints after $elapsed ms of 30 s earn $expected.total', ({ hints, elapsed, expected }) => {
    expect(livePoints(hints, elapsed, 30_000)).toEqual(expected);
  });

  it('the first daily solver gets a bonus, the others the base points', () => {
    expect(dailyPoints(true)).toEqual({ base: 10, firstSolverBonus: 5, total: 15 });
    expect(dailyPoints(false)).toEqual({ base: 10, firstSolverBonus: 0, total: 10 });
  });
});

describe('hints', () => {
  it.each([
    ['talent', 0, '____'],
    ['talent', 1, 't_____'],
    ['talent', 2, 'ta____'],
    ['generate long-term value', 1, 'g_______ l___-t___ v____'],
    ['CI/CD', 3, 'C_/C_'],
    ['V7', 3, 'V_'],
  ])('%s at level %i shows %s', (answer, level, mask) => {
    expect(maskAnswer(answer, level)).toBe(mask);
  });
});

describe('a live round with a fixed clock', () => {
  it('the first correct reply wins with speed bonus; a later right reply scores nothing but is kept as late-right', () => {
    let state = startRound([weeks, months], settings, T0);
    expect(currentQuestion(state)?.card.id).toBe(weeks.id);
    let r = reply(state, 'ana', 'days', T0 + 1_000);
    expect(r.outcome.type).toBe('wrong');
    state = r.state;
    r = reply(state, 'ben', 'Weeks', T0 + 3_000);
    expect(r.outcome).toMatchObject({ type: 'correct', points: { total: 14 } });
    state = r.state;
    expect(reply(state, 'cleo', 'weeks', T0 + 3_000 + LATE_RIGHT_MS + 1).outcome).toEqual({ type: 'ignored', why: 'no-open-question' });
    expect(reply(state, 'ana', 'nope', T0 + 3_001).outcome).toEqual({ type: 'ignored', why: 'no-open-question' });
    r = reply(state, 'ana', 'weeks', T0 + 3_001);
    expect(r.outcome.type).toBe('late-right');
    state = r.state;
    expect(reply(state, 'ana', 'weeks', T0 + 3_002).outcome).toEqual({ type: 'ignored', why: 'no-open-question' });
    expect(state.scores).toEqual({ ben: { points: 14, correct: 1 } });
    const closed = state.questions[0]!;
    expect(closed).toMatchObject({ status: 'answered', winner: { userId: 'ben', typo: false }, attempted: ['ana', 'ben'], wrongTries: { ana: 1 }, lateRight: [{ userId: 'ana', at: T0 + 3_001, typo: false }] });
    state = advance(state, T0 + 4_000);
    expect(currentQuestion(state)).toMatchObject({ index: 1, openedAt: T0 + 4_000, deadline: T0 + 34_000 });
  });

  it.each([
    ['um', 'ignored'],
    ['no idea, something about data?', 'ignored'],
    ['lol 😂', 'ignored'],
    ['days', 'wrong'],
    ['a couple of days', 'wrong'],
  ])('a wrong reply %j is %s', (text, type) => {
    const state = startRound([weeks], settings, T0);
    const r = reply(state, 'ana', text, T0 + 1_000);
    expect(r.outcome.type).toBe(type);
    if (type === 'ignored') {
      expect(r.outcome).toEqual({ type: 'ignored', why: 'not-an-answer' });
      expect(r.state).toBe(state);
    } else {
      expect(currentQuestion(r.state)?.attempted).toEqual(['ana']);
    }
  });

  it('a right answer counts even when it looks like chat (ends with ?)', () => {
    const r = reply(startRound([weeks], settings, T0), 'ana', 'weeks?', T0 + 1_000);
    expect(r.outcome.type).toBe('correct');
  });

  it('a question times out only at its deadline, and a reply after it is too late', () => {
    let state = startRound([weeks], settings, T0);
    expect(timeOut(state, T0 + 29_999).closed).toBeUndefined();
    expect(reply(state, 'ana', 'weeks', T0 + 30_001).outcome).toEqual({ type: 'ignored', why: 'too-late' });
    const result = timeOut(state, T0 + 30_000);
    expect(result.closed?.status).toBe('timed-out');
    state = advance(result.state, T0 + 30_000);
    expect(state.finished).toBe(true);
    expect(summary(state.scores, byId)).toEqual([]);
  });

  it('hints reveal letters step by step and lower the points, at most three', () => {
    let state = startRound([lackTalent], settings, T0);
    const h1 = hint(state, T0 + 1_000);
    expect(h1.outcome).toEqual({ type: 'hint', level: 1, masks: ['l___', 't_____'], worth: 7 });
    state = hint(hint(h1.state, T0).state, T0).state;
    expect(hint(state, T0).outcome).toEqual({ type: 'ignored', why: 'no-more-hints' });
    const r = reply(state, 'ana', 'lack of talent', T0 + 30_000);
    expect(r.outcome).toMatchObject({ type: 'correct', points: { base: 1, speedBonus: 0, total: 1 } });
  });

  it('skip closes the question without a winner and the round goes on', () => {
    let state = startRound([weeks, months], settings, T0);
    const skipped = skip(state);
    expect(skipped.closed?.status).toBe('skipped');
    state = advance(skipped.state, T0 + 1);
    expect(currentQuestion(state)?.card.id).toBe(months.id);
  });

  it('stop ends the round at once and the summary ranks equal points together', () => {
    let state = startRound([weeks, months, lackTalent], settings, T0);
    state = reply(state, 'ana', 'weeks', T0 + 30_000).state;
    state = advance(state, T0 + 30_000);
    state = reply(state, 'ben', 'months', T0 + 60_000).state;
    state = advance(state, T0 + 60_000);
    const stopped = stop(state);
    expect(stopped.state.finished).toBe(true);
    expect(stopped.closed?.status).toBe('stopped');
    expect(summary(stopped.state.scores, byId)).toEqual([
      { rank: 1, userId: 'ana', name: 'ana', points: 10, correct: 1 },
      { rank: 1, userId: 'ben', name: 'ben', points: 10, correct: 1 },
    ]);
  });

  it('the summary orders a tie like the leaderboard: more correct answers, then the name, not the user id', () => {
    const names: Record<string, string> = { '1': 'Zoe', '2': 'amy', '3': 'Ben', '4': 'Cy' };
    const scores = { '1': { points: 20, correct: 2 }, '2': { points: 20, correct: 2 }, '3': { points: 20, correct: 1 }, '4': { points: 5, correct: 1 } };
    expect(summary(scores, (id) => names[id]!).map((row) => `${row.rank} ${row.name}`)).toEqual(['1 amy', '1 Zoe', '1 Ben', '4 Cy']);
  });

  it('a closed question gives one score event per member who replied, the points to the winner', () => {
    let state = startRound([weeks], settings, T0);
    state = reply(state, 'ana', 'days', T0 + 1_000).state;
    const won = reply(state, 'ben', 'weeks', T0 + 3_000);
    if (won.outcome.type !== 'correct') throw new Error('expected a correct reply');
    const card = { deck: weeks.deck, section: weeks.section, cardId: weeks.id, source: 'live' };
    expect(scoreEvents(won.outcome.question, T0 + 5_000)).toEqual([
      { userId: 'ana', at: T0 + 5_000, ...card, correct: false, points: 0, won: false },
      { userId: 'ben', at: T0 + 3_000, ...card, correct: true, points: 14, won: true },
    ]);
    const skipped = skip(reply(startRound([weeks], settings, T0), 'cleo', 'days', T0).state).closed!;
    expect(scoreEvents(skipped, T0 + 9_000)).toEqual([{ userId: 'cleo', at: T0 + 9_000, ...card, correct: false, points: 0, won: false }]);
  });

  it('a seeded round is repeatable end to end', () => {
    const play = () => {
      const cards = chooseRoundCards(seed.cards, 3, seededRandom('golden'));
      let state = startRound(cards, settings, T0);
      const log: string[] = [];
      for (let i = 0; !state.finished; i++) {
        const q = currentQuestion(state)!;
        const r = reply(state, 'ana', q.card.answers.join(', '), T0 + i * 40_000 + 2_000);
        log.push(`${q.card.id}:${r.outcome.type}`);
        state = advance(r.state, T0 + (i + 1) * 40_000);
      }
      return { log, scores: state.scores };
    };
    const first = play();
    expect(play()).toEqual(first);
    expect(first.scores).toEqual({ ana: { points: 42, correct: 3 } });
  });
});

describe('forfeit', () => {
  it('takes back the points of a question whose score was not saved, leaving the other questions', () => {
    let state = startRound([weeks, months], settings, T0);
    state = reply(state, 'ana', 'weeks', T0 + 1_000).state;
    state = advance(state, T0 + 2_000);
    state = reply(state, 'ana', 'months', T0 + 3_000).state;
    const both = state.scores['ana']!;
    const second = state.questions[1]!.winner!.points.total;
    expect(forfeit(state, 1).scores['ana']).toEqual({ points: both.points - second, correct: 1 });
    expect(forfeit(forfeit(state, 0), 1).scores).toEqual({});
    // A question without a winner changes nothing.
    expect(forfeit(skip(startRound([weeks], settings, T0)).state, 0)).toEqual(skip(startRound([weeks], settings, T0)).state);
  });
});
