/**
 * From converted notes to the import result: the deck name, sections from Anki sub-decks,
 * the skipped list, and one error when nothing could be imported.
 */
import type { ImportOptions, ImportResult, Skipped } from './types.ts';
import { deckNameOf, writeDeck, writeNote, type NotePart, type WrittenNote } from './write.ts';

export interface SourceNote {
  /** Where the note was: `line 4`, `note 12`, `row 3`. */
  readonly where: string;
  /** The note as parts to write, a line already in the deck format, or why it is skipped. */
  readonly parts: readonly NotePart[] | { readonly line: string } | { readonly reason: string };
  /** Anki deck path (`Parent::Child`) or section title, when the input has one. */
  readonly deck?: string;
  /** Section title taken as is (spreadsheets). */
  readonly section?: string;
}

function splitPath(deck: string): string[] {
  return deck
    .split(/::|\u001f/u)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Every note's Anki deck path shares a prefix: it names the deck, the rest of each path is the
 * note's section (`MLOps::wk9::Process` under `MLOps::wk9` is section "Process"). Anki's
 * "Default" deck names nothing.
 */
function deckAndSections(notes: readonly SourceNote[]): { name: string; sectionOf: (note: SourceNote) => string } {
  const paths = notes.map((n) => (n.deck === undefined ? undefined : splitPath(n.deck)));
  const known = paths.filter((p): p is string[] => p !== undefined && p.length > 0);
  if (known.length === 0) return { name: '', sectionOf: (n) => n.section ?? '' };
  let common = known[0]!;
  for (const p of known) {
    let i = 0;
    while (i < common.length && i < p.length && common[i] === p[i]) i++;
    common = common.slice(0, i);
  }
  const name = common.length === 1 && common[0]!.toLowerCase() === 'default' ? '' : common.join('::');
  return {
    name,
    sectionOf: (n) => (n.deck === undefined ? (n.section ?? '') : splitPath(n.deck).slice(common.length).join(' / ')),
  };
}

export function assemble(notes: readonly SourceNote[], options: ImportOptions): ImportResult {
  const skipped: Skipped[] = [];
  const written: WrittenNote[] = [];
  const { name: found, sectionOf } = deckAndSections(notes);
  for (const note of notes) {
    const { parts } = note;
    const result = 'line' in parts || 'reason' in parts ? parts : writeNote(parts as readonly NotePart[]);
    if ('reason' in result) skipped.push({ where: note.where, reason: result.reason });
    else written.push({ section: sectionOf(note), line: result.line });
  }
  const name = deckNameOf(options.name ?? '') || deckNameOf(found) || deckNameOf(options.fallbackName ?? '');
  if (name === '') return { ok: false, error: 'no deck name: give one with --name' };
  if (written.length === 0) {
    const first = skipped[0];
    return {
      ok: false,
      error:
        first === undefined
          ? 'nothing to import: no notes found'
          : `nothing to import: all ${skipped.length} notes were skipped (${first.where}: ${first.reason})`,
    };
  }
  return { ok: true, text: writeDeck(name, written), name, notes: written.length, skipped };
}
