import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { DailyDrops, type DropMessages } from '../../src/daily/drops.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { parseTimeOfDay } from '../../src/schedule/time.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { ServerOwnership, type ShardLayout } from '../../src/storage/shards.ts';
import { MemoryBook } from '../../src/storage/memory-book.ts';
import { Store } from '../../src/storage/store.ts';

// (id >> 22) % 2: shard 0 holds A and C, shard 1 holds B.
const A = '8388608';
const B = '4194304';
const C = '16777216';
const SERVERS = [A, B, C];

const { deck } = parseDeck('# deck: bio\n\nThe -mitochondria- is the powerhouse of the cell.\n\nDNA is kept in the -nucleus-.\n', 'bio.md');
const LIBRARY = new DeckLibrary(deck ? [deck] : []);
const nine = parseTimeOfDay('09:00');
const DAY1 = Date.parse('2026-03-02T09:00:30Z');
const DAY2 = Date.parse('2026-03-03T09:00:30Z');

/** Processes on one shared store; each is told of every server, so only the one-writer rule keeps it to its own. */
function world() {
  const keyv = new Keyv();
  const posts: { process: string; channel: string; at: number }[] = [];
  let now = Date.parse('2026-03-01T12:00:00Z');
  const process = (name: string, layout: ShardLayout) => {
    const store = new Store(keyv, { owner: new ServerOwnership(layout) });
    const messages: DropMessages = {
      post: async (channelId, drop) => {
        posts.push({ process: name, channel: channelId, at: drop.postedAt });
        return { ok: true, messageId: `m${posts.length}` };
      },
      reveal: async () => undefined,
    };
    return new DailyDrops({
      store,
      scores: new ScoreBook(store),
      memory: new MemoryBook(store),
      library: LIBRARY,
      clock: { now: () => now, setTimeout: () => () => undefined },
      random: seededRandom(name),
      logger: { info: () => undefined, warn: () => undefined, error: (message, error) => { throw new Error(`${message}: ${String(error)}`); } },
      defaultTimeZone: 'UTC',
      messages,
      servers: () => SERVERS,
    });
  };
  return {
    posts,
    process,
    setNow: (at: number) => void (now = at),
    /** Starts the processes (their start-up tick); returns a function that stops them. */
    async run(...drops: DailyDrops[]) {
      for (const d of drops) await d.start(() => () => undefined);
      return () => Promise.all(drops.map((d) => d.stop()));
    },
  };
}

describe('daily drops with several processes sharing one store', () => {
  it('each server gets its drop once, from the process holding its shard; after a restart into one process, nothing is posted twice', async () => {
    if (!nine.ok) throw new Error('bad time');
    const w = world();
    const zero = w.process('shard 0', { shardIds: [0], shardCount: 2 });
    const one = w.process('shard 1', { shardIds: [1], shardCount: 2 });
    // Each server's /daily set is handled by the process holding it.
    for (const [guild, drops] of [[A, zero], [B, one], [C, zero]] as const) {
      await drops.set(guild, { channelId: `ch${guild}`, time: nine.value, timeZone: 'UTC', deck: null });
    }
    await expect(zero.set(B, { channelId: 'x', time: nine.value, timeZone: 'UTC', deck: null })).rejects.toThrow(/belongs to another process/);

    w.setNow(DAY1);
    const stop = await w.run(zero, one);
    expect(w.posts.map((p) => `${p.process} ${p.channel}`).sort()).toEqual([`shard 0 ch${A}`, `shard 0 ch${C}`, `shard 1 ch${B}`].sort());
    await stop();

    // Restart the same day as one process holding both shards: the day's drops were claimed.
    const both = w.process('both', { shardIds: [0, 1], shardCount: 2 });
    w.setNow(DAY1 + 60_000);
    const stopBoth = await w.run(both);
    expect(w.posts).toHaveLength(3);
    await stopBoth();

    // The next day, the single process posts in every server, once.
    w.setNow(DAY2);
    await w.run(w.process('both again', { shardIds: 'all', shardCount: 2 }));
    expect(w.posts.slice(3).map((p) => `${p.process} ${p.channel}`).sort()).toEqual([`both again ch${A}`, `both again ch${B}`, `both again ch${C}`].sort());
    expect(new Set(w.posts.map((p) => `${p.channel} ${new Date(p.at).toISOString().slice(0, 10)}`)).size).toBe(6);
  });
});
