/**
 * The daily reveal as a picture: how many members solved the question on their
 * 1st, 2nd and 3rd try, and how many did not.
 */
import { countBars } from './charts.ts';
import { count, heading, png, surface, THEME } from './draw.ts';

export interface DailyRevealImage {
  /** e.g. "mlops wk9 · MLOps Process" or the day. */
  readonly title: string;
  /** Members who solved it on the 1st, 2nd and 3rd try. */
  readonly solvedOnTry: readonly [number, number, number];
  /** Members who answered and did not solve it. */
  readonly notSolved: number;
}

export const DAILY_SIZE = { width: 600, height: 360 } as const;

/** PNG of the daily reveal chart. */
export async function renderDailyReveal(input: DailyRevealImage): Promise<Buffer> {
  const { width, height } = DAILY_SIZE;
  const s = surface(width, height);
  const [first, second, third] = input.solvedOnTry;
  const solved = first + second + third;
  const answered = solved + input.notSolved;
  heading(s.ctx, `Daily question · ${input.title}`, answered === 0 ? 'Nobody answered this one.' : `${count(solved)} of ${count(answered)} solved it`, width);
  const bars = [
    { label: '1st try', value: first, color: THEME.good },
    { label: '2nd try', value: second, color: THEME.fair },
    { label: '3rd try', value: third, color: THEME.bronze },
    { label: 'not solved', value: input.notSolved, color: THEME.poor },
  ];
  countBars(s.ctx, bars.map((b) => ({ ...b, note: count(b.value) })), 16, 84, width - 32, height - 100);
  return png(s);
}
