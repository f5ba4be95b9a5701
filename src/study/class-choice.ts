/**
 * Which cards the class is asked (daily drops, live rounds): chosen by class
 * need, not at random. Pure and deterministic for the same cards, memory
 * records, clock and seed.
 *
 * - `mixed` (default): the seen cards with the lowest mean predicted recall
 *   (among the members who have tried them), mixed with new cards (nobody has
 *   tried them) while some remain: a new card at every third question
 *   (positions 0, 3, 6… of the class's question sequence); more while much of
 *   the pool is unseen (the share of new cards chosen keeps up with the share
 *   of unseen cards in the pool, so a class that has met few cards meets more
 *   of them first); and instead of a seen card the class already knows (mean
 *   recall at or above the 90% target). When one kind runs out, the other
 *   fills in.
 * - `weak`: seen cards only, weakest first.
 * - `new`: new cards only, in seeded random order.
 *
 * Never two cards of the same note in one choice, and never a note of `avoid`
 * (the previous daily question), unless the pool has no other note at all.
 * Equal needs are ordered by a seeded shuffle.
 */
import type { Card } from '../deck/types.ts';
import { seededRandom } from '../engine/random.ts';
import { shuffle } from '../engine/select.ts';
import { TARGET_RETENTION, type MemoryRecord } from './memory.ts';
import { classCardMemory, noteKey, uniqueCards } from './notes.ts';

export type Focus = 'mixed' | 'weak' | 'new';

export const FOCUSES: readonly Focus[] = ['mixed', 'weak', 'new'];

export interface ClassChoiceInput {
  /** The pool: the cards of the decks (and section) asked. */
  readonly cards: readonly Card[];
  /** The members' memory records for the pool's decks (any number per member: a card is in one record per member). */
  readonly records: readonly MemoryRecord[];
  readonly now: number;
  readonly count: number;
  readonly seed: number | string;
  readonly focus?: Focus;
  /** Index of the first chosen card in the class's question sequence (e.g. the daily drop number); default 0. */
  readonly position?: number;
  /** Cards whose notes must not be asked (the previous daily question). */
  readonly avoid?: readonly Pick<Card, 'deck' | 'text'>[];
}

interface Candidate {
  readonly card: Card;
  readonly note: string;
  readonly meanRecall: number;
}

/** Up to `count` cards for the class, in the order to ask them. */
export function chooseForClass(input: ClassChoiceInput): Card[] {
  const chosen = choose(input, new Set((input.avoid ?? []).map(noteKey)));
  // A pool made of the avoided notes only still gets its question.
  if (chosen.length === 0 && (input.avoid ?? []).length > 0) return choose(input, new Set());
  return chosen;
}

function choose(input: ClassChoiceInput, avoid: ReadonlySet<string>): Card[] {
  const focus = input.focus ?? 'mixed';
  const random = seededRandom(input.seed);
  const pool = shuffle(uniqueCards(input.cards), random);
  const seen: Candidate[] = [];
  const fresh: Candidate[] = [];
  for (const card of pool) {
    const memory = classCardMemory(card, input.records, input.now);
    const candidate = { card, note: noteKey(card), meanRecall: memory.meanRecall };
    (memory.seenBy > 0 ? seen : fresh).push(candidate);
  }
  // Stable sort: equal needs keep the seeded order.
  seen.sort((a, b) => a.meanRecall - b.meanRecall);

  const used = new Set(avoid);
  const take = (list: Candidate[]): Candidate | undefined => {
    const i = list.findIndex((c) => !used.has(c.note));
    if (i < 0) return undefined;
    const [picked] = list.splice(i, 1);
    return picked;
  };
  const peek = (list: readonly Candidate[]): Candidate | undefined => list.find((c) => !used.has(c.note));

  // The share of the pool nobody has tried: the more of it, the more new cards.
  const unseenShare = pool.length > 0 ? fresh.length / pool.length : 0;
  let newCount = 0;
  const out: Card[] = [];
  const start = Math.max(0, Math.floor(input.position ?? 0));
  for (let i = 0; out.length < input.count; i++) {
    let picked: Candidate | undefined;
    if (focus === 'weak') picked = take(seen);
    else if (focus === 'new') picked = take(fresh);
    else {
      const weakest = peek(seen);
      const wantNew =
        (start + i) % 3 === 0 || weakest === undefined || weakest.meanRecall >= TARGET_RETENTION || newCount < Math.floor((out.length + 1) * unseenShare);
      const before = fresh.length;
      picked = wantNew ? (take(fresh) ?? take(seen)) : (take(seen) ?? take(fresh));
      if (fresh.length < before) newCount++;
    }
    if (picked === undefined) break;
    used.add(picked.note);
    out.push(picked.card);
  }
  return out;
}
