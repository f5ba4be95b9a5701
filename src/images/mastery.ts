/**
 * A class's mastery per section as a chart: one bar per section with the
 * share mastered (0–1) and how many members it covers.
 */
import { shareBars, shareColor } from './charts.ts';
import { count, heading, png, surface, text, THEME } from './draw.ts';
import { sectionLabel } from './stats.ts';

export interface SectionMastery {
  readonly deck: string;
  /** "" when the cards have no section. */
  readonly section: string;
  /** Share mastered by the class, 0–1. */
  readonly mastery: number;
  /** Members with answers in the section. */
  readonly members: number;
}

export interface MasteryImage {
  /** e.g. the server or class name. */
  readonly title: string;
  /** Shown in this order, at most `MAX_MASTERY_SECTIONS`. */
  readonly sections: readonly SectionMastery[];
}

export const MASTERY_WIDTH = 800;
export const MAX_MASTERY_SECTIONS = 15;
const BAR_H = 34;

/** PNG of the class mastery chart. */
export async function renderMastery(input: MasteryImage): Promise<Buffer> {
  const shown = input.sections.slice(0, MAX_MASTERY_SECTIONS);
  const more = input.sections.length - shown.length;
  const chartH = shown.length === 0 ? 60 : shown.length * BAR_H + 40;
  const s = surface(MASTERY_WIDTH, 96 + chartH + 16);
  heading(s.ctx, `Class mastery · ${input.title}`, `${count(input.sections.length)} section${input.sections.length === 1 ? '' : 's'}${more > 0 ? ` · first ${shown.length} shown` : ''}`, MASTERY_WIDTH);
  if (shown.length === 0) {
    text(s.ctx, 'No answers yet in this class.', MASTERY_WIDTH / 2, 96 + 30, { size: 16, color: THEME.muted, align: 'center' });
    return png(s);
  }
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
  shareBars(
    s.ctx,
    shown.map((x) => ({
      label: sectionLabel(x.deck, x.section),
      value: clamp(x.mastery),
      note: `${Math.round(clamp(x.mastery) * 100)}% · ${count(x.members)} member${x.members === 1 ? '' : 's'}`,
      color: shareColor(clamp(x.mastery)),
    })),
    16,
    84,
    MASTERY_WIDTH - 32,
    chartH,
    260,
  );
  return png(s);
}
