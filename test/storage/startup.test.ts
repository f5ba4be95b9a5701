/**
 * The start-up checks of the store: a lost SQLite database is reported, not
 * recreated empty; an empty start needs STORE_INIT; paths that cannot hold a
 * database fail at once with one message; full and read-only stores are named
 * as such.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type Keyv from 'keyv';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Logger } from '../../src/clock.ts';
import { startFromEnv } from '../../src/startup.ts';
import { describeFsError, openKeyv, StorageConfigError } from '../../src/storage/keyv.ts';
import { checkWritable, explainSqliteError, openCheckedKeyv, STORE_META_KEY, StoreStartupError } from '../../src/storage/startup.ts';
import { FaultyStore, sqliteError } from '../support/faulty-store.ts';
import { POSTGRES_URL, REDIS_URL } from './servers.ts';

const run = promisify(execFile);

/**
 * Root writes any file whatever its mode. As root the read-only check drops every capability
 * with util-linux's setpriv instead: still root, so it can reach a checkout under a private
 * (0700) folder, but held to the files' modes. Without setpriv it runs as nobody, which needs
 * the checkout to be readable by everyone.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
function unprivileged([command, ...args]: string[]): [string, string[]] {
  if (process.getuid?.() !== 0 || !SETPRIV) return [command!, args];
  return [SETPRIV, ['--inh-caps=-all', '--bounding-set=-all', command!, ...args]];
}
const root = resolve(import.meta.dirname, '../..');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function capture(lines: string[]): Logger {
  return { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

async function tempDb(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'studybot-startup-'));
  return join(dir, 'data', 'bot.sqlite');
}

async function start(file: string, options: { init?: boolean; logs?: string[] } = {}) {
  const keyv = await openCheckedKeyv(`sqlite://${file}`, { logger: capture(options.logs ?? []), ...(options.init ? { init: true } : {}) });
  return keyv;
}

const exists = (path: string) => stat(path).then(() => true, () => false);
const markerId = async (file: string) => (JSON.parse(await readFile(`${file}.id`, 'utf8')) as { id: string }).id;

describe('starting on an SQLite store', () => {
  it('the first start creates the database and its marker, says so, and a restart keeps both', async () => {
    const file = await tempDb();
    const logs: string[] = [];
    const first = await start(file, { logs });
    await first.set('scores', { m1: 14 });
    await first.disconnect();
    expect(logs).toEqual([`info Created a new, empty store at ${file}.`]);
    const id = await markerId(file);
    const second = await start(file, { logs });
    expect(await second.get('scores')).toEqual({ m1: 14 });
    expect((await second.get<{ id: string }>(STORE_META_KEY))?.id).toBe(id);
    await second.disconnect();
    expect(logs).toHaveLength(1);
    expect(await markerId(file)).toBe(id);
  });

  it('a database deleted since the last start is reported, not recreated empty', async () => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    await rm(file);
    const error = await start(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreStartupError);
    expect((error as Error).message).toContain(`The database ${file} is missing, but ${file}.id shows that a store was created there on`);
    expect((error as Error).message).toContain('STORE_INIT=1');
    expect(await exists(file)).toBe(false);
  });

  it('with STORE_INIT a deleted database starts empty, as a new store with a new marker', async () => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    const oldId = await markerId(file);
    await rm(file);
    const logs: string[] = [];
    const keyv = await start(file, { init: true, logs });
    await keyv.disconnect();
    expect(await markerId(file)).not.toBe(oldId);
    expect(logs).toContain(`warn The database ${file} was missing; starting with an empty store as asked (STORE_INIT).`);
  });

  it('a -wal file left without its database stops the start; with STORE_INIT it is moved aside, not applied', async () => {
    const file = await tempDb();
    await mkdir(join(dir!, 'data'));
    await writeFile(`${file}-wal`, 'left over');
    const error = await start(file).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`but ${file}-wal is still there`);
    await (await start(file, { init: true })).disconnect();
    const names = await readdir(join(dir!, 'data'));
    expect(names.some((n) => n.startsWith('bot.sqlite-wal.orphaned-'))).toBe(true);
  });

  it('another database put in place of the store’s own is reported; STORE_INIT adopts it', async () => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    const other = join(dir!, 'other.sqlite');
    const otherKeyv = await openCheckedKeyv(`sqlite://${other}`, { logger: capture([]) });
    await otherKeyv.disconnect();
    await rm(file);
    await writeFile(file, await readFile(other));
    const error = await start(file).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`${file} is not the database this store was created with`);
    await (await start(file, { init: true })).disconnect();
    expect(await markerId(file)).toBe(await markerId(other));
  });

  it('a database from before markers existed is adopted as it is, with its data', async () => {
    const file = await tempDb();
    const old = await openKeyv(`sqlite://${file}`);
    await old.set('scores', { m1: 3 });
    await old.disconnect();
    const logs: string[] = [];
    const keyv = await start(file, { logs });
    expect(await keyv.get('scores')).toEqual({ m1: 3 });
    await keyv.disconnect();
    expect(logs).toEqual([]);
    expect(await exists(`${file}.id`)).toBe(true);
  });

  it('a deleted folder, marker and all, counts as a first start, and the log says a new empty store was created', async () => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    await rm(join(dir!, 'data'), { recursive: true });
    const logs: string[] = [];
    await (await start(file, { logs })).disconnect();
    expect(logs).toEqual([`info Created a new, empty store at ${file}.`]);
  });

  it('a file where the database folder should be is named', async () => {
    const file = await tempDb();
    await writeFile(join(dir!, 'data'), 'not a folder');
    const error = await start(file).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Cannot create the database folder ${join(dir!, 'data')}: ${join(dir!, 'data')} is a file, not a folder.`);
  });

  it.each([
    ['EROFS', 'Cannot create the database folder /x: the file system is read-only.'],
    ['EACCES', 'Cannot create the database folder /x: permission denied.'],
    ['ENOENT', 'Cannot create the database folder /x: the system refuses to create it there'],
  ])('a folder that cannot be created (%s) says why', (code, message) => {
    expect(describeFsError(Object.assign(new Error(code), { code }), 'create the database folder /x')).toContain(message);
  });

  it('a full disk at start-up is named, and the check fails on a store that takes no writes', async () => {
    const faulty = new FaultyStore(await openKeyv('memory://')).failWrites(sqliteError('SQLITE_FULL'));
    await expect(checkWritable(faulty.keyv, 1_000)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(await explainSqliteError(sqliteError('SQLITE_FULL'), 'data/bot.sqlite')).toBe('The disk holding data/bot.sqlite is full (SQLITE_FULL): nothing can be saved. Free some space, then start again; the stored data is kept.');
    faulty.heal();
    await expect(checkWritable(faulty.keyv, 1_000)).resolves.toBeUndefined();
  });
});

describe('starting on a real read-only SQLite file', () => {
  it.each([
    ['the file', 0o777, { name: 'StoreWriteError', cause: 'SQLITE_READONLY' }],
    ['the file and its folder', 0o555, { name: 'cannot open', cause: 'SQLITE_READONLY' }],
  ])('%s read-only: start-up says read-only; a write fails with SQLITE_READONLY', async (_what, folderMode, write) => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    // Root may write anything: the check runs as an unprivileged user then.
    const { chmod } = await import('node:fs/promises');
    await chmod(dir!, 0o755);
    await chmod(join(dir!, 'data'), folderMode);
    await chmod(file, 0o444);
    await chmod(`${file}.id`, 0o444);
    const { stdout } = await run(...unprivileged([process.execPath, '--import', 'tsx', join(root, 'test/storage/fixtures/open-read-only.ts'), file]), {
      cwd: root,
      timeout: 60_000,
      ...(process.getuid?.() === 0 && !SETPRIV ? { uid: 65534, gid: 65534 } : {}),
    });
    const result = JSON.parse(stdout) as { startup: string; write: { name: string; cause: string } };
    expect(result.startup).toContain(`${file} is read-only (SQLITE_READONLY): the bot must write to it.`);
    expect(result.write).toEqual(write);
  }, 90_000);
});

describe('starting on a server store', () => {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  it.each([
    ['Redis', REDIS_URL, { namespace: `studybot-startup-${runId}` }, 'Redis at 127.0.0.1:6379'],
    ['PostgreSQL', POSTGRES_URL, { table: `studybot_startup_${runId}` }, 'PostgreSQL at 127.0.0.1:5432'],
  ])('%s: the first start records the store and says so; the next start is quiet', async (_name, url, options, where) => {
    const logs: string[] = [];
    try {
      await (await openCheckedKeyv(url, { ...options, logger: capture(logs) })).disconnect();
      await (await openCheckedKeyv(url, { ...options, logger: capture(logs) })).disconnect();
      expect(logs).toEqual([`info Started a new store at ${where} (it had no store id yet).`]);
    } finally {
      if ('namespace' in options) {
        const keyv = await openKeyv(url, options);
        await keyv.clear();
        await keyv.disconnect();
      } else {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP TABLE IF EXISTS ${options.table}`);
        await client.end();
      }
    }
  });
});

describe('processes starting at once on one server store', () => {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  it.each([
    ['Redis', REDIS_URL, { namespace: `studybot-startup-race-${runId}` }],
    ['PostgreSQL', POSTGRES_URL, { table: `studybot_startup_race_${runId}` }],
  ])('%s: the start-up check of each passes, and only the store’s id is left in the store', async (_name, url, options) => {
    const logs: string[] = [];
    const opened: Keyv[] = [];
    try {
      // Each start writes its probe, reads it back and deletes it: one's probe must not be another's.
      const starts = await Promise.allSettled([0, 1, 2, 3].map(() => openCheckedKeyv(url, { ...options, logger: capture(logs) })));
      for (const start of starts) if (start.status === 'fulfilled') opened.push(start.value);
      expect(starts.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'started'))).toEqual(['started', 'started', 'started', 'started']);
      const keys: string[] = [];
      for await (const [key] of opened[0]!.iterator!(undefined)) keys.push(String(key));
      expect(keys).toEqual([STORE_META_KEY]);
    } finally {
      for (const keyv of opened) await keyv.disconnect();
      if ('namespace' in options) {
        const keyv = await openKeyv(url, options);
        await keyv.clear();
        await keyv.disconnect();
      } else {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP TABLE IF EXISTS ${options.table}`);
        await client.end();
      }
    }
  });
});

describe('npm start with a store that cannot work', () => {
  it.each([
    ['sqlite:///proc/studybot/db.sqlite', 'DATABASE_URL points into /proc (/proc/studybot), a virtual file system that cannot hold a database. Use a folder on a disk, e.g. sqlite://data/studybot.sqlite.'],
    ['redis://bot:secret@127.0.0.1:1', 'Cannot reach Redis at 127.0.0.1:1 (DATABASE_URL=redis://bot:***@127.0.0.1:1)'],
  ])('%s: one message before Discord is contacted, no password', async (url, message) => {
    const logs: string[] = [];
    const started = await startFromEnv(
      { DISCORD_TOKEN: 'not-used', DISCORD_API_URL: 'http://127.0.0.1:1/api', DECKS_DIR: join(root, 'decks'), DATABASE_URL: url },
      { clock: systemClock, random: () => 0.5, logger: capture(logs) },
    );
    expect(started.ok).toBe(false);
    const text = started.ok ? '' : started.message;
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain(message);
    expect(text + logs.join('\n')).not.toContain('secret');
  });

  it('--init-store on the command line starts a deleted database empty, like STORE_INIT=1', async () => {
    const file = await tempDb();
    await (await start(file)).disconnect();
    await rm(file);
    const env = { DISCORD_TOKEN: 'not-used', DISCORD_API_URL: 'http://127.0.0.1:1/api', DECKS_DIR: join(root, 'decks'), DATABASE_URL: `sqlite://${file}` };
    const deps = { clock: systemClock, random: () => 0.5, logger: capture([]) };
    const refused = await startFromEnv(env, deps);
    expect(refused.ok ? '' : refused.message).toContain('is missing');
    // Past the store, the start stops at Discord (nothing listens there): the store was opened.
    const started = await startFromEnv(env, { ...deps, args: ['--init-store'] });
    expect(started.ok ? '' : started.message).toContain('Discord cannot be reached');
    expect(await exists(file)).toBe(true);
  });
});
