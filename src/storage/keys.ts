/**
 * Every key the bot stores, one function per key family, so the layout of the
 * store can be read in one place. Ids come from Discord (snowflakes), so they
 * never contain the `:` separator.
 *
 * A key about one server has the server id right after its family
 * (`family:<guildId>:...`), and its family is listed in SERVER_FAMILIES, so
 * that `guildOf(key)` tells which server any stored key is about: the
 * one-writer-per-server check of store.ts refuses writes about servers this
 * process does not hold. test/storage/keys.test.ts checks that every builder
 * taking a `guildId` is listed. Keys of INTERACTION_FAMILIES are keyed by a
 * unique interaction id (only the process that received it writes them);
 * every other key belongs to no server and is written by shard 0 only.
 */

/** Server key families → how many segments at least follow the server id. */
const SERVER_FAMILIES: ReadonlyMap<string, number> = new Map([
  ['live', 1],
  ['live:channels', 0],
  ['member', 2],
  ['members', 1],
  ['scoreidx', 2],
  ['events', 1],
  ['day', 2],
  ['days', 1],
  ['scoreday', 1],
  ['award', 1],
  ['awards', 0],
  ['seasons', 0],
  ['roundwins', 0],
  ['scores-layout', 0],
  ['settings', 0],
  ['scored', 1],
  ['daily:last', 0],
  ['daily:schedule', 0],
  ['daily:off', 0],
  ['daily:count', 0],
  ['daily:drop', 0],
  ['daily:shuffle', 1],
  ['memory', 2],
  ['memory-members', 1],
  ['reviews', 1],
  ['practice', 1],
  ['live:review', 1],
  ['daily:choice', 1],
  ['decks', 0],
]);

/** Families keyed by a unique interaction id. */
const INTERACTION_FAMILIES: ReadonlySet<string> = new Set(['lb:query', 'season:pending', 'deck:pending']);

/** What a stored key is about: one server, no server, or one interaction (written by the process that received it). */
export type KeyOwner = { readonly kind: 'server'; readonly guildId: string } | { readonly kind: 'global' } | { readonly kind: 'interaction' };

/** What `key` is about; the longest listed family that fits wins (`live:channels:<g>` before `live:<g>:<c>`). */
export function keyOwner(key: string): KeyOwner {
  const parts = key.split(':');
  for (let n = Math.min(parts.length - 1, 2); n >= 1; n--) {
    const family = parts.slice(0, n).join(':');
    const after = SERVER_FAMILIES.get(family);
    if (after !== undefined && parts[n] && parts.length - n - 1 >= after) return { kind: 'server', guildId: parts[n]! };
    if (INTERACTION_FAMILIES.has(family)) return { kind: 'interaction' };
  }
  return { kind: 'global' };
}

/** The server `key` is about, or null for keys about no server. */
export function guildOf(key: string): string | null {
  const owner = keyOwner(key);
  return owner.kind === 'server' ? owner.guildId : null;
}

// live rounds

/** A running live round, saved so that a restart can close it (`SavedRound`). */
export function liveRoundKey(guildId: string, channelId: string): string {
  return `live:${guildId}:${channelId}`;
}

/** The channels of a server with a saved live round (channel ids). */
export function liveChannelsKey(guildId: string): string {
  return `live:channels:${guildId}`;
}

/** Written by earlier versions: every saved live round as `guildId:channelId`. Now only read, at recovery. */
export function legacyLiveRoundIndexKey(): string {
  return 'live:index';
}

// scores (see storage/scores.ts for the layout and the rule of one writer per server)

/** Marks that the award with this id (`live:<round>:<question>`, `daily:<drop>:<user>`) is in the score records, so a replay after a restart does not count it twice. */
export function scoredKey(guildId: string, scoringId: string): string {
  return `scored:${guildId}:${scoringId}`;
}

/** Scope of member totals: `all`, or `s<season id>`. */
export type ScoreScope = 'all' | `s${number}`;

/** One member's totals in a scope (`MemberTotals`). */
export function memberTotalsKey(guildId: string, scope: ScoreScope, userId: string): string {
  return `member:${guildId}:${scope}:${userId}`;
}

/**
 * One part of a scope's index (a member's part is a hash of their id, see
 * scores.ts): each member of the part with their points, answers, correct
 * answers and wins, overall and per deck, and the last award folded in. An
 * all-time or season page reads only these parts. `parts`: the index's size
 * when it has grown past SCOPE_INDEX_PARTS.
 */
export function scopeIndexKey(guildId: string, scope: ScoreScope, part: number, parts?: number): string {
  // An index grown past its first size has the size in its keys, so parts of two sizes never mix.
  return parts === undefined ? `scoreidx:${guildId}:${scope}:${part}` : `scoreidx:${guildId}:${scope}:${parts}:${part}`;
}

/** Layout 3 (read only by the migration, kept): one part of the user ids with totals in a scope, in 64 parts. */
export function memberIndexKey(guildId: string, scope: ScoreScope, part: number): string {
  return `members:${guildId}:${scope}:${part}`;
}

/** Layout 1 (read only by the migration, kept): the user ids with totals in a scope, in one record. */
export function legacyMemberIndexKey(guildId: string, scope: ScoreScope): string {
  return `members:${guildId}:${scope}`;
}

/** Every member's totals of one local day (`YYYY-MM-DD`, the server's time zone), per deck, with the last award folded in. */
export function dayRecordKey(guildId: string, day: string): string {
  return `scoreday:${guildId}:${day}`;
}

/** One slot of the server's award journal (a ring: slot = the award's sequence number modulo its size; see scores.ts). */
export function awardJournalKey(guildId: string, slot: number): string {
  return `award:${guildId}:${slot}`;
}

