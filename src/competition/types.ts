/**
 * The competition data model: judged attempts (score events) and the running
 * totals built from them. Everything here is plain JSON-safe data, so the
 * storage layer can persist it as-is.
 */

/** One judged attempt by a member on one question, recorded when the question closes for that member. */
export interface ScoreEvent {
  userId: string;
  /** Epoch ms. */
  at: number;
  /** Full deck name, e.g. "mlops wk9". */
  deck: string;
  /** Section title, "" when none. */
  section: string;
  cardId: string;
  correct: boolean;
  /** 0 when wrong. */
  points: number;
  source: 'live' | 'daily';
  /** Live round: this member won the question (first correct). */
  won?: boolean;
  /** Daily: the drop's local day 'YYYY-MM-DD' (for streaks). */
  day?: string;
}

export interface Tally {
  points: number;
  answered: number;
  correct: number;
  won: number;
}

/** Answered/correct counts of one deck section. */
export interface SectionTally {
  answered: number;
  correct: number;
}

/** Running totals for one scope (all time, or one season) of one server. */
export interface MemberTotals extends Tally {
  /** Last known display name. */
  name: string;
  /** By full deck name. */
  decks: Record<string, Tally>;
  /** Key `${deck}\u0000${section}` (see `sectionKey`). */
  sections: Record<string, SectionTally>;
  /** Sorted unique local days ('YYYY-MM-DD') with a correct daily answer. */
  dailyDays: string[];
  /**
   * Sorted unique local days with any daily answer, solved or not. Absent in totals
   * recorded before it was kept: their solved days (`dailyDays`) are the answered days known.
   */
  dailyAnsweredDays?: string[];
}

/** One member's totals of one local day: overall and by full deck name (for week and month leaderboards). */
export interface DayTotals extends Tally {
  decks: Record<string, Tally>;
}

/** Member totals by user id. */
export type Totals = Record<string, MemberTotals>;

/** One leaderboard line. `rank` is shared by members with equal points (1, 2, 2, 4). */
export type RankedRow = { rank: number; userId: string; name: string } & Tally;

/** Leaderboard scopes. */
export type Period = 'all' | 'week' | 'month' | 'season';

/** A half-open time range [from, to) in epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}

/** A member's result in one section, for "what to review" hints. */
export interface SectionStat {
  deck: string;
  section: string;
  answered: number;
  correct: number;
  /** correct / answered, 0–1. */
  accuracy: number;
}
