// The fake Discord: REST API (v10) over node:http and a gateway over ws, sharing one loopback port.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIMessage, APIOverwrite, APIUser } from 'discord.js';
import { guildObject, makeUser, materializeGuild, permissionBits, snowflake, type GuildFixture, type PermissionName } from './fixtures.ts';
import { FakeGateway } from './gateway.ts';
import {
  buildAutocomplete,
  buildComponent,
  buildModalSubmit,
  buildSlashCommand,
  buildUserMessage,
  InteractionHandle,
  type AutocompleteInit,
  type ComponentInit,
  type ModalSubmitInit,
  type SlashCommandInit,
  type UserMessageInit,
} from './interactions.ts';
import { parseMultipart, type UploadedFile } from './multipart.ts';
import { fallback, ROUTES, type RouteResult } from './routes.ts';
import { checkRules, checkUploads } from './rules.ts';
import { matchOperation, multipartFileFields, validateBody, warmUpSpec } from './spec.ts';
import { Store, type StoredCommand } from './store.ts';

/** Every gateway intent bit, and the privileged ones: Guild Members, Guild Presences, Message Content. */
const ALL_INTENTS = (1 << 26) - 1;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export interface FakeDiscordOptions {
  guilds?: GuildFixture[];
  botUser?: APIUser;
  applicationId?: string;
  /** Require `allowed_mentions` with `parse: []` on every message the bot sends (default true). */
  requireNoPings?: boolean;
  /** A token that is refused: 401 on REST, close 4004 on the gateway. */
  rejectToken?: string;
  /** false: the application's privileged intents are off in the developer portal (default true). */
  privilegedIntents?: boolean;
  /** The shard count GET /gateway/bot recommends (default 1). */
  recommendedShards?: number;
  /**
   * How long an idle HTTP connection is kept (default 1,000 ms). undici, under discord.js's
   * REST, takes a hint this short as "close after each answer": a new connection per request.
   * Discord keeps connections far longer; benchmarks set more.
   */
  keepAliveMs?: number;
}

export interface RecordedRequest {
  /** Position in `fake.requests`. */
  index: number;
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** The spec path template, if the route is known. */
  route?: string;
  params: Record<string, string>;
  /** Parsed JSON body, or `payload_json` of a multipart body. */
  body: unknown;
  files: UploadedFile[];
  headers: Record<string, string | string[] | undefined>;
  /** Status the fake answered with, and its body. */
  status: number;
  response: unknown;
  /** Violations found in this request (also listed in `fake.violations`). */
  violations: string[];
  at: number;
  /** When the request reached the fake (performance.now(), for latency measurements). */
  receivedAt: number;
}

export interface Violation {
  kind: 'route' | 'schema' | 'rule' | 'json' | 'internal';
  method: string;
  path: string;
  messages: string[];
  body: unknown;
}

export interface WaitOptions {
  /** Only requests at or after this index (from `fake.cursor()`). Default 0: all recorded requests. */
  after?: number;
  timeout?: number;
}

type Predicate = (r: RecordedRequest) => boolean;

/**
 * A fault the fake answers with, for the requests it matches (see `fake.fault`).
 * - `status` (5xx): answered instead of the route (`effect: 'before'`, the default),
 *   or after the route took effect (`effect: 'after'`: a message was created, the answer is lost).
 * - `retryAfter` (seconds): a 429, for the route or, with `global`, for every route.
 * - `delayMs`: the answer comes that much later (after the effect).
 * - `run`: called at the request, before it is answered (e.g. to SIGKILL the bot there).
 */
export interface FaultAction {
  status?: number;
  effect?: 'before' | 'after';
  retryAfter?: number;
  global?: boolean;
  delayMs?: number;
  run?: (request: RecordedRequest) => unknown;
}

export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
  /** Only requests for which this holds (the body is parsed). */
  where?: Predicate;
  /** Skip this many matching requests first (default 0). */
  skip?: number;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

export interface FaultHandle {
  /** Matching requests the fault answered so far. */
  readonly hits: RecordedRequest[];
  /** Stops the fault. */
  remove(): void;
}

interface ActiveFault {
  match: FaultMatch;
  action: FaultAction;
  seen: number;
  hits: RecordedRequest[];
}

const DEFAULT_TOKEN = 'ZmFrZS1ib3Q.fake.token';

/** A file a user attaches to a command's attachment option. */
export interface AttachmentInit {
  filename: string;
  bytes: Uint8Array | string;
  /** Default: from the extension (text/markdown, text/plain, text/csv, application/zip…). */
  contentType?: string;
}

