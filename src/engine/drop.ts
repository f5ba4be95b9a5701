/**
 * The rules of one daily drop, pure: which card it asks, the open drop once
 * posted, members' answers (judging, tries, points), and the score events of
 * its reveal. The clock and randomness are passed in; storing the drop and
 * talking to Discord happen elsewhere.
 *
 * Rules:
 * - Each member has `TRIES_PER_DROP` tries. A wrong reply shaped as a list
 *   of guesses, or made of words the sentence shows, is refused without
 *   using a try (see `reply-shape.ts`); what a verdict says never depends on
 *   the answer beyond right or not. A right answer scores
 *   `dailyPoints` (a bonus for the first solver); after it, more tries are
 *   refused. A member's last wrong try records a wrong answer at once.
 * - At the reveal, members who tried without solving and still had tries
 *   left record one wrong answer each.
 * - The score events of an answer are kept in the drop with the answer, as
 *   an award with its id (`awards`), so the answer and its points are one
 *   unit (see daily/drops.ts).
 * - Cards are dealt from a shuffle per server and deck (see `shuffle.ts`).
 * - Two drops in a row never ask cards of the same note (they share a
 *   sentence, so one would show the other's answer): when the card dealt
 *   next shares the previous drop's note, the next card of another note in
 *   the shuffle comes first; when every card left in the cycle shares it, a
 *   card of another note already dealt this cycle is asked again first.
 *   Only a deck of a single note repeats its note.
 */
import type { ScoreEvent } from '../competition/types.ts';
import type { Card } from '../deck/types.ts';
import { nextCardFromShuffle, type ShuffleState } from '../schedule/shuffle.ts';
import { localDay } from '../schedule/time.ts';
import { noteKey } from '../study/notes.ts';
import { judge, type Verdict } from './judge.ts';
import { shapeHint, shapeRefusal, type ShapeHint, type ShapeRefusal } from './reply-shape.ts';
import { dailyPoints, type DailyPoints } from './scoring.ts';

export const TRIES_PER_DROP = 3;

export interface Solver {
  readonly userId: string;
  readonly name: string;
  readonly at: number;
  readonly points: number;
  /** The try (1–3) that solved it; absent on drops opened before it was kept (then: wrong tries + 1). */
  readonly try?: number;
}

export interface OpenDrop {
  readonly id: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly card: Card;
  readonly postedAt: number;
  /** Local day of the drop in the schedule's time zone (for streaks). */
  readonly day: string;
  readonly kind: 'scheduled' | 'extra';
  readonly solvers: readonly Solver[];
  /** Wrong tries per member. */
  readonly tries: Readonly<Record<string, number>>;
  readonly names: Readonly<Record<string, string>>;
  /**
   * The awards of the drop's answers (and, on a closed drop, of its reveal),
   * stored with the answers they come from, so that an answer and its points
   * are one unit: whoever finds an award here that the scores do not have yet
   * records it (by its id, so never twice). Absent on drops of earlier versions.
   */
  readonly awards?: readonly DropAward[];
}

/** The score events of one answer (or of the reveal) with the id they are recorded under. */
export interface DropAward {
  /** `daily:<drop id>:<user id>`, or `daily:<drop id>:reveal`. */
  readonly id: string;
  readonly events: readonly ScoreEvent[];
}

/** The id of a member's award on a drop: a member scores at most once per drop (a right answer or a last wrong try). */
export function answerAwardId(dropId: string, userId: string): string {
  return `daily:${dropId}:${userId}`;
}

export type AnswerResult =
  | { readonly type: 'correct'; readonly points: DailyPoints; readonly first: boolean; readonly verdict: Verdict; readonly card: Card }
  | { readonly type: 'wrong'; readonly triesLeft: number; readonly verdict: Verdict; readonly hint: ShapeHint | null }
  /** A list of guesses, or words the sentence already shows: no try used. */
  | { readonly type: 'refused'; readonly triesLeft: number; readonly reason: ShapeRefusal }
  | { readonly type: 'already-solved' }
  | { readonly type: 'no-tries-left' }
  | { readonly type: 'closed' };

