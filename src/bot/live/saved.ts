/**
 * What a live round leaves in the store while it runs: enough to close it
 * cleanly after a restart (remove the open question's buttons, post the
 * scores). The format is read by the next start, so it only ever grows.
 */
import type { APIEmbed } from 'discord.js';
import type { ScoreEvent } from '../../competition/types.ts';
import type { RoundScore, RoundTally } from '../../engine/round.ts';
import { liveRoundIndexKey, liveRoundKey } from '../../storage/keys.ts';
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

const entry = (guildId: string, channelId: string): string => `${guildId}:${channelId}`;

export async function saveRound(store: Store, round: SavedRound): Promise<void> {
  const key = entry(round.guildId, round.channelId);
  await store.set(liveRoundKey(round.guildId, round.channelId), round);
  await store.update<string[], void>(liveRoundIndexKey(), (index = []) => ({ value: index.includes(key) ? index : [...index, key], result: undefined }));
}

export async function forgetRound(store: Store, guildId: string, channelId: string): Promise<void> {
  const key = entry(guildId, channelId);
  await store.delete(liveRoundKey(guildId, channelId));
  await store.update<string[], void>(liveRoundIndexKey(), (index = []) => {
    const rest = index.filter((k) => k !== key);
    return { value: rest.length ? rest : undefined, result: undefined };
  });
}

/** The channels with a saved round; `saved` is missing when only the index entry is left. */
export async function savedRounds(store: Store): Promise<{ guildId: string; channelId: string; saved: SavedRound | undefined }[]> {
  const index = (await store.get<string[]>(liveRoundIndexKey())) ?? [];
  const channels = index.map((key) => {
    const [guildId = '', channelId = ''] = key.split(':');
    return { guildId, channelId };
  });
  const saved = await store.getMany<SavedRound>(channels.map((c) => liveRoundKey(c.guildId, c.channelId)));
  return channels.map((c, i) => ({ ...c, saved: saved[i] }));
}
