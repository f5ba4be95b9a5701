import { describe, expect, it } from 'vitest';
import { editDistance, editsWithin } from '../../src/engine/normalize.ts';
import { seededRandom } from '../../src/engine/random.ts';

/** What editsWithin must return: editDistance when within the limit, limit + 1 otherwise. */
function expected(a: string, b: string, limit: number): number {
  const distance = editDistance(a, b);
  return distance <= limit ? distance : limit + 1;
}

describe('editsWithin', () => {
  it.each<[string, string, number, number]>([
    ['weeks', 'weeks', 1, 0],
    ['weeks', 'weekx', 1, 1],
    ['weeks', 'wekes', 1, 1],
    ['weeks', 'week', 1, 1],
    ['weeks', 'wweeks', 1, 1],
    ['weeks', 'months', 1, 2],
    ['weeks', 'wkees', 1, 2],
    ['reproducible', 'reproducable', 2, 1],
    ['reproducible', 'rperoducable', 2, 2],
    ['reproducible', 'rperoducabel', 2, 3],
    ['collaborative', 'colaborativ', 2, 2],
    ['collaborative', 'qualitative', 2, 3],
    ['ab', 'ba', 1, 1],
    ['abc', 'ca', 2, 3], // optimal string alignment: no substring edited twice
    ['', 'ab', 2, 2],
    ['pos', 'poc', 0, 1],
  ])('%j to %j within %i: %i', (a, b, limit, edits) => {
    expect(editsWithin(a, b, limit)).toBe(edits);
    expect(editsWithin(b, a, limit)).toBe(edits);
  });

  it('agrees with editDistance on random near and far pairs', () => {
    const random = seededRandom('edits within');
    const alphabets = ['ab', 'abc', 'abcdef', 'abcdefghijklmnopqrstuvwxyz0123456789.'];
    const text = (alphabet: string, length: number): string =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    let compared = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const alphabet = alphabets[Math.floor(random() * alphabets.length)] as string;
      const a = text(alphabet, Math.floor(random() * 14));
      let b = random() < 0.5 ? a : text(alphabet, Math.floor(random() * 14));
      for (let edit = Math.floor(random() * 4); edit > 0; edit--) {
        const at = Math.floor(random() * (b.length + 1));
        const kind = random();
        if (kind < 0.25) b = b.slice(0, at) + b.slice(at + 1);
        else if (kind < 0.5) b = b.slice(0, at) + text(alphabet, 1) + b.slice(at);
        else if (kind < 0.75) b = b.slice(0, at) + text(alphabet, 1) + b.slice(at + 1);
        else b = b.slice(0, at) + (b[at + 1] ?? '') + (b[at] ?? '') + b.slice(at + 2);
      }
      for (const limit of [0, 1, 2, 3]) {
        expect(editsWithin(a, b, limit), `${JSON.stringify(a)} ${JSON.stringify(b)} ${limit}`).toBe(expected(a, b, limit));
        compared++;
      }
    }
    expect(compared).toBe(80_000);
  });
});