export type MemberState = { readonly state: 'closed' } | { readonly state: 'solved' | 'no-tries-left' | number; readonly drop: OpenDrop };

/**
 * The next card of a server's drops from `pool` and the shuffle state to
 * store, or null when the pool is empty. `previous` is the card of the
 * previous drop: the card chosen is never of its note unless the pool has no
 * other note.
 */
export function chooseCard(state: ShuffleState | undefined, pool: readonly Card[], random: () => number, previous?: Card): { card: Card; state: ShuffleState } | null {
  const next = nextCardFromShuffle(state ?? null, pool.map((c) => c.id), random);
  if (!next) return null;
  const byId = new Map(pool.map((c) => [c.id, c]));
  const avoid = previous === undefined ? undefined : noteKey(previous);
  const otherNote = (id: string | undefined) => {
    const card = id === undefined ? undefined : byId.get(id);
    return card !== undefined && noteKey(card) !== avoid;
  };
  const { order, position } = next.state;
  const at = position - 1;
  if (!otherNote(order[at])) {
    // Later in this cycle first, else a card already dealt in it.
    const later = order.findIndex((id, i) => i > at && otherNote(id));
    const earlier = later < 0 ? order.findIndex((id, i) => i < at && otherNote(id)) : -1;
    if (later >= 0) {
      const swapped = [...order];
      [swapped[at], swapped[later]] = [swapped[later] as string, swapped[at] as string];
      return pick(byId, { order: swapped, position });
    }
    if (earlier >= 0) {
      // Asked again now; the cards of the previous note stay next.
      const again = order[earlier] as string;
      const reordered = [...order.slice(0, at).filter((id) => id !== again), again, ...order.slice(at)];
      return pick(byId, { order: reordered, position: at });
    }
  }
  return pick(byId, next.state);
}

function pick(byId: ReadonlyMap<string, Card>, state: ShuffleState): { card: Card; state: ShuffleState } | null {
  const card = byId.get(state.order[state.position - 1] ?? '');
  return card ? { card, state } : null;
}

/**
 * A drop's id from the time it is posted and the server's drop count: unique
 * per server even for two drops in the same millisecond, so the button of a
 * revealed drop never answers the next one.
 */
export function dropId(postedAt: number, count: number): string {
  return `${postedAt.toString(36)}-${count.toString(36)}`;
}

export interface PostedDrop {
  readonly id: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly card: Card;
  readonly postedAt: number;
  readonly timeZone: string;
  readonly kind: OpenDrop['kind'];
}

/** The open drop once its message was posted: nobody has answered yet. */
export function openDrop(posted: PostedDrop): OpenDrop {
  const { timeZone, ...rest } = posted;
  return { ...rest, day: localDay(new Date(posted.postedAt), timeZone), solvers: [], tries: {}, names: {} };
}

/** How many tries a member has left on the open drop `dropId`, and whether they solved it. */
export function memberState(drop: OpenDrop | undefined, dropId: string, userId: string): MemberState {
  if (!drop || drop.id !== dropId) return { state: 'closed' };
  if (drop.solvers.some((s) => s.userId === userId)) return { state: 'solved', drop };
  const left = TRIES_PER_DROP - (drop.tries[userId] ?? 0);
  return { state: left > 0 ? left : 'no-tries-left', drop };
}

export interface Answer {
  readonly dropId: string;
  readonly userId: string;
  readonly name: string;
  readonly reply: string;
  readonly at: number;
}

/**
 * A member's answer to the open drop: the drop afterwards, the result to show
 * them and the score events to record (none when nothing counted).
 */
