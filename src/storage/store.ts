/**
 * A small typed layer over Keyv: reads with defaults, read-modify-write
 * updates that are serialised per key inside this process (so concurrent
 * updates to one key never lose each other's changes), and writes that are
 * retried a few times before they fail.
 *
 * A write resolves only once the store took it; when it still fails after the
 * retries it rejects (never a silent success), and the store's WriteHealth
 * turns to "failing" until a later write succeeds. Every Store built on the
 * same Keyv shares one WriteHealth, so the start-up code and the bot see the
 * same state: `writeHealth(keyv).onChange(...)` or `store.health.onChange(...)`.
 *
 * One writer per server. Every write about a server (scores, rounds, daily
 * drops, practice state, settings) is made by the process that holds that
 * server's gateway shard, `(guild_id >> 22) % shard_count`. Discord sends each
 * server's events to exactly one shard, so the in-process locks below (the
 * KeyedMutex) stay correct across processes and machines sharing one store,
 * no write needs an atomic primitive that Keyv lacks, and a process may keep
 * a server's data in memory (see scores.ts). Data about no server (command
 * registration, global settings) is written by shard 0 only, and
 * idempotently. A Store given the process's `ServerOwnership` holds this rule:
 * `guildOf(key)` (keys.ts) says which server a key is about, and a write about
 * a server the process does not hold, or about no server from a process
 * without shard 0, rejects with NotHeldError before touching the store.
 */
import type Keyv from 'keyv';
import { keyOwner } from './keys.ts';
import { NotHeldError, ServerOwnership } from './shards.ts';

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of the same key has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** What the listeners of WriteHealth hear: writes began failing, or work again. */
export type WriteHealthChange =
  | { readonly state: 'failing'; readonly error: unknown; readonly key: string; readonly since: number }
  | { readonly state: 'ok'; readonly failingSince: number; readonly recoveredAt: number };

/**
 * Whether writes to the store work. Turns to "failing" when a write fails
 * after its retries, and back to "ok" at the next write that succeeds. Each
 * turn is announced once to every listener (not once per failed write).
 */
export class WriteHealth {
  private failure: { error: unknown; key: string; since: number } | undefined;
  private readonly listeners = new Set<(change: WriteHealthChange) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  get state(): 'ok' | 'failing' {
    return this.failure ? 'failing' : 'ok';
  }

  /** The last failure while failing, else undefined. */
  get lastFailure(): { readonly error: unknown; readonly key: string; readonly since: number } | undefined {
    return this.failure;
  }

  /** Calls `listener` at every change of state; returns a function that stops it. */
  onChange(listener: (change: WriteHealthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal Called by Store after a write that failed after its retries. */
  failed(key: string, error: unknown): void {
    if (this.failure) {
      this.failure = { ...this.failure, error, key };
      return;
    }
    this.failure = { error, key, since: this.now() };
    this.emit({ state: 'failing', error, key, since: this.failure.since });
  }

  /** @internal Called by Store after a write that succeeded. */
  succeeded(): void {
    if (!this.failure) return;
    const { since } = this.failure;
    this.failure = undefined;
    this.emit({ state: 'ok', failingSince: since, recoveredAt: this.now() });
  }

  private emit(change: WriteHealthChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's own failure must not turn a write into a failure.
      }
    }
  }
}

const healthByKeyv = new WeakMap<Keyv, WriteHealth>();

/** The WriteHealth shared by every Store on this Keyv. */
export function writeHealth(keyv: Keyv): WriteHealth {
  let health = healthByKeyv.get(keyv);
  if (!health) {
    health = new WriteHealth();
    healthByKeyv.set(keyv, health);
  }
  return health;
}

export interface RetryPolicy {
  /** Tries in all, the first included. Default 3. */
  readonly attempts: number;
  /** Wait before the n-th retry (1-based), in ms. Default 50, 200, 800, … */
  readonly delayMs: (retry: number) => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, delayMs: (retry) => 50 * 4 ** (retry - 1) };

export interface StoreOptions {
  readonly retry?: RetryPolicy;
  /** Waits between retries; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The servers this process holds (default: every server, one process). */
  readonly owner?: ServerOwnership;
}

