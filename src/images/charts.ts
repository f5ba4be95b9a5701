/**
 * Bar charts drawn by Chart.js on a @napi-rs/canvas canvas, with the shared
 * fonts and colours. Each chart is drawn on a canvas of its own (Chart.js
 * clears the whole canvas it draws on) and then placed on the picture.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, type ChartConfiguration, type ChartItem, type Plugin } from 'chart.js';
import { FONT_STACK } from './fonts.ts';
import { fitText, THEME } from './draw.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);
Chart.defaults.font.family = FONT_STACK;
Chart.defaults.color = THEME.muted;
Chart.defaults.borderColor = THEME.grid;

/** Text drawn on each bar, by bar index ('' for none). */
function barLabels(labels: readonly string[], inside: boolean): Plugin<'bar'> {
  return {
    id: 'barLabels',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const meta = chart.getDatasetMeta(0);
      const horizontal = chart.options.indexAxis === 'y';
      ctx.save();
      ctx.font = `bold 13px ${FONT_STACK}`;
      ctx.fillStyle = THEME.text;
      ctx.textBaseline = 'middle';
      meta.data.forEach((bar, i) => {
        const label = labels[i];
        if (!label) return;
        const { x, y, base } = bar.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base: number };
        if (horizontal) {
          const width = ctx.measureText(label).width;
          const fitsInside = inside && x - base > width + 16;
          ctx.textAlign = fitsInside ? 'right' : 'left';
          ctx.fillStyle = fitsInside ? '#1e1f22' : THEME.text;
          ctx.fillText(label, fitsInside ? x - 8 : x + 8, y);
        } else {
          ctx.textAlign = 'center';
          ctx.fillText(label, x, y - 12);
        }
      });
      ctx.restore();
    },
  };
}

/** Chart.js draws on (and clears) the whole canvas: each chart gets its own, copied onto `target` at (x, y). */
function draw(target: SKRSContext2D, x: number, y: number, width: number, height: number, config: ChartConfiguration<'bar'>): void {
  const canvas = createCanvas(width, height);
  // Chart.js types want a DOM canvas; the @napi-rs/canvas one has what it uses.
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartItem, config);
  target.drawImage(canvas, x, y);
  chart.destroy();
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Written on the bar, e.g. "12 answered". */
  readonly note: string;
  readonly color: string;
}

/** The colour of a share (0–1): red below 50 %, yellow below 80 %, green from 80 %. */
export function shareColor(share: number): string {
  return share >= 0.8 ? THEME.good : share >= 0.5 ? THEME.fair : THEME.poor;
}

const BASE_OPTIONS = { responsive: false, animation: false, devicePixelRatio: 1, events: [] as string[] } as const;

/**
 * Horizontal bars of shares (0–1) on a 0–100 % axis, one per row, with a note on each bar.
 * Labels are cut to `labelWidth`.
 */
export function shareBars(ctx: SKRSContext2D, bars: readonly Bar[], x: number, y: number, width: number, height: number, labelWidth: number): void {
  ctx.font = `14px ${FONT_STACK}`;
  const labels = bars.map((b) => fitText(ctx, b.label, labelWidth));
  draw(ctx, x, y, width, height, {
    type: 'bar',
    data: { labels, datasets: [{ data: bars.map((b) => Math.round(b.value * 1000) / 10), backgroundColor: bars.map((b) => b.color), borderRadius: 4, barPercentage: 0.8 }] },
    options: {
      ...BASE_OPTIONS,
      indexAxis: 'y',
      layout: { padding: { right: 110 } },
      scales: {
        x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%`, font: { size: 12 } }, grid: { color: THEME.grid } },
        y: { ticks: { font: { size: 14 }, color: THEME.text, autoSkip: false }, grid: { display: false } },
      },
    },
    plugins: [barLabels(bars.map((b) => b.note), true)],
  });
}

/** Vertical bars of counts, with each count written above its bar. */
export function countBars(ctx: SKRSContext2D, bars: readonly Bar[], x: number, y: number, width: number, height: number): void {
  const max = Math.max(1, ...bars.map((b) => b.value));
  draw(ctx, x, y, width, height, {
    type: 'bar',
    data: { labels: bars.map((b) => b.label), datasets: [{ data: bars.map((b) => b.value), backgroundColor: bars.map((b) => b.color), borderRadius: 4, barPercentage: 0.7 }] },
    options: {
      ...BASE_OPTIONS,
      layout: { padding: { top: 24 } },
      scales: {
        x: { ticks: { font: { size: 14 }, color: THEME.text }, grid: { display: false } },
        y: { min: 0, suggestedMax: max, ticks: { precision: 0, font: { size: 12 } }, grid: { color: THEME.grid } },
      },
    },
    plugins: [barLabels(bars.map((b) => b.note), false)],
  });
}
