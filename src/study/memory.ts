/**
 * A member's memory of a card, scheduled with FSRS (ts-fsrs, the scheduler
 * Anki uses), with its default weights and a 90% target retention. Pure: the
 * time is always passed in.
 *
 * Short-term learning steps (minutes) are off: a member meets a card in a
 * daily question, a live round or a practice session, days apart more often
 * than minutes, so every review schedules the card in days (a first Again
 * comes back the next day, Hard in 2 days, Good in 3).
 *
 * State exists only for cards a member has tried: `review(undefined, …)` is
 * the first review. The state is plain JSON, stored as is.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating as FsrsRating, State, type Card as FsrsCard } from 'ts-fsrs';

/** How a member did on one question (derived, never asked; see rating.ts). Never Easy. */
export type Rating = 'again' | 'hard' | 'good';

/** Where a review comes from. */
export type ReviewSource = 'live' | 'daily' | 'practice';

export type MemoryPhase = 'learning' | 'review' | 'relearning';

export interface MemoryState {
  /** When the card is due again (ms since the epoch). */
  readonly due: number;
  /** FSRS stability: days until predicted recall falls to 90%. */
  readonly stability: number;
  /** FSRS difficulty, 1 (easy) to 10 (hard). */
  readonly difficulty: number;
  readonly phase: MemoryPhase;
  /** Days between the last review and `due`. */
  readonly scheduledDays: number;
  /** Number of reviews. */
  readonly reps: number;
  /** Number of times a remembered card was forgotten (Again after the first review). */
  readonly lapses: number;
  /** Time of the last review. */
  readonly last: number;
  /** Time of the first review, its rating and where it happened. */
  readonly first: number;
  readonly firstRating: Rating;
  readonly firstSource: ReviewSource;
}

export const DAY_MS = 86_400_000;
/** The recall FSRS aims for when it schedules a card; also "knows it" in the teacher's view. */
export const TARGET_RETENTION = 0.9;

const scheduler = fsrs(generatorParameters({ enable_short_term: false, enable_fuzz: false, request_retention: TARGET_RETENTION }));

const TO_FSRS: Record<Rating, FsrsRating.Again | FsrsRating.Hard | FsrsRating.Good> = {
  again: FsrsRating.Again,
  hard: FsrsRating.Hard,
  good: FsrsRating.Good,
};

const PHASE_OF: Partial<Record<State, MemoryPhase>> = {
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};

const STATE_OF: Record<MemoryPhase, State> = {
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};

function toFsrs(state: MemoryState, now: number): FsrsCard {
  return {
    due: new Date(state.due),
    stability: state.stability,
    difficulty: state.difficulty,
    elapsed_days: Math.max(0, Math.floor((now - state.last) / DAY_MS)),
    scheduled_days: state.scheduledDays,
    learning_steps: 0,
    reps: state.reps,
    lapses: state.lapses,
    state: STATE_OF[state.phase],
    last_review: new Date(state.last),
  };
}

/** The state after one review at `now`; `undefined` is a card the member never tried. */
export function review(state: MemoryState | undefined, rating: Rating, now: number, source: ReviewSource): MemoryState {
  const before = state === undefined ? createEmptyCard(new Date(now)) : toFsrs(state, now);
  const { card } = scheduler.next(before, new Date(now), TO_FSRS[rating]);
  return {
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    phase: PHASE_OF[card.state] ?? 'review',
    scheduledDays: card.scheduled_days,
    reps: card.reps,
    lapses: card.lapses,
    last: now,
    first: state?.first ?? now,
    firstRating: state?.firstRating ?? rating,
    firstSource: state?.firstSource ?? source,
  };
}

/** FSRS's forgetting curve: the chance of recall `elapsedDays` after a review that left `stability`. */
export function forgettingCurve(elapsedDays: number, stability: number): number {
  return scheduler.forgetting_curve(Math.max(0, elapsedDays), stability);
}

/** Predicted recall at `now` (0 to 1); 0 for a card never tried. */
export function recall(state: MemoryState | undefined, now: number): number {
  if (state === undefined) return 0;
  return forgettingCurve((now - state.last) / DAY_MS, state.stability);
}

/** A member's states in one deck, by card id. */
export type MemoryRecord = Readonly<Record<string, MemoryState>>;

/** The state of a card in a record, safe for any id (ids come from stored data). */
export function stateOf(record: MemoryRecord | undefined, cardId: string): MemoryState | undefined {
  return record !== undefined && Object.hasOwn(record, cardId) ? record[cardId] : undefined;
}

/** A copy of `record` with `cardId` set, safe for any id. */
export function withState(record: MemoryRecord | undefined, cardId: string, state: MemoryState): MemoryRecord {
  const out: Record<string, MemoryState> = { ...record };
  Object.defineProperty(out, cardId, { value: state, writable: true, enumerable: true, configurable: true });
  return out;
}
