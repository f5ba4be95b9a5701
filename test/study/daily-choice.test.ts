import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card } from '../../src/deck/types.ts';
import { chooseDailyCard, type DailyChoiceState } from '../../src/study/daily-choice.ts';
import { NOW, recordOf } from './helpers.ts';

const deck = parseDeck(['# deck: t', '', 'A -one- here.', '', 'B -two- here.', '', 'C -three- here.', ''].join('\n'), 't.md').deck!;
const [one, two, three] = deck.cards as [Card, Card, Card];

function drops(n: number, records = [recordOf([])]): string[] {
  let state: DailyChoiceState | undefined;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const choice = chooseDailyCard({ pool: deck.cards, records, state, now: NOW, seed: `s:${i}`, position: i })!;
    state = choice.state;
    out.push(choice.card.id);
  }
  return out;
}

describe('the daily card chosen by class need', () => {
  it('asks every card nobody tried once before asking one again', () => {
    const ids = drops(6);
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(new Set(ids.slice(3, 6)).size).toBe(3);
  });

  it('is the same for the same state, clock and seed', () => {
    expect(drops(6)).toEqual(drops(6));
  });

  it('never asks the previous question’s note twice in a row, even when it stays the weakest', () => {
    const records = [recordOf([{ card: one, rating: 'again', daysAgo: 20 }, { card: two, rating: 'good', daysAgo: 0 }, { card: three, rating: 'good', daysAgo: 0 }])];
    const ids = drops(4, records);
    expect(ids[0]).toBe(one.id);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });
});