/** The head of the server's award journal: the awards up to `folded` are in the score records. */
export function awardsHeadKey(guildId: string): string {
  return `awards:${guildId}`;
}

/** Layout 2 (read only by the migration, kept): one member's totals of one local day. */
export function legacyDayTotalsKey(guildId: string, day: string, userId: string): string {
  return `day:${guildId}:${day}:${userId}`;
}

/** Layout 2 (read only by the migration, kept): the user ids with totals on a local day. */
export function legacyDayIndexKey(guildId: string, day: string): string {
  return `days:${guildId}:${day}`;
}

/** The server's current and past seasons (`SeasonsDoc`). */
export function seasonsKey(guildId: string): string {
  return `seasons:${guildId}`;
}

/** Live-round wins per member. */
export function roundWinsKey(guildId: string): string {
  return `roundwins:${guildId}`;
}

/** The version of the server's score layout, written by the migration (`scores.ts`). */
export function scoreLayoutKey(guildId: string): string {
  return `scores-layout:${guildId}`;
}

/** Layout 1 (read only by the migration, kept): the score events of one UTC hour (`YYYY-MM-DDTHH`). */
export function legacyEventsKey(guildId: string, hour: string): string {
  return `events:${guildId}:${hour}`;
}

/** The lock every score write of a server holds (a lock name, not a stored value). */
export function scoresLock(guildId: string): string {
  return `scores:${guildId}`;
}

// leaderboard pages

/** The query behind a /leaderboard message while its pages can be turned; keyed by the command's interaction id. */
export function leaderboardPagesKey(interactionId: string): string {
  return `lb:query:${interactionId}`;
}

// season confirmations

/** A /season new request waiting for its confirmation; keyed by the command's interaction id. */
export function seasonConfirmationKey(interactionId: string): string {
  return `season:pending:${interactionId}`;
}

/** A /deck remove request waiting for its confirmation; keyed by the command's interaction id. */
export function deckRemovalKey(interactionId: string): string {
  return `deck:pending:${interactionId}`;
}

// command registration

/** Hash of the command definitions last registered, per application and scope (`global` or `guild:<id>`). */
export function registeredCommandsKey(applicationId: string, scope: string): string {
  return `meta:commands:${applicationId}:${scope}`;
}

// daily drops

/** The servers with daily drops turned on. */
export function dailyIndexKey(): string {
  return 'daily:index';
}

/** The server's last closed drop, kept for the drop after it (its note is not asked next). */
export function dailyLastDropKey(guildId: string): string {
  return `daily:last:${guildId}`;
}

/** A server's one daily schedule record (its `enabled` flag says whether drops are on). */
export function dailyScheduleKey(guildId: string): string {
  return `daily:schedule:${guildId}`;
}

/** Written by earlier versions after /daily off: the schedule as it was. Read once, then replaced by the record. */
export function legacyDailyOffKey(guildId: string): string {
  return `daily:off:${guildId}`;
}

/** How many drops a server has had: part of each drop's id. */
export function dailyCountKey(guildId: string): string {
  return `daily:count:${guildId}`;
}

/** A server's open drop. */
export function dailyDropKey(guildId: string): string {
  return `daily:drop:${guildId}`;
}

/** The shuffled card order of a server's drops from one deck (`*`: every deck). */
export function dailyShuffleKey(guildId: string, deck: string | null): string {
  return `daily:shuffle:${guildId}:${deck ?? '*'}`;
}

/** The lock held while a server's schedule or open drop changes in several steps. */
export function dailyLockKey(guildId: string): string {
  return `daily:${guildId}`;
}

// server settings

/** A server's settings record (`ServerSettings`, only the values changed from the defaults). */
export function serverSettingsKey(guildId: string): string {
  return `settings:${guildId}`;
}

// server decks (see deck/server-decks.ts)

/** The decks a server uploaded with `/deck add`: `ServerDeckFile[]`. */
export function serverDecksKey(guildId: string): string {
  return `decks:${guildId}`;
}

// study memory (see storage/memory-book.ts); the deck name, which may contain anything, comes last

/** One member's memory of one deck: card id → state. */
export function memoryKey(guildId: string, userId: string, deck: string): string {
  return `memory:${guildId}:${userId}:${deck}`;
}

/** The members with a memory record for a deck (user ids). */
export function memoryMembersKey(guildId: string, deck: string): string {
  return `memory-members:${guildId}:${deck}`;
}

/** The review log of one UTC hour (`YYYY-MM-DDTHH`) of a server: its first part. */
export function reviewLogKey(guildId: string, hour: string): string {
  return `reviews:${guildId}:${hour}`;
}

/** Part `part` (0-based) of the review log of one UTC hour; part 0 is `reviewLogKey`. */
export function reviewLogPartKey(guildId: string, hour: string, part: number): string {
  return part === 0 ? reviewLogKey(guildId, hour) : `${reviewLogKey(guildId, hour)}:${part}`;
}

/** A member's practice session in a server (one at a time). */
export function practiceSessionKey(guildId: string, userId: string): string {
  return `practice:${guildId}:${userId}`;
}

/** What a finished live round leaves for its Review my misses button (`RoundReview`). */
export function roundReviewKey(guildId: string, roundId: string): string {
  return `live:review:${guildId}:${roundId}`;
}

/** What the class-need choice of a server's drops from one deck remembers (`DailyChoiceState`; `*`: every deck). */
export function dailyChoiceKey(guildId: string, deck: string | null): string {
  return `daily:choice:${guildId}:${deck ?? '*'}`;
}
