/**
 * Failed writes through the Store: retried a few times with a short backoff,
 * never reported as a success, and told once to whoever listens to the store's
 * WriteHealth when writes start failing and once when they work again.
 */
import { describe, expect, it } from 'vitest';
import { openKeyv } from '../../src/storage/keyv.ts';
import { Store, StoreWriteError, writeHealth, type WriteHealthChange } from '../../src/storage/store.ts';
import { FaultyStore, sqliteError } from '../support/faulty-store.ts';

async function setUp() {
  const faulty = new FaultyStore(await openKeyv('memory://'));
  const waits: number[] = [];
  const store = new Store(faulty.keyv, { sleep: async (ms) => void waits.push(ms) });
  const changes: WriteHealthChange[] = [];
  store.health.onChange((change) => changes.push(change));
  return { faulty, store, waits, changes };
}

describe('a write that fails', () => {
  it('a write failing twice is retried after 50 and 200 ms and succeeds, and nobody hears of it', async () => {
    const { faulty, store, waits, changes } = await setUp();
    faulty.failNextWrites(2);
    await store.set('scores', { m1: 14 });
    expect(await store.get('scores')).toEqual({ m1: 14 });
    expect(waits).toEqual([50, 200]);
    expect(faulty.failedWrites).toBe(2);
    expect(store.health.state).toBe('ok');
    expect(changes).toEqual([]);
  });

  it('a write failing every try rejects with the store’s error, keeps the old value, and health turns to failing once', async () => {
    const { faulty, store, changes } = await setUp();
    await store.set('scores', { m1: 10 });
    faulty.failWrites(sqliteError('SQLITE_FULL'));
    const error = await store.set('scores', { m1: 24 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect(error).toMatchObject({ key: 'scores', attempts: 3, cause: { code: 'SQLITE_FULL' } });
    expect((error as Error).message).toBe('Could not write "scores" to the store after 3 tries: SQLITE_FULL: database or disk is full');
    await expect(store.delete('scores')).rejects.toBeInstanceOf(StoreWriteError);
    await expect(store.set('other', 1)).rejects.toBeInstanceOf(StoreWriteError);
    expect(await store.get('scores')).toEqual({ m1: 10 });
    expect(store.health.state).toBe('failing');
    expect(store.health.lastFailure?.key).toBe('other');
    expect(changes.map((c) => c.state)).toEqual(['failing']);
    expect(changes[0]).toMatchObject({ state: 'failing', key: 'scores' });
  });

  it('when writes work again the next write succeeds and health turns to ok once', async () => {
    const { faulty, store, changes } = await setUp();
    faulty.failWrites(sqliteError('SQLITE_READONLY'));
    await expect(store.set('a', 1)).rejects.toThrow('SQLITE_READONLY');
    faulty.heal();
    await store.set('a', 2);
    await store.set('b', 3);
    expect(await store.getMany(['a', 'b'])).toEqual([2, 3]);
    expect(changes.map((c) => c.state)).toEqual(['failing', 'ok']);
  });

  it('an update whose write fails runs its change once, stores nothing and returns no result', async () => {
    const { faulty, store } = await setUp();
    await store.set('n', 1);
    faulty.failWrites();
    let runs = 0;
    const outcome = store.update<number, string>('n', (n = 0) => {
      runs++;
      return { value: n + 1, result: 'announced' };
    });
    await expect(outcome).rejects.toBeInstanceOf(StoreWriteError);
    expect(runs).toBe(1);
    expect(await store.get('n')).toBe(1);
    faulty.heal();
    await expect(store.update<number, number>('n', (n = 0) => ({ value: n + 1, result: n + 1 }))).resolves.toBe(2);
  });

  it('a write the store answers with false (a swallowed error) is a failure too', async () => {
    const keyv = await openKeyv('memory://');
    const store = new Store(keyv, { sleep: async () => {} });
    keyv.set = async () => false;
    await expect(store.set('k', 1)).rejects.toThrow('the store did not take the write of "k"');
  });

  it('every Store on one Keyv shares its health, and a listener that throws does not fail writes', async () => {
    const { faulty, store } = await setUp();
    const other = new Store(faulty.keyv);
    expect(other.health).toBe(store.health);
    expect(writeHealth(faulty.keyv)).toBe(store.health);
    const stop = store.health.onChange(() => {
      throw new Error('listener bug');
    });
    faulty.failNextWrites(3);
    await expect(store.set('k', 1)).rejects.toBeInstanceOf(StoreWriteError);
    await expect(store.set('k', 2)).resolves.toBeUndefined();
    stop();
  });
});
