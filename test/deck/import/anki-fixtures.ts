/**
 * Test fixtures made from a deck: its notes as Anki cloze notes, packed the way Anki does
 * (an `.apkg` zip holding an SQLite collection with Anki's schema 11 tables) and as Anki's
 * "Notes in Plain Text" export. Sections become sub-decks (`mlops wk9::MLOps Process`).
 */
import { zipSync, strToU8 } from 'fflate';
import initSqlJs from 'sql.js';
import type { Deck, Note } from '../../../src/deck/types.ts';

/** Anki's schema 11 (collection.anki2 / collection.anki21), as Anki creates it. */
const SCHEMA_11 = `
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL,
  dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,
  tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,
  lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`;

/** A card as the import must give it back: the Anki cloze number it got, and its answers. */
export interface ExpectedCard {
  readonly section: string;
  readonly group: number;
  readonly answers: readonly string[];
  readonly text: string;
}

export interface ClozeNote {
  /** Field 1 of a Cloze note, HTML. */
  readonly text: string;
  /** Anki deck path. */
  readonly deck: string;
  readonly expected: ExpectedCard[];
}

function escapeHtml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * A deck note as an Anki cloze note: numbered groups keep their number, each unnumbered blank
 * gets the next free number. Every other cloze carries a hint and some bold markup, as teachers'
 * Anki notes do.
 */
export function toCloze(note: Note, deckName: string): ClozeNote {
  const used = note.cards.map((c) => c.group).filter((g): g is number => g !== null);
  let next = Math.max(0, ...used);
  const blanks: { position: number; length: number; answer: string; group: number }[] = [];
  const expected: ExpectedCard[] = [];
  for (const card of note.cards) {
    const group = card.group ?? ++next;
    expected.push({ section: note.section, group, answers: card.answers, text: note.text });
    let position = 0;
    for (const part of card.parts) {
      if (typeof part === 'string') position += part.length;
      else {
        const answer = card.answers[part.blank]!;
        blanks.push({ position, length: answer.length, answer, group });
        position += answer.length;
      }
    }
  }
  blanks.sort((a, b) => a.position - b.position);
  let html = '';
  let at = 0;
  blanks.forEach((b, i) => {
    if (note.text.slice(b.position, b.position + b.length) !== b.answer) throw new Error(`blank does not match the text: ${note.text}`);
    const answer = i % 3 === 1 ? `<b>${escapeHtml(b.answer)}</b>` : escapeHtml(b.answer);
    html += escapeHtml(note.text.slice(at, b.position)) + `{{c${b.group}::${answer}${i % 2 === 1 ? '::a hint' : ''}}}`;
    at = b.position + b.length;
  });
  html += escapeHtml(note.text.slice(at));
  return { text: html, deck: note.section === '' ? deckName : `${deckName}::${note.section}`, expected };
}

const CLOZE_MODEL_ID = 1_700_000_000_001;
const BASIC_MODEL_ID = 1_700_000_000_002;

export interface ApkgNote {
  readonly fields: readonly string[];
  readonly deck: string;
  readonly basic?: boolean;
}

/** The SQLite bytes of a schema 11 collection holding the notes. */
export async function collectionBytes(notes: readonly ApkgNote[]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(SCHEMA_11);
  const deckIds = new Map<string, number>([['Default', 1]]);
  for (const n of notes) if (!deckIds.has(n.deck)) deckIds.set(n.deck, 1_700_000_000_100 + deckIds.size);
  const decks = Object.fromEntries([...deckIds].map(([name, id]) => [String(id), { id, name, mod: 0, usn: 0, dyn: 0, desc: '' }]));
  const models = {
    [CLOZE_MODEL_ID]: { id: CLOZE_MODEL_ID, name: 'Cloze', type: 1, flds: [{ name: 'Text', ord: 0 }, { name: 'Back Extra', ord: 1 }] },
    [BASIC_MODEL_ID]: { id: BASIC_MODEL_ID, name: 'Basic', type: 0, flds: [{ name: 'Front', ord: 0 }, { name: 'Back', ord: 1 }] },
  };
  db.run('INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, ?, ?, ?, ?, ?)', ['{}', JSON.stringify(models), JSON.stringify(decks), '{}', '{}']);
  notes.forEach((n, i) => {
    const id = 1_600_000_000_000 + i;
    db.run('INSERT INTO notes VALUES (?, ?, ?, 0, -1, ?, ?, ?, 0, 0, ?)', [id, `guid${i}`, n.basic ? BASIC_MODEL_ID : CLOZE_MODEL_ID, ' test ', n.fields.join('\u001f'), n.fields[0] ?? '', '']);
    db.run('INSERT INTO cards VALUES (?, ?, ?, 0, 0, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?)', [id, id, deckIds.get(n.deck)!, i, '']);
  });
  const bytes = db.export();
  db.close();
  return bytes;
}

/** An `.apkg`: the collection under `entry`, and Anki's `media` list. */
export function apkg(collection: Uint8Array, entry = 'collection.anki2', extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({ [entry]: collection, media: strToU8('{}'), ...extra });
}

/** The deck's notes as Anki cloze notes. */
export function clozeNotes(deck: Deck): ClozeNote[] {
  return deck.notes.map((n) => toCloze(n, deck.name));
}

/** Anki 2.1.55+ "Notes in Plain Text" export of cloze notes, with notetype, deck and tags columns. */
export function plainTextExport(notes: readonly ClozeNote[]): string {
  const quote = (field: string): string => (/[\t"\n]/u.test(field) ? `"${field.replace(/"/gu, '""')}"` : field);
  const header = ['#separator:tab', '#html:true', '#notetype column:1', '#deck column:2', '#tags column:5'];
  const rows = notes.map((n) => ['Cloze', n.deck, n.text, '', 'mlops'].map(quote).join('\t'));
  return `${[...header, ...rows].join('\n')}\n`;
}

/**
 * A zstd frame holding `data` in raw (stored) blocks: what Anki's `collection.anki21b` is,
 * without needing a zstd compressor in the tests.
 */
export function zstdRaw(data: Uint8Array): Uint8Array {
  const out: number[] = [0x28, 0xb5, 0x2f, 0xfd];
  // Frame header: single segment, 4-byte content size.
  out.push(0b1010_0000);
  out.push(data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff, (data.length >>> 24) & 0xff);
  const max = 128 * 1024;
  for (let at = 0; at < data.length || at === 0; at += max) {
    const block = data.subarray(at, at + max);
    const last = at + max >= data.length ? 1 : 0;
    const header = (block.length << 3) | (0 << 1) | last;
    out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
    for (const b of block) out.push(b);
    if (data.length === 0) break;
  }
  return Uint8Array.from(out);
}
