/**
 * The storage contract against every backend the bot supports, with real
 * servers: PostgreSQL and Redis on 127.0.0.1 (started on every machine of the
 * project and in CI; see .ci/run). Each run uses its own Redis key prefix and
 * its own PostgreSQL table, and removes them afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import pg from 'pg';
import { openKeyv } from '../../src/storage/keyv.ts';
import { Store } from '../../src/storage/store.ts';
import { describeStoreContract, type StoreFactory } from './contract.ts';
import { POSTGRES_URL, REDIS_URL } from './servers.ts';


const runId = `${process.pid}_${Date.now().toString(36)}`;

function memoryFactory(): StoreFactory {
  let keyv: Keyv | undefined;
  return {
    persistent: false,
    async open() {
      keyv ??= await openKeyv('memory://');
      return new Store(keyv);
    },
    async cleanup() {},
  };
}

function sqliteFactory(): StoreFactory {
  let dir: string | undefined;
  return {
    persistent: true,
    async open() {
      dir ??= await mkdtemp(join(tmpdir(), 'studybot-contract-'));
      return new Store(await openKeyv(`sqlite://${join(dir, 'contract.sqlite')}`));
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function redisFactory(): StoreFactory {
  const namespace = `studybot-test-${runId}`;
  return {
    persistent: true,
    async open() {
      return new Store(await openKeyv(REDIS_URL, { namespace }));
    },
    async cleanup() {
      const keyv = await openKeyv(REDIS_URL, { namespace });
      await keyv.clear();
      await keyv.disconnect();
    },
  };
}

function postgresFactory(): StoreFactory {
  const table = `studybot_test_${runId}`;
  return {
    persistent: true,
    async open() {
      return new Store(await openKeyv(POSTGRES_URL, { table }));
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    },
  };
}

describeStoreContract('memory://', memoryFactory());
describeStoreContract('SQLite', sqliteFactory());
describeStoreContract('Redis', redisFactory());
describeStoreContract('PostgreSQL', postgresFactory());
