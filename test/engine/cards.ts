/** Cards for engine tests: from the seed deck, from a one-note deck, or written out by hand. */
import { readFileSync } from 'node:fs';
import { parseDeck } from '../../src/deck/parse.ts';
import { renderPrompt, type Card, type Deck, type PromptPart } from '../../src/deck/types.ts';

const SEED_FILE = 'decks/mlops-wk9.md';

const decks = new Map<string, Deck>();

/** A deck file of the repository (path from its root), read once. */
export function deckFile(file: string): Deck {
  let found = decks.get(file);
  if (found === undefined) {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    const { deck, errors } = parseDeck(source, file);
    if (deck === undefined || errors.length > 0) throw new Error(`${file} does not parse: ${JSON.stringify(errors)}`);
    found = deck;
    decks.set(file, found);
  }
  return found;
}

/** The seed deck (decks/mlops-wk9.md), read once. */
export function seedDeck(): Deck {
  return deckFile(SEED_FILE);
}

/**
 * The card of `deck` whose answers, joined with " / ", are `answers` (e.g. "lack / talent").
 * `line` picks among cards with the same answers (e.g. "Scikit learn" is asked twice).
 */
export function deckCard(deck: Deck, answers: string, line?: number): Card {
  const found = deck.cards.filter((card) => card.answers.join(' / ') === answers && (line === undefined || card.line === line));
  const card = found[0];
  if (card === undefined) throw new Error(`no card of ${deck.name} answers ${answers}`);
  return card;
}

/** The seed card whose answers are `answers`: see deckCard. */
export function seedCard(answers: string, line?: number): Card {
  return deckCard(seedDeck(), answers, line);
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
