import type { Card } from '../deck/types.ts';

/** Fisher–Yates shuffle of a copy, driven by the given random source in [0, 1). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Cards for one round: `count` distinct cards drawn at random from the pool
 * (fewer when the pool is smaller). The same pool and random source give the
 * same round. Cards with the same id are counted once.
 */
export function chooseRoundCards(pool: readonly Card[], count: number, random: () => number): Card[] {
  const unique = [...new Map(pool.map((card) => [card.id, card])).values()];
  return shuffle(unique, random).slice(0, Math.max(0, count));
}
