/**
 * Wires the bot together: the discord.js client, storage, the live rounds and
 * daily drops, and the interaction router. Used by the entry point and by the
 * end-to-end tests (with a manual clock and the fake Discord).
 */
import { createHash } from 'node:crypto';
import { Events, OAuth2Scopes, PermissionFlagsBits, type Client } from 'discord.js';
import type Keyv from 'keyv';
import type { Clock, Logger, MinuteTimer } from '../clock.ts';
import { DailyDrops } from '../daily/drops.ts';
import { DeckLibrary } from '../deck/library.ts';
import { ImageRenderer, type Renderer } from '../images/renderer.ts';
import type { Deck } from '../deck/types.ts';
import { watchDecks, type DeckWatcher } from '../deck/watch.ts';
import { clockMinuteTimer } from '../minute-timer.ts';
import { registeredCommandsKey } from '../storage/keys.ts';
import { MemoryBook } from '../storage/memory-book.ts';
import { ScoreBook } from '../storage/scores.ts';
import { ServerDecks } from '../storage/server-decks.ts';
import { ServerOwnership, SINGLE_PROCESS, type ShardLayout } from '../storage/shards.ts';
import { Store } from '../storage/store.ts';
import { createClient, type ClientOptions } from './client.ts';
import { commandDefinitions, commands, components } from './commands/index.ts';
import type { BotContext } from './context.ts';
import { discordDropMessages } from './daily/messages.ts';
import { InteractionRouter } from './interactions.ts';
import { LiveRounds } from './live/rounds.ts';
import { ScoringNotice } from './scoring-notice.ts';

export interface BotOptions extends ClientOptions {
  readonly token: string;
  readonly keyv: Keyv;
  readonly decks: readonly Deck[];
  /**
   * The deck folder to watch: added, changed and removed files update the decks within a few
   * seconds. Its first load replaces `decks`; its problems were logged by whoever loaded `decks`.
   */
  readonly decksDir?: string;
  /** Quiet time after a file's last change before it is read again (default 300 ms). */
  readonly deckReloadMs?: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly defaultTimeZone: string;
  /** Register the commands in this server only (instant) instead of globally. */
  readonly guildId?: string;
  /** The shards this process holds (default: every shard, one process). */
  readonly shards?: ShardLayout;
  /** The once-a-minute beat of the daily drops' tick (default: a timer on `clock`; tests beat it by hand). */
  readonly minuteTimer?: MinuteTimer;
  /**
   * Draws the pictures (default: a worker process of this bot's own, started on the first picture,
   * stopped after `pictureIdleMs` without one and with the bot).
   */
  readonly images?: Renderer;
  /** How long the default picture worker is kept without a picture to draw, in ms (0: kept once started). Default PICTURE_IDLE_MS (5 minutes). */
  readonly pictureIdleMs?: number;
  /** How long `stop()` waits for work under way (writes, their announcements), in ms. Default 5 s. */
  readonly stopGraceMs?: number;
}

export const STOP_GRACE_MS = 5_000;

export interface RunningBot {
  readonly client: Client;
  readonly ctx: BotContext;
  /** Settles once the bot is ready: commands registered, interrupted rounds closed, due drops posted. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/** Permissions the bot needs in class channels. */
export const BOT_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AttachFiles,
];

export function commandsHash(definitions: unknown): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/** Bulk-overwrites the commands, unless the same definitions were registered last time. */
async function registerCommands(client: Client<true>, store: Store, logger: Logger, guildId?: string): Promise<void> {
  const definitions = commandDefinitions();
  const scope = guildId ? `guild:${guildId}` : 'global';
  const key = registeredCommandsKey(client.application.id, scope);
  const hash = commandsHash(definitions);
  if ((await store.get<string>(key)) === hash) {
    logger.info(`Slash commands unchanged (${scope}), not registered again.`);
    return;
  }
  if (guildId) await client.application.commands.set(definitions, guildId);
  else await client.application.commands.set(definitions);
  await store.set(key, hash);
  logger.info(`Registered ${definitions.length} slash commands (${guildId ? `in server ${guildId}` : 'globally; they can take up to an hour to show up: set DISCORD_GUILD_ID to a server id to see them there at once'}).`);
}

