import { describe, expect, it } from 'vitest';
import { streaks } from '../../src/competition/streaks.ts';

describe('streaks', () => {
  const cases: { name: string; days: string[]; today: string; want: { current: number; best: number } }[] = [
    { name: 'no days gives no streak', days: [], today: '2026-11-20', want: { current: 0, best: 0 } },
    {
      name: 'three days in a row through today counts 3',
      days: ['2026-11-18', '2026-11-19', '2026-11-20'],
      today: '2026-11-20',
      want: { current: 3, best: 3 },
    },
    {
      name: 'today not solved yet keeps the run through yesterday alive',
      days: ['2026-11-17', '2026-11-18', '2026-11-19'],
      today: '2026-11-20',
      want: { current: 3, best: 3 },
    },
    {
      name: 'last solved the day before yesterday: current resets to 0, best kept',
      days: ['2026-11-16', '2026-11-17', '2026-11-18'],
      today: '2026-11-20',
      want: { current: 0, best: 3 },
    },
    {
      name: 'a missed day splits the runs; current is the run after the gap',
      days: ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-15', '2026-11-16'],
      today: '2026-11-16',
      want: { current: 2, best: 4 },
    },
    {
      name: 'duplicates and unsorted input are tolerated',
      days: ['2026-11-20', '2026-11-18', '2026-11-19', '2026-11-19', '2026-11-20'],
      today: '2026-11-20',
      want: { current: 3, best: 3 },
    },
    {
      name: 'runs cross month and year ends',
      days: ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02'],
      today: '2027-01-02',
      want: { current: 4, best: 4 },
    },
    {
      name: 'leap day is part of the run',
      days: ['2028-02-28', '2028-02-29', '2028-03-01'],
      today: '2028-03-01',
      want: { current: 3, best: 3 },
    },
    {
      name: 'days after today and malformed days are ignored',
      days: ['2026-11-19', '2026-11-20', '2026-11-21', 'yesterday', '2026-02-30'],
      today: '2026-11-20',
      want: { current: 2, best: 2 },
    },
    { name: 'only today solved counts 1', days: ['2026-11-20'], today: '2026-11-20', want: { current: 1, best: 1 } },
  ];
  it.each(cases)('$name', ({ days, today, want }) => {
    expect(streaks(days, today)).toEqual(want);
  });
});
