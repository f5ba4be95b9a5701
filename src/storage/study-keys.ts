/**
 * Key families of the study memory (see memory-book.ts). Server and member ids
 * are Discord snowflakes (no colon), so the deck name, which may contain
 * anything, comes last.
 */

/** One member's memory of one deck: card id → state. */
export function memoryKey(guildId: string, userId: string, deck: string): string {
  return `memory:${guildId}:${userId}:${deck}`;
}

/** The members with a memory record for a deck (user ids). */
export function memoryMembersKey(guildId: string, deck: string): string {
  return `memory-members:${guildId}:${deck}`;
}

/** The review log of one UTC hour (`YYYY-MM-DDTHH`) of a server. */
export function reviewLogKey(guildId: string, hour: string): string {
  return `reviews:${guildId}:${hour}`;
}
