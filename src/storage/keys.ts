/**
 * Every key the bot stores, one function per key family, so the layout of the
 * store can be read in one place.
 */

// live rounds

/** A running live round, saved so that a restart can close it (`SavedRound`). */
export function liveRoundKey(guildId: string, channelId: string): string {
  return `live:${guildId}:${channelId}`;
}

/** The channels with a saved live round, as `guildId:channelId` entries. */
export function liveRoundIndexKey(): string {
  return 'live:index';
}
