/**
 * Card choice for live rounds and `npm run play`: a round never asks two cards of one note,
 * since they share a sentence and one would show the other's answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import { renderPrompt, type Card } from '../../src/deck/types.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { chooseRoundCards, countNotes, fewerNotesNote } from '../../src/engine/select.ts';

const DIRS = ['../../decks/', '../fixtures/decks/'];
const decks = DIRS.flatMap((dir) => {
  const url = new URL(dir, import.meta.url);
  return readdirSync(url)
    .filter((f) => /\.(md|txt)$/.test(f))
    .map((f) => parseDeck(readFileSync(new URL(f, url), 'utf8'), `${dir}${f}`).deck!);
});

/**
 * Each blank of `card` with the text around it in the whole sentence (up to 24 characters
 * each side): a prompt that shows this, shows the answer where it belongs.
 */
function giveaways(card: Card): string[] {
  return card.answers.map((answer, k) => {
    const marker = '\u0000';
    const [before = '', after = ''] = renderPrompt(card, (i) => (i === k ? marker : (card.answers[i] ?? ''))).split(marker);
    return `${before.slice(-24)}${answer}${after.slice(0, 24)}`;
  });
}

/** Pairs of a round where one question's prompt shows another question's answer. */
function leaks(round: readonly Card[]): string[] {
  const found: string[] = [];
  for (const a of round) {
    for (const b of round) {
      if (a === b) continue;
      for (const shown of giveaways(a)) if (b.prompt.includes(shown)) found.push(`"${b.prompt}" shows "${shown}"`);
    }
  }
  return found;
}

describe('choosing cards for a round', () => {
  it('reads every deck in decks/ and test/fixtures/decks/', () => {
    expect(decks.length).toBeGreaterThanOrEqual(4);
    for (const deck of decks) expect(deck.cards.length).toBeGreaterThan(deck.notes.length - 1);
  });

  it('the give-away check finds two cards of one note (so the property below can fail)', () => {
    const note = decks.flatMap((d) => d.notes).find((n) => n.cards.length > 1)!;
    expect(leaks(note.cards)).not.toEqual([]);
  });

  it.each(decks.map((d) => [d.name, d] as const))('no round of %s ever shows one card’s answer in another’s prompt (300 seeds × 4 sizes)', (_name, deck) => {
    for (const size of [3, 5, 10, 50]) {
      for (let seed = 0; seed < 300; seed++) {
        const round = chooseRoundCards(deck.cards, size, seededRandom(`${size}:${seed}`));
        expect(round.length).toBe(Math.min(size, deck.notes.length));
        expect(leaks(round)).toEqual([]);
      }
    }
  });

  it('a whole course in one round (every deck of decks/ together) has no give-away either', () => {
    const pool = decks.flatMap((d) => d.cards);
    for (let seed = 0; seed < 50; seed++) expect(leaks(chooseRoundCards(pool, 50, seededRandom(seed)))).toEqual([]);
  });

  it('a pool with fewer notes than questions asked gives one card per note, and says so', () => {
    const deck = decks.find((d) => d.name === 'chemistry basics')!;
    const section = deck.cards.filter((c) => c.section === 'Atoms');
    const notes = countNotes(section);
    expect(notes).toBeLessThan(section.length);
    const round = chooseRoundCards(section, 50, seededRandom(1));
    expect(round).toHaveLength(notes);
    expect(new Set(round.map((c) => c.text)).size).toBe(notes);
    expect(fewerNotesNote('chemistry · Atoms', 50, round.length)).toBe(
      `chemistry · Atoms has only ${notes} sentences to ask from, and a round never asks two blanks of one sentence (one would show the other's answer), so ${notes} questions instead of 50.`,
    );
    expect(fewerNotesNote('chemistry', 5, 5)).toBeUndefined();
  });
});
