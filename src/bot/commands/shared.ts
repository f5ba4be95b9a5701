/** Helpers shared by several commands: deck look-up messages, autocomplete choices, permission checks. */
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { DeckLibrary } from '../../deck/library.ts';
import { normalizeName } from '../../deck/parse.ts';
import { userError, type UserError } from '../reply.ts';
import { clip } from '../render.ts';

export interface Choice {
  readonly name: string;
  readonly value: string;
}

export function availableDecks(library: DeckLibrary): string {
  if (library.decks.length === 0) return 'No decks are loaded: add deck files to the decks folder (they show up within a few seconds), or upload one with /deck add.';
  const courses = library.courses().map((c) => `\`${c}\``).join(', ');
  const decks = library.decks.map((d) => `\`${d.name}\``).join(', ');
  return clip(`Courses: ${courses}. Decks: ${decks}.`, 1800);
}

export function deckNotFound(library: DeckLibrary, query: string): UserError {
  return userError(clip(`There is no deck or course called "${query.trim()}". ${availableDecks(library)}`, 2000));
}

export function sectionNotFound(library: DeckLibrary, query: string, section: string): UserError {
  const sections = library.sections(query) ?? [];
  const list = sections.length ? `Sections of ${query.trim()}: ${sections.map((s) => `\`${s}\``).join(', ')}.` : `${query.trim()} has no sections.`;
  return userError(clip(`There is no section "${section.trim()}" in ${query.trim()}. ${list}`, 2000));
}

export function suggestDecks(library: DeckLibrary, typed: string): Choice[] {
  const courses = new Set(library.courses());
  return library.suggest(typed, 25).map((name) => ({ name: clip(courses.has(name) ? `${name} (every ${name} deck)` : name, 100), value: clip(name, 100) }));
}

export function suggestSections(library: DeckLibrary, deck: string, typed: string): Choice[] {
  const q = normalizeName(typed);
  const sections = library.sections(deck) ?? [...new Set(library.decks.flatMap((d) => d.sections.map((s) => s.title)).filter(Boolean))];
  return sections
    .filter((s) => normalizeName(s).includes(q))
    .slice(0, 25)
    .map((s) => ({ name: clip(s, 100), value: clip(s, 100) }));
}

/** Channel permissions the bot needs to post questions: an embed in a message. */
export const POST_PERMISSIONS = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
] as const;

/** Live rounds also reply to the winner's message, which needs the message history. */
export const ROUND_PERMISSIONS = [...POST_PERMISSIONS, [PermissionFlagsBits.ReadMessageHistory, 'Read Message History']] as const;

/** The names of the permissions in `needed` that `granted` lacks (all of them when unknown). */
export function missingPermissions(granted: Readonly<PermissionsBitField> | null, needed: readonly (readonly [bigint, string])[]): string[] {
  return needed.filter(([flag]) => !granted?.has(flag)).map(([, name]) => name);
}
