/** Inputs for the image tests: fixed data, no clock or randomness. */
import type { DailyRevealImage, LeaderboardImage, LeaderboardRow, MasteryImage, PodiumImage, StatsImage } from '../../src/images/index.ts';

export const JAPANESE = '山田 花子';
export const ARABIC = 'محمد الأحمد';
export const EMOJI = 'Zoë 🦊🎉';
export const LONG_NAME = 'Maximiliana Alexandrovna von Hohenzollern-Sigmaringen the Third of Her Name';

const NAMES = ['Ada Lovelace', JAPANESE, ARABIC, EMOJI, LONG_NAME, 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Katherine Johnson', 'Tim Berners-Lee'];

/** `n` ranked members, 3 points apart, with the first two tied. */
export function rankedRows(n: number): LeaderboardRow[] {
  return Array.from({ length: n }, (_, i) => ({
    rank: i === 1 ? 1 : i + 1,
    userId: `user-${i + 1}`,
    name: NAMES[i % NAMES.length] as string,
    points: i === 1 ? 3_000 : 3_000 - i * 3,
    correct: 400 - Math.floor(i / 3),
  }));
}

export const firstPage = {
  rows: rankedRows(12),
  page: 0,
  period: 'this week (Mon 23 Nov – Sun 29 Nov)',
  deck: 'mlops',
  callerId: 'user-4',
} satisfies LeaderboardImage;

export const lastOfThousand = {
  rows: rankedRows(1_000),
  page: 99,
  period: 'all time',
  deck: null,
  callerId: 'user-8',
} satisfies LeaderboardImage;

export const emptyBoard = { rows: [], page: 0, period: 'this month (November 2026)', deck: null, callerId: 'user-1' } satisfies LeaderboardImage;

// Friday 2026-11-27 12:00 UTC.
export const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const DAY_MS = 86_400_000;

/** Daily answers over 60 days: a missed day every 9, a wrong one every 7, a 4-day streak to today. */
function dailyDays(): StatsImage['daily'] {
  const days: { day: string; answered: number; correct: number }[] = [];
  for (let i = 0; i < 60; i++) {
    if (i % 9 === 4) continue;
    days.push({ day: new Date(NOW - i * DAY_MS).toISOString().slice(0, 10), answered: 1 + (i % 3), correct: i % 7 === 5 ? 0 : 1 });
  }
  return days;
}

export const stats = {
  name: 'Ada Lovelace',
  now: NOW,
  timeZone: 'Europe/Paris',
  daily: dailyDays(),
  sections: [
    { deck: 'mlops wk9', section: 'MLOps Process', answered: 12, correct: 10 },
    { deck: 'mlops wk9', section: '', answered: 8, correct: 3 },
    { deck: 'mlops wk9', section: 'Production deployment, monitoring and the long tail of model maintenance', answered: 20, correct: 13 },
    { deck: 'bio wk1', section: 'Cells', answered: 1, correct: 0 },
    { deck: 'bio wk1', section: 'Genetics', answered: 0, correct: 0 },
  ],
} satisfies StatsImage;

export const newMemberStats = { name: EMOJI, now: NOW, timeZone: 'UTC', daily: [], sections: [] } satisfies StatsImage;

export const reveal = { title: 'Fri 27 Nov · mlops wk9', solvedOnTry: [7, 3, 1], notSolved: 4 } satisfies DailyRevealImage;
export const revealNobody = { title: 'Sat 28 Nov · mlops wk9', solvedOnTry: [0, 0, 0], notSolved: 0 } satisfies DailyRevealImage;

export const podiumTiedFirst = {
  season: 'Autumn 2026',
  rows: [
    { rank: 1, name: 'Ada Lovelace', points: 420 },
    { rank: 1, name: JAPANESE, points: 420 },
    { rank: 3, name: ARABIC, points: 300 },
    { rank: 4, name: 'Alan Turing', points: 12 },
  ],
} satisfies PodiumImage;

export const podiumCrowdedSecond = {
  season: 'Spring 2026',
  rows: [
    { rank: 1, name: 'Grace Hopper', points: 500 },
    { rank: 2, name: EMOJI, points: 310 },
    { rank: 2, name: 'Edsger Dijkstra', points: 310 },
    { rank: 2, name: LONG_NAME, points: 310 },
    { rank: 2, name: 'Barbara Liskov', points: 310 },
    { rank: 2, name: 'Donald Knuth', points: 310 },
  ],
} satisfies PodiumImage;

export const mastery = {
  title: 'MLOps class',
  sections: [
    { deck: 'mlops wk9', section: 'MLOps Process', mastery: 0.85, members: 12 },
    { deck: 'mlops wk9', section: '', mastery: 0.4, members: 1 },
    { deck: 'mlops wk10', section: 'Monitoring', mastery: 0.62, members: 9 },
  ],
} satisfies MasteryImage;