export function answerDrop(drop: OpenDrop | undefined, answer: Answer): { drop: OpenDrop | undefined; result: AnswerResult; events: ScoreEvent[]; award?: DropAward } {
  const next = judgeAnswer(drop, answer);
  if (next.events.length === 0 || !next.drop) return next;
  const award: DropAward = { id: answerAwardId(next.drop.id, answer.userId), events: next.events };
  return { ...next, drop: { ...next.drop, awards: [...(next.drop.awards ?? []), award] }, award };
}

function judgeAnswer(drop: OpenDrop | undefined, answer: Answer): { drop: OpenDrop | undefined; result: AnswerResult; events: ScoreEvent[] } {
  const { userId, name, at } = answer;
  const state = memberState(drop, answer.dropId, userId);
  if (state.state === 'closed') return { drop, result: { type: 'closed' }, events: [] };
  if (state.state === 'solved') return { drop, result: { type: 'already-solved' }, events: [] };
  if (state.state === 'no-tries-left') return { drop, result: { type: 'no-tries-left' }, events: [] };
  const open = state.drop;
  const verdict = judge(open.card, answer.reply);
  const names = { ...open.names, [userId]: name };
  if (verdict.correct) {
    const first = open.solvers.length === 0;
    const points = dailyPoints(first);
    return {
      drop: { ...open, names, solvers: [...open.solvers, { userId, name, at, points: points.total, try: (open.tries[userId] ?? 0) + 1 }] },
      result: { type: 'correct', points, first, verdict, card: open.card },
      events: [scoreEvent(open, userId, at, points.total)],
    };
  }
  const refused = shapeRefusal(open.card, answer.reply);
  if (refused) return { drop, result: { type: 'refused', triesLeft: state.state, reason: refused }, events: [] };
  const triesLeft = state.state - 1;
  return {
    drop: { ...open, names, tries: { ...open.tries, [userId]: TRIES_PER_DROP - triesLeft } },
    result: { type: 'wrong', triesLeft, verdict, hint: shapeHint(open.card, answer.reply) },
    events: triesLeft === 0 ? [scoreEvent(open, userId, at, null)] : [],
  };
}

/** The wrong answers recorded at the reveal: members who tried, did not solve it and had tries left. */
export function revealEvents(drop: OpenDrop, at: number): ScoreEvent[] {
  const solved = new Set(drop.solvers.map((s) => s.userId));
  return Object.entries(drop.tries)
    .filter(([userId, tries]) => !solved.has(userId) && tries < TRIES_PER_DROP)
    .map(([userId]) => scoreEvent(drop, userId, at, null));
}

/** The award of a drop's reveal (the wrong answers of `revealEvents`), or undefined when there are none. */
export function revealAward(drop: OpenDrop, at: number): DropAward | undefined {
  const events = revealEvents(drop, at);
  return events.length ? { id: `daily:${drop.id}:reveal`, events } : undefined;
}

/** A daily answer of `userId`: right with `points`, or wrong (null). */
function scoreEvent(drop: OpenDrop, userId: string, at: number, points: number | null): ScoreEvent {
  return { userId, at, deck: drop.card.deck, section: drop.card.section, cardId: drop.card.id, correct: points !== null, points: points ?? 0, source: 'daily', day: drop.day };
}

/** How many solved the drop on their 1st, 2nd and 3rd try, and how many tried without solving it. */
export function revealCounts(drop: Pick<OpenDrop, 'solvers' | 'tries'>): { solvedOnTry: [number, number, number]; notSolved: number } {
  const solvedOnTry: [number, number, number] = [0, 0, 0];
  for (const s of drop.solvers) {
    const n = s.try ?? (Object.hasOwn(drop.tries, s.userId) ? (drop.tries[s.userId] ?? 0) : 0) + 1;
    const i = Math.min(TRIES_PER_DROP, Math.max(1, n)) - 1;
    solvedOnTry[i] = (solvedOnTry[i] ?? 0) + 1;
  }
  const solved = new Set(drop.solvers.map((s) => s.userId));
  const notSolved = Object.entries(drop.tries).filter(([userId, tries]) => tries > 0 && !solved.has(userId)).length;
  return { solvedOnTry, notSolved };
}
