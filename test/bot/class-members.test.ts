import Keyv from 'keyv';
import type { Guild } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { classDecks, classMembers, FORMER_MEMBER, UNNAMED_MEMBER } from '../../src/bot/class-members.ts';
import { isUserError } from '../../src/bot/reply.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import type { LogLine } from '../e2e/harness.ts';
import { captureLogger } from '../e2e/harness.ts';
import { MemoryBook } from '../../src/storage/memory-book.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';
import { seedDeck } from '../engine/cards.ts';

const G = '100000000000000001';
const T0 = Date.UTC(2026, 10, 27, 12);
const deck = seedDeck();
const card = deck.cards[0]!;

/** A server whose member list knows `members` (id → display name); `cached` are already in the client's cache. */
function guild(members: Record<string, string>, cached: string[], fetched: string[][], fail = false): Guild {
  const entry = (id: string) => ({ displayName: members[id] });
  return {
    id: G,
    members: {
      cache: new Map(cached.map((id) => [id, entry(id)])),
      fetch: async ({ user }: { user: string[] }) => {
        fetched.push(user);
        if (fail) throw new Error('Members didn\'t arrive in time.');
        return new Map(user.filter((id) => id in members).map((id) => [id, entry(id)]));
      },
    },
  } as unknown as Guild;
}

async function setUp() {
  const store = new Store(new Keyv());
  const scores = new ScoreBook(store);
  const memory = new MemoryBook(store);
  const logs: LogLine[] = [];
  const ctx = { library: new DeckLibrary([deck]), scores, memory, logger: captureLogger(logs) };
  // u1 scored (stored name "Scorer"); u2 and u3 only practised; u4 practised and left the server.
  await scores.record(G, [{ userId: 'u1', at: T0, deck: deck.name, section: card.section, cardId: card.id, correct: true, points: 10, source: 'live', won: true }], { u1: 'Scorer' });
  await memory.record(G, ['u1', 'u2', 'u3', 'u4'].map((userId) => ({ userId, card, rating: 'good' as const, source: 'practice' as const, at: T0 })));
  return { ctx, logs };
}

describe('the members of a class', () => {
  it('are everyone with scores or memory, named from the scores, then the cache, then one look-up of the rest', async () => {
    const { ctx } = await setUp();
    const fetched: string[][] = [];
    const members = await classMembers(ctx, guild({ u1: 'Renamed', u2: 'Zoe', u3: 'Abe' }, ['u2'], fetched), [deck]);
    expect(members.map((m) => [m.id, m.name, m.records.length])).toEqual([
      ['u4', FORMER_MEMBER, 1],
      ['u3', 'Abe', 1],
      ['u1', 'Scorer', 1],
      ['u2', 'Zoe', 1],
    ]);
    expect(fetched).toEqual([['u3', 'u4']]);
  });

  it('still shows the class when the look-up fails, with a warning', async () => {
    const { ctx, logs } = await setUp();
    const members = await classMembers(ctx, guild({}, [], [], true), [deck]);
    expect(members.filter((m) => m.name === UNNAMED_MEMBER)).toHaveLength(3);
    expect(logs.map((l) => l.level)).toEqual(['warn']);
  });

  it('decks: every deck without a name, the course or deck named, or the reason there is none', () => {
    const library = new DeckLibrary([deck]);
    expect(classDecks(library, null)).toEqual([deck]);
    expect(classDecks(library, 'mlops')).toEqual([deck]);
    const missing = classDecks(library, 'chemistry');
    expect(isUserError(missing) && missing.message).toContain('There is no deck or course called "chemistry"');
  });
});
