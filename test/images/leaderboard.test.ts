import { describe, expect, it } from 'vitest';
import { THEME } from '../../src/images/draw.ts';
import { leaderboardHeight, LEADERBOARD_WIDTH, renderLeaderboard } from '../../src/images/leaderboard.ts';
import { emptyBoard, firstPage, lastOfThousand, rankedRows } from './fixtures.ts';
import { expectGolden, pixels, pngSize } from './golden.ts';

/** The colour at (x, y) as '#rrggbb'. */
async function colourAt(png: Buffer, x: number, y: number): Promise<string> {
  const image = await pixels(png);
  const i = (y * image.width + x) * 4;
  return `#${[0, 1, 2].map((c) => (image.data[i + c] as number).toString(16).padStart(2, '0')).join('')}`;
}

/** Vertical middle of the row at `index` on the page (see leaderboard.ts). */
const rowMiddle = (index: number) => 86 + 30 + index * 44 + 22;

describe('leaderboard image', () => {
  it('first page with medals, a tie for first, the caller highlighted and Japanese, Arabic, emoji and long names matches its golden', async () => {
    const png = await renderLeaderboard(firstPage);
    expect(pngSize(png)).toEqual({ width: LEADERBOARD_WIDTH, height: leaderboardHeight(10, false) });
    await expectGolden(png, 'leaderboard-first-page');
  });

  it('the two members tied for first both get the gold medal, third gets bronze', async () => {
    const png = await renderLeaderboard(firstPage);
    // Left part of the medal circle (the rank number is in its middle).
    expect(await colourAt(png, 38, rowMiddle(0))).toBe(THEME.gold);
    expect(await colourAt(png, 38, rowMiddle(1))).toBe(THEME.gold);
    expect(await colourAt(png, 38, rowMiddle(2))).toBe(THEME.bronze);
    expect(await colourAt(png, 38, rowMiddle(3))).not.toBe(THEME.silver);
  });

  it("the caller's row is highlighted and the others are not", async () => {
    const png = await renderLeaderboard(firstPage);
    expect(await colourAt(png, 560, rowMiddle(3) - 18)).toBe(THEME.highlight);
    expect(await colourAt(png, 560, rowMiddle(4) - 18)).not.toBe(THEME.highlight);
    const other = await renderLeaderboard({ ...firstPage, callerId: 'user-6' });
    expect(await colourAt(other, 560, rowMiddle(3) - 18)).not.toBe(THEME.highlight);
    expect(await colourAt(other, 560, rowMiddle(5) - 18)).toBe(THEME.highlight);
  });

  it("page 100 of 1,000 members shows ranks 991–1,000 and the caller's own rank below", async () => {
    const png = await renderLeaderboard(lastOfThousand);
    expect(pngSize(png).height).toBe(leaderboardHeight(10, true));
    await expectGolden(png, 'leaderboard-page-100-of-1000');
  });

  it('a page past the end shows the last page', async () => {
    const past = await renderLeaderboard({ ...lastOfThousand, page: 250 });
    const last = await renderLeaderboard(lastOfThousand);
    expect(Buffer.compare(past, last)).toBe(0);
  });

  it('a short last page is only as tall as its rows', async () => {
    const png = await renderLeaderboard({ ...firstPage, rows: rankedRows(13), page: 1, callerId: 'user-12' });
    expect(pngSize(png).height).toBe(leaderboardHeight(3, false));
  });

  it('0 members: a short image that says there are no scores yet', async () => {
    const png = await renderLeaderboard(emptyBoard);
    expect(pngSize(png).height).toBe(leaderboardHeight(0, false));
    await expectGolden(png, 'leaderboard-empty');
  });
});
