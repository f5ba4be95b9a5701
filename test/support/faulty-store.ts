/**
 * A Keyv that fails on demand, for storage fault tests: wrap the real one,
 * hand `faulty.keyv` to the code under test (new Store(faulty.keyv), or
 * startBot({ keyv: faulty.keyv })), then make writes fail:
 *
 *   faulty.failNextWrites(2);                          // the next 2 writes fail (SQLITE_FULL)
 *   faulty.failWrites(sqliteError('SQLITE_READONLY'));  // every write fails ...
 *   faulty.heal();                                     // ... until this
 *
 * Writes are set, setMany, delete, deleteMany and clear. Reads (get, getMany,
 * has) work unless `failReads` is on: a database that is down, say.
 * A failed write does not reach the real store.
 */
import type Keyv from 'keyv';

const WRITES = new Set<PropertyKey>(['set', 'setMany', 'delete', 'deleteMany', 'clear']);
const READS = new Set<PropertyKey>(['get', 'getMany', 'has', 'hasMany']);

const MESSAGES: Record<string, string> = {
  SQLITE_FULL: 'database or disk is full',
  SQLITE_READONLY: 'attempt to write a readonly database',
  SQLITE_IOERR: 'disk I/O error',
  SQLITE_CANTOPEN: 'unable to open database file',
};

/** An error shaped like the ones the sqlite3 driver throws (`code`, `errno`). */
export function sqliteError(code: keyof typeof MESSAGES | string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${MESSAGES[code] ?? 'error'}`), { code });
}

export class FaultyStore {
  readonly keyv: Keyv;
  /** Writes that were made to fail so far. */
  failedWrites = 0;
  /** Writes that went through to the real store. */
  passedWrites = 0;
  private remaining = 0;
  private error: () => Error = () => sqliteError('SQLITE_FULL');
  private readError: Error | undefined;

  constructor(readonly inner: Keyv) {
    this.keyv = new Proxy(inner, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (READS.has(property)) {
          return async (...args: unknown[]) => {
            if (this.readError) throw this.readError;
            return method(...args);
          };
        }
        if (!WRITES.has(property)) return method;
        return async (...args: unknown[]) => {
          if (this.remaining > 0) {
            this.remaining--;
            this.failedWrites++;
            throw this.error();
          }
          this.passedWrites++;
          return method(...args);
        };
      },
    });
  }

  /** The next `count` writes fail with `error` (default SQLITE_FULL). */
  failNextWrites(count: number, error: Error = sqliteError('SQLITE_FULL')): this {
    this.remaining = count;
    this.error = () => error;
    return this;
  }

  /** Every write fails with `error` until heal(). */
  failWrites(error: Error = sqliteError('SQLITE_FULL')): this {
    return this.failNextWrites(Number.POSITIVE_INFINITY, error);
  }

  /** Every read fails with `error` until heal(). */
  failReads(error: Error = sqliteError('SQLITE_IOERR')): this {
    this.readError = error;
    return this;
  }

  /** Reads and writes work again. */
  heal(): this {
    this.remaining = 0;
    this.readError = undefined;
    return this;
  }

  get failing(): boolean {
    return this.remaining > 0;
  }
}

/**
 * A Keyv whose process "dies" after its k-th write: that write (or the part of
 * a setMany up to it) reaches the real store, and every write after it fails
 * (a dead process writes nothing more). `setMany` counts one write per entry,
 * written one by one, so a crash can fall inside it, as on a store without
 * multi-key writes. Reads always work. `writes` counts what went through.
 */
export class CrashingStore {
  readonly keyv: Keyv;
  writes = 0;
  dead = false;

  constructor(
    readonly inner: Keyv,
    private crashAfter = Number.POSITIVE_INFINITY,
  ) {
    const die = () => new Error('the process died');
    this.keyv = new Proxy(inner, {
      get: (target, property) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property === 'setMany') {
          return async (entries: { key: string; value: unknown }[]) => {
            for (const entry of entries) {
              if (this.dead) throw die();
              await target.set(entry.key, entry.value);
              this.count();
            }
            if (this.dead) throw die();
            return entries.map(() => true);
          };
        }
        if (!WRITES.has(property)) return method;
        return async (...args: unknown[]) => {
          if (this.dead) throw die();
          const result = await method(...args);
          this.count();
          if (this.dead) throw die();
          return result;
        };
      },
    });
  }

  /** The process dies after `k` more writes. */
  crashAfterMore(k: number): void {
    this.crashAfter = this.writes + k;
  }

  private count(): void {
    this.writes++;
    if (this.writes >= this.crashAfter) this.dead = true;
  }
}
