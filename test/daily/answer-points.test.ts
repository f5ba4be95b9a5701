/**
 * A daily answer and its points are one unit: the answer is stored in the drop
 * with its award, the points are recorded by the award's id, and a process
 * that starts after a stop records the points of any stored answer that the
 * scores do not have yet. A store that "dies" after each k-th write of an
 * answer (or of the reveal that closes the drop) shows that the points are
 * never lost and never counted twice.
 */
import Keyv from 'keyv';
import { describe, expect, it, vi } from 'vitest';
import { DailyDrops, type DropMessages } from '../../src/daily/drops.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { DailyStore } from '../../src/storage/daily.ts';
import { MemoryBook } from '../../src/storage/memory-book.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';
import { CrashingStore } from '../support/faulty-store.ts';

const G = '100000000000000001';
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const LIBRARY = (() => {
  const { deck } = parseDeck('# deck: bio cells\n\nThe -mitochondria- is the powerhouse of the cell.\n\nDNA is kept in the -nucleus-.\n', 'bio.md');
  if (!deck) throw new Error('the test deck does not parse');
  return new DeckLibrary([deck]);
})();

const messages: DropMessages = {
  post: async () => ({ ok: true, messageId: 'm1' }),
  reveal: async () => undefined,
};

/** A process: its store (on `keyv`), score book and daily drops. */
function process(keyv: Keyv, now: () => number) {
  const store = new Store(keyv, { retry: { attempts: 1, delayMs: () => 0 } });
  const scores = new ScoreBook(store, { foldEvery: 1 });
  const warnings: string[] = [];
  const drops = new DailyDrops({
    store,
    scores,
    memory: new MemoryBook(store),
    library: LIBRARY,
    clock: { now, setTimeout: () => () => undefined },
    random: seededRandom('points'),
    logger: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    defaultTimeZone: 'UTC',
    messages,
    servers: () => [G],
  });
  return { store, scores, drops, warnings };
}

async function setUp() {
  const keyv = new Keyv();
  let now = NOW;
  const first = process(keyv, () => now);
  await new DailyStore(first.store).saveSchedule(G, { channelId: 'c1', time: { hour: 9, minute: 0 }, timeZone: 'UTC', deck: null, enabled: true } as never);
  const posted = await first.drops.postExtra(G);
  if (!posted.ok) throw new Error('no drop');
  const reply = posted.drop.card.answers.join(', ');
  return { keyv, posted: posted.drop, reply, tick: (ms: number) => (now += ms), now: () => now };
}

describe('a daily answer and its points', () => {
  it('a stop after any write of a right answer: the points count exactly once after the next start, or not at all when the answer was not stored', async () => {
    let stops = 0;
    for (let k = 0; ; k++) {
      const { keyv, posted, reply, now } = await setUp();
      const crashing = new CrashingStore(keyv);
      const dying = process(crashing.keyv, now);
      if (k === 0) crashing.dead = true;
      else crashing.crashAfterMore(k);
      const told = await dying.drops.answer(G, { dropId: posted.id, userId: 'ana', name: 'Ana', reply }).then(
        (result) => result.type,
        () => 'not stored',
      );
      if (!crashing.dead) {
        expect(told).toBe('correct');
        break;
      }
      stops++;
      // The next process starts on the same store: it completes what was stored.
      const next = process(keyv, now);
      await next.drops.start(() => () => undefined);
      const stored = (await new DailyStore(next.store).openDrop(G))?.solvers.some((s) => s.userId === 'ana') ?? false;
      const points = (await next.scores.member(G, 'ana'))?.points ?? 0;
      expect({ k, told, stored, points }).toEqual({ k, told, stored, points: stored ? 15 : 0 });
      // Whatever the member was told, answering again is refused once stored, and scores once otherwise.
      const again = await next.drops.answer(G, { dropId: posted.id, userId: 'ana', name: 'Ana', reply });
      expect(again.type).toBe(stored ? 'already-solved' : 'correct');
      expect((await next.scores.member(G, 'ana'))?.points).toBe(15);
      await next.drops.stop();
    }
    expect(stops).toBeGreaterThanOrEqual(3);
  });

  it('a stop after any write of the reveal: the wrong answers it records count exactly once', async () => {
    let stops = 0;
    for (let k = 1; ; k++) {
      const { keyv, posted, tick, now } = await setUp();
      const before = process(keyv, now);
      expect((await before.drops.answer(G, { dropId: posted.id, userId: 'ben', name: 'Ben', reply: 'ribosome' })).type).toBe('wrong');
      tick(60_000);
      const crashing = new CrashingStore(keyv);
      const dying = process(crashing.keyv, now);
      crashing.crashAfterMore(k);
      // The next drop closes this one: ben's unsolved try is recorded at the reveal.
      await dying.drops.postExtra(G).catch(() => undefined);
      const finished = !crashing.dead;
      if (!finished) stops++;
      const next = process(keyv, now);
      await next.drops.start(() => () => undefined);
      // Close whatever drop is open now, and once more: nothing is counted twice.
      tick(60_000);
      await next.drops.postExtra(G);
      const ben = await next.scores.member(G, 'ben');
      expect({ k, answered: ben?.answered }).toEqual({ k, answered: 1 });
      await next.drops.stop();
      if (finished) break;
    }
    expect(stops).toBeGreaterThanOrEqual(3);
  });

  it('a start whose multi-key read of the daily data fails still completes the points stored with an answer', async () => {
    const { keyv, posted, reply, now } = await setUp();
    const crashing = new CrashingStore(keyv);
    const dying = process(crashing.keyv, now);
    // Stopped after storing the answer, before its points.
    crashing.crashAfterMore(1);
    await dying.drops.answer(G, { dropId: posted.id, userId: 'ana', name: 'Ana', reply }).catch(() => undefined);
    expect((await new DailyStore(new Store(keyv)).openDrop(G))?.solvers.some((s) => s.userId === 'ana')).toBe(true);
    const next = process(keyv, now);
    expect((await next.scores.member(G, 'ana'))?.points ?? 0).toBe(0);
    const getMany = vi.spyOn(keyv, 'getMany').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
    await next.drops.start(() => () => undefined);
    expect(getMany).toHaveBeenCalled();
    expect((await next.scores.member(G, 'ana'))?.points).toBe(15);
    await next.drops.stop();
  });
});
