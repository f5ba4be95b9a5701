import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card } from '../../src/deck/types.ts';
import { answerDrop, chooseCard, dropId, memberState, openDrop, revealEvents, TRIES_PER_DROP, type OpenDrop } from '../../src/engine/drop.ts';
import { seededRandom } from '../../src/engine/random.ts';
import type { ShuffleState } from '../../src/schedule/shuffle.ts';

const deck = parseDeck(['# deck: bio cells', '', '## Organelles', '', 'The -mitochondria- is the powerhouse of the cell.', '', 'DNA is kept in the -nucleus-.', '', 'Plants make sugar by -photosynthesis-.', ''].join('\n'), 'bio.md').deck!;
const [mito, nucleus] = deck.cards as [Card, Card];
/** 2026-11-27 23:30 UTC: already the 28th in Paris. */
const POSTED = Date.UTC(2026, 10, 27, 23, 30);
const LATER = POSTED + 60_000;

function drop(over: Partial<OpenDrop> = {}): OpenDrop {
  return { ...openDrop({ id: 'd1', channelId: 'c', messageId: 'm', card: mito, postedAt: POSTED, timeZone: 'Europe/Paris', kind: 'scheduled' }), ...over };
}

const answer = (userId: string, reply: string, dropIdText = 'd1') => ({ dropId: dropIdText, userId, name: userId.toUpperCase(), reply, at: LATER });

describe('opening a drop', () => {
  it('belongs to the local day of its post in the schedule zone and has no answers yet', () => {
    expect(drop()).toEqual({ id: 'd1', channelId: 'c', messageId: 'm', card: mito, postedAt: POSTED, day: '2026-11-28', kind: 'scheduled', solvers: [], tries: {}, names: {} });
  });

  it.each([
    [POSTED, 1, 'mwzm65s0-1'],
    [POSTED, 36, 'mwzm65s0-10'],
    [POSTED + 1, 1, 'mwzm65s1-1'],
  ])('its id, posted at %i as drop number %i, is %s', (at, count, id) => {
    expect(dropId(at, count)).toBe(id);
  });
});

describe('answering a drop', () => {
  const solvedByAna = answerDrop(drop(), answer('ana', 'mitochondria')).drop!;

  it.each<[string, OpenDrop | undefined, ReturnType<typeof answer>, string, number | null]>([
    ['the first right answer: bonus points', drop(), answer('ana', 'mitochondria'), 'correct', 15],
    ['a later right answer: base points', solvedByAna, answer('ben', 'Mitochondria'), 'correct', 10],
    ['a wrong first try: no event yet', drop(), answer('ana', 'nucleus'), 'wrong', null],
    ['the last wrong try: a wrong answer recorded', drop({ tries: { ana: 2 } }), answer('ana', 'banana'), 'wrong', 0],
    ['after solving: refused', solvedByAna, answer('ana', 'mitochondria'), 'already-solved', null],
    ['after three wrong tries: refused', drop({ tries: { ana: 3 } }), answer('ana', 'mitochondria'), 'no-tries-left', null],
    ['another drop id: closed', drop(), answer('ana', 'mitochondria', 'd0'), 'closed', null],
    ['no open drop: closed', undefined, answer('ana', 'mitochondria'), 'closed', null],
  ])('%s', (_what, before, given, type, points) => {
    const { drop: after, result, events } = answerDrop(before, given);
    expect(result.type).toBe(type);
    expect(events.map((e) => e.points)).toEqual(points === null ? [] : [points]);
    if (points !== null) expect(events[0]).toEqual({ userId: given.userId, at: LATER, deck: 'bio cells', section: 'Organelles', cardId: mito.id, correct: points > 0, points, source: 'daily', day: '2026-11-28' });
    if (type === 'correct' || type === 'wrong') expect(after?.names[given.userId]).toBe(given.userId.toUpperCase());
    else expect(after).toBe(before);
  });

  it('counts tries down to none and says how many are left', () => {
    let current: OpenDrop | undefined = drop();
    const left: unknown[] = [];
    for (const reply of ['a', 'b', 'c', 'd']) {
      const next = answerDrop(current, answer('cleo', reply));
      left.push(next.result.type === 'wrong' ? next.result.triesLeft : next.result.type);
      current = next.drop;
    }
    expect(left).toEqual([2, 1, 0, 'no-tries-left']);
    expect(current?.tries).toEqual({ cleo: TRIES_PER_DROP });
  });

  it('records the solvers in order with their points and the try that solved it', () => {
    const both = answerDrop(solvedByAna, answer('ben', 'mitochondria')).drop!;
    expect(both.solvers).toEqual([
      { userId: 'ana', name: 'ANA', at: LATER, points: 15, try: 1 },
      { userId: 'ben', name: 'BEN', at: LATER, points: 10, try: 1 },
    ]);
    const afterWrong = answerDrop(answerDrop(solvedByAna, answer('cleo', 'banana')).drop, answer('cleo', 'mitochondria')).drop!;
    expect(afterWrong.solvers.at(-1)).toMatchObject({ userId: 'cleo', try: 2 });
  });

  it.each<[string, OpenDrop | undefined, string, unknown]>([
    ['untried: all tries', drop(), 'ana', TRIES_PER_DROP],
    ['one wrong try', drop({ tries: { ana: 1 } }), 'ana', 2],
    ['solved', solvedByAna, 'ana', 'solved'],
    ['no tries left', drop({ tries: { ana: 3 } }), 'ana', 'no-tries-left'],
    ['no drop', undefined, 'ana', 'closed'],
  ])('memberState: %s', (_what, open, userId, state) => {
    expect(memberState(open, 'd1', userId).state).toBe(state);
  });
});

