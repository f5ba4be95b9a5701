/**
 * What a live round leaves in the store while it runs: enough to close it
 * cleanly after a restart (remove the open question's buttons, post the
 * scores). The format is read by the next start, so it only ever grows.
 */
import type { APIEmbed } from 'discord.js';
import type { ScoreEvent } from '../../competition/types.ts';
import type { RoundScore, RoundTally } from '../../engine/round.ts';
import { legacyLiveRoundIndexKey, liveChannelsKey, liveRoundKey } from '../../storage/keys.ts';
import type { Store } from '../../storage/store.ts';

export interface SavedRound {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly label: string;
  readonly questionMessageId?: string;
  /** The open question as it shows after a restart: its answer, marked interrupted. */
  readonly interrupted?: APIEmbed;
  readonly startedBy?: string;
  /** What happened so far, for the summary. */
  readonly tally?: RoundTally;
  /** Questions asked so far. */
  readonly asked: number;
  readonly scores: Readonly<Record<string, RoundScore>>;
  readonly names: Readonly<Record<string, string>>;
  /**
   * The question being closed, saved before its score is written: a restart
   * records its events (once: `scoringId` makes a replay do nothing) and shows
   * its winner, whether or not the winner was announced before the stop.
   */
  readonly closing?: ClosingQuestion;
}

export interface ClosingQuestion {
  /** 0-based. */
  readonly index: number;
  readonly scoringId: string;
  readonly events: readonly ScoreEvent[];
  readonly winner?: { readonly name: string; readonly points: number; readonly answer: string };
}

/** An entry of the earlier versions' index, `guildId:channelId`. */
function legacyEntry(entry: string): { guildId: string; channelId: string } {
  const [guildId = '', channelId = ''] = entry.split(':');
  return { guildId, channelId };
}

/** The round's record, for a write of several records at once. */
export function roundEntry(round: SavedRound): { key: string; value: SavedRound } {
  return { key: liveRoundKey(round.guildId, round.channelId), value: round };
}

/** Saves the round's record; with `index`, also lists its channel in the server's index of saved rounds (needed once per round). */
export async function saveRound(store: Store, round: SavedRound, index = true): Promise<void> {
  await store.set(liveRoundKey(round.guildId, round.channelId), round);
  if (!index) return;
  await store.update<string[], void>(liveChannelsKey(round.guildId), (index = []) => ({ value: index.includes(round.channelId) ? index : [...index, round.channelId], result: undefined }));
}

export async function forgetRound(store: Store, guildId: string, channelId: string): Promise<void> {
  await store.delete(liveRoundKey(guildId, channelId));
  await store.update<string[], void>(liveChannelsKey(guildId), (index = []) => {
    const rest = index.filter((c) => c !== channelId);
    return { value: rest.length ? rest : undefined, result: undefined };
  });
}

/**
 * The channels of `guildIds` with a saved round; `saved` is missing when only
 * the index entry is left. Also reads the one index of earlier versions (never
 * written again), keeping its entries for these servers whose round is saved.
 */
export async function savedRounds(store: Store, guildIds: readonly string[]): Promise<{ guildId: string; channelId: string; saved: SavedRound | undefined }[]> {
  const held = new Set(guildIds);
  const indexes = await store.getMany<string[]>(guildIds.map(liveChannelsKey));
  const channels = guildIds.flatMap((guildId, i) => (indexes[i] ?? []).map((channelId) => ({ guildId, channelId })));
  const known = new Set(channels.map((c) => `${c.guildId}:${c.channelId}`));
  const legacy = ((await store.get<string[]>(legacyLiveRoundIndexKey())) ?? []).filter((entry) => !known.has(entry)).map(legacyEntry).filter((c) => held.has(c.guildId));
  const saved = await store.getMany<SavedRound>([...channels, ...legacy].map((c) => liveRoundKey(c.guildId, c.channelId)));
  return [...channels.map((c, i) => ({ ...c, saved: saved[i] })), ...legacy.flatMap((c, i) => {
    const round = saved[channels.length + i];
    return round ? [{ ...c, saved: round }] : [];
  })];
}

/**
 * Drops the entries of the earlier versions' index whose round is closed (its
 * key gone), the index itself once empty. That index is data about no server:
 * only the process holding shard 0 tidies it, and an entry stays while its
 * round waits for the process holding its server.
 */
export async function tidyLegacyIndex(store: Store): Promise<void> {
  if (!store.mayWrite(legacyLiveRoundIndexKey())) return;
  await store.update<string[], void>(legacyLiveRoundIndexKey(), async (index) => {
    if (!index) return { value: undefined, result: undefined };
    const rounds = await store.getMany(index.map(legacyEntry).map((c) => liveRoundKey(c.guildId, c.channelId)));
    const open = index.filter((_, i) => rounds[i] !== undefined);
    return { value: open.length ? open : undefined, result: undefined };
  });
}
