import { describe, expect, it } from 'vitest';
import {
  LEADERBOARD_CSV_HEADER,
  accuracyPercent,
  csvField,
  leaderboardCsv,
  leaderboardCsvRow,
  toCsv,
} from '../../src/competition/csv.ts';
import type { RankedRow } from '../../src/competition/types.ts';

describe('csvField', () => {
  const cases: { name: string; value: string | number; want: string }[] = [
    { name: 'plain text is unchanged', value: 'Ada', want: 'Ada' },
    { name: 'comma gets quoted', value: 'Lovelace, Ada', want: '"Lovelace, Ada"' },
    { name: 'quote is doubled and quoted', value: 'Ada "the first"', want: '"Ada ""the first"""' },
    { name: 'LF gets quoted', value: 'two\nlines', want: '"two\nlines"' },
    { name: 'CRLF inside gets quoted', value: 'two\r\nlines', want: '"two\r\nlines"' },
    { name: 'formula =SUM(A1) gets an apostrophe', value: '=SUM(A1)', want: "'=SUM(A1)" },
    { name: 'text +1 gets an apostrophe', value: '+1', want: "'+1" },
    { name: 'text -x gets an apostrophe', value: '-x', want: "'-x" },
    { name: 'text @cmd gets an apostrophe', value: '@cmd', want: "'@cmd" },
    { name: 'leading tab gets an apostrophe', value: '\tx', want: "'\tx" },
    { name: 'leading CR gets an apostrophe and quotes', value: '\rx', want: '"\'\rx"' },
    { name: 'formula with comma gets apostrophe then quotes', value: '=HYPERLINK("http://x","y")', want: '"\'=HYPERLINK(""http://x"",""y"")"' },
    { name: 'formula character later in text is fine', value: 'a=b', want: 'a=b' },
    { name: 'full-width ＝ (a formula in Apple Numbers) gets an apostrophe', value: '＝1+1', want: "'＝1+1" },
    { name: 'full-width － gets an apostrophe', value: '－x', want: "'－x" },
    { name: 'negative number passed as number is unchanged', value: -5, want: '-5' },
    { name: 'decimal number is unchanged', value: 83.3, want: '83.3' },
    { name: 'zero', value: 0, want: '0' },
    { name: 'NaN becomes an empty field', value: Number.NaN, want: '' },
    { name: 'unicode name is kept as is', value: 'Zoë 🦊 李', want: 'Zoë 🦊 李' },
    { name: 'empty text stays empty', value: '', want: '' },
  ];
  it.each(cases)('$name', ({ value, want }) => {
    expect(csvField(value)).toBe(want);
  });
});

describe('toCsv', () => {
  it('starts with a BOM, joins with commas and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2, 'y, z']])).toBe('\uFEFFa,b\r\n1,x\r\n2,"y, z"\r\n');
  });

  it('header only when there are no rows', () => {
    expect(toCsv(['a'], [])).toBe('\uFEFFa\r\n');
  });

  it('encodes to UTF-8 starting with EF BB BF', () => {
    const bytes = Buffer.from(toCsv(['name'], [['Zoë']]), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Zoë');
  });
});

describe('leaderboard export', () => {
  const row = (p: Partial<RankedRow>): RankedRow => ({
    rank: 1, userId: '123456789012345678', name: 'Ada', points: 30, answered: 6, correct: 5, won: 2, ...p,
  });

  it('accuracy is a percent with one decimal, empty when nothing answered', () => {
    expect(accuracyPercent({ answered: 6, correct: 5 })).toBe(83.3);
    expect(accuracyPercent({ answered: 3, correct: 2 })).toBe(66.7);
    expect(accuracyPercent({ answered: 4, correct: 4 })).toBe(100);
    expect(accuracyPercent({ answered: 0, correct: 0 })).toBe('');
  });

  it('row matches the header columns', () => {
    const r = leaderboardCsvRow(row({}), 4);
    expect(r).toEqual([1, '123456789012345678', 'Ada', 30, 6, 5, 83.3, 4]);
    expect(r.length).toBe(LEADERBOARD_CSV_HEADER.length);
  });

  it('whole export with a hostile name, a tie and streaks', () => {
    const rows = [
      row({}),
      row({ rank: 2, userId: '2', name: '=cmd|"/c calc"!A1', points: 10, answered: 2, correct: 1 }),
      row({ rank: 2, userId: '3', name: 'Zoë, the "best"', points: 10, answered: 3, correct: 1 }),
    ];
    const streak: Record<string, number> = { '2': 3 };
    expect(leaderboardCsv(rows, (id) => streak[id] ?? 0)).toBe(
      '\uFEFF' +
        'rank,member id,display name,points,answered,correct,accuracy %,streak\r\n' +
        '1,123456789012345678,Ada,30,6,5,83.3,0\r\n' +
        '2,2,"\'=cmd|""/c calc""!A1",10,2,1,50,3\r\n' +
        '2,3,"Zoë, the ""best""",10,3,1,33.3,0\r\n',
    );
  });
});
