/**
 * How the score index parts and day records store their members' tallies.
 *
 * Layout 4 first stored them as objects (`members: { <user>: { points, answered,
 * correct, won, decks: { <deck>: {…} } } }`), repeating every field name for every
 * member and deck. They are now stored packed: the record's deck names once
 * (`decks`), and per member one flat array of numbers (`tallies`):
 *
 *     [points, answered, correct, won, (deck index, points, answered, correct, won)…]
 *
 * The same tallies take about 40% of the bytes, and reading a part back (parse, then
 * unpack) takes about two thirds of the time of parsing the objects, and writing it
 * less. Records are read in either shape (a store written before keeps every tally
 * and each record is written packed when it next changes), so no migration is needed.
 */
import { setOwn } from '../competition/aggregate.ts';
import type { DayTotals, Tally } from '../competition/types.ts';

export interface PackedTallies {
  readonly decks: readonly string[];
  readonly tallies: Readonly<Record<string, readonly number[]>>;
}

/** A stored index part or day record, in either shape. */
export type StoredTallies = { readonly members: Readonly<Record<string, DayTotals>> } | PackedTallies;

export function packTallies(members: Readonly<Record<string, DayTotals>>): PackedTallies {
  const decks: string[] = [];
  const deckIndex = new Map<string, number>();
  const tallies: Record<string, number[]> = {};
  for (const userId of Object.keys(members)) {
    const t = members[userId] as DayTotals;
    const row = [t.points, t.answered, t.correct, t.won];
    for (const deck of Object.keys(t.decks)) {
      let index = deckIndex.get(deck);
      if (index === undefined) {
        index = decks.length;
        decks.push(deck);
        deckIndex.set(deck, index);
      }
      const d = t.decks[deck] as Tally;
      row.push(index, d.points, d.answered, d.correct, d.won);
    }
    setOwn(tallies, userId, row);
  }
  return { decks, tallies };
}

/** The members' tallies of a stored record, whichever its shape: a new object, own properties by user id. */
export function unpackTallies(record: StoredTallies): Record<string, DayTotals> {
  if ('members' in record) return { ...record.members };
  const out: Record<string, DayTotals> = {};
  const { decks, tallies } = record;
  for (const userId of Object.keys(tallies)) {
    const row = tallies[userId] as readonly number[];
    const byDeck: Record<string, Tally> = {};
    for (let i = 4; i + 4 < row.length; i += 5) {
      setOwn(byDeck, decks[row[i] as number] as string, { points: row[i + 1] as number, answered: row[i + 2] as number, correct: row[i + 3] as number, won: row[i + 4] as number });
    }
    setOwn(out, userId, { points: row[0] as number, answered: row[1] as number, correct: row[2] as number, won: row[3] as number, decks: byDeck });
  }
  return out;
}

/**
 * Adds a packed record's members' tallies into `out`, as `addDayTallies` adds them from objects
 * (with `decks`, only the matching decks, and a member only when one matches), without making them.
 */
export function addPackedTallies(out: Map<string, Tally>, record: PackedTallies, decks?: (deck: string) => boolean): void {
  const matching = decks ? record.decks.map((deck) => decks(deck)) : undefined;
  const { tallies } = record;
  for (const userId of Object.keys(tallies)) {
    const row = tallies[userId] as readonly number[];
    let t = out.get(userId);
    if (!matching) {
      if (!t) out.set(userId, (t = { points: 0, answered: 0, correct: 0, won: 0 }));
      t.points += row[0] as number;
      t.answered += row[1] as number;
      t.correct += row[2] as number;
      t.won += row[3] as number;
      continue;
    }
    for (let i = 4; i + 4 < row.length; i += 5) {
      if (!matching[row[i] as number]) continue;
      if (!t) out.set(userId, (t = { points: 0, answered: 0, correct: 0, won: 0 }));
      t.points += row[i + 1] as number;
      t.answered += row[i + 2] as number;
      t.correct += row[i + 3] as number;
      t.won += row[i + 4] as number;
    }
  }
}
