import { describe, expect, it } from 'vitest';
import { DAILY_SIZE, renderDailyReveal } from '../../src/images/daily.ts';
import { MASTERY_WIDTH, renderMastery } from '../../src/images/mastery.ts';
import { PODIUM_SIZE, renderPodium } from '../../src/images/podium.ts';
import { renderStats, STATS_WIDTH, streakDays } from '../../src/images/stats.ts';
import { mastery, newMemberStats, NOW, podiumCrowdedSecond, podiumTiedFirst, reveal, revealNobody, stats } from './fixtures.ts';
import { difference, expectGolden, pixels, pngSize } from './golden.ts';

describe('stats image', () => {
  it('accuracy per section with answered counts and 8 weeks of daily answers with the streak matches its golden', async () => {
    const png = await renderStats(stats);
    expect(pngSize(png).width).toBe(STATS_WIDTH);
    await expectGolden(png, 'stats');
  });

  it('a member with no answers gets the empty chart and calendar', async () => {
    await expectGolden(await renderStats(newMemberStats), 'stats-empty');
  });

  it("today is the server's local day: the same instant draws another calendar in Tokyo than in Honolulu", async () => {
    const late = NOW + 11 * 3_600_000; // 23:00 UTC: Saturday in Tokyo, Friday in Honolulu
    const tokyo = await pixels(await renderStats({ ...stats, now: late, timeZone: 'Asia/Tokyo' }));
    const honolulu = await pixels(await renderStats({ ...stats, now: late, timeZone: 'Pacific/Honolulu' }));
    expect(difference(tokyo, honolulu).differing).toBeGreaterThan(100);
  });
});

describe('streakDays', () => {
  it.each([
    { solved: ['2026-11-25', '2026-11-26', '2026-11-27'], today: '2026-11-27', streak: ['2026-11-25', '2026-11-26', '2026-11-27'] },
    { solved: ['2026-11-25', '2026-11-26'], today: '2026-11-27', streak: ['2026-11-25', '2026-11-26'] },
    { solved: ['2026-11-23', '2026-11-25'], today: '2026-11-27', streak: [] },
    { solved: ['2026-11-20', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-27'], today: '2026-11-27', streak: ['2026-11-27'] },
    { solved: [], today: '2026-11-27', streak: [] },
  ])('solved $solved, today $today: streak $streak', ({ solved, today, streak }) => {
    expect([...streakDays(solved, today)].sort()).toEqual(streak);
  });
});

describe('daily reveal image', () => {
  it('solved on the 1st, 2nd, 3rd try and not solved matches its golden', async () => {
    const png = await renderDailyReveal(reveal);
    expect(pngSize(png)).toEqual(DAILY_SIZE);
    await expectGolden(png, 'daily-reveal');
  });

  it('nobody answered: zero bars and a line saying so', async () => {
    await expectGolden(await renderDailyReveal(revealNobody), 'daily-reveal-nobody');
  });
});

describe('season podium image', () => {
  it('two members tied for first share the top step and the second step stays empty', async () => {
    const png = await renderPodium(podiumTiedFirst);
    expect(pngSize(png)).toEqual(PODIUM_SIZE);
    await expectGolden(png, 'podium-tied-first');
  });

  it('five tied for second: three names on the step and "+2 more", the long name cut', async () => {
    await expectGolden(await renderPodium(podiumCrowdedSecond), 'podium-crowded-second');
  });

  it('a season nobody scored in shows three empty steps', async () => {
    await expectGolden(await renderPodium({ season: 'Winter 2027', rows: [] }), 'podium-empty');
  });
});

describe('class mastery image', () => {
  it('mastery per section with member counts matches its golden', async () => {
    const png = await renderMastery(mastery);
    expect(pngSize(png).width).toBe(MASTERY_WIDTH);
    await expectGolden(png, 'mastery');
  });

  it('shares outside 0–1 are drawn clamped, not past the axis', async () => {
    const wild = await pixels(await renderMastery({ ...mastery, sections: [{ deck: 'x', section: '', mastery: 7, members: 1 }, { deck: 'y', section: '', mastery: Number.NaN, members: 0 }] }));
    const sane = await pixels(await renderMastery({ ...mastery, sections: [{ deck: 'x', section: '', mastery: 1, members: 1 }, { deck: 'y', section: '', mastery: 0, members: 0 }] }));
    expect(difference(wild, sane).differing).toBe(0);
  });
});
