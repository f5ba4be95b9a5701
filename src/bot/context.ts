/**
 * Everything a command or component handler needs, passed explicitly (no
 * global container): tests build one with a manual clock and a temp store.
 */
import type { Clock, Logger } from '../clock.ts';
import type { Renderer } from '../images/renderer.ts';
import type { DeckLibrary } from '../deck/library.ts';
import type { MemoryBook } from '../storage/memory-book.ts';
import type { ServerDecks } from '../storage/server-decks.ts';
import type { ScoreBook } from '../storage/scores.ts';
import type { Store } from '../storage/store.ts';
import type { LiveRounds } from './live/rounds.ts';
import type { DailyDrops } from '../daily/drops.ts';
import type { ScoringNotice } from './scoring-notice.ts';

export interface BotContext {
  /**
   * The decks of the server the interaction comes from: the folder's and the server's own
   * (the router sets it per interaction, see interactions.ts); outside an interaction, the folder's.
   */
  readonly library: DeckLibrary;
  /** The decks servers uploaded with /deck add, and the folder's (`serverDecks.folder`). */
  readonly serverDecks: ServerDecks;
  readonly store: Store;
  readonly scores: ScoreBook;
  readonly memory: MemoryBook;
  readonly rounds: LiveRounds;
  readonly daily: DailyDrops;
  /** Draws the pictures, off the event loop. */
  readonly images: Renderer;
  /** Tells a channel once when scores cannot be saved, and when they can again. */
  readonly notice?: ScoringNotice;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly defaultTimeZone: string;
}
