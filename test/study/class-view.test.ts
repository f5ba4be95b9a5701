import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/deck/types.ts';
import { CARDS_CSV_HEADER, cardsCsv, cardStats, cardsCsvRows, classView, sentenceWithBlank } from '../../src/study/class-view.ts';
import { DAY_MS, review, withState, type MemoryRecord } from '../../src/study/memory.ts';
import { makeCard, seedDeck } from '../engine/cards.ts';
import { NOW, recordOf } from './helpers.ts';

const cards = seedDeck().cards;
const card = (i: number) => cards[i] as Card;
const weekStart = Date.UTC(2026, 0, 5);
const dayEnd = Date.UTC(2026, 0, 6);

// Card 0: missed first by all three members (then right once each). Card 1: right at once by two, missed by one. Card 2: one member only.
function twice(c: Card, first: 'again' | 'good', then: 'good' | 'hard', daysAgo: number): MemoryRecord {
  return withState({}, c.id, review(review(undefined, first, NOW - daysAgo * DAY_MS, 'live'), then, NOW - (daysAgo - 1) * DAY_MS, 'daily'));
}
function merge(...records: MemoryRecord[]): MemoryRecord {
  return Object.assign({}, ...records) as MemoryRecord;
}
const ann = { id: '1', name: 'Ann', records: [merge(twice(card(0), 'again', 'good', 3), twice(card(1), 'good', 'good', 3), recordOf([{ card: card(2), rating: 'good', daysAgo: 0 }]))] };
const bob = { id: '2', name: 'Bob', records: [merge(twice(card(0), 'again', 'hard', 9), twice(card(1), 'good', 'good', 9))] };
const cy = { id: '3', name: 'Cy', records: [merge(twice(card(0), 'again', 'good', 20), twice(card(1), 'again', 'good', 20))] };
const dee = { id: '4', name: 'Dee', records: [] };
const members = [ann, bob, cy, dee];

describe("the teacher's view of a class", () => {
  const view = classView({ cards, members, now: NOW, weekStart, dayEnd });

  it('lists the hardest cards (lowest first-try accuracy, at least 3 attempts) first', () => {
    expect(view.hardest.map((s) => [s.card.id, s.attempts, s.firstTryAccuracy])).toEqual([
      [card(0).id, 6, 0],
      [card(1).id, 6, 2 / 3],
    ]);
  });

  it('a card with fewer than 3 attempts is not among the hardest', () => {
    expect(view.hardest.some((s) => s.card.id === card(2).id)).toBe(false);
  });

  it('ranks sections by class mastery (mean predicted recall of the seen cards), weakest first', () => {
    const seen = view.sections.filter((s) => s.seen > 0);
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < view.sections.length; i++) expect(view.sections[i]!.meanRecall).toBeGreaterThanOrEqual(view.sections[i - 1]!.meanRecall);
    expect(view.sections.reduce((n, s) => n + s.cards, 0)).toBe(cards.length);
  });

  it('counts the members who tried a card of each section (none for sections nobody started)', () => {
    const section = view.sections.find((s) => s.deck === card(0).deck && s.section === card(0).section);
    expect(section?.members).toBe(3);
    for (const s of view.sections.filter((x) => x.seen === 0)) expect(s.members).toBe(0);
  });

  it('names who studied this week and who has not', () => {
    expect(view.studied.map((m) => m.name)).toEqual(['Ann']);
    expect(view.notStudied.map((m) => m.name)).toEqual(['Bob', 'Cy', 'Dee']);
  });

  it('counts the cards due for the class by the end of today', () => {
    const stats = cardStats(cards, members.flatMap((m) => m.records), NOW, dayEnd);
    const due = stats.filter((s) => s.dueFor > 0);
    expect(view.dueToday).toEqual({ cards: due.length, reviews: due.reduce((n, s) => n + s.dueFor, 0) });
    expect(view.dueToday.cards).toBeGreaterThan(0);
  });
});

describe('the cards export', () => {
  it('shows the card\'s own blank in brackets and the other blanks as text', () => {
    expect(sentenceWithBlank(makeCard(['weeks'], 'takes a few {0} of work'))).toBe('takes a few [weeks] of work');
  });

  it('one row per card: deck, section, sentence, attempts, first-try accuracy %, mean recall %, members who know it', () => {
    const rows = cardsCsvRows(cardStats(cards, members.flatMap((m) => m.records), NOW));
    expect(rows).toHaveLength(cards.length);
    const [deck, section, sentence, attempts, accuracy, recall, knowers] = rows[1] as (string | number)[];
    expect([deck, section, attempts, accuracy]).toEqual([card(1).deck, card(1).section, 6, 66.7]);
    expect(sentence).toBe(sentenceWithBlank(card(1)));
    expect(recall).toBeGreaterThan(0);
    expect(knowers).toBeGreaterThanOrEqual(0);
    // A card nobody tried: empty percentages, not 0.
    expect(rows[5]?.slice(3)).toEqual([0, '', '', 0]);
  });

  it('is CSV with the same rules as the scores export (BOM, CRLF, header)', () => {
    const csv = cardsCsv(cards.slice(0, 2), [], NOW);
    expect(csv.startsWith(`\uFEFF${CARDS_CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
