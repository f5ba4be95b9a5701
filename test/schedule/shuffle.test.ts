import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/engine/random.ts';
import { nextCardFromShuffle, type ShuffleState } from '../../src/schedule/shuffle.ts';

const DECK = ['a', 'b', 'c', 'd', 'e'];

/** Deals `n` cards, threading the state. */
function deal(n: number, deck: readonly string[] | ((i: number) => readonly string[]), random: () => number, start: ShuffleState | null = null) {
  let state = start;
  const cards: string[] = [];
  for (let i = 0; i < n; i++) {
    const ids = typeof deck === 'function' ? deck(i) : deck;
    const next = nextCardFromShuffle(state, ids, random);
    if (!next) throw new Error('empty deck');
    cards.push(next.cardId);
    state = next.state;
  }
  return { cards, state };
}

describe('nextCardFromShuffle', () => {
  it('returns null for an empty deck', () => {
    expect(nextCardFromShuffle(null, [], seededRandom(1))).toBeNull();
    expect(nextCardFromShuffle({ order: ['a'], position: 1 }, [], seededRandom(1))).toBeNull();
  });

  it('deals every card once before any repeat, then reshuffles', () => {
    const { cards } = deal(15, DECK, seededRandom('cycles'));
    for (let cycle = 0; cycle < 3; cycle++) {
      expect([...cards.slice(cycle * 5, cycle * 5 + 5)].sort()).toEqual(DECK);
    }
    // A new shuffle is not the same order every time.
    expect(new Set([0, 1, 2].map((c) => cards.slice(c * 5, c * 5 + 5).join(''))).size).toBeGreaterThan(1);
  });

  it('is reproducible with the same seed', () => {
    expect(deal(12, DECK, seededRandom(7)).cards).toEqual(deal(12, DECK, seededRandom(7)).cards);
  });

  it('never deals the same card twice in a row across a reshuffle', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { cards } = deal(12, ['x', 'y', 'z'], seededRandom(seed));
      for (let i = 1; i < cards.length; i++) expect(cards[i]).not.toBe(cards[i - 1]);
    }
  });

  it('deals the only card of a one-card deck every time', () => {
    expect(deal(3, ['solo'], seededRandom(1)).cards).toEqual(['solo', 'solo', 'solo']);
  });

  it('stores the order and how many were dealt', () => {
    const first = nextCardFromShuffle(null, DECK, seededRandom('s'));
    expect(first?.state.position).toBe(1);
    expect([...(first?.state.order ?? [])].sort()).toEqual(DECK);
    expect(first?.cardId).toBe(first?.state.order[0]);
    const second = nextCardFromShuffle(first!.state, DECK, seededRandom('other'));
    expect(second?.cardId).toBe(first?.state.order[1]);
    expect(second?.state).toEqual({ order: first?.state.order, position: 2 });
  });

  it('continues a stored order without using the random source when the deck is unchanged', () => {
    const state = { order: ['c', 'a', 'e', 'b', 'd'], position: 2 };
    const noRandom = () => {
      throw new Error('random used');
    };
    expect(nextCardFromShuffle(state, DECK, noRandom)).toEqual({ cardId: 'e', state: { order: ['c', 'a', 'e', 'b', 'd'], position: 3 } });
  });

  it('skips cards removed from the deck since the shuffle', () => {
    const state = { order: ['c', 'a', 'e', 'b', 'd'], position: 2 };
    const next = nextCardFromShuffle(state, ['a', 'b', 'd'], seededRandom(1));
    expect(next).toEqual({ cardId: 'b', state: { order: ['c', 'a', 'b', 'd'], position: 3 } });
  });

  it('does not deal again, in the same cycle, a card removed and added back', () => {
    const removed = nextCardFromShuffle({ order: ['c', 'a', 'e', 'b', 'd'], position: 2 }, ['a', 'b', 'd', 'e'], seededRandom(1));
    expect(removed?.cardId).toBe('e');
    const { cards } = deal(2, DECK, seededRandom(1), removed!.state);
    expect(cards).toEqual(['b', 'd']);
  });

  it('adds new cards to the current cycle, before any repeat', () => {
    const state = { order: ['c', 'a', 'e', 'b', 'd'], position: 3 };
    const deck = [...DECK, 'f', 'g'];
    const { cards } = deal(4, deck, seededRandom('new'), state);
    // The four not yet dealt this cycle (b, d and the new f, g), in some order; no repeat of c, a, e.
    expect([...cards].sort()).toEqual(['b', 'd', 'f', 'g']);
  });

  it('starts a new shuffle when the deck was replaced by another', () => {
    const state = { order: ['c', 'a', 'e', 'b', 'd'], position: 2 };
    const { cards } = deal(3, ['p', 'q', 'r'], seededRandom(3), state);
    expect([...cards].sort()).toEqual(['p', 'q', 'r']);
  });

  it('counts duplicate ids once and repairs a bad position', () => {
    const { cards } = deal(3, ['a', 'a', 'b', 'c', 'b'], seededRandom(5));
    expect([...cards].sort()).toEqual(['a', 'b', 'c']);
    const past = nextCardFromShuffle({ order: ['a', 'b'], position: 99 }, ['a', 'b'], seededRandom(2));
    expect(past?.state.position).toBe(1);
    expect(past?.cardId).toBe('a'); // 'b' was dealt last
    const negative = nextCardFromShuffle({ order: ['a', 'b'], position: -3 }, ['a', 'b'], seededRandom(2));
    expect(negative).toEqual({ cardId: 'a', state: { order: ['a', 'b'], position: 1 } });
  });

  it('with a deck growing and shrinking day by day, never repeats a card before all current cards were dealt', () => {
    const random = seededRandom('churn');
    const deckOn = (day: number): string[] => {
      const ids = Array.from({ length: 8 + (day % 5) }, (_, i) => `card${i}`);
      return day % 7 === 3 ? ids.filter((id) => id !== 'card2') : ids;
    };
    let state: ShuffleState | null = null;
    let seen = new Set<string>();
    for (let day = 0; day < 120; day++) {
      const ids = deckOn(day);
      const next = nextCardFromShuffle(state, ids, random);
      expect(next).not.toBeNull();
      const { cardId } = next!;
      expect(ids).toContain(cardId);
      if (seen.has(cardId)) {
        // A repeat is allowed only once every current card was dealt in this cycle.
        expect(ids.every((id) => seen.has(id))).toBe(true);
        seen = new Set();
      }
      seen.add(cardId);
      state = next!.state;
    }
  });
});
