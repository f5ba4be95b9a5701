import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/engine/random.ts';

function take(random: () => number, n: number): number[] {
  return Array.from({ length: n }, () => random());
}

describe('seededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(seededRandom('class-7b'), 20)).toEqual(take(seededRandom('class-7b'), 20));
    expect(take(seededRandom(42), 20)).toEqual(take(seededRandom(42), 20));
  });

  it('treats a number seed and its text alike', () => {
    expect(take(seededRandom(42), 5)).toEqual(take(seededRandom('42'), 5));
  });

  it('gives different sequences for different seeds', () => {
    expect(take(seededRandom('a'), 5)).not.toEqual(take(seededRandom('b'), 5));
    expect(take(seededRandom(1), 5)).not.toEqual(take(seededRandom(2), 5));
    expect(take(seededRandom(''), 5)).not.toEqual(take(seededRandom(' '), 5));
  });

  it('has golden values (the sequence must not change between versions)', () => {
    expect(take(seededRandom('studybot'), 3).map((x) => x.toFixed(10))).toMatchInlineSnapshot(`
      [
        "0.3750490760",
        "0.3561913171",
        "0.5195803824",
      ]
    `);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = seededRandom('spread');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const b = Math.floor(x * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});
