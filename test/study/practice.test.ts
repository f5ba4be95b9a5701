import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/deck/types.ts';
import { DAY_MS, review, withState, type MemoryRecord } from '../../src/study/memory.ts';
import { noteKey } from '../../src/study/notes.ts';
import { newCardsStarted, nextPracticeCard, practiceOrder, practicePlan } from '../../src/study/practice.ts';
import { noteCards, seedDeck } from '../engine/cards.ts';
import { NOW, recordOf } from './helpers.ts';

const cards = seedDeck().cards;
const card = (i: number) => cards[i] as Card;
const today = { start: Date.UTC(2026, 0, 5), end: Date.UTC(2026, 0, 6) };

describe('the order of practice', () => {
  it('due cards first, most overdue first, then new cards in deck order', () => {
    // Again 5 days ago is 4 days overdue; Again 2 days ago 1 day; Good yesterday is not due.
    const record = recordOf([
      { card: card(9), rating: 'again', daysAgo: 2 },
      { card: card(20), rating: 'again', daysAgo: 5 },
      { card: card(30), rating: 'good', daysAgo: 1 },
    ]);
    const plan = practicePlan({ cards, records: [record], now: NOW, day: today });
    expect(plan.due.map((c) => c.id)).toEqual([card(20).id, card(9).id]);
    expect(plan.fresh.map((c) => c.id)).toEqual(cards.filter((c) => ![9, 20, 30].some((i) => card(i).id === c.id)).slice(0, 10).map((c) => c.id));
    expect(plan.nextDue).toBe(NOW - DAY_MS + 3 * DAY_MS);
    const next = nextPracticeCard({ cards, records: [record], now: NOW, day: today });
    expect(next).toEqual({ kind: 'card', card: card(20), isNew: false });
  });

  it('at most 10 new cards a day: the 11th is refused with the time the limit resets', () => {
    let record: MemoryRecord = {};
    let previous: Card | undefined;
    const shown: Card[] = [];
    for (let n = 0; n < 12; n++) {
      const next = nextPracticeCard({ cards, records: [record], now: NOW + n * 60_000, day: today, ...(previous ? { previous } : {}) });
      if (next.kind !== 'card') {
        expect(next).toMatchObject({ kind: 'done', capReached: true, resetsAt: today.end, newLeft: 0 });
        break;
      }
      shown.push(next.card);
      record = withState(record, next.card.id, review(undefined, 'good', NOW + n * 60_000, 'practice'));
      previous = next.card;
    }
    expect(shown).toHaveLength(10);
    expect(newCardsStarted([record], today)).toBe(10);
    // The next day the allowance is back.
    const tomorrow = { start: today.end, end: today.end + DAY_MS };
    expect(nextPracticeCard({ cards, records: [record], now: today.end + 60_000, day: tomorrow }).kind).toBe('card');
  });

  it('new cards met in a live round or a daily question do not use the practice allowance', () => {
    const record = recordOf(cards.slice(0, 12).map((c) => ({ card: c, rating: 'good' as const, daysAgo: 0, source: 'live' as const })));
    expect(newCardsStarted([record], today)).toBe(0);
    expect(practicePlan({ cards, records: [record], now: NOW, day: today }).fresh).toHaveLength(10);
  });

  it('a server limit of 3 new cards a day is respected', () => {
    expect(practicePlan({ cards, records: [], now: NOW, day: today, newCap: 3 }).fresh).toHaveLength(3);
  });

  it('never two cards of the same note back to back', () => {
    const note = noteCards('The 1.-lack- of 1.-talent- and 2.-change management-.');
    const other = noteCards('-Kubeflow- runs on Kubernetes.');
    const pool = [...note, ...other];
    expect(practiceOrder({ cards: pool, records: [], now: NOW, day: today }).map((c) => c.answers[0])).toEqual(['lack', 'Kubeflow', 'change management']);
    const next = nextPracticeCard({ cards: note, records: [], now: NOW, day: today, previous: note[0] as Card });
    expect(next).toMatchObject({ kind: 'done', heldBack: 2 });
    const order = practiceOrder({ cards, records: [], now: NOW, day: today, newCap: 50 });
    for (let i = 1; i < order.length; i++) expect(noteKey(order[i] as Card)).not.toBe(noteKey(order[i - 1] as Card));
  });

  it('nothing due: says when the next card is due and how many new cards can be started', () => {
    const record = recordOf([{ card: card(0), rating: 'good', daysAgo: 1 }]);
    const next = nextPracticeCard({ cards, records: [record], now: NOW, day: today, includeNew: false });
    expect(next).toEqual({ kind: 'done', nextDue: NOW + 2 * DAY_MS, newLeft: 10, capReached: false, resetsAt: today.end, heldBack: 0 });
  });

  it('a deck learnt through: nothing due, nothing new, the next due time', () => {
    const note = noteCards('-Kubeflow- runs on Kubernetes.');
    const record = recordOf([{ card: note[0] as Card, rating: 'good', daysAgo: 0 }]);
    expect(nextPracticeCard({ cards: note, records: [record], now: NOW, day: today })).toEqual({
      kind: 'done',
      nextDue: NOW + 3 * DAY_MS,
      newLeft: 0,
      capReached: false,
      resetsAt: today.end,
      heldBack: 0,
    });
  });
});
