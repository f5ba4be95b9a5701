// The fake gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, and dispatches.
// Sharded sessions: IDENTIFY with `shard: [id, count]` gets the guilds of that shard only, by
// Discord's rule (guild_id >> 22) % count, and each guild's events go to its shard's session only.
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface GatewaySession {
  id: string;
  socket: WebSocket;
  /** The IDENTIFY payload (`d`) the client sent. */
  identify: Record<string, unknown>;
  sequence: number;
  compress: boolean;
  /** `[shard_id, num_shards]` from IDENTIFY; `[0, 1]` when the client sent none. */
  shard: readonly [number, number];
}

/** Discord's rule: the shard id that receives a guild's events. */
export function guildShard(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Whether a session holds the guild. */
function holds(session: GatewaySession, guildId: string): boolean {
  return guildShard(guildId, session.shard[1]) === session.shard[0];
}

/** The guild an event is about, if any (GUILD_* events carry it as `id`). */
function guildOfEvent(event: string, data: unknown): string | undefined {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d['guild_id'] === 'string') return d['guild_id'];
  if (/^GUILD_(CREATE|UPDATE|DELETE)$/.test(event) && typeof d['id'] === 'string') return d['id'];
  return undefined;
}

export interface GatewayHooks {
  /** Whether a token is accepted (a refused one closes the session with 4004). */
  checkToken(token: string): boolean;
  /** Intent bits the application may use; asking for others closes the session with 4014. */
  allowedIntents(): number;
  /** READY data and the guild payloads to send after it. */
  readyData(sessionId: string): { ready: Record<string, unknown>; guilds: Record<string, unknown>[] };
  /** Answers op 8 (request guild members). */
  guildMembers(guildId: string, query: string | undefined, userIds: string[] | undefined): unknown[];
}

export const HEARTBEAT_INTERVAL = 41250;

export class FakeGateway {
  readonly sessions: GatewaySession[] = [];
  /** Every session that ever identified, including closed ones. */
  identifyCount = 0;
  private readonly wss: WebSocketServer;

  constructor(
    server: Server,
    private readonly hooks: GatewayHooks,
    private readonly url: () => string,
  ) {
    this.wss = new WebSocketServer({ server, path: '/' });
    this.wss.on('connection', (socket, request) => this.onConnection(socket, request.url ?? ''));
  }

  get connected(): boolean {
    return this.sessions.some((s) => s.socket.readyState === s.socket.OPEN);
  }

  /**
   * Sends a dispatch event to every identified session, or for an event about
   * a guild, to the sessions of that guild's shard only. Throws if no session gets it.
   */
  dispatch(event: string, data: unknown): void {
    const guildId = guildOfEvent(event, data);
    const open = this.sessions.filter((s) => s.socket.readyState === s.socket.OPEN && (guildId === undefined || holds(s, guildId)));
    if (open.length === 0) throw new Error(`cannot dispatch ${event}: no gateway session${guildId ? ` of the shard of guild ${guildId}` : ''} is connected`);
    for (const session of open) this.sendDispatch(session, event, data);
  }

  /** Closes every session's socket with `code` (a Discord gateway close code). */
  closeSessions(code: number, reason: string): void {
    for (const session of this.sessions) session.socket.close(code, reason);
  }

  /** Sends a gateway opcode (7 RECONNECT, 9 INVALID_SESSION) to every open session. */
  sendOp(op: number, d: unknown): void {
    for (const session of this.sessions) this.send(session, { op, d, s: null, t: null });
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.length = 0;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(session: Pick<GatewaySession, 'socket' | 'compress'>, payload: unknown): void {
    if (session.socket.readyState !== session.socket.OPEN) return;
    const text = JSON.stringify(payload);
    session.socket.send(session.compress ? deflateSync(text) : text, { binary: session.compress });
  }

  private sendDispatch(session: GatewaySession, event: string, data: unknown): void {
    session.sequence += 1;
    this.send(session, { op: 0, t: event, s: session.sequence, d: data });
  }

  private onConnection(socket: WebSocket, requestUrl: string): void {
    const query = new URL(requestUrl, 'ws://localhost').searchParams;
    if (query.get('compress') || (query.get('encoding') ?? 'json') !== 'json') {
      // Transport compression and ETF are not supported: say so clearly.
      socket.close(4002, 'fake gateway supports encoding=json without transport compression only');
      return;
    }
    const pending = { socket, compress: false };
    this.send(pending, { op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL }, s: null, t: null });
    let session: GatewaySession | undefined;
    socket.on('message', (raw) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op?: number; d?: unknown };
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case 1:
          this.send(session ?? pending, { op: 11, d: null, s: null, t: null });
          break;
        case 2:
          session = this.identify(socket, payload.d as Record<string, unknown>);
          break;
        case 6:
          // Sessions are not resumable here: the client starts a new one.
          this.send(pending, { op: 9, d: false, s: null, t: null });
          break;
        case 8:
          if (session) this.requestMembers(session, payload.d as Record<string, unknown>);
          break;
        default:
          break; // presence and voice updates are accepted silently
      }
    });
    socket.on('close', () => {
      const i = this.sessions.findIndex((s) => s.socket === socket);
      if (i !== -1) this.sessions.splice(i, 1);
    });
    socket.on('error', () => undefined);
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): GatewaySession | undefined {
    if (!this.hooks.checkToken(String(d['token'] ?? ''))) {
      socket.close(4004, 'Authentication failed.');
      return undefined;
    }
    const intents = Number(d['intents'] ?? 0);
    if ((intents & ~this.hooks.allowedIntents()) !== 0) {
      socket.close(4014, 'Disallowed intent(s).');
      return undefined;
    }
    const shard = d['shard'] ?? [0, 1];
    if (!Array.isArray(shard) || shard.length !== 2 || !shard.every(Number.isInteger) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      socket.close(4010, 'Invalid shard.');
      return undefined;
    }
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      socket,
      identify: d,
      sequence: 0,
      compress: d['compress'] === true,
      shard: [shard[0] as number, shard[1] as number],
    };
    this.sessions.push(session);
    this.identifyCount += 1;
    const { ready, guilds } = this.hooks.readyData(session.id);
    const mine = (g: unknown) => holds(session, String((g as { id?: unknown }).id));
    const readyGuilds = Array.isArray(ready['guilds']) ? (ready['guilds'] as unknown[]).filter(mine) : ready['guilds'];
    this.sendDispatch(session, 'READY', { ...ready, guilds: readyGuilds, shard: session.shard, session_id: session.id, resume_gateway_url: this.url() });
    for (const guild of guilds.filter(mine)) this.sendDispatch(session, 'GUILD_CREATE', guild);
    return session;
  }

  private requestMembers(session: GatewaySession, d: Record<string, unknown>): void {
    const guildIds = Array.isArray(d['guild_id']) ? (d['guild_id'] as string[]) : [String(d['guild_id'])];
    const userIds = d['user_ids'] === undefined ? undefined : ([] as string[]).concat(d['user_ids'] as string[]);
    const query = typeof d['query'] === 'string' ? d['query'] : undefined;
    for (const guildId of guildIds) {
      const members = this.hooks.guildMembers(guildId, query, userIds);
      this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guildId,
        members,
        chunk_index: 0,
        chunk_count: 1,
        not_found: [],
        ...(d['nonce'] !== undefined ? { nonce: d['nonce'] } : {}),
      });
    }
  }
}