/** Keeps `library` in step with the deck files of `dir`; problems of later changes are logged as warnings. */
async function watchLibrary(library: DeckLibrary, dir: string, options: Pick<BotOptions, 'logger' | 'deckReloadMs'>): Promise<DeckWatcher | undefined> {
  let started = false;
  const watcher = await watchDecks({
    dir,
    ...(options.deckReloadMs === undefined ? {} : { debounceMs: options.deckReloadMs }),
    onDecks: (decks) => {
      library.replace(decks);
      if (started) options.logger.info(`Decks reloaded from ${dir}: ${decks.map((d) => d.name).join(', ') || 'none'}.`);
    },
    // The first load's problems were already logged when `decks` was loaded.
    log: (message) => {
      if (started) options.logger.warn(message);
    },
  }).catch((error: unknown) => {
    // A folder that cannot be watched (missing, no permission) leaves the decks as loaded.
    options.logger.warn(`${(error as Error).message}: deck files are not reloaded while the bot runs`);
    return undefined;
  });
  started = true;
  return watcher;
}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const layout = options.shards ?? SINGLE_PROCESS;
  const client = createClient({ ...options, shards: layout });
  const store = new Store(options.keyv, { owner: new ServerOwnership(layout) });
  const scores: ScoreBook = new ScoreBook(store, { timeZoneOf: (guildId): Promise<string> => daily.timeZoneOf(guildId), clock: options.clock });
  const images = options.images ?? new ImageRenderer({ clock: options.clock, ...(options.pictureIdleMs === undefined ? {} : { idleMs: options.pictureIdleMs }) });
  const memory = new MemoryBook(store);
  const base = { store, clock: options.clock, logger: options.logger };
  const notice = new ScoringNotice(store.health, options.logger);
  const rounds = new LiveRounds({ ...base, scores, notice, memory });
  const library = new DeckLibrary(options.decks);
  const watcher = options.decksDir === undefined ? undefined : await watchLibrary(library, options.decksDir, options);
  const serverDecks = new ServerDecks(store, library, options.logger);
  const daily = new DailyDrops({
    ...base,
    scores,
    memory,
    library: (guildId) => serverDecks.libraryFor(guildId),
    random: options.random,
    defaultTimeZone: options.defaultTimeZone,
    messages: discordDropMessages(client, options.logger, { store, images, logger: options.logger }),
    servers: () => client.guilds.cache.keys(),
  });
  const ctx: BotContext = { library, serverDecks, store, scores, memory, rounds, daily, images, notice, clock: options.clock, random: options.random, logger: options.logger, defaultTimeZone: options.defaultTimeZone };
  const router = new InteractionRouter(commands, components, ctx);

  let resolveReady!: () => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A failure before ready is reported through `ready`; keep it from counting as unhandled meanwhile.
  ready.catch(() => undefined);

  client.once(Events.ClientReady, (readyClient) => {
    void (async () => {
      options.logger.info(`Logged in as ${readyClient.user.tag}.`);
      const invite = readyClient.generateInvite({ scopes: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands], permissions: BOT_PERMISSIONS });
      options.logger.info(`Invite it to a server: ${invite}`);
      // Data about no server: registered by the process holding shard 0 only (idempotent: skipped when unchanged).
      if (store.owner.holdsGlobal) await registerCommands(readyClient, store, options.logger, options.guildId);
      await rounds.recover(readyClient);
      await daily.start(options.minuteTimer ?? clockMinuteTimer(options.clock, options.logger));
    })().then(
      () => {
        resolveReady();
        // Then the score layout of each server held here, one at a time, after ready: a server's first
        // use migrates it anyway (waiting for the one under way), so none has to wait for all the others.
        if (!stopping) track(migrateScores(readyClient.guilds.cache.keys()));
      },
      (error: unknown) => {
        options.logger.error('start-up failed', error);
        rejectReady(error);
      },
    );
  });
  // Work under way, which a stop waits for (bounded); once stopping, nothing new starts.
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const track = (work: Promise<unknown>): void => {
    const settled: Promise<void> = work.then(
      () => void inFlight.delete(settled),
      () => void inFlight.delete(settled),
    );
    inFlight.add(settled);
  };
  const migrateScores = async (guildIds: Iterable<string>): Promise<void> => {
    for (const guildId of [...guildIds]) {
      if (stopping) return;
      if (!store.owner.holds(guildId)) continue;
      // A failure is tried again on the server's first use.
      await scores.migrate(guildId).catch((error: unknown) => options.logger.warn(`the scores of server ${guildId} were not brought to the current layout at start (tried again on first use): ${(error as Error).message}`));
    }
  };
  client.on(Events.InteractionCreate, (interaction) => {
    if (!stopping) track(router.handle(interaction));
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping) return;
    const handling = rounds.handleMessage(message)?.catch((error: unknown) => options.logger.error('handling a reply failed', error));
    if (handling) track(handling);
  });
  client.on(Events.Error, (error) => options.logger.error('Discord client error', error));

  try {
    await client.login(options.token);
  } catch (error) {
    watcher?.close();
    throw error;
  }
  return {
    client,
    ctx,
    ready,
    async stop() {
      stopping = true;
      watcher?.close();
      const grace = options.stopGraceMs ?? STOP_GRACE_MS;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), grace);
      });
      // Then the awards journaled since the last fold go into the score records (not needed for correctness: the next start does it).
      const work = Promise.allSettled([daily.stop(), rounds.shutdown(), ...inFlight]).then(() => scores.flush().catch(() => undefined));
      if ((await Promise.race([work, deadline])) === 'late') options.logger.warn(`Stopped with work still under way after ${grace} ms.`);
      clearTimeout(timer);
      notice.stop();
      await client.destroy();
      if (!options.images) await images.close();
    },
  };
}
