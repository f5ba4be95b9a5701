import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/deck/types.ts';
import { chooseForClass } from '../../src/study/class-choice.ts';
import { noteKey } from '../../src/study/notes.ts';
import { noteCards, seedDeck } from '../engine/cards.ts';
import { NOW, recordOf } from './helpers.ts';

const cards = seedDeck().cards;
const answers = (chosen: readonly Card[]) => chosen.map((c) => c.answers.join(' / '));
const notesOf = (chosen: readonly Card[]) => chosen.map(noteKey);

// Three members; the class saw five cards: `weak` was missed long ago, `strong` answered right yesterday.
const [c0, c1, c2, c3, c4] = [0, 10, 20, 30, 40].map((i) => cards[i] as Card) as [Card, Card, Card, Card, Card];
const records = [
  recordOf([
    { card: c0, rating: 'again', daysAgo: 20 },
    { card: c1, rating: 'good', daysAgo: 1 },
    { card: c2, rating: 'hard', daysAgo: 6 },
  ]),
  recordOf([
    { card: c0, rating: 'again', daysAgo: 15 },
    { card: c3, rating: 'good', daysAgo: 10 },
  ]),
  recordOf([{ card: c4, rating: 'again', daysAgo: 2 }]),
];
const seenIds = new Set([c0, c1, c2, c3, c4].map((c) => c.id));

describe('choosing cards by class need', () => {
  it('a class that has seen nothing gets new cards, all of different notes, the same for the same seed', () => {
    const first = chooseForClass({ cards, records: [], now: NOW, count: 10, seed: 1 });
    expect(first).toHaveLength(10);
    expect(new Set(notesOf(first)).size).toBe(10);
    expect(chooseForClass({ cards, records: [], now: NOW, count: 10, seed: 1 })).toEqual(first);
    expect(answers(chooseForClass({ cards, records: [], now: NOW, count: 10, seed: 2 }))).not.toEqual(answers(first));
  });

  it('mixed: a new card first, then the weakest seen cards, with a new card at least every third question', () => {
    const chosen = chooseForClass({ cards, records, now: NOW, count: 7, seed: 1 });
    const isNew = chosen.map((c) => !seenIds.has(c.id));
    expect(isNew[0]).toBe(true);
    expect(isNew[3]).toBe(true);
    expect(isNew[6]).toBe(true);
    // The weakest seen card (missed 20 and 15 days ago) is the first seen card asked.
    expect(chosen.find((c) => seenIds.has(c.id))?.id).toBe(c0.id);
    for (let i = 0; i + 2 < isNew.length; i++) expect(isNew.slice(i, i + 3)).toContain(true);
  });

  it('mixed: position continues the class sequence: the daily question after a new one is the weakest card', () => {
    const pool = [c0, c1, c2, c3, c4, cards[50] as Card];
    expect(chooseForClass({ cards: pool, records, now: NOW, count: 1, seed: 1, position: 1 })[0]?.id).toBe(c0.id);
    expect(chooseForClass({ cards: pool, records, now: NOW, count: 1, seed: 1, position: 3 })[0]?.id).toBe(cards[50]?.id);
  });

  it('mixed: while most of the pool is unseen, most questions are new cards', () => {
    const chosen = chooseForClass({ cards, records, now: NOW, count: 10, seed: 1 });
    expect(chosen.filter((c) => !seenIds.has(c.id)).length).toBeGreaterThanOrEqual(9);
  });

  it('mixed: a seen card the class knows (mean recall at least 90%) gives way to a new card', () => {
    const fresh = recordOf([{ card: c1, rating: 'good', daysAgo: 0 }]);
    const pool = [c1, cards[50] as Card, cards[60] as Card];
    expect(chooseForClass({ cards: pool, records: [fresh], now: NOW, count: 2, seed: 1, position: 1 }).map((c) => c.id)).toEqual(
      expect.arrayContaining([cards[50]?.id]),
    );
    expect(chooseForClass({ cards: pool, records: [fresh], now: NOW, count: 1, seed: 1, position: 1 })[0]?.id).not.toBe(c1.id);
  });

  it('weak: the seen cards only, lowest mean predicted recall first', () => {
    const chosen = chooseForClass({ cards, records, now: NOW, count: 10, seed: 3, focus: 'weak' });
    expect(chosen.map((c) => c.id)).toEqual([c0.id, c4.id, c2.id, c3.id, c1.id].filter((id, i, all) => all.indexOf(id) === i));
  });

  it('new: only cards nobody has tried', () => {
    const chosen = chooseForClass({ cards, records, now: NOW, count: 20, seed: 3, focus: 'new' });
    expect(chosen).toHaveLength(20);
    for (const card of chosen) expect(seenIds.has(card.id)).toBe(false);
  });

  it('never two cards of one note in a round: a note of three groups gives one question', () => {
    const note = noteCards('The 1.-lack- of 1.-talent-, -change management- and 3.-automated systems-.');
    expect(note).toHaveLength(3);
    expect(chooseForClass({ cards: note, records: [], now: NOW, count: 3, seed: 1 })).toHaveLength(1);
  });

  it('never the previous daily question\'s note, unless the pool has no other note', () => {
    const previous = cards[0] as Card;
    for (let seed = 0; seed < 20; seed++) {
      const [card] = chooseForClass({ cards, records, now: NOW, count: 1, seed, position: seed, avoid: [previous] });
      expect(noteKey(card as Card)).not.toBe(noteKey(previous));
    }
    const note = noteCards('-Git- and 2.-DVC- version 2.-data-.');
    expect(chooseForClass({ cards: note, records: [], now: NOW, count: 1, seed: 1, avoid: [note[0] as Card] })).toHaveLength(1);
  });

  it('pins the order for seed 7 (the same store, deck, clock and seed give the same questions)', () => {
    const chosen = chooseForClass({ cards, records, now: NOW, count: 5, seed: 7 });
    expect(answers(chosen)).toMatchInlineSnapshot(`
      [
        "support",
        "lack / talent",
        "built / deployed frequently",
        "analyze data",
        "suitability / safety",
      ]
    `);
  });
});
