/**
 * How the score index parts and day records store their members' tallies.
 *
 * Layout 4 first stored them as objects (`members: { <user>: { points, answered,
 * correct, won, decks: { <deck>: {…} } } }`), repeating every field name for every
 * member and deck. They are now stored packed: the record's deck names once
 * (`decks`), the members' ids in a list (`ids`), and at the same place in `rows`
 * each member's tallies as one flat array of numbers:
 *
 *     [points, answered, correct, won, (deck index, points, answered, correct, won)…]
 *
 * Packed, the same tallies take about 40% of the bytes. Keeping the ids in a list
 * rather than as the keys of an object (`tallies: { <user>: [numbers] }`, how
 * packed records were first written) halves the time to parse a record: parsing
 * an object's keys costs far more than parsing a list of strings.
 *
 * Records are read in any of the three shapes (a store written before keeps every
 * tally, and each record is written in the current shape when it next changes), so
 * no migration is needed.
 */
import { emptyTally, setOwn } from '../competition/aggregate.ts';
import type { DayTotals, Tally } from '../competition/types.ts';

/** The current shape: ids and rows at the same places. */
export interface PackedTallies {
  readonly decks: readonly string[];
  readonly ids: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

/** Packed, as first written: each member's row under their id. */
export interface KeyedTallies {
  readonly decks: readonly string[];
  readonly tallies: Readonly<Record<string, readonly number[]>>;
}

/** A stored index part or day record, in any of its shapes. */
export type StoredTallies = { readonly members: Readonly<Record<string, DayTotals>> } | KeyedTallies | PackedTallies;

/** A record read in either packed shape. */
export type AnyPacked = KeyedTallies | PackedTallies;

/** A packed record's ids, and its rows in the same order (rows undefined: look them up by id in `tallies`). */
function columns(record: AnyPacked): { ids: readonly string[]; rows: readonly (readonly number[])[] | undefined } {
  return 'ids' in record ? { ids: record.ids, rows: record.rows } : { ids: Object.keys(record.tallies), rows: undefined };
}

export function packTallies(members: Readonly<Record<string, DayTotals>>): PackedTallies {
  const decks: string[] = [];
  const deckIndex = new Map<string, number>();
  const ids = Object.keys(members);
  const rows = ids.map((userId) => {
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
    return row;
  });
  return { decks, ids, rows };
}

/** The members' tallies of a stored record, whichever its shape: a new object, own properties by user id. */
export function unpackTallies(record: StoredTallies): Record<string, DayTotals> {
  if ('members' in record) return { ...record.members };
  const out: Record<string, DayTotals> = {};
  const { decks } = record;
  const { ids, rows } = columns(record);
  for (let m = 0; m < ids.length; m++) {
    const userId = ids[m] as string;
    const row = (rows ? rows[m] : (record as KeyedTallies).tallies[userId]) as readonly number[];
    const byDeck: Record<string, Tally> = {};
    for (let i = 4; i + 4 < row.length; i += 5) {
      setOwn(byDeck, decks[row[i] as number] as string, { points: row[i + 1] as number, answered: row[i + 2] as number, correct: row[i + 3] as number, won: row[i + 4] as number });
    }
    setOwn(out, userId, { points: row[0] as number, answered: row[1] as number, correct: row[2] as number, won: row[3] as number, decks: byDeck });
  }
  return out;
}

/** The member ids of a packed record, in its order. */
export function packedIds(record: AnyPacked): readonly string[] {
  return columns(record).ids;
}

/**
 * Adds a packed record's members' tallies into `out`, as `addDayTallies` adds them from objects
 * (with `decks`, only the matching decks, and a member only when one matches or with
 * `everyMember`), without making them.
 */
export function addPackedTallies(out: Map<string, Tally>, record: AnyPacked, decks?: (deck: string) => boolean, everyMember = false): void {
  const matching = decks ? record.decks.map((deck) => decks(deck)) : undefined;
  const { ids, rows } = columns(record);
  for (let m = 0; m < ids.length; m++) {
    const userId = ids[m] as string;
    const row = (rows ? rows[m] : (record as KeyedTallies).tallies[userId]) as readonly number[];
    let t = out.get(userId);
    if (!t && everyMember) out.set(userId, (t = emptyTally()));
    if (!matching) {
      if (!t) out.set(userId, (t = emptyTally()));
      t.points += row[0] as number;
      t.answered += row[1] as number;
      t.correct += row[2] as number;
      t.won += row[3] as number;
      continue;
    }
    for (let i = 4; i + 4 < row.length; i += 5) {
      if (!matching[row[i] as number]) continue;
      if (!t) out.set(userId, (t = emptyTally()));
      t.points += row[i + 1] as number;
      t.answered += row[i + 2] as number;
      t.correct += row[i + 3] as number;
      t.won += row[i + 4] as number;
    }
  }
}
