import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import { checkUpload, MAX_SERVER_CARDS, MAX_SERVER_DECKS, serverLibrary, type UploadInput } from '../../src/deck/server-decks.ts';
import type { Deck } from '../../src/deck/types.ts';

function deck(source: string, file = 'x.md'): Deck {
  const result = parseDeck(source, file);
  if (!result.deck) throw new Error(JSON.stringify(result.errors));
  return result.deck;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const folder = deck('# deck: mlops wk9\nTop -a-.\n', 'decks/mlops-wk9.md');
const mine = deck('# deck: bio cells\nThe -cell- divides.\n', 'bio.md');
const upload = (text: string, more: Partial<UploadInput> = {}): UploadInput => ({ bytes: bytes(text), fileName: 'bio.md', folderDecks: [folder], serverDecks: [mine], replace: false, ...more });

describe('checkUpload', () => {
  it.each([
    ['a new deck is accepted', upload('# deck: chem basics\n## Water\nWater is -H2O-.\n'), { ok: true, replaced: false }],
    ['a server deck of that name is replaced with replace', upload('# deck: bio cells\nNew -text-.\n', { replace: true }), { ok: true, replaced: true }],
  ])('%s', (_name, input, expected) => {
    expect(checkUpload(input)).toMatchObject(expected);
  });

  it.each([
    ['problems are listed as line:column: why', upload('# deck: chem\nNever -closes.\n'), 'bio.md was not added: 1 problem.\n2:7: blank never closes: no closing hyphen after this one'],
    ['only the first ten problems are listed', upload(`# deck: chem\n${'Never -closes.\n'.repeat(12)}`), '…and 2 more problems'],
    ['a file that is not UTF-8 text', { ...upload(''), bytes: Uint8Array.from([0x23, 0xff, 0xfe]) }, '1:1: not UTF-8 text: save the deck as UTF-8'],
    ['a file over 1 MB', upload(`# deck: big\n${'A -b-.\n'.repeat(200_000)}`), 'the limit is 1 MB'],
    ['the name of a folder deck', upload('# deck: mlops wk9\nX -y-.\n', { replace: true }), 'comes with the bot and cannot be replaced'],
    ['the name of a server deck without replace', upload('# deck: bio cells\nX -y-.\n'), 'already has a deck called "bio cells": set `replace`'],
    [
      'a 51st deck',
      upload('# deck: one more\nX -y-.\n', { serverDecks: Array.from({ length: MAX_SERVER_DECKS }, (_, i) => deck(`# deck: d ${i}\nX -y-.\n`)) }),
      'This server has 50 decks, the most it can have',
    ],
    ['more than 20,000 cards in all', upload(`# deck: huge\n${'A -b-.\n'.repeat(MAX_SERVER_CARDS)}`), 'would hold 20,001 cards; the limit is 20,000'],
  ])('refuses %s', (_name, input, message) => {
    const result = checkUpload(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});

describe('serverLibrary', () => {
  it('a server sees the folder decks and its own, not another server’s', () => {
    const other = deck('# deck: art history\nPainted by -Monet-.\n');
    expect(serverLibrary([folder], [mine]).suggest('')).toEqual(['bio', 'mlops', 'bio cells', 'mlops wk9']);
    expect(serverLibrary([folder], [other]).resolve('bio')).toBeUndefined();
  });
});
