import { readFile } from 'node:fs/promises';
import { strToU8 } from 'fflate';
import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { importDeck } from '../../../src/deck/import/index.ts';
import { parseDeck } from '../../../src/deck/parse.ts';
import type { Deck } from '../../../src/deck/types.ts';
import { apkg, clozeNotes, collectionBytes, plainTextExport, zstdRaw, type ClozeNote, type ExpectedCard } from './anki-fixtures.ts';

let seed: Deck;
let notes: ClozeNote[];
let expected: ExpectedCard[];

beforeAll(async () => {
  const parsed = parseDeck(await readFile('decks/mlops-wk9.md', 'utf8'), 'decks/mlops-wk9.md');
  seed = parsed.deck!;
  notes = clozeNotes(seed);
  expected = notes.flatMap((n) => n.expected);
});

/** The imported deck's cards as the fixtures describe them. */
function cardsOf(text: string): ExpectedCard[] {
  const result = parseDeck(text, 'imported.md');
  expect(result.errors).toEqual([]);
  return result.deck!.cards.map((c) => ({ section: c.section, group: c.group!, answers: c.answers, text: c.text }));
}

describe('importing an Anki export of the seed deck gives back its cards', () => {
  it('from an .apkg with collection.anki2', async () => {
    const collection = await collectionBytes(notes.map((n) => ({ fields: [n.text, ''], deck: n.deck })));
    const result = await importDeck(apkg(collection), 'mlops.apkg');
    if (!result.ok) throw new Error(result.error);
    expect(result.name).toBe('mlops wk9');
    expect(result.skipped).toEqual([]);
    expect(result.notes).toBe(61);
    expect(cardsOf(result.text)).toEqual(expected);
    expect(expected).toHaveLength(186);
    expect(parseDeck(result.text, 'x').deck!.sections.map((s) => s.title)).toEqual(seed.sections.map((s) => s.title));
  });

  it('from an .apkg with a zstd-compressed collection.anki21b (preferred over the placeholder collection.anki2)', async () => {
    const collection = await collectionBytes(notes.map((n) => ({ fields: [n.text, ''], deck: n.deck })));
    const placeholder = await collectionBytes([{ fields: ['Please update to the latest Anki version, then import the .colpkg/.apkg file again.', ''], deck: 'Default' }]);
    const result = await importDeck(apkg(placeholder, 'collection.anki2', { 'collection.anki21b': zstdRaw(collection) }), 'new.apkg');
    if (!result.ok) throw new Error(result.error);
    expect(cardsOf(result.text)).toEqual(expected);
  });

  it('from a "Notes in Plain Text" export', async () => {
    const result = await importDeck(strToU8(plainTextExport(notes)), 'mlops wk9.txt');
    if (!result.ok) throw new Error(result.error);
    expect(result.name).toBe('mlops wk9');
    expect(result.skipped).toEqual([]);
    expect(cardsOf(result.text)).toEqual(expected);
  });

  it('keeps the note that has a hyphen inside an answer, escaped', async () => {
    const result = await importDeck(strToU8(plainTextExport(notes)), 'x.txt');
    if (!result.ok) throw new Error(result.error);
    expect(result.text).toContain('-generate long\\-term value-');
  });
});

describe('newer Anki collections', () => {
  it('read deck names from the decks table, whose paths are separated by \\x1f', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(await collectionBytes([
      { fields: ['Top {{c1::note}}', ''], deck: 'a' },
      { fields: ['Sub {{c1::note}}', ''], deck: 'b' },
    ]));
    db.run("UPDATE col SET decks = ''");
    db.run('CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL)');
    const ids = db.exec('SELECT DISTINCT did FROM cards ORDER BY did')[0]!.values.map(([id]) => Number(id));
    db.run('INSERT INTO decks VALUES (?, ?), (?, ?)', [ids[0]!, 'Bio\u001fWk1', ids[1]!, 'Bio\u001fWk1\u001fCells']);
    const bytes = db.export();
    db.close();
    const result = await importDeck(apkg(bytes, 'collection.anki21'), 'x.apkg');
    if (!result.ok) throw new Error(result.error);
    expect(result.text).toBe('# deck: bio wk1\n\nTop 1.-note-\n\n## Cells\n\nSub 1.-note-\n');
  });
});