describe('the reveal', () => {
  it('records a wrong answer for each member who tried, did not solve and had tries left', () => {
    const open = drop({ tries: { ana: 1, ben: 3, cleo: 2 }, solvers: [{ userId: 'ana', name: 'Ana', at: LATER, points: 15 }] });
    const events = revealEvents(open, LATER + 1);
    // Ana solved it; Ben's third wrong try was recorded when he made it.
    expect(events).toEqual([{ userId: 'cleo', at: LATER + 1, deck: 'bio cells', section: 'Organelles', cardId: mito.id, correct: false, points: 0, source: 'daily', day: '2026-11-28' }]);
  });

  it('records nothing when nobody tried', () => {
    expect(revealEvents(drop(), LATER)).toEqual([]);
  });
});

describe('choosing the card', () => {
  it('deals every card of the pool once before any repeats', () => {
    const random = seededRandom('cards');
    let state: ShuffleState | undefined;
    const dealt: string[] = [];
    for (let i = 0; i < deck.cards.length * 2; i++) {
      const choice = chooseCard(state, deck.cards, random)!;
      dealt.push(choice.card.id);
      state = choice.state;
    }
    const ids = deck.cards.map((c) => c.id).sort();
    expect(dealt.slice(0, 3).sort()).toEqual(ids);
    expect(dealt.slice(3).sort()).toEqual(ids);
  });

  it('gives the card itself from the pool, and null for an empty pool', () => {
    expect(chooseCard(undefined, [nucleus], seededRandom(1))?.card).toBe(nucleus);
    expect(chooseCard(undefined, [], seededRandom(1))).toBeNull();
  });
});

describe('choosing the card of the next drop', () => {
  const notes = parseDeck(['# deck: bio notes', '', 'The -nucleus- holds the -DNA- of the -cell-.', '', 'The -heart- pumps -blood-.', '', 'Plants make -sugar-.', ''].join('\n'), 'notes.md').deck!;
  const noteOf = (card: Card) => card.text;

  it.each(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])('never deals two cards of one note in a row and deals every card each cycle (seed %s)', (seed) => {
    const random = seededRandom(seed);
    let state: ShuffleState | undefined;
    let previous: Card | undefined;
    const dealt: Card[] = [];
    for (let i = 0; i < 60; i++) {
      const next = chooseCard(state, notes.cards, random, previous)!;
      if (previous) expect(noteOf(next.card)).not.toBe(noteOf(previous));
      state = next.state;
      previous = next.card;
      dealt.push(next.card);
    }
    // Every card comes within the first 12 drops (a few repeats when a cycle ends on one note).
    expect(new Set(dealt.slice(0, 12).map((c) => c.id)).size).toBe(notes.cards.length);
  });

  /** Cards by their answer. */
  const card = (answer: string) => notes.cards.find((c) => c.answers[0] === answer)!;

  it.each<[string, string[], number, string]>([
    ['the next card shares the previous note: the next card of another note comes first', ['nucleus', 'DNA', 'cell', 'heart', 'blood', 'sugar'], 1, 'heart'],
    ['only cards of the previous note left: a card of another note already dealt is asked again', ['heart', 'blood', 'sugar', 'nucleus', 'DNA', 'cell'], 4, 'heart'],
    ['the next card is of another note: it comes', ['nucleus', 'sugar', 'DNA', 'cell', 'heart', 'blood'], 1, 'sugar'],
  ])('%s', (_what, order, position, expected) => {
    const state: ShuffleState = { order: order.map((a) => card(a).id), position };
    const next = chooseCard(state, notes.cards, () => 0, card('nucleus'))!;
    expect(next.card.answers[0]).toBe(expected);
    // The cards of the previous note are still to come in this cycle.
    const rest = next.state.order.slice(next.state.position);
    expect(rest).toContain(card('DNA').id);
  });

  it('repeats the note only when the deck has a single note', () => {
    const one = parseDeck(['# deck: one', '', 'The -heart- pumps -blood-.', ''].join('\n'), 'one.md').deck!;
    const first = chooseCard(undefined, one.cards, seededRandom('x'))!;
    expect(chooseCard(first.state, one.cards, seededRandom('x'), first.card)).not.toBeNull();
  });
});
