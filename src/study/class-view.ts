/**
 * The teacher's view of a class (`/class`) and the cards export: pure
 * aggregates over the members' memory records at a given time.
 *
 * - attempts: every judged attempt of every member on the card (their reviews);
 * - first-try accuracy: of the members who tried the card, the share whose
 *   first attempt was right at once (no hint, no wrong try, no typo);
 * - mean predicted recall: over the members who tried the card;
 * - a member knows a card when their predicted recall is at least 90%.
 */
import { renderPrompt, type Card } from '../deck/types.ts';
import { toCsv, type CsvValue } from '../competition/csv.ts';
import { stateOf, TARGET_RETENTION, type MemoryRecord } from './memory.ts';
import { classCardMemory, uniqueCards, type ClassCardMemory } from './notes.ts';

/** Cards need this many attempts before they can be listed among the hardest. */
export const HARDEST_MIN_ATTEMPTS = 3;

export interface ClassMember {
  readonly id: string;
  readonly name: string;
  /** The member's memory records for the decks viewed (empty when they never tried one). */
  readonly records: readonly MemoryRecord[];
}

export interface CardStats extends ClassCardMemory {
  readonly card: Card;
  /** Share of first tries that were right (0 to 1), or undefined when nobody tried the card. */
  readonly firstTryAccuracy: number | undefined;
}

export interface SectionMastery {
  readonly deck: string;
  readonly section: string;
  readonly cards: number;
  /** Cards of the section some member has tried. */
  readonly seen: number;
  /** Mean, over the seen cards, of the class's mean predicted recall (0 when none is seen). */
  readonly meanRecall: number;
  /** Members who tried at least one card of the section. */
  readonly members: number;
}

export interface ClassView {
  /** Lowest first-try accuracy first, among cards with at least 3 attempts. */
  readonly hardest: CardStats[];
  /** Weakest section first. */
  readonly sections: SectionMastery[];
  readonly studied: ClassMember[];
  readonly notStudied: ClassMember[];
  /** Cards due for at least one member by the end of today, and the reviews that makes. */
  readonly dueToday: { readonly cards: number; readonly reviews: number };
}

export interface ClassViewInput {
  readonly cards: readonly Card[];
  readonly members: readonly ClassMember[];
  readonly now: number;
  /** Start of this week: members with a review since then studied this week. */
  readonly weekStart: number;
  /** End of today: cards due by then are due today. */
  readonly dayEnd: number;
  /** How many hardest cards to list; default 5. */
  readonly hardestLimit?: number;
}

/** Per-card statistics in deck order. */
export function cardStats(cards: readonly Card[], records: readonly MemoryRecord[], now: number, dueBy = now): CardStats[] {
  return uniqueCards(cards).map((card) => {
    const memory = classCardMemory(card, records, now, { knowsAt: TARGET_RETENTION, dueBy });
    return { card, ...memory, firstTryAccuracy: memory.seenBy > 0 ? memory.firstTryRight / memory.seenBy : undefined };
  });
}

function studiedSince(records: readonly MemoryRecord[], since: number): boolean {
  return records.some((record) => Object.values(record).some((state) => state.last >= since));
}

export function classView(input: ClassViewInput): ClassView {
  const records = input.members.flatMap((m) => m.records);
  const stats = cardStats(input.cards, records, input.now, input.dayEnd);

  const hardest = stats
    .filter((s) => s.attempts >= HARDEST_MIN_ATTEMPTS && s.firstTryAccuracy !== undefined)
    .sort((a, b) => (a.firstTryAccuracy as number) - (b.firstTryAccuracy as number) || a.meanRecall - b.meanRecall)
    .slice(0, Math.max(0, input.hardestLimit ?? 5));

  const sectionKey = (card: Card) => `${card.deck}\u0000${card.section}`;
  const bySection = new Map<string, { deck: string; section: string; cards: number; seen: number; sum: number; members: Set<string> }>();
  for (const s of stats) {
    const key = sectionKey(s.card);
    const entry = bySection.get(key) ?? { deck: s.card.deck, section: s.card.section, cards: 0, seen: 0, sum: 0, members: new Set<string>() };
    entry.cards++;
    if (s.seenBy > 0) {
      entry.seen++;
      entry.sum += s.meanRecall;
      for (const member of input.members) if (member.records.some((record) => stateOf(record, s.card.id) !== undefined)) entry.members.add(member.id);
    }
    bySection.set(key, entry);
  }
  const sections = [...bySection.values()]
    .map(({ deck, section, cards, seen, sum, members }) => ({ deck, section, cards, seen, meanRecall: seen > 0 ? sum / seen : 0, members: members.size }))
    .sort((a, b) => a.meanRecall - b.meanRecall);

  const studied: ClassMember[] = [];
  const notStudied: ClassMember[] = [];
  for (const member of input.members) (studiedSince(member.records, input.weekStart) ? studied : notStudied).push(member);

  const due = stats.filter((s) => s.dueFor > 0);
  return {
    hardest,
    sections,
    studied,
    notStudied,
    dueToday: { cards: due.length, reviews: due.reduce((n, s) => n + s.dueFor, 0) },
  };
}

/** Columns of the cards export. */
export const CARDS_CSV_HEADER = [
  'deck',
  'section',
  'sentence',
  'attempts',
  'first-try accuracy %',
  'mean predicted recall %',
  'members who know it',
] as const;

/** The card's sentence with its own blanks shown in brackets: "… in a few [weeks] …". */
export function sentenceWithBlank(card: Pick<Card, 'parts' | 'answers'>): string {
  return renderPrompt(card, (i) => `[${card.answers[i] ?? ''}]`);
}

function percent(share: number | undefined): number | '' {
  return share === undefined ? '' : Math.round(share * 1000) / 10;
}

/** One export line per card (deck order), matching `CARDS_CSV_HEADER`. */
export function cardsCsvRows(stats: readonly CardStats[]): CsvValue[][] {
  return stats.map((s) => [
    s.card.deck,
    s.card.section,
    sentenceWithBlank(s.card),
    s.attempts,
    percent(s.firstTryAccuracy),
    percent(s.seenBy > 0 ? s.meanRecall : undefined),
    s.knownBy,
  ]);
}

/** The whole cards export, with the same CSV rules as the scores export. */
export function cardsCsv(cards: readonly Card[], records: readonly MemoryRecord[], now: number): string {
  return toCsv(CARDS_CSV_HEADER, cardsCsvRows(cardStats(cards, records, now)));
}
