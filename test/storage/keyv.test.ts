import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyv, redact, StorageConfigError, StoreUnreachableError } from '../../src/storage/keyv.ts';
import { KeyedMutex, Store } from '../../src/storage/store.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('opening the store from DATABASE_URL', () => {
  it('sqlite:// creates the missing folder and keeps values across reopening', async () => {
    dir = await mkdtemp(join(tmpdir(), 'studybot-keyv-'));
    const url = `sqlite://${join(dir, 'nested', 'data', 'bot.sqlite')}`;
    const first = await openKeyv(url);
    await first.set('greeting', { hello: 'class' });
    await first.disconnect();
    expect((await stat(join(dir, 'nested', 'data', 'bot.sqlite'))).isFile()).toBe(true);
    const second = await openKeyv(url);
    expect(await second.get('greeting')).toEqual({ hello: 'class' });
    await second.disconnect();
  });

  it('memory:// keeps values in the process only', async () => {
    const keyv = await openKeyv('memory://');
    await keyv.set('a', 1);
    expect(await keyv.get('a')).toBe(1);
  });

  it.each([
    ['ftp://example.test/db', 'is not supported'],
    // The scheme once printed as "redis::"; "mysql://" now.
    // A recursive mkdir under /proc never returned.
    ['sqlite:///proc/studybot/db.sqlite', 'DATABASE_URL points into /proc (/proc/studybot), a virtual file system that cannot hold a database.'],
    ['sqlite:///sys/studybot/db.sqlite', 'DATABASE_URL points into /sys'],
    ['mysql://user:secret@localhost:3306/db', 'DATABASE_URL uses mysql://, whose adapter is not installed: run "npm install @keyv/mysql".'],
  ])('%s is refused with a clear message', async (url, message) => {
    const error = await openKeyv(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('secret');
  });

  it.each([
    ['redis://bot:secret@127.0.0.1:1', 'Cannot reach Redis at 127.0.0.1:1 (DATABASE_URL=redis://bot:***@127.0.0.1:1)'],
    ['postgres://bot:secret@127.0.0.1:1/studybot', 'Cannot reach PostgreSQL at 127.0.0.1:1 (DATABASE_URL=postgres://bot:***@127.0.0.1:1/studybot)'],
  ])('%s with no server there: one clear error naming host and port, password hidden, no waiting', async (url, message) => {
    const started = Date.now();
    const error = await openKeyv(url, { connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnreachableError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('passwords are hidden in messages', () => {
    expect(redact('postgres://bot:hunter2@db.local:5432/studybot')).toBe('postgres://bot:***@db.local:5432/studybot');
  });
});

describe('serialised updates', () => {
  it('concurrent updates of one key all count', async () => {
    const store = new Store(await openKeyv('memory://'));
    await Promise.all(Array.from({ length: 50 }, () => store.update<number, void>('n', (n = 0) => ({ value: n + 1, result: undefined }))));
    expect(await store.get('n')).toBe(50);
  });

  it('a failing task does not block the ones after it', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const failing = mutex.run('k', async () => {
      order.push('first');
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => {
      order.push('second');
      return 2;
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
    expect(order).toEqual(['first', 'second']);
  });
});
