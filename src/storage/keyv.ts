/**
 * Builds the Keyv store from DATABASE_URL, the one place that knows about
 * storage adapters. `sqlite://path` (the default) uses @keyv/sqlite and creates
 * the folder; `memory://` keeps everything in memory (for trying things out).
 * Other schemes go through the matching official Keyv adapter when it is
 * installed (e.g. `npm install @keyv/redis` for redis://), for a shared store.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

const ADAPTERS: Record<string, string> = {
  'redis:': '@keyv/redis',
  'rediss:': '@keyv/redis',
  'postgres:': '@keyv/postgres',
  'postgresql:': '@keyv/postgres',
  'mysql:': '@keyv/mysql',
  'mongodb:': '@keyv/mongo',
};

export class StorageConfigError extends Error {}

/**
 * Every stored value is plain JSON data, so plain JSON (much faster on large
 * records than Keyv's general-purpose serializer) is all it takes.
 */
const JSON_VALUES = {
  namespace: 'studybot',
  serialize: (data: unknown) => JSON.stringify(data),
  deserialize: (text: string) => JSON.parse(text),
} as const;

export async function openKeyv(databaseUrl: string): Promise<Keyv> {
  if (databaseUrl === 'memory://') return new Keyv({ namespace: 'studybot' });
  const match = /^sqlite:\/\/(.+)$/.exec(databaseUrl);
  if (match) {
    const file = match[1] as string;
    if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
    // Write-ahead logging: each write no longer waits for a full sync of the file.
    if (file !== ':memory:') await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
    return new Keyv({ store: adapter, ...JSON_VALUES });
  }
  const scheme = /^([a-z0-9+.-]+:)/i.exec(databaseUrl)?.[1]?.toLowerCase();
  const adapterName = scheme ? ADAPTERS[scheme] : undefined;
  if (!adapterName) {
    throw new StorageConfigError(`DATABASE_URL "${redact(databaseUrl)}" is not supported: use sqlite://path/to/file.sqlite, memory://, or a redis/postgres/mysql/mongodb URL with its @keyv adapter installed.`);
  }
  let mod: { default: new (url: string) => KeyvStoreAdapter };
  try {
    mod = (await import(adapterName)) as typeof mod;
  } catch {
    throw new StorageConfigError(`DATABASE_URL uses ${scheme}: install its adapter first with "npm install ${adapterName}".`);
  }
  return new Keyv({ store: new mod.default(databaseUrl), ...JSON_VALUES });
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
