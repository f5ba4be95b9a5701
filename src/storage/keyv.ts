/**
 * Builds the Keyv store from DATABASE_URL, the one place that knows about
 * storage adapters:
 * - `sqlite://path` (the default): @keyv/sqlite, one file on this machine;
 * - `memory://`: in memory only (for trying things out and tests);
 * - `redis://` / `rediss://`: @keyv/redis, a store shared by several processes;
 * - `postgres://` / `postgresql://`: @keyv/postgres, likewise.
 *
 * Opening is bounded: a server that does not answer a real round trip within
 * `connectTimeoutMs` is a StoreUnreachableError naming host and port (never the
 * password), not a hang and not a store that silently does nothing. Every
 * store throws on failed operations (Keyv's default is to swallow them: a read
 * error would look like a missing value and a failed write like a success).
 */
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import Keyv, { type StoredData } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { Logger } from '../clock.ts';

export class StorageConfigError extends Error {}

/** The store's server could not be reached, or did not answer, at start-up. */
export class StoreUnreachableError extends Error {}

export interface OpenOptions {
  /** Key namespace (the Redis key prefix is `<namespace>::`). Default `studybot`. */
  readonly namespace?: string;
  /** Table of the SQL stores (SQLite, PostgreSQL). Default `keyv`. */
  readonly table?: string;
  /** Bound on connecting and on the first round trip to a server, in ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** Where connection losses and recoveries while running are logged. */
  readonly logger?: Logger;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

const ADAPTERS: Record<string, string> = {
  redis: '@keyv/redis',
  rediss: '@keyv/redis',
  postgres: '@keyv/postgres',
  postgresql: '@keyv/postgres',
  mysql: '@keyv/mysql',
  mongodb: '@keyv/mongo',
};

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Every stored value is plain JSON data, so plain JSON (much faster on large
 * records than Keyv's general-purpose serializer) is all it takes. The memory
 * store uses it too, so values round-trip as JSON in every store.
 */
function keyvOptions(namespace: string) {
  return {
    namespace,
    throwOnErrors: true,
    serialize: (data: unknown) => JSON.stringify(data),
    deserialize: (text: string) => JSON.parse(text),
  } as const;
}

/** `sqlite://path` → the file path; undefined for other URLs. */
export function sqliteFile(databaseUrl: string): string | undefined {
  return /^sqlite:\/\/(.+)$/.exec(databaseUrl)?.[1];
}

export async function openKeyv(databaseUrl: string, options: OpenOptions = {}): Promise<Keyv> {
  const namespace = options.namespace ?? 'studybot';
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const logger = options.logger ?? quietLogger;
  const keyv = await openAdapter(databaseUrl, namespace, timeoutMs, logger, options.table);
  // Failed operations reach their caller (throwOnErrors); the event is only a copy.
  keyv.on('error', () => {});
  return keyv;
}

async function openAdapter(databaseUrl: string, namespace: string, timeoutMs: number, logger: Logger, table: string | undefined): Promise<Keyv> {
  if (databaseUrl === 'memory://') return new Keyv({ ...keyvOptions(namespace) });
  const file = sqliteFile(databaseUrl);
  if (file !== undefined) return openSqlite(file, namespace, table);
  const scheme = /^([a-z0-9+.-]+):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  const adapterName = scheme ? ADAPTERS[scheme] : undefined;
  if (!scheme || !adapterName) {
    throw new StorageConfigError(`DATABASE_URL "${redact(databaseUrl)}" is not supported: use sqlite://path/to/file.sqlite, memory://, redis://host:port or postgres://user@host:port/database.`);
  }
  if (scheme.startsWith('redis')) return openRedis(databaseUrl, namespace, timeoutMs, logger);
  if (scheme.startsWith('postgres')) return openPostgres(databaseUrl, namespace, timeoutMs, logger, table);
  let mod: { default: new (url: string) => import('keyv').KeyvStoreAdapter };
  try {
    mod = (await import(adapterName)) as typeof mod;
  } catch {
    throw new StorageConfigError(`DATABASE_URL uses ${scheme}://, whose adapter is not installed: run "npm install ${adapterName}".`);
  }
  return new Keyv({ store: new mod.default(databaseUrl), ...keyvOptions(namespace) });
}

// --- SQLite -----------------------------------------------------------------

async function openSqlite(file: string, namespace: string, table: string | undefined): Promise<Keyv> {
  if (file !== ':memory:') await prepareFolder(file);
  const adapter = new SqliteStore({ uri: `sqlite://${file}`, busyTimeout: 10_000, ...(table ? { table } : {}) });
  // It emits its opening error before anyone listens (which would end the process);
  // the same error rejects the queries below, where the caller gets it.
  adapter.on('error', () => {});
  // Write-ahead logging: each write no longer waits for a full sync of the file.
  // On a read-only file this fails; the start-up check then says why.
  if (file !== ':memory:') await adapter.query('PRAGMA journal_mode=WAL').catch(() => undefined);
  await adapter.query('PRAGMA synchronous=NORMAL');
  return new Keyv({ store: adapter, ...keyvOptions(namespace) });
}

/** Rows per statement of `setMany` (two parameters each, well under SQLite's limit). */
const SQLITE_ROWS_PER_STATEMENT = 400;

/**
 * @keyv/sqlite with `setMany` as one statement per 400 rows (one transaction,
 * one round trip), where the adapter alone would make Keyv write row by row,
 * each row its own transaction; and `getMany` matching rows to keys through a
 * map, where the adapter searches every row for each key (half a million
 * comparisons for a thousand keys).
 */
class SqliteStore extends KeyvSqlite {
  override async getMany<Value>(keys: string[]): Promise<StoredData<Value | undefined>[]> {
    const rows = (await this.query(`SELECT key, value FROM ${this.opts.table} WHERE key IN (SELECT value FROM json_each(?))`, JSON.stringify(keys))) as { key: string; value: StoredData<Value> }[];
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => byKey.get(key));
  }

  async setMany(entries: { key: string; value: unknown }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += SQLITE_ROWS_PER_STATEMENT) {
      const rows = entries.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
      const upsert = `INSERT INTO ${this.opts.table} (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value=excluded.value`;
      await this.query(upsert, ...rows.flatMap(({ key, value }) => [key, value]));
    }
  }
}

