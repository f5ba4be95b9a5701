/** Cards for engine tests: from the seed deck, from a one-note deck, or written out by hand. */
import { readFileSync } from 'node:fs';
import { parseDeck } from '../../src/deck/parse.ts';
import { renderPrompt, type Card, type Deck, type PromptPart } from '../../src/deck/types.ts';

const SEED_FILE = 'decks/mlops-wk9.md';

let seed: Deck | undefined;

/** The seed deck (decks/mlops-wk9.md), read once. */
export function seedDeck(): Deck {
  if (seed === undefined) {
    const source = readFileSync(new URL(`../../${SEED_FILE}`, import.meta.url), 'utf8');
    const { deck, errors } = parseDeck(source, SEED_FILE);
    if (deck === undefined || errors.length > 0) throw new Error(`seed deck does not parse: ${JSON.stringify(errors)}`);
    seed = deck;
  }
  return seed;
}

/**
 * The seed card whose answers, joined with " / ", are `answers` (e.g. "lack / talent").
 * `line` picks among cards with the same answers (e.g. "Scikit learn" is asked twice).
 */
export function seedCard(answers: string, line?: number): Card {
  const found = seedDeck().cards.filter(
    (card) => card.answers.join(' / ') === answers && (line === undefined || card.line === line),
  );
  const card = found[0];
  if (card === undefined) throw new Error(`no seed card answers ${answers}`);
  return card;
}

/** The cards of a single note written in the deck format, in order. */
export function noteCards(note: string): readonly Card[] {
  const { deck, errors } = parseDeck(`# deck: test notes\n\n${note}\n`, 'test.md');
  if (deck === undefined || errors.length > 0) throw new Error(`note does not parse: ${JSON.stringify(errors)}`);
  return deck.cards;
}

/**
 * A card written out by hand. `prompt` uses `{0}`, `{1}`... for the card's own blanks, e.g.
 * `makeCard(['lack', 'talent'], 'reasons: {0} of {1}.', ['change management'])`.
 */
export function makeCard(answers: readonly string[], prompt: string, otherBlanks: readonly string[] = []): Card {
  const parts: PromptPart[] = [];
  for (const piece of prompt.split(/(\{\d+\})/)) {
    const slot = /^\{(\d+)\}$/.exec(piece);
    if (slot !== null) parts.push({ blank: Number(slot[1]) });
    else if (piece !== '') parts.push(piece);
  }
  const text = parts.map((part) => (typeof part === 'string' ? part : (answers[part.blank] ?? ''))).join('');
  return {
    prompt: renderPrompt({ parts }),
    id: 'hand-made',
    deck: 'test notes',
    course: 'test',
    section: '',
    file: 'test.md',
    line: 1,
    group: answers.length > 1 ? 1 : null,
    answers,
    otherBlanks,
    parts,
    text,
  };
}
