import { describe, expect, it } from 'vitest';
import {
  accuracy,
  applyDayEvent,
  applyEvent,
  chartSections,
  copyDayTotals,
  copyMemberTotals,
  dailyAnswers,
  emptyMemberTotals,
  sectionKey,
  tallyFromEvents,
  tallyFromTotals,
  weakestSections,
} from '../../src/competition/aggregate.ts';
import type { MemberTotals, ScoreEvent, Totals } from '../../src/competition/types.ts';

const T0 = Date.parse('2026-11-23T05:00:00Z'); // Monday 00:00 in New York
const H = 3_600_000;

function ev(p: Partial<ScoreEvent> & Pick<ScoreEvent, 'userId'>): ScoreEvent {
  return {
    at: T0,
    deck: 'mlops wk9',
    section: '',
    cardId: 'c1',
    correct: true,
    points: 10,
    source: 'live',
    ...p,
  };
}

const events: ScoreEvent[] = [
  ev({ userId: 'a', at: T0 - H, points: 10 }), // before the range
  ev({ userId: 'a', at: T0, points: 5, won: true }), // first instant: inside
  ev({ userId: 'a', at: T0 + H, correct: false, points: 0 }),
  ev({ userId: 'b', at: T0 + 2 * H, deck: 'stats wk1', points: 7 }),
  ev({ userId: 'b', at: T0 + 3 * H, deck: 'mlops wk10', points: 3, won: true }),
  ev({ userId: 'c', at: T0 + 168 * H, points: 100 }), // exactly at `to`: outside
];

describe('tallyFromEvents', () => {
  const cases: { name: string; filter: Parameters<typeof tallyFromEvents>[1]; want: Record<string, [number, number, number, number]> }[] = [
    {
      name: 'no filter sums every event per member',
      filter: {},
      want: { a: [15, 3, 2, 1], b: [10, 2, 2, 1], c: [100, 1, 1, 0] },
    },
    {
      name: 'period filter keeps [from, to): first instant in, `to` out',
      filter: { from: T0, to: T0 + 168 * H },
      want: { a: [5, 2, 1, 1], b: [10, 2, 2, 1] },
    },
    {
      name: 'deck filter by course keeps only matching decks',
      filter: { decks: (d) => d.startsWith('mlops ') },
      want: { a: [15, 3, 2, 1], b: [3, 1, 1, 1], c: [100, 1, 1, 0] },
    },
    {
      name: 'period and deck filters combine',
      filter: { from: T0, to: T0 + 168 * H, decks: (d) => d === 'stats wk1' },
      want: { b: [7, 1, 1, 0] },
    },
    {
      name: 'nothing matching gives an empty map',
      filter: { decks: () => false },
      want: {},
    },
  ];
  it.each(cases)('$name', ({ filter, want }) => {
    const got = Object.fromEntries(
      [...tallyFromEvents(events, filter)].map(([id, t]) => [id, [t.points, t.answered, t.correct, t.won]]),
    );
    expect(got).toEqual(want);
  });
});

