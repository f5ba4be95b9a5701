import { describe, expect, it } from 'vitest';
import { cardCount, DeckLibrary } from '../../src/deck/library.ts';
import { loadDecksDir } from '../../src/deck/load.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Deck } from '../../src/deck/types.ts';

function deck(source: string): Deck {
  const result = parseDeck(source, 'x.md');
  if (!result.deck) throw new Error(JSON.stringify(result.errors));
  return result.deck;
}

const wk9 = deck('# deck: mlops wk9\nTop -a-.\n## MLOps Process\nP -b- -c-.\n## Tools\nT -d-.\n');
const wk10 = deck('# deck: mlops wk10\n## mlops process\nQ -e-.\n## Serving\nS -f-.\n');
const stats = deck('# deck: stats intro\nMean -g-.\n');
const library = new DeckLibrary([wk9, wk10, stats]);

describe('DeckLibrary.resolve', () => {
  it.each([
    { query: 'mlops', decks: ['mlops wk9', 'mlops wk10'] },
    { query: '  MLOps ', decks: ['mlops wk9', 'mlops wk10'] },
    { query: 'mlops wk9', decks: ['mlops wk9'] },
    { query: 'MLOPS   Wk10', decks: ['mlops wk10'] },
    { query: 'stats', decks: ['stats intro'] },
  ])('"$query" matches $decks', ({ query, decks }) => {
    expect(library.resolve(query)?.decks.map((d) => d.name)).toEqual(decks);
  });

  it.each(['', '   ', 'wk9', 'mlops wk', 'mlop', 'mlops wk9 extra'])('"%s" matches nothing', (query) => {
    expect(library.resolve(query)).toBeUndefined();
  });

  it('matches a one-word deck name as its whole course', () => {
    const lib = new DeckLibrary([deck('# deck: bio\nA -x-.\n'), deck('# deck: bio cells\nB -y-.\n')]);
    expect(lib.resolve('bio')?.decks.map((d) => d.name)).toEqual(['bio', 'bio cells']);
  });
});

describe('DeckLibrary cards and sections', () => {
  it('gives every card of a course, deck by deck', () => {
    expect(library.cards('mlops')?.map((c) => c.answers[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('filters by section title case-insensitively across the course', () => {
    expect(library.cards('mlops', 'MLOPS  process')?.map((c) => c.answers[0])).toEqual(['b', 'c', 'e']);
    expect(library.cards('mlops wk10', 'Serving')?.map((c) => c.answers[0])).toEqual(['f']);
  });

  it('treats an empty section as no filter', () => {
    expect(library.cards('mlops wk9', '  ')).toHaveLength(4);
  });

  it('returns undefined for an unknown deck and an empty list for an unknown section', () => {
    expect(library.cards('physics')).toBeUndefined();
    expect(library.cards('mlops', 'Nope')).toEqual([]);
  });

  it('lists section titles without repeats or the untitled part', () => {
    expect(library.sections('mlops')).toEqual(['MLOps Process', 'Tools', 'Serving']);
    expect(library.sections('stats intro')).toEqual([]);
    expect(library.sections('physics')).toBeUndefined();
  });
});

describe('DeckLibrary.courses and suggest', () => {
  it('lists courses sorted without repeats', () => {
    expect(library.courses()).toEqual(['mlops', 'stats']);
  });

  it.each([
    { typed: '', expected: ['mlops', 'stats', 'mlops wk10', 'mlops wk9', 'stats intro'] },
    { typed: 'ml', expected: ['mlops', 'mlops wk10', 'mlops wk9'] },
    { typed: 'MLOPS W', expected: ['mlops wk10', 'mlops wk9'] },
    { typed: 'wk9', expected: ['mlops wk9'] },
    { typed: 'intro', expected: ['stats intro'] },
    { typed: 's', expected: ['stats', 'stats intro', 'mlops', 'mlops wk10', 'mlops wk9'] },
    { typed: 'chemistry', expected: [] },
  ])('"$typed" suggests $expected', ({ typed, expected }) => {
    expect(library.suggest(typed)).toEqual(expected);
  });

  it('stops at the limit', () => {
    expect(library.suggest('', 2)).toEqual(['mlops', 'stats']);
  });
});

describe('DeckLibrary.replace', () => {
  it('later lookups see the new list; card lists handed out before keep their cards', () => {
    const lib = new DeckLibrary([wk9, stats]);
    const before = lib.cards('mlops')!;
    lib.replace([wk10]);
    expect(lib.decks.map((d) => d.name)).toEqual(['mlops wk10']);
    expect(lib.resolve('stats')).toBeUndefined();
    expect(lib.suggest('')).toEqual(['mlops', 'mlops wk10']);
    expect(before.map((c) => c.answers[0])).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('cardCount', () => {
  it('is the number of cards of every deck, from the sections alone, numbered groups and blanks before the first section included', async () => {
    const decks = [...(await loadDecksDir('decks')).decks, ...(await loadDecksDir('test/fixtures/decks')).decks, parseDeck('# deck: t one\n\nNo -section- here.\n\n## A\n\nThe 1.-a- and 1.-b- and -c-.\n\n## B\n\n-x- -y- -z-\n', 't.md').deck!];
    expect(decks.length).toBeGreaterThan(1);
    for (const deck of decks) expect({ deck: deck.name, count: cardCount(deck) }).toEqual({ deck: deck.name, count: deck.cards.length });
    expect(cardCount(decks.at(-1)!)).toBe(6);
  });
});
