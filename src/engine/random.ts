/**
 * A small seeded pseudo-random source: the same seed always gives the same
 * sequence, so shuffles and rounds can be replayed and tested.
 */

/**
 * A random source in [0, 1) from a seed (mulberry32). The seed is hashed as
 * text (FNV-1a), so `seededRandom(42)` and `seededRandom('42')` agree and any
 * string, including '', is a valid seed.
 */
export function seededRandom(seed: number | string): () => number {
  let state = hashSeed(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a over the text's UTF-16 code units. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
