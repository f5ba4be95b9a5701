/**
 * Which servers this process holds, from its gateway shards. Discord sends
 * each server's events to exactly one shard, `(guild_id >> 22) % shard_count`,
 * so the process holding that shard is the only one that hears about the
 * server, and the only one allowed to write about it (see store.ts).
 */

/** The shards a process holds: `all` when it holds every shard (one process, the default). */
export interface ShardLayout {
  /** The shard ids this process runs; `all` for every shard of `shardCount`. */
  readonly shardIds: readonly number[] | 'all';
  /** The total number of shards across every process; `auto` lets Discord recommend it (one process only). */
  readonly shardCount: number | 'auto';
}

export const SINGLE_PROCESS: ShardLayout = { shardIds: 'all', shardCount: 'auto' };

/** Discord's rule: the shard that receives a server's events. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A write about a server (or about no server) this process does not hold. */
export class NotHeldError extends Error {
  constructor(
    readonly key: string,
    readonly guildId: string | null,
    layout: string,
  ) {
    super(
      guildId === null
        ? `refused to write "${key}": data about no server is written by shard 0 only, and this process holds ${layout}`
        : `refused to write "${key}": server ${guildId} belongs to another process (this process holds ${layout})`,
    );
    this.name = 'NotHeldError';
  }
}

/** Decides, for a process, which writes it may make. */
export class ServerOwnership {
  constructor(readonly layout: ShardLayout) {}

  static all(): ServerOwnership {
    return new ServerOwnership(SINGLE_PROCESS);
  }

  /** Whether this process holds the shard of `guildId`. */
  holds(guildId: string): boolean {
    const { shardIds, shardCount } = this.layout;
    if (shardIds === 'all' || shardCount === 'auto') return true;
    return shardIds.includes(shardOf(guildId, shardCount));
  }

  /** Whether this process writes data that belongs to no server (it holds shard 0). */
  get holdsGlobal(): boolean {
    const { shardIds } = this.layout;
    return shardIds === 'all' || shardIds.includes(0);
  }

  describe(): string {
    const { shardIds, shardCount } = this.layout;
    if (shardIds === 'all') return shardCount === 'auto' ? 'every shard' : `every shard of ${shardCount}`;
    return `shard${shardIds.length === 1 ? '' : 's'} ${shardIds.join(', ')} of ${shardCount}`;
  }
}
