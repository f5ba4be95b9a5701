/**
 * The season podium: the top 3 ranks of a finished season. Members who share a
 * rank stand on the same step; a rank nobody holds (after a tie) leaves its step empty.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { RankedRow } from '../competition/types.ts';
import { count, heading, MEDALS, png, roundRect, surface, text, THEME } from './draw.ts';

export type PodiumRow = Pick<RankedRow, 'rank' | 'name' | 'points'>;

export interface PodiumImage {
  readonly season: string;
  /** The season's ranking, best first; ranks 1–3 are shown. */
  readonly rows: readonly PodiumRow[];
}

export const PODIUM_SIZE = { width: 800, height: 460 } as const;
/** Names shown per step; more are summed up as "+N more". */
export const NAMES_PER_STEP = 3;
const STEP_W = 230;
/** Left to right: 2nd, 1st, 3rd. */
const STEPS = [
  { rank: 2, height: 130 },
  { rank: 1, height: 180 },
  { rank: 3, height: 90 },
] as const;

function step(ctx: SKRSContext2D, rank: 1 | 2 | 3, rows: readonly PodiumRow[], x: number, stepHeight: number): void {
  const top = PODIUM_SIZE.height - 20 - stepHeight;
  roundRect(ctx, x, top, STEP_W, stepHeight, 8, THEME.panel);
  roundRect(ctx, x, top, STEP_W, 8, 4, MEDALS[rank - 1] ?? THEME.accent);
  text(ctx, String(rank), x + STEP_W / 2, top + stepHeight / 2 + 4, { size: 48, weight: 'bold', color: MEDALS[rank - 1] ?? THEME.text, align: 'center' });
  if (rows.length === 0) return;
  const shown = rows.slice(0, NAMES_PER_STEP);
  const lines = shown.map((r) => r.name);
  if (rows.length > shown.length) lines.push(`+${count(rows.length - shown.length)} more`);
  const lineH = 26;
  const points = `${count(rows[0]?.points ?? 0)} pts${rows.length > 1 ? ' each' : ''}`;
  let y = top - 18 - lineH * lines.length;
  lines.forEach((name, i) => {
    text(ctx, name, x + STEP_W / 2, y, { size: 19, weight: i < shown.length ? 'bold' : 'normal', color: i < shown.length ? THEME.text : THEME.muted, align: 'center', maxWidth: STEP_W - 8 });
    y += lineH;
  });
  text(ctx, points, x + STEP_W / 2, y, { size: 15, color: THEME.muted, align: 'center', maxWidth: STEP_W });
}

/** PNG of a season's podium. */
export async function renderPodium(input: PodiumImage): Promise<Buffer> {
  const { width } = PODIUM_SIZE;
  const s = surface(width, PODIUM_SIZE.height);
  const winners = input.rows.filter((r) => r.rank <= 3);
  heading(s.ctx, `Season · ${input.season}`, winners.length === 0 ? 'Nobody scored this season.' : 'Final standings · same points, same step', width);
  const left = (width - STEPS.length * STEP_W - 2 * 12) / 2;
  STEPS.forEach(({ rank, height: h }, i) => step(s.ctx, rank, winners.filter((r) => r.rank === rank), left + i * (STEP_W + 12), h));
  return png(s);
}