/** Virtual file systems: nothing can be stored there, and a recursive mkdir under /proc never returns. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Creates the database's folder one level at a time from its nearest existing
 * parent, so every failure is one clear message (Node's recursive mkdir loops
 * forever under /proc, and reports a read-only file system as ENOENT).
 */
async function prepareFolder(file: string): Promise<void> {
  const folder = dirname(resolve(file));
  const root = VIRTUAL_ROOTS.find((r) => folder === r || folder.startsWith(r + sep));
  if (root) throw new StorageConfigError(`DATABASE_URL points into ${root} (${folder}), a virtual file system that cannot hold a database. Use a folder on a disk, e.g. sqlite://data/studybot.sqlite.`);
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new StorageConfigError(describeFsError(error, `look at the folder ${current}`));
    });
    if (info) {
      if (!info.isDirectory()) throw new StorageConfigError(`Cannot create the database folder ${folder}: ${current} is a file, not a folder.`);
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing) {
    try {
      await mkdir(dir);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') continue;
      throw new StorageConfigError(describeFsError(e, `create the database folder ${dir}`));
    }
  }
}

/** A file-system error as a sentence: read-only, permission, full, or what the system said. */
export function describeFsError(error: NodeJS.ErrnoException, action: string): string {
  switch (error.code) {
    case 'EROFS':
      return `Cannot ${action}: the file system is read-only. Use a writable folder or remount it read-write.`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot ${action}: permission denied. Let the bot's user write there, or choose another folder.`;
    case 'ENOSPC':
      return `Cannot ${action}: the disk is full.`;
    case 'ENOENT':
      return `Cannot ${action}: the system refuses to create it there (ENOENT; is it a virtual or special file system?).`;
    default:
      return `Cannot ${action}: ${error.message}`;
  }
}

/** Whether the folder of `file` can be written, as a reason when it cannot. */
export async function folderNotWritable(file: string): Promise<string | undefined> {
  const folder = dirname(resolve(file));
  try {
    await access(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    return describeFsError(error as NodeJS.ErrnoException, `write in ${folder}`);
  }
}

// --- Servers (Redis, PostgreSQL) ---------------------------------------------

/** `host:port` of a server URL, for messages (never the user or password). */
export function endpoint(url: string, defaultPort: number): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || defaultPort}`;
  } catch {
    return redact(url);
  }
}

/** `promise`, or an error naming `what` when it takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s (${what})`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: unknown[] } | undefined;
  // Node reports a refused dual-stack connection as an AggregateError with an empty message.
  if (e?.errors?.length && !e.message) return reason(e.errors[0]);
  return e?.message || e?.code || String(error);
}

/**
 * Tells once that the connection was lost and once that it is back, instead of
 * one line per failed attempt; silent until `connected()` (start-up failures
 * are reported by the start-up check).
 */