describe('applyEvent', () => {
  function build(): Totals {
    const totals: Totals = {};
    const seq: [ScoreEvent, string][] = [
      [ev({ userId: 'a', deck: 'mlops wk9', section: 'Drift', points: 10, won: true }), 'Ada'],
      [ev({ userId: 'a', deck: 'mlops wk9', section: 'Drift', correct: false, points: 0 }), 'Ada'],
      [ev({ userId: 'a', deck: 'mlops wk9', section: '', points: 4, source: 'daily', day: '2026-11-25' }), 'Ada L.'],
      [ev({ userId: 'a', deck: 'stats wk1', section: 'Priors', points: 4, source: 'daily', day: '2026-11-23' }), ''],
      [ev({ userId: 'a', deck: 'stats wk1', section: 'Priors', points: 4, source: 'daily', day: '2026-11-25' }), 'Ada L.'],
      [ev({ userId: 'a', deck: 'stats wk1', section: 'Priors', correct: false, points: 0, source: 'daily', day: '2026-11-24' }), 'Ada L.'],
      [ev({ userId: 'b', deck: 'stats wk1', section: 'Priors', points: 2 }), 'Bo'],
    ];
    for (const [e, name] of seq) applyEvent(totals, e, name);
    return totals;
  }

  it('updates the draft in place and returns it', () => {
    const totals: Totals = {};
    expect(applyEvent(totals, ev({ userId: 'a' }), 'Ada')).toBe(totals);
    expect(totals.a?.points).toBe(10);
  });

  it('sums overall, per deck and per section; keeps the last non-empty name', () => {
    const a = build().a as MemberTotals;
    expect(a).toMatchObject({ name: 'Ada L.', points: 22, answered: 6, correct: 4, won: 1 });
    expect(a.decks).toEqual({
      'mlops wk9': { points: 14, answered: 3, correct: 2, won: 1 },
      'stats wk1': { points: 8, answered: 3, correct: 2, won: 0 },
    });
    expect(a.sections).toEqual({
      [sectionKey('mlops wk9', 'Drift')]: { answered: 2, correct: 1 },
      [sectionKey('mlops wk9', '')]: { answered: 1, correct: 1 },
      [sectionKey('stats wk1', 'Priors')]: { answered: 3, correct: 2 },
    });
  });

  it('daily days hold sorted unique days with a correct daily answer only', () => {
    const totals = build();
    expect(totals.a?.dailyDays).toEqual(['2026-11-23', '2026-11-25']);
    expect(totals.b?.dailyDays).toEqual([]);
  });

  it('a live event with a day does not count as a daily day', () => {
    const totals = applyEvent({}, ev({ userId: 'a', day: '2026-11-23' }), 'Ada');
    expect(totals.a?.dailyDays).toEqual([]);
  });

  it('other members are left untouched', () => {
    const totals = build();
    const before = structuredClone(totals.b);
    applyEvent(totals, ev({ userId: 'a' }), 'Ada');
    expect(totals.b).toEqual(before);
  });

  it('deck names like "constructor" and "__proto__" are stored as plain entries', () => {
    const totals: Totals = {};
    applyEvent(totals, ev({ userId: 'a', deck: 'constructor' }), 'Ada');
    applyEvent(totals, ev({ userId: 'a', deck: '__proto__' }), 'Ada');
    const decks = totals.a?.decks ?? {};
    expect(Object.keys(decks).sort()).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(decks))).toEqual(decks);
    expect(Object.getPrototypeOf(decks)).toBe(Object.prototype);
  });

  it('continues from totals that went through JSON', () => {
    const totals: Totals = JSON.parse(JSON.stringify(build()));
    applyEvent(totals, ev({ userId: 'a', source: 'daily', day: '2026-11-24', points: 1 }), 'Ada L.');
    expect(totals.a?.dailyDays).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    expect(totals.a?.points).toBe(23);
  });

  it('totals from events agree with tallyFromEvents', () => {
    const totals: Totals = {};
    for (const e of events) applyEvent(totals, e, e.userId);
    expect(tallyFromTotals(totals)).toEqual(tallyFromEvents(events));
    const mlops = (d: string) => d.startsWith('mlops ');
    expect(tallyFromTotals(totals, mlops)).toEqual(
      new Map([...tallyFromEvents(events, { decks: mlops })]),
    );
  });
});

