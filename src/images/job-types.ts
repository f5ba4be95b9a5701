/**
 * The pictures as jobs: plain data (structured-clone safe), importable without
 * loading the drawing code, so the bot can ask for a picture without
 * ever loading Skia or Chart.js.
 */
import type { DailyRevealImage } from './daily.ts';
import type { LeaderboardImage } from './leaderboard.ts';
import type { MasteryImage } from './mastery.ts';
import type { PodiumImage } from './podium.ts';
import type { StatsImage } from './stats.ts';

export type ImageJob =
  | { readonly kind: 'leaderboard'; readonly input: LeaderboardImage }
  | { readonly kind: 'stats'; readonly input: StatsImage }
  | { readonly kind: 'daily-reveal'; readonly input: DailyRevealImage }
  | { readonly kind: 'podium'; readonly input: PodiumImage }
  | { readonly kind: 'mastery'; readonly input: MasteryImage };

/** One small picture of each kind, drawn once when the worker starts so that fonts and Chart.js are loaded before the first real one. */
export const WARM_UP_JOBS: readonly ImageJob[] = [
  { kind: 'leaderboard', input: { rows: [{ rank: 1, userId: 'a', name: 'Ada 山田 محمد 🦊', points: 10, correct: 1 }], page: 0, period: 'all time', deck: null, callerId: 'a' } },
  { kind: 'stats', input: { name: 'Ada', sections: [{ deck: 'deck', section: 'section', answered: 2, correct: 1 }], daily: [{ day: '2026-01-01', answered: 1, correct: 1 }], now: Date.UTC(2026, 0, 1), timeZone: 'UTC' } },
  { kind: 'daily-reveal', input: { title: 'deck', solvedOnTry: [1, 1, 1], notSolved: 1 } },
  { kind: 'podium', input: { season: 'Season 1', rows: [{ rank: 1, name: 'Ada', points: 10 }] } },
];

/** Bot → worker. */
export interface JobRequest {
  readonly id: number;
  readonly job: ImageJob;
}

/** Worker → bot: the PNG bytes, or why there are none. */
export type JobResponse = { readonly id: number; readonly png: Uint8Array } | { readonly id: number; readonly error: string };

/** Worker → bot, once: it listens for jobs. */
export interface WorkerReady {
  readonly ready: true;
}
