/**
 * Losing the server while running: through a TCP proxy in front of the real
 * Redis and PostgreSQL, the connection is cut and restored. Writes made while
 * it is down reject (after the store's retries) instead of pretending; the
 * loss and the recovery are logged once each; every write that resolved is
 * there afterwards.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/clock.ts';
import { openKeyv } from '../../src/storage/keyv.ts';
import { Store, StoreWriteError, type WriteHealthChange } from '../../src/storage/store.ts';
import { POSTGRES_URL, REDIS_URL } from './servers.ts';

class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async stop(): Promise<void> {
    await this.cut().catch(() => undefined);
  }
}

function capture(lines: string[]): Logger {
  return { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
});

const runId = `${process.pid}_${Date.now().toString(36)}`;
const backends = [
  { name: 'Redis', url: REDIS_URL, label: 'Redis', options: { namespace: `studybot-outage-${runId}` }, cleanup: async () => {
    const keyv = await openKeyv(REDIS_URL, { namespace: `studybot-outage-${runId}` });
    await keyv.clear();
    await keyv.disconnect();
  } },
  { name: 'PostgreSQL', url: POSTGRES_URL, label: 'PostgreSQL', options: { table: `studybot_outage_${runId}` }, cleanup: async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS studybot_outage_${runId}`);
    await client.end();
  } },
];

describe.each(backends)('losing $name while running', ({ url, label, options, cleanup }) => {
  it('writes while it is down reject, it is logged once, writes work again when it is back, and every acknowledged write is kept', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
    proxies.push(proxy);
    await proxy.start();
    const proxied = new URL(url);
    proxied.port = String(proxy.port);
    const logs: string[] = [];
    const keyv = await openKeyv(proxied.toString(), { ...options, logger: capture(logs), connectTimeoutMs: 1_000 });
    const store = new Store(keyv, { retry: { attempts: 3, delayMs: () => 20 } });
    const changes: WriteHealthChange['state'][] = [];
    store.health.onChange((c) => changes.push(c.state));
    const acknowledged: string[] = [];
    const write = async (k: string) => {
      await store.set(k, { k });
      acknowledged.push(k);
    };
    try {
      await write('before');
      await proxy.cut();
      await expect(write('while-down-1')).rejects.toBeInstanceOf(StoreWriteError);
      await expect(write('while-down-2')).rejects.toBeInstanceOf(StoreWriteError);
      expect(store.health.state).toBe('failing');
      await eventually(async () => expect(logs.filter((l) => l.startsWith(`error Lost the connection to ${label} at 127.0.0.1:${proxy.port}`))).toHaveLength(1));

      await proxy.start();
      await eventually(() => write('after'));
      expect(store.health.state).toBe('ok');
      expect(changes).toEqual(['failing', 'ok']);
      await eventually(async () => expect(logs).toContain(`info The connection to ${label} at 127.0.0.1:${proxy.port} is back.`));
      expect(acknowledged).toEqual(['before', 'after']);
      expect(await store.getMany(acknowledged)).toEqual(acknowledged.map((k) => ({ k })));
    } finally {
      await keyv.disconnect().catch(() => undefined);
      await cleanup();
    }
  }, 40_000);
});
