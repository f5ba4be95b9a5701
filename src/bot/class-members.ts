/**
 * The class behind `/class` and the cards export, read at the edge: the decks
 * asked for, the members the bot knows in a server (they have scores or memory
 * records) with their names, and their memory records of those decks (one
 * read per member per deck, through the MemoryBook).
 *
 * Names come from the scores (the name a member had when they last scored,
 * as /leaderboard shows them); members who never scored (practice only) are
 * looked up in the server, at most 100 per gateway request; a member no
 * longer in the server is "a former member" (and when the server cannot be
 * asked, "a member (name unavailable)").
 */
import type { Guild } from 'discord.js';
import type { Deck } from '../deck/types.ts';
import type { ClassMember } from '../study/class-view.ts';
import type { MemoryRecord } from '../study/memory.ts';
import type { BotContext } from './context.ts';
import { deckNotFound } from './commands/shared.ts';
import type { UserError } from './reply.ts';

/** Discord answers at most this many user ids per member request. */
const FETCH_CHUNK = 100;
const FETCH_TIMEOUT_MS = 10_000;
export const FORMER_MEMBER = 'a former member';
/** When the server could not be asked (the member may still be there). */
export const UNNAMED_MEMBER = 'a member (name unavailable)';

/** The decks of a course or deck name, or every deck when none is given. */
export function classDecks(library: BotContext['library'], query: string | null): readonly Deck[] | UserError {
  if (query === null) return library.decks;
  return library.resolve(query)?.decks ?? deckNotFound(library, query);
}

/** Display names of members who are not in the scores: the client's cache, then the server's member list. */
async function lookUpNames(ctx: Pick<BotContext, 'logger'>, guild: Guild, userIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing: string[] = [];
  for (const id of userIds) {
    const cached = guild.members.cache.get(id);
    if (cached) names.set(id, cached.displayName);
    else missing.push(id);
  }
  for (let i = 0; i < missing.length; i += FETCH_CHUNK) {
    const chunk = missing.slice(i, i + FETCH_CHUNK);
    try {
      const found = await guild.members.fetch({ user: chunk, time: FETCH_TIMEOUT_MS });
      for (const [id, member] of found) names.set(id, member.displayName);
    } catch (error) {
      ctx.logger.warn(`the names of ${chunk.length} members of server ${guild.id} could not be looked up: ${(error as Error).message}`);
      for (const id of chunk) names.set(id, UNNAMED_MEMBER);
    }
  }
  return names;
}

/**
 * Every member the bot knows in the server (scores, or memory records of any
 * loaded deck) with their records of `decks` and their name, sorted by name.
 */
export async function classMembers(ctx: Pick<BotContext, 'library' | 'scores' | 'memory' | 'logger'>, guild: Guild, decks: readonly Deck[]): Promise<ClassMember[]> {
  const [totals, studying] = await Promise.all([ctx.scores.totals(guild.id), ctx.memory.members(guild.id, ctx.library.decks.map((d) => d.name))]);
  const records = new Map<string, MemoryRecord[]>();
  for (const deck of decks) {
    for (const [userId, record] of await ctx.memory.classMemory(guild.id, deck.name)) {
      const list = records.get(userId);
      if (list) list.push(record);
      else records.set(userId, [record]);
    }
  }
  const ids = [...new Set([...Object.keys(totals), ...studying, ...records.keys()])];
  const scoredName = (id: string) => (Object.hasOwn(totals, id) ? totals[id]?.name : undefined) || undefined;
  const looked = await lookUpNames(ctx, guild, ids.filter((id) => scoredName(id) === undefined));
  return ids
    .map((id) => ({ id, name: scoredName(id) ?? looked.get(id) ?? FORMER_MEMBER, records: records.get(id) ?? [] }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
}
