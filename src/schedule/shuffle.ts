/**
 * Which card a server's next drop uses: cards are dealt from a shuffled
 * order, so no card repeats in a server until every card of its deck has
 * been used, then a fresh shuffle starts.
 */
import { shuffle } from '../engine/select.ts';

export interface ShuffleState {
  /** Card ids in dealing order: `order[0..position)` have been dealt this cycle. */
  order: string[];
  /** How many cards of `order` have been dealt. */
  position: number;
}

/**
 * The next card to drop and the state to store, or null when the deck has no
 * cards. `state` is the stored state (null the first time).
 *
 * When the deck changed since the shuffle:
 * - ids no longer in the deck are skipped; dealt ones stay recorded until the
 *   cycle ends, so a card removed and added back is not dealt twice in a cycle;
 * - new ids join the current cycle, shuffled in among the cards not dealt
 *   yet, so they come before any repeat;
 * - a state from another deck altogether thus simply starts a new shuffle.
 * When a cycle ends, the new shuffle never starts with the card dealt last
 * (no same card twice in a row), unless the deck has a single card.
 * Duplicate ids count once.
 */
export function nextCardFromShuffle(
  state: ShuffleState | null,
  cardIds: readonly string[],
  random: () => number,
): { cardId: string; state: ShuffleState } | null {
  const ids = unique(cardIds);
  if (ids.length === 0) return null;
  const inDeck = new Set(ids);

  const oldOrder = state?.order ?? [];
  const position = Math.min(Math.max(0, Math.floor(state?.position ?? 0)), oldOrder.length);
  const dealt = unique(oldOrder.slice(0, position));
  const dealtSet = new Set(dealt);
  let remaining = unique(oldOrder.slice(position)).filter((id) => !dealtSet.has(id) && inDeck.has(id));
  const known = new Set([...dealt, ...remaining]);
  const added = ids.filter((id) => !known.has(id));
  if (added.length > 0) remaining = shuffle([...remaining, ...added], random);

  const first = remaining[0];
  if (first !== undefined) {
    return {
      cardId: first,
      state: { order: [...dealt, ...remaining], position: dealt.length + 1 },
    };
  }

  // Cycle done: a new shuffle of the whole deck.
  const order = shuffle(ids, random);
  const last = position > 0 ? oldOrder[position - 1] : undefined;
  if (order.length > 1 && order[0] === last) {
    const j = 1 + Math.min(order.length - 2, Math.floor(random() * (order.length - 1)));
    [order[0], order[j]] = [order[j] as string, order[0] as string];
  }
  return { cardId: order[0] as string, state: { order, position: 1 } };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
