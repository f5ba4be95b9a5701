/**
 * A picture to draw, as plain data that can cross to a worker thread, and the
 * one function that draws any of them.
 */
import { renderDailyReveal, type DailyRevealImage } from './daily.ts';
import { renderLeaderboard, type LeaderboardImage } from './leaderboard.ts';
import { renderMastery, type MasteryImage } from './mastery.ts';
import { renderPodium, type PodiumImage } from './podium.ts';
import { renderStats, type StatsImage } from './stats.ts';
import type { ImageJob } from './job-types.ts';

export function renderJob(job: ImageJob): Promise<Buffer> {
  switch (job.kind) {
    case 'leaderboard':
      return renderLeaderboard(job.input satisfies LeaderboardImage);
    case 'stats':
      return renderStats(job.input satisfies StatsImage);
    case 'daily-reveal':
      return renderDailyReveal(job.input satisfies DailyRevealImage);
    case 'podium':
      return renderPodium(job.input satisfies PodiumImage);
    case 'mastery':
      return renderMastery(job.input satisfies MasteryImage);
  }
}
