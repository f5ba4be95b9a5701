import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Card } from '../../src/deck/types.ts';
import { replyPieces, shapeHint, shapeRefusal } from '../../src/engine/reply-shape.ts';

const deck = parseDeck(['# deck: mlops', '', 'Model serving tools include Amazon SageMaker, -FastAPI-, or BentoML.', '', 'The cell membrane is made of 1.-lipids- and 1.-proteins-.', ''].join('\n'), 'mlops.md').deck!;
const [serving, membrane] = deck.cards as [Card, Card];

describe('how many pieces a reply lists', () => {
  it.each<[string, number]>([
    ['FastAPI', 1],
    ['Seldon or Verta', 2],
    ['Seldon or FastAPI', 2],
    ['Seldon/FastAPI', 2],
    ['Seldon, Verta; FastAPI', 3],
    ['lipids and proteins', 2],
    ['lipids & proteins', 2],
    ['model training', 1],
    ['long-term', 1],
    ['I think FastAPI', 1],
  ])('%s: %i', (reply, pieces) => {
    expect(replyPieces(reply)).toBe(pieces);
  });
});

describe('refusals that use no try depend on the reply shape only', () => {
  it.each<[string, Card, string, string | null]>([
    ['a list holding the answer', serving, 'Seldon or FastAPI', 'several-guesses'],
    ['a list without it', serving, 'Seldon or Verta', 'several-guesses'],
    ['a slash list', serving, 'Verta/FastAPI', 'several-guesses'],
    ['one guess', serving, 'Seldon', null],
    ['a hedged guess', serving, 'I think FastAPI', null],
    ['another tool shown in the sentence', serving, 'BentoML', 'in-sentence'],
    ['words shown in the sentence', serving, 'Amazon SageMaker', 'in-sentence'],
    ['two parts for two blanks', membrane, 'fats, sugars', null],
    ['three parts for two blanks', membrane, 'fats, sugars, salts', 'several-guesses'],
    ['a word of the sentence', membrane, 'the membrane', 'in-sentence'],
  ])('%s', (_what, card, reply, refusal) => {
    expect(shapeRefusal(card, reply)).toBe(refusal);
  });

  it.each<[string, Card, string, number | null]>([
    ['one part for two blanks', membrane, 'lipids', 2],
    ['one wrong part for two blanks', membrane, 'banana', 2],
    ['two parts', membrane, 'lipids sugars', null],
    ['a single-blank card', serving, 'banana', null],
  ])('hint for %s', (_what, card, reply, blanks) => {
    expect(shapeHint(card, reply)?.blanks ?? null).toBe(blanks);
  });
});
