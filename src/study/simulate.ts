/**
 * A simulated class, to check that choosing by class need and private
 * practice make students remember more than random questions. It drives the
 * bot's own pure functions (FSRS memory, `chooseForClass`, `nextPracticeCard`,
 * and today's random choice: `nextCardFromShuffle`, `chooseRoundCards`) with a
 * simulated clock. Deterministic: the same options give the same table.
 *
 * The class: each student has a personal ability (a factor on how long they
 * keep a card) and a prior knowledge (the chance to know a card never studied);
 * each card has an ease (some cards are harder for everyone). A student's true
 * recall of a studied card follows the FSRS forgetting curve of their reviews,
 * with stability × ability × ease. Every day a daily question is posted at
 * 09:00 and each student answers it with their own probability; on Tuesdays
 * and Thursdays a live round of 10 questions at 14:00, which each student joins
 * with their own probability; some students practise at 19:00 (up to 15 cards).
 * An answer is right with the student's true recall; a right answer is Good,
 * sometimes Hard (a hint or a typo); a wrong one Again.
 *
 * Scenarios, on the same class and the same attendance:
 * (a) random choice as the bot did before (daily shuffle, random rounds), no practice;
 * (b) class-adaptive choice (`mixed` focus);
 * (c) (b) plus `/practice` for half the students.
 */
import type { Card } from '../deck/types.ts';
import { seededRandom } from '../engine/random.ts';
import { chooseRoundCards } from '../engine/select.ts';
import { nextCardFromShuffle, type ShuffleState } from '../schedule/shuffle.ts';
import { chooseForClass } from './class-choice.ts';
import { DAY_MS, forgettingCurve, review, type MemoryState, type Rating, type ReviewSource } from './memory.ts';
import { uniqueCards } from './notes.ts';
import { nextPracticeCard } from './practice.ts';

export interface SimulationOptions {
  readonly cards: readonly Card[];
  readonly students: number;
  readonly days: number;
  readonly seed: string;
}

export type ScenarioName = 'a' | 'b' | 'c';

export interface ScenarioResult {
  readonly name: ScenarioName;
  readonly label: string;
  /** Mean true recall over every card and student, at each checkpoint. */
  readonly recall: readonly number[];
  /** Cards known by at least 80% of the class (the class's mean true recall of the card ≥ 80%: 80% of the students would recall it), at each checkpoint. */
  readonly known: readonly number[];
  /** Reviews made (all sources). */
  readonly reviews: number;
}

export interface SimulationResult {
  readonly students: number;
  readonly days: number;
  readonly seed: string;
  readonly cards: number;
  /** Checkpoint days: day 14 (or the end, when shorter), the end, 7 days after the end. */
  readonly checkpoints: readonly number[];
  readonly scenarios: readonly ScenarioResult[];
}

const HOUR_MS = 3_600_000;
/** Monday 2026-01-05 00:00 UTC: day 0 of every simulation. */
export const SIMULATION_START = Date.UTC(2026, 0, 5);
const LIVE_QUESTIONS = 10;
const LIVE_WEEKDAYS = new Set([1, 3]); // days after Monday: Tuesday, Thursday
const PRACTICE_MAX_CARDS = 15;
const KNOWN_BY_SHARE = 0.8;

interface Student {
  readonly ability: number;
  readonly prior: number;
  readonly dailyChance: number;
  readonly liveChance: number;
  readonly practiseChance: number;
  /** Practises in scenario (c). */
  readonly practises: boolean;
}

const LABELS: Record<ScenarioName, string> = {
  a: '(a) random, no practice',
  b: '(b) class-adaptive',
  c: '(c) (b) + practice for half',
};

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function makeClass(count: number, seed: string): Student[] {
  const random = seededRandom(`${seed}:class`);
  return Array.from({ length: count }, (_, i) => ({
    ability: Math.exp(0.35 * normal(random)),
    prior: 0.05 + 0.2 * random(),
    dailyChance: 0.3 + 0.6 * random(),
    liveChance: 0.5 + 0.45 * random(),
    practiseChance: 0.5 + 0.4 * random(),
    practises: i % 2 === 0,
  }));
}

