/**
 * Pictures for Discord messages, as PNG bytes. Pure: data in, image out; no
 * Discord, no store, no clock of their own. Importing this registers the fonts.
 */
export { renderLeaderboard, type LeaderboardImage, type LeaderboardRow } from './leaderboard.ts';
export { renderStats, type StatsImage, type SectionResult, type DailyResult } from './stats.ts';
export { renderDailyReveal, type DailyRevealImage } from './daily.ts';
export { renderPodium, type PodiumImage, type PodiumRow } from './podium.ts';
export { renderMastery, type MasteryImage, type SectionMastery } from './mastery.ts';
