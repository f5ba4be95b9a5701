/**
 * The decks each server uploaded with `/deck add`, in the store (`decks:<server>`: the files as
 * uploaded, `ServerDeckFile[]`), parsed once per process and kept in memory per server.
 *
 * Only the process holding a server's shard writes its decks (the one-writer rule of store.ts,
 * which refuses any other write), so the copy kept here stays true: every change goes through
 * `change`, which runs in the server's lock and puts the new list in memory once the store took
 * it. A failed read is not kept: the next look-up reads again.
 *
 * `libraryFor(server)` is what the server sees: the folder's decks (as they are now, hot reload
 * included), then its own. A server deck whose name a folder deck took later is hidden.
 */
import type { Logger } from '../clock.ts';
import type { DeckLibrary } from '../deck/library.ts';
import { parseDeck } from '../deck/parse.ts';
import { serverLibrary, type ServerDeckFile } from '../deck/server-decks.ts';
import type { Deck } from '../deck/types.ts';
import { serverDecksKey } from './keys.ts';
import type { Store } from './store.ts';

/** A stored file and its parsed deck. */
export interface ServerDeck {
  readonly file: ServerDeckFile;
  readonly deck: Deck;
}

/** What a change does: the new list to store (or none: nothing is written), and what to answer. */
export interface DeckChange<R> {
  readonly decks?: readonly ServerDeck[];
  readonly result: R;
}

interface Stored {
  readonly decks: readonly ServerDeck[];
  /** Files that no longer read (after a change of the deck format): kept in the store, not used. */
  readonly unreadable: readonly ServerDeckFile[];
}

export class ServerDecks {
  readonly #cache = new Map<string, Promise<Stored>>();

  constructor(
    private readonly store: Store,
    /** The deck folder's decks (replaced in place by the hot reload). */
    readonly folder: DeckLibrary,
    private readonly logger?: Logger,
  ) {}

  /** The server's own decks, in upload order. */
  async list(guildId: string): Promise<readonly ServerDeck[]> {
    return (await this.stored(guildId)).decks;
  }

  private stored(guildId: string): Promise<Stored> {
    let cached = this.#cache.get(guildId);
    if (!cached) {
      cached = this.read(guildId);
      this.#cache.set(guildId, cached);
      cached.catch(() => {
        if (this.#cache.get(guildId) === cached) this.#cache.delete(guildId);
      });
    }
    return cached;
  }

  /** The server's own decks that are in use (those whose name no folder deck took). */
  async decks(guildId: string): Promise<Deck[]> {
    const taken = new Set(this.folder.decks.map((d) => d.name));
    return (await this.list(guildId)).map((d) => d.deck).filter((d) => !taken.has(d.name));
  }

  /** Every deck the server sees: the folder's, then its own. */
  async libraryFor(guildId: string): Promise<DeckLibrary> {
    return serverLibrary(this.folder.decks, await this.decks(guildId));
  }

  /**
   * Reads the server's decks, lets `decide` choose a new list, and stores it; one change of a
   * server at a time, so two uploads never lose each other. The result is `decide`'s.
   */
  change<R>(guildId: string, decide: (current: readonly ServerDeck[]) => DeckChange<R>): Promise<R> {
    const key = serverDecksKey(guildId);
    return this.store.exclusive(key, async () => {
      const { unreadable, decks: current } = await this.stored(guildId);
      const { decks, result } = decide(current);
      if (decks) {
        const files = [...unreadable, ...decks.map((d) => d.file)];
        if (files.length === 0) await this.store.delete(key);
        else await this.store.set<ServerDeckFile[]>(key, files);
        this.#cache.set(guildId, Promise.resolve({ decks, unreadable }));
      }
      return result;
    });
  }

  private async read(guildId: string): Promise<Stored> {
    const files = (await this.store.get<ServerDeckFile[]>(serverDecksKey(guildId))) ?? [];
    const decks: ServerDeck[] = [];
    const unreadable: ServerDeckFile[] = [];
    for (const file of files) {
      const { deck, errors } = parseDeck(file.source, file.fileName);
      if (deck) decks.push({ file, deck });
      else unreadable.push(file);
      // Checked when it was added: only a change of the deck format can make it fail now.
      if (!deck) this.logger?.warn(`server ${guildId}: the uploaded deck ${file.fileName} no longer reads (${errors[0]?.message ?? 'no deck'}); it is left out`);
    }
    return { decks, unreadable };
  }
}