/** One scenario's class: the bot's memory of each student, and what is really known. */
class SimulatedClass {
  /** The bot's memory (FSRS states) per student, by card id. */
  readonly records: Record<string, MemoryState>[];
  reviews = 0;

  constructor(
    readonly students: readonly Student[],
    readonly ease: ReadonlyMap<string, number>,
    private readonly answers: () => number,
  ) {
    this.records = students.map(() => ({}));
  }

  trueRecall(student: number, cardId: string, now: number): number {
    const state = this.records[student]?.[cardId];
    const s = this.students[student] as Student;
    if (state === undefined) return s.prior;
    return forgettingCurve((now - state.last) / DAY_MS, state.stability * s.ability * (this.ease.get(cardId) ?? 1));
  }

  /** The student answers: right with their true recall; the review updates the bot's memory. */
  answer(student: number, card: Card, now: number, source: ReviewSource): Rating {
    const right = this.answers() < this.trueRecall(student, card.id, now);
    const rating: Rating = right ? (this.answers() < 0.85 ? 'good' : 'hard') : 'again';
    const record = this.records[student] as Record<string, MemoryState>;
    record[card.id] = review(record[card.id], rating, now, source);
    this.reviews++;
    return rating;
  }

  measure(cards: readonly Card[], now: number): { recall: number; known: number } {
    let sum = 0;
    let known = 0;
    for (const card of cards) {
      let cardSum = 0;
      for (let i = 0; i < this.students.length; i++) cardSum += this.trueRecall(i, card.id, now);
      sum += cardSum;
      if (cardSum >= KNOWN_BY_SHARE * this.students.length) known++;
    }
    return { recall: sum / (cards.length * this.students.length), known };
  }
}

function runScenario(name: ScenarioName, options: SimulationOptions, students: readonly Student[], ease: ReadonlyMap<string, number>, cards: readonly Card[], checkpoints: readonly number[]): ScenarioResult {
  const { seed, days } = options;
  const sim = new SimulatedClass(students, ease, seededRandom(`${seed}:answers`));
  const adaptive = name !== 'a';
  let shuffleState: ShuffleState | null = null;
  let previousDaily: Card | undefined;
  const byId = new Map(cards.map((card) => [card.id, card]));
  const recall: number[] = [];
  const known: number[] = [];
  const checkpoint = (day: number) => {
    const m = sim.measure(cards, SIMULATION_START + day * DAY_MS);
    recall.push(m.recall);
    known.push(m.known);
  };

  for (let day = 0; day < days; day++) {
    const dayStart = SIMULATION_START + day * DAY_MS;
    // Attendance draws depend on the student and the day only: the same in every scenario.
    const attendance = students.map((_, i) => seededRandom(`${seed}:attend:${i}:${day}`));

    // Daily question at 09:00; answers during the next 10 hours.
    const dropAt = dayStart + 9 * HOUR_MS;
    let daily: Card | undefined;
    if (adaptive) {
      daily = chooseForClass({ cards, records: sim.records, now: dropAt, count: 1, seed: `${seed}:daily:${day}`, position: day, ...(previousDaily ? { avoid: [previousDaily] } : {}) })[0];
    } else {
      const next = nextCardFromShuffle(shuffleState, cards.map((c) => c.id), seededRandom(`${seed}:daily:${day}`));
      shuffleState = next?.state ?? shuffleState;
      daily = next ? byId.get(next.cardId) : undefined;
    }
    if (daily !== undefined) {
      const answerers = students
        .map((s, i) => ({ i, go: (attendance[i] as () => number)() < s.dailyChance, at: dropAt + Math.floor((attendance[i] as () => number)() * 10 * HOUR_MS) }))
        .filter((a) => a.go)
        .sort((x, y) => x.at - y.at || x.i - y.i);
      for (const a of answerers) sim.answer(a.i, daily, a.at, 'daily');
      previousDaily = daily;
    }

    // Live round on Tuesdays and Thursdays at 14:00, one question a minute.
    if (LIVE_WEEKDAYS.has(day % 7)) {
      const startAt = dayStart + 14 * HOUR_MS;
      const round = adaptive
        ? chooseForClass({ cards, records: sim.records, now: startAt, count: LIVE_QUESTIONS, seed: `${seed}:live:${day}` })
        : chooseRoundCards(cards, LIVE_QUESTIONS, seededRandom(`${seed}:live:${day}`));
      const present = students.map((s, i) => (attendance[i] as () => number)() < s.liveChance);
      round.forEach((card, q) => {
        const at = startAt + q * 60_000;
        students.forEach((_, i) => {
          // 85% of the members present try each question.
          const tries = (attendance[i] as () => number)() < 0.85;
          if (present[i] && tries) sim.answer(i, card, at, 'live');
        });
      });
    }

    // Practice at 19:00 for the students who practise (scenario c).
    if (name === 'c') {
      students.forEach((s, i) => {
        if (!s.practises || (attendance[i] as () => number)() >= s.practiseChance) return;
        const record = sim.records[i] as Record<string, MemoryState>;
        let at = dayStart + 19 * HOUR_MS;
        let previous: Card | undefined;
        for (let n = 0; n < PRACTICE_MAX_CARDS; n++) {
          const next = nextPracticeCard({ cards, records: [record], now: at, day: { start: dayStart, end: dayStart + DAY_MS }, ...(previous ? { previous } : {}) });
          if (next.kind !== 'card') break;
          sim.answer(i, next.card, at, 'practice');
          previous = next.card;
          at += 20_000;
        }
      });
    }

    if (checkpoints.includes(day + 1)) checkpoint(day + 1);
  }
  // The checkpoint after the end: nobody studies in between.
  for (const day of checkpoints) if (day > days) checkpoint(day);
  return { name, label: LABELS[name], recall, known, reviews: sim.reviews };
}

