/**
 * Opening the store at start-up, with checks, so that a store that cannot
 * work ends the start with one clear message instead of failing later:
 *
 * - the store is written and read back (a real round trip, bounded in time);
 * - a SQLite database that existed before and is now missing is reported, not
 *   silently recreated empty. The store remembers it has data: at its first
 *   start it gets an id, kept inside it (`meta:store`) and in a marker file
 *   next to it (`<db>.id`, e.g. data/studybot.sqlite.id). A missing database
 *   whose marker, `-wal` or `-shm` file is still there, or a database whose id
 *   is not the marker's (another file put in its place), stops the start;
 *   `init` (STORE_INIT=1 or --init-store) starts with an empty store instead.
 *   Without any of these files it is a first start.
 * - full disks and read-only files are named as such.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type Keyv from 'keyv';
import type { Logger } from '../clock.ts';
import { endpoint, folderNotWritable, openKeyv, redact, sqliteFile, withTimeout, type OpenOptions } from './keyv.ts';

/** The store opened, but cannot be used as it is; the message says what to do. */
export class StoreStartupError extends Error {}

export interface StartupOptions extends OpenOptions {
  /** Start with an empty store even where one had data (STORE_INIT=1, --init-store). */
  readonly init?: boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Kept in every store: its identity, written at its first start. */
export const STORE_META_KEY = 'meta:store';
/** The start-up check's probe: `meta:startup-check:<nonce>`, removed after the check (and expiring, should a start die before). */
const CHECK_KEY = 'meta:startup-check';
const CHECK_TTL_MS = 60_000;

interface StoreMeta {
  readonly id: string;
  readonly createdAt: string;
}

const INIT_HINT = 'start once with STORE_INIT=1 (or npm start -- --init-store) to begin with an empty store';

export async function openCheckedKeyv(databaseUrl: string, options: StartupOptions): Promise<Keyv> {
  const now = options.now ?? Date.now;
  const file = sqliteFile(databaseUrl);
  const local = file !== undefined && file !== ':memory:' ? file : undefined;
  let marker: StoreMeta | undefined;
  let created = false;
  if (local) {
    marker = await readMarker(local);
    created = !(await exists(local));
    if (created) await refuseMissing(local, marker, options);
    else if (marker === undefined && (await exists(`${local}.id`))) {
      throw new StoreStartupError(`${local}.id is not a store marker (unreadable JSON). Restore it, or delete it to adopt ${local} as it is.`);
    }
  }

  let keyv: Keyv;
  try {
    keyv = await openKeyv(databaseUrl, options);
  } catch (error) {
    if (local && typeof (error as { code?: unknown }).code === 'string') throw new StoreStartupError(await explainSqliteError(error, local));
    throw error;
  }
  try {
    const timeoutMs = 2 * (options.connectTimeoutMs ?? 5_000);
    await checkWritable(keyv, timeoutMs);
    const meta = await withTimeout(keyv.get(STORE_META_KEY) as Promise<StoreMeta | undefined>, timeoutMs, 'start-up check');
    if (local && marker && !options.init && meta?.id !== marker.id) {
      throw new StoreStartupError(
        `${local} is not the database this store was created with: ${local}.id names store ${marker.id} (created ${marker.createdAt}), the file ${meta ? `is store ${meta.id}` : 'has no store id'}. ` +
          `Put the right file back, or ${INIT_HINT.replace('to begin with an empty store', `to use ${local} as it is`)}.`,
      );
    }
    let current = meta;
    if (!current) {
      current = { id: randomUUID(), createdAt: new Date(now()).toISOString() };
      await withTimeout(keyv.set(STORE_META_KEY, current), timeoutMs, 'start-up check');
      if (created) options.logger.info(`Created a new, empty store at ${local}.`);
      else if (!local) options.logger.info(`Started a new store at ${describeUrl(databaseUrl)} (it had no store id yet).`);
    }
    if (local && marker?.id !== current.id) await writeMarker(local, current);
    return keyv;
  } catch (error) {
    await keyv.disconnect().catch(() => undefined);
    if (error instanceof StoreStartupError) throw error;
    throw new StoreStartupError(local ? await explainSqliteError(error, local) : `Cannot write to the store at ${describeUrl(databaseUrl)}: ${(error as Error).message}`);
  }
}

/**
 * Writes a value and reads it back. Any failure, or no answer within
 * `timeoutMs`, throws the store's own error.
 */
export async function checkWritable(keyv: Keyv, timeoutMs: number): Promise<void> {
  const probe = { nonce: randomUUID() };
  // A key of this check's own: processes sharing a store start at the same time, and one's
  // probe must not overwrite (or delete) another's between its write and its read.
  const key = `${CHECK_KEY}:${probe.nonce}`;
  const stored = await withTimeout(
    (async () => {
      if ((await keyv.set(key, probe, CHECK_TTL_MS)) === false) throw new Error('the store did not take a test write');
      return keyv.get(key);
    })(),
    timeoutMs,
    'a test write and read',
  );
  if ((stored as typeof probe | undefined)?.nonce !== probe.nonce) throw new Error('a value written at start-up did not read back the same');
  await withTimeout(keyv.delete(key), timeoutMs, 'a test delete');
}

/** Why an SQLite store cannot be used, as one message with what to do. */
export async function explainSqliteError(error: unknown, file: string): Promise<string> {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message ?? String(error);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return `The disk holding ${file} is full (SQLITE_FULL): nothing can be saved. Free some space, then start again; the stored data is kept.`;
  }
  if (code.startsWith('SQLITE_READONLY')) {
    const folder = await folderNotWritable(file);
    const leftovers = await journalFiles(file);
    const files = `the file${leftovers.length ? `, ${leftovers.join(' and ')}` : ''}`;
    return `${file} is read-only (SQLITE_READONLY): the bot must write to it. ${folder ?? `Make ${files} writable for the bot's user, or remount the file system read-write.`}`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    const folder = await folderNotWritable(file);
    return `Cannot open ${file} (SQLITE_CANTOPEN): ${folder ?? 'check that the path is a file the bot may read and write.'}`;
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return `${file} is not a usable SQLite database (${code}). Restore it from a copy, or move it away and ${INIT_HINT}.`;
  }
  return `Cannot use the database ${file}: ${message}`;
}