function connectionLog(logger: Logger, what: string) {
  let down = false;
  let connected = false;
  return {
    connected() {
      connected = true;
    },
    lost(error: unknown) {
      if (down || !connected) return;
      down = true;
      logger.error(`Lost the connection to ${what}: ${reason(error)}. Retrying; writes fail until it is back.`);
    },
    back() {
      if (!down) return;
      down = false;
      logger.info(`The connection to ${what} is back.`);
    },
  };
}

async function openRedis(url: string, namespace: string, timeoutMs: number, logger: Logger): Promise<Keyv> {
  const { default: KeyvRedis } = await import('@keyv/redis');
  const where = `Redis at ${endpoint(url, 6379)}`;
  let connectedOnce = false;
  const adapter = new KeyvRedis(
    {
      url,
      // A command sent while disconnected fails at once (and the store retries it)
      // instead of waiting in a queue: a write resolves only once the server took it.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: timeoutMs,
        // Before the first connection: give up (start-up reports it). After: retry for ever, backing off to 5 s.
        reconnectStrategy: (retries: number, cause: Error) => (connectedOnce ? Math.min(100 * 2 ** retries, 5_000) : cause),
      },
    },
    { namespace, throwOnErrors: true, throwOnConnectError: true, connectionTimeout: timeoutMs },
  );
  const client = adapter.client as unknown as {
    connect(): Promise<unknown>;
    ping(): Promise<unknown>;
    destroy(): void;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
  };
  const log = connectionLog(logger, where);
  client.on('error', (error) => log.lost(error));
  client.on('ready', () => log.back());
  try {
    await withTimeout(client.connect(), timeoutMs, 'connect');
    await withTimeout(client.ping(), timeoutMs, 'PING');
  } catch (error) {
    try {
      client.destroy();
    } catch {
      // already closed
    }
    throw new StoreUnreachableError(`Cannot reach ${where} (DATABASE_URL=${redact(url)}): ${reason(error)}. Is the server running, and is the address right?`);
  }
  connectedOnce = true;
  log.connected();
  return new Keyv({ store: adapter, ...keyvOptions(namespace) });
}

async function openPostgres(url: string, namespace: string, timeoutMs: number, logger: Logger, table: string | undefined): Promise<Keyv> {
  const [{ default: KeyvPostgres }, { default: pg }] = await Promise.all([import('@keyv/postgres'), import('pg')]);
  const where = `PostgreSQL at ${endpoint(url, 5432)}`;
  const log = connectionLog(logger, where);
  let pool: InstanceType<typeof pg.Pool> | undefined;
  /**
   * @keyv/postgres keeps one pool per module (ending one instance's ends all)
   * and none of its pool errors are handled (an idle connection dropped by the
   * server would end the process): each store gets its own, watched pool.
   */
  class OwnPool extends KeyvPostgres {
    override async connect() {
      pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: timeoutMs, max: 10 });
      pool.on('error', (error) => log.lost(error));
      const own = pool;
      return async (sql: string, values?: unknown) => {
        try {
          const result = await own.query(sql, values as unknown[]);
          log.back();
          return result.rows;
        } catch (error) {
          if (!(error as { code?: string }).code || /ECONN|ETIMEDOUT|EPIPE/.test(String((error as { code?: string }).code))) log.lost(error);
          throw error;
        }
      };
    }
    override async disconnect() {
      await pool?.end();
    }
  }
  const adapter = new OwnPool({ uri: url, ...(table ? { table } : {}) });
  adapter.on('error', () => {}); // the table creation at construction; redone below, where it is reported
  try {
    await withTimeout(adapter.query('SELECT 1'), timeoutMs, 'SELECT 1');
    await withTimeout(createTable(adapter.query, adapter.opts.schema ?? 'public', adapter.opts.table ?? 'keyv'), timeoutMs, 'create table');
  } catch (error) {
    await adapter.disconnect().catch(() => undefined);
    throw new StoreUnreachableError(`Cannot reach ${where} (DATABASE_URL=${redact(url)}): ${reason(error)}. Is the server running, and are the address and database right?`);
  }
  log.connected();
  return new Keyv({ store: adapter, ...keyvOptions(namespace) });
}

/**
 * The adapter creates its table at construction without waiting and ignores
 * failures; processes starting at once can also race on it (a unique violation
 * on the table's type). Created here again, retrying that race once.
 */
async function createTable(query: (sql: string) => Promise<unknown>, schema: string, table: string): Promise<void> {
  const sql = `CREATE TABLE IF NOT EXISTS ${schema}.${table}(key VARCHAR(255) PRIMARY KEY, value TEXT)`;
  try {
    await query(sql);
  } catch (error) {
    if (!['23505', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
    await query(sql);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