/** A write that still failed after its retries; `cause` is the store's last error. */
export class StoreWriteError extends Error {
  constructor(
    readonly key: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`Could not write "${key}" to the store after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreWriteError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Store {
  private readonly mutex = new KeyedMutex();
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Whether writes work; shared with every Store on the same Keyv. */
  readonly health: WriteHealth;
  /** The servers this process may write about. */
  readonly owner: ServerOwnership;

  constructor(
    readonly keyv: Keyv,
    options: StoreOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? sleep;
    this.health = writeHealth(keyv);
    this.owner = options.owner ?? ServerOwnership.all();
  }

  /** Whether this process may write `key` (one writer per server, see above). */
  mayWrite(key: string): boolean {
    const owner = keyOwner(key);
    if (owner.kind === 'interaction') return true;
    return owner.kind === 'server' ? this.owner.holds(owner.guildId) : this.owner.holdsGlobal;
  }

  /** Throws NotHeldError unless this process may write `key`. */
  private checkOwner(key: string): void {
    if (!this.mayWrite(key)) {
      const owner = keyOwner(key);
      throw new NotHeldError(key, owner.kind === 'server' ? owner.guildId : null, this.owner.describe());
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.keyv.get(key)) as T | undefined;
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    return (await this.keyv.getMany([...keys])) as (T | undefined)[];
  }

  async set<T>(key: string, value: T): Promise<void> {
    this.checkOwner(key);
    await this.mutex.run(key, () => this.write(key, () => this.put(key, value)));
  }

  /**
   * Writes several keys in one request to the store (one statement in SQLite
   * and PostgreSQL, one MULTI in Redis). Not a promise that all or none are
   * written: a caller that needs that makes each record carry what it holds
   * (see scores.ts). For keys that only one lock's holder writes (no per-key
   * serialisation with `update`).
   */
  async setMany(entries: readonly { readonly key: string; readonly value: unknown }[]): Promise<void> {
    if (entries.length === 0) return;
    for (const { key } of entries) this.checkOwner(key);
    const first = (entries[0] as { key: string }).key;
    await this.write(first, async () => {
      const results = (await this.keyv.setMany(entries.map(({ key, value }) => ({ key, value })))) as unknown;
      if (Array.isArray(results) && results.some((ok) => ok === false)) throw new Error(`the store did not take the writes of "${first}" and others`);
    });
  }

  async delete(key: string): Promise<void> {
    this.checkOwner(key);
    await this.mutex.run(key, () => this.write(key, () => this.keyv.delete(key)));
  }

  /**
   * Reads `key`, lets `change` compute the new value and a result, and writes
   * the value back (undefined deletes it), with no other update of the same
   * key in between. Only the write is retried: `change` runs once.
   */
  update<T, R>(key: string, change: (current: T | undefined) => { value: T | undefined; result: R } | Promise<{ value: T | undefined; result: R }>): Promise<R> {
    try {
      this.checkOwner(key);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(key, async () => {
      const current = (await this.keyv.get(key)) as T | undefined;
      const { value, result } = await change(current);
      await this.write(key, () => (value === undefined ? this.keyv.delete(key) : this.put(key, value)));
      return result;
    });
  }

  /** Runs several dependent steps with the given key held, for updates that span keys. */
  exclusive<R>(key: string, task: () => Promise<R>): Promise<R> {
    return this.mutex.run(`lock:${key}`, task);
  }

  /** Keyv's `set` reports some failures as `false` instead of throwing; that is a failure too. */
  private async put(key: string, value: unknown): Promise<void> {
    if ((await this.keyv.set(key, value)) === false) throw new Error(`the store did not take the write of "${key}"`);
  }

  /** One write with bounded retries; rejects with StoreWriteError when every try failed. */
  private async write(key: string, operation: () => Promise<unknown>): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.retry.delayMs(attempt - 1));
      try {
        await operation();
        this.health.succeeded();
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const error = new StoreWriteError(key, this.retry.attempts, lastError);
    this.health.failed(key, error);
    throw error;
  }
}
