import { describe, expect, it } from 'vitest';
import { parseSimulateArgs, runSimulation } from '../../src/cli/simulate.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import { formatSimulation, recallRatio, simulate } from '../../src/study/simulate.ts';
import { seedDeck } from '../engine/cards.ts';

const cards = seedDeck().cards;

describe('the class simulation', () => {
  it('the same seed gives the same table', () => {
    const run = () => formatSimulation(simulate({ cards, students: 6, days: 10, seed: '5' }));
    expect(run()).toBe(run());
  });

  it('another seed gives another class', () => {
    const a = simulate({ cards, students: 6, days: 10, seed: '5' });
    const b = simulate({ cards, students: 6, days: 10, seed: '6' });
    expect(a.scenarios.map((s) => s.recall)).not.toEqual(b.scenarios.map((s) => s.recall));
  });

  it('a small run: checkpoints at the middle, the end and a week later; practice adds reviews and recall', () => {
    const result = simulate({ cards, students: 8, days: 14, seed: '1' });
    expect(result.checkpoints).toEqual([14, 21]);
    const [a, b, c] = result.scenarios;
    expect(a?.recall).toHaveLength(2);
    // Same class, same attendance: the same number of live and daily answers without practice.
    expect(b?.reviews).toBe(a?.reviews);
    expect(c!.reviews).toBeGreaterThan(b!.reviews);
    expect(recallRatio(result, 'c')).toBeGreaterThan(1);
    // Forgetting: a week without study lowers recall.
    expect(a!.recall[1]).toBeLessThan(a!.recall[0]!);
    const table = formatSimulation(result);
    expect(table).toMatch(/^\(b\)\/\(a\): \d\.\d\d$/m);
    expect(table).toMatch(/^\(c\)\/\(a\): \d\.\d\d$/m);
    expect(table).toContain('| (c) (b) + practice for half |');
  });

  it('reads --students, --days, --seed and --deck, with defaults 30, 28, 1 and mlops', () => {
    expect(parseSimulateArgs([])).toEqual({ ok: true, args: { students: 30, days: 28, seed: '1', deck: 'mlops' } });
    expect(parseSimulateArgs(['--students', '5', '--days', '7', '--seed', 'x', '--deck', 'mlops wk9'])).toEqual({
      ok: true,
      args: { students: 5, days: 7, seed: 'x', deck: 'mlops wk9' },
    });
    expect(parseSimulateArgs(['--students', '0'])).toEqual({ ok: false, message: '--students expects a whole number from 1 to 1000, got "0"' });
    expect(parseSimulateArgs(['--bogus']).ok).toBe(false);
  });

  it('an unknown deck lists the decks and fails', () => {
    let out = '';
    expect(runSimulation(new DeckLibrary([seedDeck()]), { students: 2, days: 1, seed: '1', deck: 'bio' }, (t) => (out += t))).toBe(1);
    expect(out).toContain('mlops wk9');
  });
});
