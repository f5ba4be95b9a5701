/**
 * Looking decks and cards up by what a user types: a course (`mlops`), a full deck name
 * (`mlops wk9`), a section title. Pure; unknown names give `undefined` or an empty list.
 * `replace` swaps the whole list at once (hot reload of the deck folder): lookups after it see
 * the new list, while card lists handed out before it (a running round's) stay as they were.
 */
import { normalizeName } from './parse.ts';
import type { Card, Deck } from './types.ts';

/** A deck's number of cards, from its sections' counts: counting them does not make the cards (see parse.ts). */
export function cardCount(deck: Deck): number {
  return deck.sections.reduce((n, section) => n + section.cardCount, 0);
}

export class DeckLibrary {
  #decks: readonly Deck[];

  constructor(decks: readonly Deck[]) {
    this.#decks = decks;
  }

  get decks(): readonly Deck[] {
    return this.#decks;
  }

  /** Puts a new list of decks in place of the current one. */
  replace(decks: readonly Deck[]): void {
    this.#decks = decks;
  }

  /** Course names (first word of each deck name), sorted, without repeats. */
  courses(): string[] {
    return [...new Set(this.decks.map((d) => d.course))].sort();
  }

  /**
   * A single word names a course: every deck of that course. Anything longer must be a full
   * deck name. A one-word deck name is also a course, so it matches the whole course.
   */
  resolve(query: string): { decks: Deck[] } | undefined {
    const q = normalizeName(query);
    if (q === '') return undefined;
    const decks = q.includes(' ') ? this.decks.filter((d) => d.name === q) : this.decks.filter((d) => d.course === q);
    return decks.length > 0 ? { decks } : undefined;
  }

  /**
   * The cards of the matching decks, in deck and file order; with `section`, only those in
   * sections of that title (case-insensitive). An empty `section` means no filter.
   * `undefined` when the query matches no deck, `[]` when no section matches.
   */
  cards(query: string, section?: string): Card[] | undefined {
    const found = this.resolve(query);
    if (!found) return undefined;
    const all = found.decks.flatMap((d) => d.cards);
    const s = normalizeName(section ?? '');
    return s === '' ? all : all.filter((c) => normalizeName(c.section) === s);
  }

  /** Section titles of the matching decks, first spelling kept, without repeats and without the untitled one. */
  sections(query: string): string[] | undefined {
    const found = this.resolve(query);
    if (!found) return undefined;
    const titles = new Map<string, string>();
    for (const deck of found.decks) {
      for (const { title } of deck.sections) {
        const key = normalizeName(title);
        if (key !== '' && !titles.has(key)) titles.set(key, title);
      }
    }
    return [...titles.values()];
  }

  /**
   * Autocomplete: course names, then deck names, that start with the typed text, followed by
   * those that merely contain it. An empty text lists everything (up to `limit`).
   */
  suggest(prefix: string, limit = 25): string[] {
    const q = normalizeName(prefix);
    const candidates = [...new Set([...this.courses(), ...this.decks.map((d) => d.name).sort()])];
    const starting = candidates.filter((c) => c.startsWith(q));
    const containing = candidates.filter((c) => !c.startsWith(q) && c.includes(q));
    return [...starting, ...containing].slice(0, Math.max(0, limit));
  }
}
