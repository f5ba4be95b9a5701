/**
 * A picture to draw, as plain data that can cross to the worker process, and
 * the one function that draws any of them. Each kind's drawing code is loaded
 * on its first picture, so that a worker just started draws a leaderboard page
 * without loading Chart.js or the time zone code first.
 */
import type { ImageJob } from './job-types.ts';

export async function renderJob(job: ImageJob): Promise<Buffer> {
  switch (job.kind) {
    case 'leaderboard':
      return (await import('./leaderboard.ts')).renderLeaderboard(job.input);
    case 'stats':
      return (await import('./stats.ts')).renderStats(job.input);
    case 'daily-reveal':
      return (await import('./daily.ts')).renderDailyReveal(job.input);
    case 'podium':
      return (await import('./podium.ts')).renderPodium(job.input);
    case 'mastery':
      return (await import('./mastery.ts')).renderMastery(job.input);
  }
}