async function refuseMissing(file: string, marker: StoreMeta | undefined, options: StartupOptions): Promise<void> {
  const leftovers = await journalFiles(file);
  if (!marker && leftovers.length === 0) return;
  if (!options.init) {
    const evidence = marker ? `${file}.id shows that a store was created there on ${marker.createdAt}` : `${leftovers.join(' and ')} ${leftovers.length === 1 ? 'is' : 'are'} still there`;
    throw new StoreStartupError(
      `The database ${file} is missing, but ${evidence}: its data would be lost. ` +
        `Put the file back (with its -wal file, if any), or ${INIT_HINT}.`,
    );
  }
  // Journal files of a lost database must not be applied to the new one.
  const stamp = new Date(options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-');
  for (const leftover of leftovers) {
    await rename(leftover, `${leftover}.orphaned-${stamp}`);
    options.logger.warn(`Moved ${leftover} aside to ${leftover}.orphaned-${stamp}.`);
  }
  options.logger.warn(`The database ${file} was missing; starting with an empty store as asked (STORE_INIT).`);
}

async function readMarker(file: string): Promise<StoreMeta | undefined> {
  try {
    const parsed = JSON.parse(await readFile(`${file}.id`, 'utf8')) as Partial<StoreMeta>;
    return typeof parsed.id === 'string' && typeof parsed.createdAt === 'string' ? { id: parsed.id, createdAt: parsed.createdAt } : undefined;
  } catch {
    return undefined;
  }
}

async function writeMarker(file: string, meta: StoreMeta): Promise<void> {
  const text = `${JSON.stringify({ ...meta, note: 'Written by studybot at the first start of this store. Keep it next to the database: it tells a missing database from a first start.' }, null, 2)}\n`;
  await writeFile(`${file}.id.tmp`, text);
  await rename(`${file}.id.tmp`, `${file}.id`);
}

/** The `-wal` and `-shm` files of `file` that exist. */
async function journalFiles(file: string): Promise<string[]> {
  const found = await Promise.all([`${file}-wal`, `${file}-shm`].map(async (f) => ((await exists(f)) ? f : undefined)));
  return found.filter((f): f is string => f !== undefined);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function describeUrl(url: string): string {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme.startsWith('redis')) return `Redis at ${endpoint(url, 6379)}`;
  if (scheme.startsWith('postgres')) return `PostgreSQL at ${endpoint(url, 5432)}`;
  return redact(url);
}

