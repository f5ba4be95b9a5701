/**
 * /stats as a picture: accuracy per section (answered counts on the bars) and
 * a calendar of the last 8 weeks of daily answers, with the current streak marked.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { streaks } from '../competition/streaks.ts';
import { addDays, localDay } from '../schedule/time.ts';
import { shareBars, shareColor } from './charts.ts';
import { count, heading, png, roundRect, surface, text, THEME } from './draw.ts';

export interface SectionResult {
  readonly deck: string;
  /** "" when the card has no section. */
  readonly section: string;
  readonly answered: number;
  readonly correct: number;
}

/** A local day's daily-question answers. */
export interface DailyResult {
  /** 'YYYY-MM-DD' in the server's time zone. */
  readonly day: string;
  readonly answered: number;
  readonly correct: number;
}

export interface StatsImage {
  readonly name: string;
  /** Shown in this order; the first `MAX_SECTIONS` with answers. */
  readonly sections: readonly SectionResult[];
  readonly daily: readonly DailyResult[];
  /** The clock's time (epoch ms) and the server's time zone: they give "today". */
  readonly now: number;
  readonly timeZone: string;
}

export const STATS_WIDTH = 800;
export const MAX_SECTIONS = 10;
export const CALENDAR_WEEKS = 8;
const BAR_H = 34;
const CELL = 26;
const GAP = 5;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** 0 = Monday … 6 = Sunday. */
function weekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The days of the current streak (ending today, or yesterday while today is open). */
export function streakDays(solvedDays: readonly string[], today: string): Set<string> {
  const { current } = streaks(solvedDays, today);
  const solved = new Set(solvedDays);
  const last = solved.has(today) ? today : addDays(today, -1);
  return new Set(Array.from({ length: current }, (_, i) => addDays(last, -i)));
}

function calendar(ctx: SKRSContext2D, daily: readonly DailyResult[], today: string, top: number): void {
  const byDay = new Map<string, { answered: number; correct: number }>();
  for (const d of daily) {
    const seen = byDay.get(d.day) ?? { answered: 0, correct: 0 };
    byDay.set(d.day, { answered: seen.answered + d.answered, correct: seen.correct + d.correct });
  }
  const solvedDays = [...byDay].filter(([, d]) => d.correct > 0).map(([day]) => day);
  const streak = streakDays(solvedDays, today);
  const { current, best } = streaks(solvedDays, today);
  text(ctx, 'Daily questions, last 8 weeks', 24, top, { size: 17, weight: 'bold' });
  text(ctx, `Streak ${count(current)} day${current === 1 ? '' : 's'} · best ${count(best)}`, STATS_WIDTH - 24, top, { size: 15, color: THEME.muted, align: 'right' });

  const left = 72;
  const gridTop = top + 44;
  const first = addDays(today, -weekday(today) - 7 * (CALENDAR_WEEKS - 1));
  WEEKDAYS.forEach((name, row) => {
    if (row % 2 === 0) text(ctx, name, left - 10, gridTop + row * (CELL + GAP) + CELL / 2, { size: 12, color: THEME.muted, align: 'right' });
  });
  for (let week = 0; week < CALENDAR_WEEKS; week++) {
    const x = left + week * (CELL + GAP);
    const monday = addDays(first, week * 7);
    const [, month, dayOfMonth] = monday.split('-').map(Number) as [number, number, number];
    if (week === 0 || dayOfMonth <= 7) text(ctx, MONTHS[month - 1] ?? '', x, gridTop - 14, { size: 12, color: THEME.muted });
    for (let row = 0; row < 7; row++) {
      const day = addDays(monday, row);
      if (day > today) continue;
      const y = gridTop + row * (CELL + GAP);
      const d = byDay.get(day);
      const color = !d || d.answered === 0 ? THEME.panel : d.correct > 0 ? THEME.good : THEME.poor;
      roundRect(ctx, x, y, CELL, CELL, 5, color);
      if (streak.has(day)) {
        ctx.fillStyle = '#1e1f22';
        ctx.beginPath();
        ctx.arc(x + CELL / 2, y + CELL / 2, 5, 0, Math.PI * 2);
        ctx.fill();
      }
      if (day === today) {
        ctx.strokeStyle = THEME.text;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.roundRect(x - 1, y - 1, CELL + 2, CELL + 2, 6);
        ctx.stroke();
      }
    }
  }
  // Legend, right of the grid.
  const lx = left + CALENDAR_WEEKS * (CELL + GAP) + 40;
  const legend: readonly [string, string][] = [
    [THEME.good, 'solved'],
    [THEME.poor, 'answered, not solved'],
    [THEME.panel, 'no answer'],
  ];
  legend.forEach(([color, label], i) => {
    const y = gridTop + i * (CELL + GAP);
    roundRect(ctx, lx, y, CELL, CELL, 5, color);
    text(ctx, label, lx + CELL + 12, y + CELL / 2, { size: 14, color: THEME.muted });
  });
  const y = gridTop + 3 * (CELL + GAP);
  roundRect(ctx, lx, y, CELL, CELL, 5, THEME.good);
  ctx.fillStyle = '#1e1f22';
  ctx.beginPath();
  ctx.arc(lx + CELL / 2, y + CELL / 2, 5, 0, Math.PI * 2);
  ctx.fill();
  text(ctx, 'current streak', lx + CELL + 12, y + CELL / 2, { size: 14, color: THEME.muted });
}

/** The section's name on the chart: "deck · section", or the deck alone. */
export function sectionLabel(deck: string, section: string): string {
  return section ? `${deck} · ${section}` : deck;
}

/** PNG of a member's stats. */
export async function renderStats(input: StatsImage): Promise<Buffer> {
  const answeredSections = input.sections.filter((s) => s.answered > 0);
  const shown = answeredSections.slice(0, MAX_SECTIONS);
  const chartH = shown.length === 0 ? 60 : shown.length * BAR_H + 40;
  const calendarTop = 96 + chartH + 30;
  const s = surface(STATS_WIDTH, calendarTop + 44 + 7 * (CELL + GAP) + 16);
  const { ctx } = s;
  const answered = answeredSections.reduce((n, x) => n + x.answered, 0);
  const correct = answeredSections.reduce((n, x) => n + x.correct, 0);
  const more = answeredSections.length - shown.length;
  heading(
    ctx,
    `Stats · ${input.name}`,
    `${count(answered)} answered · ${count(correct)} correct${answered > 0 ? ` · ${Math.round((correct / answered) * 100)}%` : ''}${more > 0 ? ` · ${more} more section${more === 1 ? '' : 's'} not shown` : ''}`,
    STATS_WIDTH,
  );
  if (shown.length === 0) {
    text(ctx, 'No answers yet: play a /quiz round or answer the daily question.', STATS_WIDTH / 2, 96 + 30, { size: 16, color: THEME.muted, align: 'center' });
  } else {
    text(ctx, 'Accuracy per section', 24, 90, { size: 17, weight: 'bold' });
    shareBars(
      ctx,
      shown.map((x) => ({ label: sectionLabel(x.deck, x.section), value: x.correct / x.answered, note: `${count(x.answered)} answered`, color: shareColor(x.correct / x.answered) })),
      16,
      108,
      STATS_WIDTH - 32,
      chartH,
      260,
    );
  }
  calendar(ctx, input.daily, localDay(new Date(input.now), input.timeZone), calendarTop);
  return png(s);
}
