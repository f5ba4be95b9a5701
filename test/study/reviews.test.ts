import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import { answerDrop, openDrop } from '../../src/engine/drop.ts';
import { hint, reply, skip, startRound, timeOut, type RoundState } from '../../src/engine/round.ts';
import { dailyAnswerRating, liveQuestionRatings } from '../../src/study/reviews.ts';

const seed = parseDeck(readFileSync(new URL('../../decks/mlops-wk9.md', import.meta.url), 'utf8'), 'decks/mlops-wk9.md').deck!;
const weeks = seed.cards.find((c) => c.answers.join('|') === 'weeks')!;
const T0 = Date.UTC(2026, 10, 27, 12);

/** Runs replies (`user: text` at seconds after the start) on a one-question round, then closes it. */
function ratingsAfter(steps: (string | ((s: RoundState) => RoundState))[]): Record<string, string> {
  let state = startRound([weeks], { seconds: 30, startedBy: 't' }, T0);
  steps.forEach((step, i) => {
    if (typeof step === 'function') state = step(state);
    else {
      const [user = '', text = ''] = step.split(': ');
      state = reply(state, user, text, T0 + (i + 1) * 1_000).state;
    }
  });
  state = timeOut(state, T0 + 60_000).state;
  const question = state.questions[0]!;
  return Object.fromEntries(liveQuestionRatings(question, T0 + 60_000).map((r) => [r.userId, r.rating]));
}

describe('the memory reviews of a live question', () => {
  it.each<[string, (string | ((s: RoundState) => RoundState))[], Record<string, string>]>([
    ['the winner right at once gets Good', ['ana: weeks'], { ana: 'good' }],
    ['a second member right just after the winner also gets Good', ['ana: weeks', 'ben: weeks'], { ana: 'good', ben: 'good' }],
    ['right after a wrong try is Hard', ['ana: days', 'ana: weeks'], { ana: 'hard' }],
    ['right after a hint is Hard, for the late member too', [(s) => hint(s, T0).state, 'ana: weeks', 'ben: weeks'], { ana: 'hard', ben: 'hard' }],
    ['right accepted only as a typo is Hard', ['ana: weekz'], { ana: 'hard' }],
    ['tried wrong, someone else won: Again', ['ben: days', 'ana: weeks'], { ana: 'good', ben: 'again' }],
    ['tried wrong and the question timed out: Again', ['ben: days'], { ben: 'again' }],
    ['tried wrong and the question was skipped: Again', ['ben: days', (s) => skip(s).state], { ben: 'again' }],
    ['nobody tried: no review', [], {}],
  ])('%s', (_, steps, expected) => {
    expect(ratingsAfter(steps)).toEqual(expected);
  });
});

describe('the memory review of a daily answer', () => {
  const drop = openDrop({ id: 'd1', channelId: 'c', messageId: 'm', card: weeks, postedAt: T0, timeZone: 'UTC', kind: 'scheduled' });
  const answer = (d: typeof drop | undefined, text: string) => answerDrop(d, { dropId: 'd1', userId: 'ana', name: 'Ana', reply: text, at: T0 });

  it.each<[string, string[], (string | undefined)[]]>([
    ['right on the first try is Good', ['weeks'], ['good']],
    ['right on the third try is Hard; the wrong tries before leave no review', ['days', 'years', 'weeks'], [undefined, undefined, 'hard']],
    ['right as a typo is Hard', ['weekz'], ['hard']],
    ['the 3 tries used is Again', ['days', 'years', 'hours'], [undefined, undefined, 'again']],
  ])('%s', (_, replies, expected) => {
    let current: typeof drop | undefined = drop;
    const ratings = replies.map((text) => {
      const before = current?.tries['ana'] ?? 0;
      const next = answer(current, text);
      current = next.drop;
      return dailyAnswerRating(next.result, before);
    });
    expect(ratings).toEqual(expected);
  });
});
