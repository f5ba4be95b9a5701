/**
 * Tells members when points cannot be saved. When a score write still fails
 * after the store's retries, each channel where it happened gets one "scoring
 * is paused" message (not one per answer) and the process logs one error (this
 * is the one place that logs it); when
 * writing works again (the store's WriteHealth turns back to ok), each of those
 * channels gets one "scoring resumed" message.
 */
import type { Logger } from '../clock.ts';
import { StoreWriteError, type WriteHealth } from '../storage/store.ts';

export const SCORING_PAUSED = 'Scoring is paused: points cannot be saved right now, so answers are still checked but no points are counted. A message here says when scoring resumes.';
export const SCORING_RESUMED = 'Scoring resumed: points are saved and counted again.';

type Send = (content: string) => Promise<unknown>;

export class ScoringNotice {
  /** The channels told that scoring is paused, with how to write to them. */
  private readonly told = new Map<string, Send>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly health: WriteHealth,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = health.onChange((change) => {
      if (change.state === 'failing') {
        logger.error(`Writing to the store fails (${change.key}): scores and schedules cannot be saved until it works again. Members are told that scoring is paused.`, change.error);
        return;
      }
      logger.info(`Writing to the store works again (it failed for ${Math.round((change.recoveredAt - change.failingSince) / 1000)} s): scoring resumed.`);
      const channels = [...this.told];
      this.told.clear();
      for (const [channelId, send] of channels) void this.say(channelId, send, SCORING_RESUMED);
    });
  }

  /** Whether a failed write is the store refusing writes (as opposed to a bug). */
  isWriteFailure(error: unknown): boolean {
    return error instanceof StoreWriteError;
  }

  /** A score write in `channelId` failed: tells the channel once while writes fail. */
  async paused(channelId: string, send: Send): Promise<void> {
    if (this.health.state === 'ok' || this.told.has(channelId)) return;
    this.told.set(channelId, send);
    await this.say(channelId, send, SCORING_PAUSED);
  }

  stop(): void {
    this.unsubscribe();
    this.told.clear();
  }

  private async say(channelId: string, send: Send, content: string): Promise<void> {
    try {
      await send(content);
    } catch (error) {
      this.logger.warn(`could not tell channel ${channelId} "${content.split(':')[0]}": ${(error as Error).message}`);
    }
  }
}
