import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { DeckLibrary } from '../../src/deck/library.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import type { Deck } from '../../src/deck/types.ts';
import { serverDecksKey } from '../../src/storage/keys.ts';
import { ServerDecks, type ServerDeck } from '../../src/storage/server-decks.ts';
import { NotHeldError, ServerOwnership } from '../../src/storage/shards.ts';
import { Store } from '../../src/storage/store.ts';

// (id >> 22) % 2: 8388608 → shard 0, 4194304 → shard 1.
const A = '8388608';
const B = '4194304';

function deck(source: string): Deck {
  const { deck: parsed, errors } = parseDeck(source, 'x.md');
  if (!parsed) throw new Error(JSON.stringify(errors));
  return parsed;
}

function entry(fileName: string, source: string): ServerDeck {
  return { file: { fileName, source }, deck: deck(source) };
}

const FOLDER = deck('# deck: mlops wk9\nTop -a-.\n');
const BIO = '# deck: bio cells\nThe -cell- divides.\n';
const CHEM = '# deck: chem basics\nWater is -H2O-.\n';

/** A keyv that counts its reads. */
function counted(): { keyv: Keyv; reads: () => number } {
  const keyv = new Keyv();
  let reads = 0;
  const get = keyv.get.bind(keyv);
  keyv.get = ((...args: Parameters<typeof get>) => {
    reads++;
    return get(...args);
  }) as typeof keyv.get;
  return { keyv, reads: () => reads };
}

describe('ServerDecks', () => {
  it('a server sees the folder decks and its own; another server only the folder decks', async () => {
    const store = new Store(new Keyv());
    const decks = new ServerDecks(store, new DeckLibrary([FOLDER]));
    await decks.change(A, () => ({ decks: [entry('bio.md', BIO)], result: undefined }));
    expect((await decks.libraryFor(A)).decks.map((d) => d.name)).toEqual(['mlops wk9', 'bio cells']);
    expect((await decks.libraryFor(B)).decks.map((d) => d.name)).toEqual(['mlops wk9']);
    expect(await store.get(serverDecksKey(A))).toEqual([{ fileName: 'bio.md', source: BIO }]);
  });

  it('reads and parses a server once, and keeps its changes without reading again', async () => {
    const { keyv, reads } = counted();
    await keyv.set(serverDecksKey(A), [{ fileName: 'bio.md', source: BIO }]);
    const decks = new ServerDecks(new Store(keyv), new DeckLibrary([]));
    const first = await decks.list(A);
    expect(await decks.list(A)).toBe(first);
    expect(reads()).toBe(1);
    await decks.change(A, (current) => ({ decks: [...current, entry('chem.md', CHEM)], result: undefined }));
    expect((await decks.list(A)).map((d) => d.deck.name)).toEqual(['bio cells', 'chem basics']);
    expect(reads()).toBe(1);
    await decks.change(A, () => ({ decks: [], result: undefined }));
    expect(await decks.list(A)).toEqual([]);
    expect(await keyv.get(serverDecksKey(A))).toBeUndefined();
  });

  it('a change that decides nothing writes nothing', async () => {
    const store = new Store(new Keyv());
    const decks = new ServerDecks(store, new DeckLibrary([]));
    expect(await decks.change(A, () => ({ result: 'refused' }))).toBe('refused');
    expect(await store.get(serverDecksKey(A))).toBeUndefined();
  });

  it('two changes at once both land', async () => {
    const decks = new ServerDecks(new Store(new Keyv()), new DeckLibrary([]));
    await Promise.all([
      decks.change(A, (current) => ({ decks: [...current, entry('bio.md', BIO)], result: undefined })),
      decks.change(A, (current) => ({ decks: [...current, entry('chem.md', CHEM)], result: undefined })),
    ]);
    expect((await decks.list(A)).map((d) => d.deck.name)).toEqual(['bio cells', 'chem basics']);
  });

  it('a server deck whose name a folder deck took later is hidden, not lost', async () => {
    const folder = new DeckLibrary([]);
    const decks = new ServerDecks(new Store(new Keyv()), folder);
    await decks.change(A, () => ({ decks: [entry('bio.md', BIO)], result: undefined }));
    folder.replace([FOLDER, deck('# deck: bio cells\nFolder -copy-.\n')]);
    expect((await decks.libraryFor(A)).cards('bio cells')?.map((c) => c.answers)).toEqual([['copy']]);
    expect((await decks.list(A)).map((d) => d.deck.name)).toEqual(['bio cells']);
  });

  it('a stored file that no longer reads is left out, logged, and kept in the store through changes', async () => {
    const keyv = new Keyv();
    const broken = { fileName: 'old.md', source: 'no deck line here' };
    await keyv.set(serverDecksKey(A), [broken]);
    const warnings: string[] = [];
    const decks = new ServerDecks(new Store(keyv), new DeckLibrary([]), { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined });
    expect(await decks.list(A)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('old.md no longer reads');
    await decks.change(A, () => ({ decks: [entry('bio.md', BIO)], result: undefined }));
    expect(await keyv.get(serverDecksKey(A))).toEqual([broken, { fileName: 'bio.md', source: BIO }]);
  });

  it("refuses to change the decks of a server this process does not hold, and keeps what it had", async () => {
    const store = new Store(new Keyv(), { owner: new ServerOwnership({ shardIds: [1], shardCount: 2 }) });
    const decks = new ServerDecks(store, new DeckLibrary([]));
    await expect(decks.change(A, () => ({ decks: [entry('bio.md', BIO)], result: undefined }))).rejects.toThrow(NotHeldError);
    expect(await decks.list(A)).toEqual([]);
    await decks.change(B, () => ({ decks: [entry('bio.md', BIO)], result: undefined }));
    expect((await decks.list(B)).map((d) => d.deck.name)).toEqual(['bio cells']);
  });
});
