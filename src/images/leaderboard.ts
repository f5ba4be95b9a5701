/**
 * The /leaderboard page as a picture: rank, name, points and correct answers,
 * medals for ranks 1–3, the caller's row highlighted, and the caller's own rank
 * under the page when it is on another page.
 */
import { page } from '../competition/ranking.ts';
import type { RankedRow } from '../competition/types.ts';
import { count, heading, MEDALS, png, roundRect, surface, text, THEME } from './draw.ts';

export type LeaderboardRow = Pick<RankedRow, 'rank' | 'userId' | 'name' | 'points' | 'correct'>;

export interface LeaderboardImage {
  /** The whole ranking, best first (as `rank()` orders it). */
  readonly rows: readonly LeaderboardRow[];
  /** 0-based page; clamped into range. */
  readonly page: number;
  readonly pageSize?: number;
  /** e.g. "this week (Mon 23 Nov – Sun 29 Nov)". */
  readonly period: string;
  /** The deck filter, or null for every deck. */
  readonly deck: string | null;
  /** The member who asked: their row is highlighted. */
  readonly callerId: string;
}

export const LEADERBOARD_WIDTH = 800;
const ROW_H = 44;
const TOP = 86;
const COLS = { rank: 66, name: 110, points: 640, correct: 776 } as const;

/** Height of a page image: header, one line per row, and the caller's line. */
export function leaderboardHeight(rowCount: number, withCallerLine: boolean): number {
  return TOP + 30 + Math.max(1, rowCount) * ROW_H + (withCallerLine ? ROW_H + 18 : 0) + 16;
}

function rankBadge(ctx: Parameters<typeof text>[0], rank: number, y: number): void {
  const medal = MEDALS[rank - 1];
  if (medal) {
    ctx.fillStyle = medal;
    ctx.beginPath();
    ctx.arc(COLS.rank - 18, y, 15, 0, Math.PI * 2);
    ctx.fill();
    text(ctx, String(rank), COLS.rank - 18, y, { size: 15, weight: 'bold', color: '#1e1f22', align: 'center' });
  } else {
    text(ctx, count(rank), COLS.rank, y, { size: 16, weight: 'bold', color: THEME.muted, align: 'right', maxWidth: COLS.rank - 20 });
  }
}

function drawRow(ctx: Parameters<typeof text>[0], row: LeaderboardRow, top: number, highlighted: boolean): void {
  const y = top + ROW_H / 2;
  if (highlighted) {
    roundRect(ctx, 12, top + 2, LEADERBOARD_WIDTH - 24, ROW_H - 4, 8, THEME.highlight);
    roundRect(ctx, 12, top + 2, 5, ROW_H - 4, 2, THEME.accent);
  }
  rankBadge(ctx, row.rank, y);
  text(ctx, row.name, COLS.name, y, { size: 18, weight: highlighted ? 'bold' : 'normal', maxWidth: COLS.points - 130 - COLS.name });
  text(ctx, count(row.points), COLS.points, y, { size: 18, weight: 'bold', align: 'right', maxWidth: 120 });
  text(ctx, count(row.correct), COLS.correct, y, { size: 18, color: THEME.muted, align: 'right', maxWidth: 120 });
}

/** PNG of one leaderboard page. */
export async function renderLeaderboard(input: LeaderboardImage): Promise<Buffer> {
  const shown = page(input.rows, input.page, input.pageSize ?? 10);
  const own = input.rows.find((r) => r.userId === input.callerId);
  const callerBelow = own !== undefined && !shown.rows.includes(own);
  const s = surface(LEADERBOARD_WIDTH, leaderboardHeight(shown.rows.length, callerBelow));
  const { ctx } = s;

  const title = ['Leaderboard', input.period, input.deck].filter(Boolean).join(' · ');
  const members = `${count(shown.total)} member${shown.total === 1 ? '' : 's'}`;
  heading(ctx, title, `Page ${count(shown.page + 1)} of ${count(shown.pageCount)} · ${members} · same points, same rank`, LEADERBOARD_WIDTH);

  const headY = TOP + 12;
  text(ctx, 'Rank', COLS.rank, headY, { size: 13, color: THEME.muted, align: 'right' });
  text(ctx, 'Name', COLS.name, headY, { size: 13, color: THEME.muted });
  text(ctx, 'Points', COLS.points, headY, { size: 13, color: THEME.muted, align: 'right' });
  text(ctx, 'Correct', COLS.correct, headY, { size: 13, color: THEME.muted, align: 'right' });

  let top = TOP + 30;
  if (shown.rows.length === 0) {
    text(ctx, 'No scores yet. Play a /quiz round or answer the daily question to get on the board!', LEADERBOARD_WIDTH / 2, top + ROW_H / 2, {
      size: 16,
      color: THEME.muted,
      align: 'center',
      maxWidth: LEADERBOARD_WIDTH - 48,
    });
    return png(s);
  }
  shown.rows.forEach((row, i) => {
    if (i % 2 === 1 && row.userId !== input.callerId) roundRect(ctx, 12, top + 2, LEADERBOARD_WIDTH - 24, ROW_H - 4, 8, THEME.panel);
    drawRow(ctx, row, top, row.userId === input.callerId);
    top += ROW_H;
  });
  if (callerBelow && own) {
    ctx.strokeStyle = THEME.grid;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(24, top + 9);
    ctx.lineTo(LEADERBOARD_WIDTH - 24, top + 9);
    ctx.stroke();
    ctx.setLineDash([]);
    drawRow(ctx, own, top + 18, true);
  }
  return png(s);
}