/** Runs the three scenarios on the same class. */
export function simulate(options: SimulationOptions): SimulationResult {
  const cards = uniqueCards(options.cards);
  const days = Math.max(1, Math.floor(options.days));
  const students = makeClass(Math.max(1, Math.floor(options.students)), options.seed);
  const easeRandom = seededRandom(`${options.seed}:ease`);
  const ease = new Map(cards.map((card) => [card.id, Math.exp(0.4 * normal(easeRandom))]));
  const checkpoints = [...new Set([Math.min(14, days), days, days + 7])];
  const scenarios = (['a', 'b', 'c'] as const).map((name) => runScenario(name, { ...options, days }, students, ease, cards, checkpoints));
  return { students: students.length, days, seed: options.seed, cards: cards.length, checkpoints, scenarios };
}

/** `(b)/(a)`: mean recall at the end of scenario `name` over scenario (a)'s. */
export function recallRatio(result: SimulationResult, name: ScenarioName): number {
  const end = result.checkpoints.indexOf(result.days);
  const of = (n: ScenarioName) => result.scenarios.find((s) => s.name === n)?.recall[end] ?? 0;
  return of(name) / of('a');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The table printed by `npm run simulate`. */
export function formatSimulation(result: SimulationResult): string {
  const head = [
    'scenario',
    ...result.checkpoints.map((d) => `recall day ${d}`),
    ...result.checkpoints.filter((d) => d >= result.days).map((d) => `known ≥80% day ${d}`),
    'reviews',
  ];
  const knownAt = result.checkpoints.map((d, i) => ({ d, i })).filter(({ d }) => d >= result.days);
  const rows = result.scenarios.map((s) => [
    s.label,
    ...s.recall.map(pct),
    ...knownAt.map(({ i }) => `${s.known[i]} / ${result.cards}`),
    String(s.reviews),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [
    `${result.students} students, ${result.days} days, ${result.cards} cards, seed ${result.seed}`,
    '',
    line(head),
    rule,
    ...rows.map(line),
    '',
    `(b)/(a): ${recallRatio(result, 'b').toFixed(2)}`,
    `(c)/(a): ${recallRatio(result, 'c').toFixed(2)}`,
  ].join('\n');
}
