/**
 * A small typed layer over Keyv: reads with defaults, and read-modify-write
 * updates that are serialised per key inside this process, so concurrent
 * updates to one key never lose each other's changes.
 */
import type Keyv from 'keyv';

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

export class Store {
  private readonly mutex = new KeyedMutex();

  constructor(readonly keyv: Keyv) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.keyv.get(key)) as T | undefined;
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    return (await this.keyv.getMany([...keys])) as (T | undefined)[];
  }

  async set<T>(key: string, value: T): Promise<void> {
    await this.mutex.run(key, async () => {
      await this.keyv.set(key, value);
    });
  }

  async delete(key: string): Promise<void> {
    await this.mutex.run(key, async () => {
      await this.keyv.delete(key);
    });
  }

  /**
   * Reads `key`, lets `change` compute the new value and a result, and writes
   * the value back (undefined deletes it), with no other update of the same
   * key in between.
   */
  update<T, R>(key: string, change: (current: T | undefined) => { value: T | undefined; result: R } | Promise<{ value: T | undefined; result: R }>): Promise<R> {
    return this.mutex.run(key, async () => {
      const current = (await this.keyv.get(key)) as T | undefined;
      const { value, result } = await change(current);
      if (value === undefined) await this.keyv.delete(key);
      else await this.keyv.set(key, value);
      return result;
    });
  }

  /** Runs several dependent steps with the given key held, for updates that span keys. */
  exclusive<R>(key: string, task: () => Promise<R>): Promise<R> {
    return this.mutex.run(`lock:${key}`, task);
  }
}