/** An attached file as Discord describes it in `resolved.attachments`, and its bytes (served at `url`). */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  bytes: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  apkg: 'application/zip',
};

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  readonly botUser: APIUser;
  readonly applicationId: string;
  /** A token to log in with (any token is accepted unless refused). */
  readonly token = DEFAULT_TOKEN;
  rejectToken: string | undefined;
  /** Whether the application has its privileged intents (Message Content, Members, Presence) enabled. */
  privilegedIntents: boolean;
  requireNoPings: boolean;
  /** The shard count GET /gateway/bot recommends. */
  readonly recommendedShards: number;
  readonly store: Store;
  /** Files users attached, by id; their bytes are served on loopback at their `url`, as Discord's CDN serves them. */
  readonly attachments = new Map<string, FakeAttachment>();
  /** The attachment ids downloaded so far, in order (one entry per download). */
  readonly downloads: string[] = [];
  private readonly server: Server;
  private readonly gateway: FakeGateway;
  private faults: ActiveFault[] = [];
  /** Requests (method and path) answered with an error after their effect: their retry is no mistake of the bot. */
  private readonly retriable = new Set<string>();
  /** Set while handling a request that a fault hit. */
  private pendingFault = new WeakMap<RecordedRequest, ActiveFault>();
  private waiters: Array<{ predicate: Predicate; after: number; resolve: (r: RecordedRequest) => void }> = [];
  private port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.botUser = options.botUser ?? makeUser({ username: 'studybot', global_name: 'Study Bot', bot: true });
    this.applicationId = options.applicationId ?? this.botUser.id;
    this.rejectToken = options.rejectToken;
    this.privilegedIntents = options.privilegedIntents ?? true;
    this.requireNoPings = options.requireNoPings ?? true;
    this.recommendedShards = options.recommendedShards ?? 1;
    this.store = new Store(this.botUser, this.applicationId);
    for (const fixture of options.guilds ?? []) this.store.guilds.set(fixture.id, materializeGuild(fixture, this.botUser));
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = options.keepAliveMs ?? 1000;
    this.gateway = new FakeGateway(
      this.server,
      {
        checkToken: (token) => token !== this.rejectToken,
        allowedIntents: () => (this.privilegedIntents ? ALL_INTENTS : ALL_INTENTS & ~PRIVILEGED_INTENTS),
        readyData: () => this.readyData(),
        guildMembers: (guildId, query, userIds) => this.guildMembers(guildId, query, userIds),
      },
      () => this.gatewayUrl,
    );
  }

  async listen(): Promise<void> {
    warmUpSpec();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** For the client option `rest: { api: fake.restUrl }`. */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  // -------------------------------------------------------------------------------------------
  // Guilds, gateway

  /**
   * Changes what the bot may do in a channel while running, as a moderator
   * editing the channel would: the REST side enforces it at once and the bot
   * is sent CHANNEL_UPDATE.
   */
  setBotChannelPermissions(channelId: string, change: { allow?: PermissionName[]; deny?: PermissionName[] }): void {
    const found = this.store.channel(channelId);
    if (!found) throw new Error(`unknown channel ${channelId}`);
    const overwrites = ((found.channel['permission_overwrites'] ?? []) as APIOverwrite[]).filter((o) => o.id !== this.botUser.id);
    if (change.allow?.length || change.deny?.length) {
      overwrites.push({ id: this.botUser.id, type: 1, allow: permissionBits(change.allow ?? []).toString(), deny: permissionBits(change.deny ?? []).toString() } as APIOverwrite);
    }
    found.channel['permission_overwrites'] = overwrites;
    if (this.gateway.connected) this.dispatch('CHANNEL_UPDATE', found.channel);
  }

  /** Whether a gateway session is open and identified. */
  get connected(): boolean {
    return this.gateway.connected;
  }

  /** Number of IDENTIFYs so far (a restarted bot identifies again). */
  get identifyCount(): number {
    return this.gateway.identifyCount;
  }

  /** The IDENTIFY payload of the current session (intents, properties...). */
  get identifyPayload(): Record<string, unknown> | undefined {
    return this.gateway.sessions.at(-1)?.identify;
  }

  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  private readyData(): { ready: Record<string, unknown>; guilds: Record<string, unknown>[] } {
    const guilds = [...this.store.guilds.values()];
    return {
      ready: {
        v: 10,
        user: { ...this.botUser, verified: true, mfa_enabled: false, email: null },
        guilds: guilds.map((g) => ({ id: g.fixture.id, unavailable: true })),
        private_channels: [],
        relationships: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
        shard: [0, 1],
        application: { id: this.applicationId, flags: 0 },
      },
      guilds: guilds.map((g) => guildObject(g, this.botUser, true)),
    };
  }

  private guildMembers(guildId: string, query: string | undefined, userIds: string[] | undefined): unknown[] {
    const guild = this.store.guilds.get(guildId);
    if (!guild) return [];
    return [...guild.members.values()].filter((m) => {
      if (userIds) return userIds.includes(m.user?.id ?? '');
      if (query) return m.user?.username.toLowerCase().startsWith(query.toLowerCase()) ?? false;
      return true;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Interactions and messages from users

  /** A file to attach: pass the result as an attachment option's value (`options: { file: fake.attachment(...) }`). */
  attachment(init: AttachmentInit): { id: string } {
    const id = snowflake();
    const bytes = typeof init.bytes === 'string' ? Buffer.from(init.bytes, 'utf8') : Buffer.from(init.bytes);
    const ext = init.filename.split('.').pop()?.toLowerCase() ?? '';
    const path = `/ephemeral-attachments/${this.applicationId}/${id}/${encodeURIComponent(init.filename)}`;
    const query = `?ex=${Math.floor(Date.now() / 1000 + 86_400).toString(16)}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${id}`;
    this.attachments.set(id, {
      id,
      filename: init.filename,
      size: bytes.length,
      url: `http://127.0.0.1:${this.port}${path}${query}`,
      proxy_url: `http://127.0.0.1:${this.port}/media${path}${query}`,
      content_type: init.contentType ?? CONTENT_TYPES[ext] ?? 'application/octet-stream',
      bytes,
    });
    return { id };
  }

  async slashCommand(init: SlashCommandInit): Promise<InteractionHandle> {
    return this.sendInteraction(buildSlashCommand(this, init));
  }

  async autocomplete(init: AutocompleteInit): Promise<InteractionHandle> {
    return this.sendInteraction(buildAutocomplete(this, init));
  }

  async button(init: Omit<ComponentInit, 'componentType' | 'values'>): Promise<InteractionHandle> {
    return this.sendInteraction(buildComponent(this, { ...init, componentType: 2 }));
  }

  /** A select menu choice (string select by default: componentType 3). */
  async select(init: ComponentInit & { values: string[] }): Promise<InteractionHandle> {
    return this.sendInteraction(buildComponent(this, { componentType: 3, ...init }));
  }

  async modalSubmit(init: ModalSubmitInit): Promise<InteractionHandle> {
    return this.sendInteraction(buildModalSubmit(this, init));
  }

  private sendInteraction(handle: InteractionHandle): InteractionHandle {
    this.dispatch('INTERACTION_CREATE', handle.payload);
    return handle;
  }

  /** A user posts a message: stored and dispatched as MESSAGE_CREATE. */
  message(init: UserMessageInit): APIMessage {
    const { message, dispatch } = buildUserMessage(this, init);
    this.store.channelMessages(message.channel_id).push(message);
    this.dispatch('MESSAGE_CREATE', dispatch);
    return message;
  }

  /** Messages in a channel, oldest first, in their latest state. Only the bot's unless `includeUsers`. */
  channelMessages(channelId: string, options: { includeUsers?: boolean } = {}): APIMessage[] {
    const all = this.store.messages.get(channelId) ?? [];
    return options.includeUsers ? [...all] : all.filter((m) => m.author.id === this.botUser.id);
  }

  /** A stored message by id, in its latest state. */
  getMessage(messageId: string): APIMessage | undefined {
    return this.store.findMessage(messageId);
  }

  /** Registered commands: global, or of one guild. */
  commands(guildId?: string): StoredCommand[] {
    return guildId ? (this.store.guildCommands.get(guildId) ?? []) : this.store.globalCommands;
  }

  /** The bulk-overwrite (PUT) calls for commands, global and per guild. */
  get commandOverwrites(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' && /\/commands$/.test(r.path));
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  /** The index the next request will get; pass as `after` to wait only for later requests. */
  cursor(): number {
    return this.requests.length;
  }

  /** Requests by method (e.g. 'POST') and path (exact string, or a RegExp). */
  calls(method?: string, path?: string | RegExp, after = 0): RecordedRequest[] {
    return this.requests.slice(after).filter(
      (r) =>
        (!method || r.method === method.toUpperCase()) &&
        (path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))),
    );
  }

  waitForRequest(predicate: Predicate, options: WaitOptions = {}): Promise<RecordedRequest> {
    const after = options.after ?? 0;
    const found = this.requests.slice(after).find(predicate);
    if (found) return Promise.resolve(found);
    const timeout = options.timeout ?? 5000;
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        after,
        resolve: (r: RecordedRequest) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.requests.slice(after).map((r) => `  ${r.method} ${r.path} -> ${r.status}`);
        reject(new Error(`no matching request within ${timeout} ms; requests since #${after}:\n${seen.join('\n') || '  (none)'}`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }

  /**
   * Answers matching requests with a fault (5xx before or after the effect, 429,
   * a slow answer, or a callback at that request). See `FaultAction`.
   */
  fault(match: FaultMatch, action: FaultAction): FaultHandle {
    const active: ActiveFault = { match, action, seen: 0, hits: [] };
    this.faults.push(active);
    return {
      hits: active.hits,
      remove: () => {
        this.faults = this.faults.filter((f) => f !== active);
      },
    };
  }

  /** Closes the bot's gateway connection with a close code, as Discord does on its errors. */
  closeGateway(code: number, reason = ''): void {
    this.gateway.closeSessions(code, reason);
  }

  /** Sends RECONNECT (op 7): the bot must reconnect (and resume). */
  requestReconnect(): void {
    this.gateway.sendOp(7, null);
  }

  /** Sends INVALID_SESSION (op 9): the bot identifies again (or resumes when `resumable`). */
  invalidateSession(resumable = false): void {
    this.gateway.sendOp(9, resumable);
  }

  /** Throws if any request broke the spec or the product's rules. */
  assertClean(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `- [${v.kind}] ${v.method} ${v.path}\n    ${v.messages.join('\n    ')}`);
    throw new Error(`${this.violations.length} invalid request(s) to Discord:\n${lines.join('\n')}`);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/ephemeral-attachments/')) {
      this.serveAttachment(url, method, res);
      return;
    }
    const prefix = '/api/v10';
    const rawPath = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const path = rawPath
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const record: RecordedRequest = {
      index: -1,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      params: {},
      body: undefined,
      files: [],
      headers: req.headers,
      status: 0,
      response: undefined,
      violations: [],
      at: Date.now(),
      receivedAt,
    };
    let result: RouteResult;
    try {
      result = url.pathname.startsWith(prefix) ? this.handle(record, raw, req, url.searchParams) : this.unknownRoute(record);
    } catch (error) {
      this.violation(record, 'internal', [`fake Discord failed: ${(error as Error).stack ?? String(error)}`]);
      result = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    }
    const fault = this.pendingFault.get(record);
    if (fault?.action.run) await fault.action.run(record);
    if (fault?.action.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.action.delayMs));
    record.status = result.status;
    record.response = result.body;
    record.index = this.requests.length;
    this.requests.push(record);
    for (const waiter of [...this.waiters]) {
      if (record.index >= waiter.after && waiter.predicate(record)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(record);
      }
    }
    const payload = result.body === undefined ? '' : JSON.stringify(result.body);
    const limited = result.status === 429 ? (result.body as { retry_after: number; global: boolean }) : undefined;
    res.writeHead(result.status, {
      ...(payload ? { 'content-type': 'application/json' } : {}),
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': limited ? '0' : '49',
      'x-ratelimit-reset-after': limited ? String(limited.retry_after) : '0.001',
      ...(limited
        ? {
            'retry-after': String(Math.ceil(limited.retry_after)),
            'x-ratelimit-scope': limited.global ? 'global' : 'user',
            ...(limited.global ? { 'x-ratelimit-global': 'true' } : {}),
          }
        : {}),
    });
    res.end(payload);
  }

  /** The CDN: an attachment's bytes at its url (not an API request, so not recorded among `requests`). */
  private serveAttachment(url: URL, method: string, res: ServerResponse): void {
    const id = url.pathname.split('/')[3] ?? '';
    const attachment = this.attachments.get(id);
    if (!attachment || (method !== 'GET' && method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    if (method === 'GET') this.downloads.push(id);
    res.writeHead(200, { 'content-type': attachment.content_type, 'content-length': String(attachment.size) });
    res.end(method === 'GET' ? attachment.bytes : undefined);
  }

  private handle(record: RecordedRequest, raw: Buffer, req: IncomingMessage, query: URLSearchParams): RouteResult {
    const op = matchOperation(record.method, record.path);
    if (!op) return this.unknownRoute(record);
    record.route = op.template;
    record.params = op.params;

    const auth = req.headers['authorization'];
    const isTokenRoute = op.template.startsWith('/interactions/') || op.template.startsWith('/webhooks/{webhook_id}/{webhook_token}');
    if (!isTokenRoute && (auth === undefined || (this.rejectToken !== undefined && auth === `Bot ${this.rejectToken}`))) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }

    const contentType = req.headers['content-type'] ?? '';
    const multipart = contentType.startsWith('multipart/form-data');
    if (raw.length > 0) {
      try {
        if (contentType.startsWith('multipart/form-data')) {
          const form = parseMultipart(raw, contentType);
          record.files = form.files;
          const json = form.fields['payload_json'];
          const unknownFields = Object.keys(form.fields).filter((f) => f !== 'payload_json');
          if (unknownFields.length > 0) this.violation(record, 'schema', [`multipart fields other than payload_json and files: ${unknownFields.join(', ')}`]);
          record.body = json === undefined ? {} : JSON.parse(json);
        } else {
          record.body = JSON.parse(raw.toString('utf8'));
        }
      } catch (error) {
        this.violation(record, 'json', [`body is not valid JSON: ${(error as Error).message}`]);
        return { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } };
      }
    }

    if (op.hasBody) {
      if (record.body === undefined) {
        if (op.bodyRequired) {
          this.violation(record, 'schema', ['request body is required']);
          return invalidForm(['request body is required']);
        }
      } else {
        const schemaErrors = validateBody(op, record.body);
        const ruleErrors = [
          ...checkRules(op, record.body, { requireNoPings: this.requireNoPings }),
          ...checkUploads(op, record.body, record.files, multipartFileFields(op), multipart),
        ];
        if (schemaErrors.length > 0) this.violation(record, 'schema', schemaErrors);
        if (ruleErrors.length > 0) this.violation(record, 'rule', ruleErrors);
        if (schemaErrors.length + ruleErrors.length > 0) return invalidForm([...schemaErrors, ...ruleErrors]);
      }
    }

    const fault = this.takeFault(record);
    if (fault) {
      this.pendingFault.set(record, fault);
      const { status, effect, retryAfter, global } = fault.action;
      if (retryAfter !== undefined) {
        return { status: 429, body: { message: 'You are being rate limited.', retry_after: retryAfter, global: global ?? false, ...(global ? {} : { code: 0 }) } };
      }
      if (status !== undefined && effect !== 'after') return faultAnswer(status);
    }
    const handler = ROUTES[`${op.method} ${op.template}`];
    const routed = handler
      ? handler({
          method: op.method,
          template: op.template,
          params: op.params,
          query,
          body: record.body,
          files: record.files,
          store: this.store,
          gatewayUrl: this.gatewayUrl,
          recommendedShards: this.recommendedShards,
        })
      : fallback(op.method);
    const key = `${record.method} ${record.path}`;
    if (routed.violation && !this.retriable.delete(key)) this.violation(record, 'rule', [routed.violation]);
    if (fault?.action.status !== undefined) this.retriable.add(key);
    return fault?.action.status !== undefined ? faultAnswer(fault.action.status) : routed;
  }

  /** The fault that hits this request, if any (counting it). */
  private takeFault(record: RecordedRequest): ActiveFault | undefined {
    for (const fault of this.faults) {
      const { method, path, where, skip = 0, times = 1 } = fault.match;
      if (method && method.toUpperCase() !== record.method) continue;
      if (path !== undefined && (typeof path === 'string' ? path !== record.path : !path.test(record.path))) continue;
      if (where && !where(record)) continue;
      fault.seen += 1;
      if (fault.seen <= skip || fault.hits.length >= times) continue;
      fault.hits.push(record);
      return fault;
    }
    return undefined;
  }

  private unknownRoute(record: RecordedRequest): RouteResult {
    this.violation(record, 'route', [`no operation ${record.method} ${record.path} in Discord's API`]);
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private violation(record: RecordedRequest, kind: Violation['kind'], messages: string[]): void {
    record.violations.push(...messages);
    this.violations.push({ kind, method: record.method, path: record.path, messages, body: record.body });
  }
}

function faultAnswer(status: number): RouteResult {
  return { status, body: { message: `${status}: injected fault`, code: 0 } };
}

function invalidForm(messages: string[]): RouteResult {
  return {
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { _errors: messages.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) },
    },
  };
}

/** Starts a fake Discord on 127.0.0.1 (random port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