describe('copyMemberTotals / copyDayTotals', () => {
  it('copy every field, "__proto__" decks included, and share nothing that later events change', () => {
    const totals: Totals = {};
    for (const e of [
      ev({ userId: 'a', deck: 'mlops wk9', section: 'Drift', won: true }),
      ev({ userId: 'a', deck: '__proto__', section: 'constructor', source: 'daily', day: '2026-11-23' }),
      ev({ userId: 'a', deck: 'stats wk1', correct: false, points: 0, source: 'daily', day: '2026-11-24' }),
    ]) applyEvent(totals, e, 'Ada');
    const original = totals.a as MemberTotals;
    const before = structuredClone(original);
    const copy = copyMemberTotals(original);
    expect(copy).toEqual(before);
    expect(Object.keys(copy.decks)).toEqual(Object.keys(before.decks));
    expect(Object.getPrototypeOf(copy.decks)).toBe(Object.prototype);
    for (const e of [
      ev({ userId: 'a', deck: '__proto__', section: 'constructor', source: 'daily', day: '2026-11-25' }),
      ev({ userId: 'a', deck: 'mlops wk9', section: 'Drift', correct: false, points: 0, source: 'daily', day: '2026-11-22' }),
    ]) applyEvent({ a: copy }, e, 'Ada L.');
    expect(original).toEqual(before);
    expect(copy).not.toEqual(before);

    const day = applyDayEvent(applyDayEvent(undefined, ev({ userId: 'a', deck: '__proto__' })), ev({ userId: 'a' }));
    const dayBefore = structuredClone(day);
    const dayCopy = copyDayTotals(day);
    expect(dayCopy).toEqual(dayBefore);
    applyDayEvent(dayCopy, ev({ userId: 'a', deck: '__proto__', points: 3 }));
    applyDayEvent(dayCopy, ev({ userId: 'a', points: 3 }));
    expect(day).toEqual(dayBefore);
    expect(dayCopy.decks['__proto__']?.points).toBe(13);
  });
});

describe('tallyFromTotals', () => {
  it('without a filter gives each member\'s overall tally; with one, the sum of matching decks (zero when none)', () => {
    const totals: Totals = {};
    applyEvent(totals, ev({ userId: 'a', deck: 'mlops wk9', points: 10, won: true }), 'Ada');
    applyEvent(totals, ev({ userId: 'a', deck: 'mlops wk10', points: 5 }), 'Ada');
    applyEvent(totals, ev({ userId: 'b', deck: 'stats wk1', points: 3 }), 'Bo');
    expect(tallyFromTotals(totals)).toEqual(
      new Map([
        ['a', { points: 15, answered: 2, correct: 2, won: 1 }],
        ['b', { points: 3, answered: 1, correct: 1, won: 0 }],
      ]),
    );
    expect(tallyFromTotals(totals, (d) => d.startsWith('mlops '))).toEqual(
      new Map([
        ['a', { points: 15, answered: 2, correct: 2, won: 1 }],
        ['b', { points: 0, answered: 0, correct: 0, won: 0 }],
      ]),
    );
  });
});

describe('weakestSections', () => {
  function member(sections: [string, string, number, number][]): MemberTotals {
    const m = emptyMemberTotals('Ada');
    for (const [deck, section, answered, correct] of sections) m.sections[sectionKey(deck, section)] = { answered, correct };
    return m;
  }
  const cases: { name: string; sections: [string, string, number, number][]; min?: number; limit?: number; below?: number; want: [string, string, number][] }[] = [
    {
      name: 'lowest accuracy first, limited to 3',
      sections: [
        ['mlops wk9', 'Drift', 4, 1],
        ['mlops wk9', 'Serving', 5, 5],
        ['stats wk1', 'Priors', 4, 2],
        ['stats wk1', '', 10, 3],
      ],
      want: [
        ['mlops wk9', 'Drift', 0.25],
        ['stats wk1', '', 0.3],
        ['stats wk1', 'Priors', 0.5],
      ],
    },
    {
      name: 'sections answered fewer than 3 times are left out',
      sections: [
        ['mlops wk9', 'Drift', 2, 0],
        ['mlops wk9', 'Serving', 3, 2],
      ],
      want: [['mlops wk9', 'Serving', 2 / 3]],
    },
    {
      name: 'equal accuracy: more answered first',
      sections: [
        ['a', 'x', 4, 2],
        ['b', 'y', 8, 4],
      ],
      want: [
        ['b', 'y', 0.5],
        ['a', 'x', 0.5],
      ],
    },
    {
      name: 'custom minimum and limit',
      sections: [
        ['a', 'x', 1, 0],
        ['a', 'y', 1, 1],
      ],
      min: 1,
      limit: 1,
      want: [['a', 'x', 0]],
    },
    {
      name: 'sections at 80% or better are no weak spot',
      sections: [
        ['a', 'x', 5, 4],
        ['a', 'y', 4, 3],
        ['a', 'z', 10, 10],
      ],
      want: [['a', 'y', 0.75]],
    },
    { name: 'every section at 80% or better gives none', sections: [['a', 'x', 5, 4], ['a', 'y', 3, 3]], want: [] },
    {
      name: 'custom threshold',
      sections: [
        ['a', 'x', 4, 2],
        ['a', 'y', 4, 1],
      ],
      below: 0.5,
      want: [['a', 'y', 0.25]],
    },
    { name: 'no sections gives none', sections: [], want: [] },
  ];
  it.each(cases)('$name', ({ sections, min, limit, below, want }) => {
    const options = { ...(min !== undefined ? { minAnswered: min } : {}), ...(limit !== undefined ? { limit } : {}), ...(below !== undefined ? { below } : {}) };
    const got = weakestSections(member(sections), options).map((s) => [s.deck, s.section, s.accuracy]);
    expect(got).toEqual(want);
  });

  it('rows carry answered and correct counts', () => {
    expect(weakestSections(member([['d', 's', 4, 1]]))).toEqual([
      { deck: 'd', section: 's', answered: 4, correct: 1, accuracy: 0.25 },
    ]);
  });
});

describe('accuracy', () => {
  it('is correct / answered, 0 when nothing answered', () => {
    expect(accuracy({ answered: 4, correct: 3 })).toBe(0.75);
    expect(accuracy({ answered: 0, correct: 0 })).toBe(0);
  });
});

describe('the stats chart data', () => {
  const daily = (day: string, correct: boolean): ScoreEvent => ev({ userId: 'a', source: 'daily', day, correct, points: correct ? 10 : 0 });

  it('daily answers: solved and unsolved days, sorted, one entry per day', () => {
    const totals: Totals = {};
    for (const e of [daily('2026-11-25', false), daily('2026-11-23', true), daily('2026-11-25', true), daily('2026-11-24', false)]) applyEvent(totals, e, 'Ada');
    expect(dailyAnswers(totals.a!)).toEqual([
      { day: '2026-11-23', answered: 1, correct: 1 },
      { day: '2026-11-24', answered: 1, correct: 0 },
      { day: '2026-11-25', answered: 1, correct: 1 },
    ]);
  });

  it('totals recorded before answered days were kept show their solved days, and keep them when a new answer comes', () => {
    const old: MemberTotals = { ...emptyMemberTotals('Ada'), dailyDays: ['2026-11-20', '2026-11-21'] };
    expect(dailyAnswers(old)).toEqual([
      { day: '2026-11-20', answered: 1, correct: 1 },
      { day: '2026-11-21', answered: 1, correct: 1 },
    ]);
    const totals: Totals = { a: old };
    applyEvent(totals, daily('2026-11-22', false), 'Ada');
    expect(totals.a?.dailyAnsweredDays).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
  });

  it('sections: most answered first, then deck and section name; unanswered ones left out', () => {
    const totals: MemberTotals = {
      ...emptyMemberTotals('Ada'),
      sections: {
        [sectionKey('mlops wk9', 'Drift')]: { answered: 2, correct: 1 },
        [sectionKey('mlops wk9', '')]: { answered: 5, correct: 5 },
        [sectionKey('bio', 'Cells')]: { answered: 2, correct: 0 },
        [sectionKey('bio', 'Empty')]: { answered: 0, correct: 0 },
      },
    };
    expect(chartSections(totals).map((s) => [s.deck, s.section, s.answered])).toEqual([
      ['mlops wk9', '', 5],
      ['bio', 'Cells', 2],
      ['mlops wk9', 'Drift', 2],
    ]);
  });
});
