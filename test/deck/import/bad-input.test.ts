import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDeck } from '../../../src/deck/import/index.ts';
import { apkg, collectionBytes } from './anki-fixtures.ts';

/** Every bad input gives one error value and no deck. */
function expectError(result: unknown, message: RegExp): void {
  expect(result).toEqual({ ok: false, error: expect.stringMatching(message) });
}

/** Sets the sizes a zip's headers claim for its entries to `size` (local headers and central directory). */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('bad input gives one clear error and no deck', () => {
  it('refuses a text file that is not UTF-8', async () => {
    expectError(await importDeck(Uint8Array.from([0x66, 0xff, 0xfe, 0x00, 0x41]), 'notes.txt'), /^not UTF-8 text/);
  });

  it('refuses binary data that happens to be valid UTF-8', async () => {
    expectError(await importDeck(strToU8('{{c1::a}}\u0000\u0001\u0002'), 'notes.csv'), /^not a text file/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const big = strToU8(`${'{{c1::a}} b\n'.repeat(1000)}`);
    expectError(await importDeck(big, 'big.txt', { limits: { maxInputBytes: 1000 } }), /^file too large: .* at most/);
    expectError(await importDeck(big, 'big.apkg', { limits: { maxInputBytes: 1000 } }), /^file too large/);
  });

  it('refuses 100,000 lines', async () => {
    const lines = strToU8('sentence,answer\n' + 'The sky is blue,blue\n'.repeat(100_000));
    expectError(await importDeck(lines, 'huge.csv'), /^too many lines: more than 20,000/);
  });

  it('stops inflating a zip bomb at the limit, even when its headers claim a small size', async () => {
    const bomb = zipSync({ 'collection.anki2': new Uint8Array(50 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expectError(await importDeck(bomb, 'bomb.apkg', { limits: { maxUncompressedBytes: 1024 * 1024 } }), /larger than 1 MB uncompressed/);
    expectError(await importDeck(lieAboutSizes(bomb, 100), 'bomb.apkg', { limits: { maxUncompressedBytes: 1024 * 1024 } }), /larger than 1 MB uncompressed/);
  });

  it('stops decompressing a zstd bomb at the limit', async () => {
    // A frame of RLE blocks: 4 bytes each, 128 KB of zeros each.
    const blocks = 200;
    const frame = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58];
    for (let i = 0; i < blocks; i++) {
      const header = ((128 * 1024) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0);
      frame.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0);
    }
    const pkg = zipSync({ 'collection.anki21b': Uint8Array.from(frame) });
    expectError(await importDeck(pkg, 'z.apkg', { limits: { maxUncompressedBytes: 1024 * 1024 } }), /larger than 1 MB uncompressed/);
  });

  it.each([
    { what: 'a text file named .apkg', bytes: strToU8('hello'), message: /^not an Anki package: an .apkg file is a zip archive/ },
    { what: 'a zip without a collection', bytes: zipSync({ 'readme.txt': strToU8('hi') }), message: /^not an Anki package: no collection.anki21b/ },
    { what: 'a collection that is not SQLite', bytes: zipSync({ 'collection.anki2': strToU8('not a database at all'.repeat(50)) }), message: /^not a readable Anki package: its collection.anki2 is not an Anki collection/ },
    { what: 'an SQLite file without Anki tables', bytes: zipSync({ 'collection.anki21': Uint8Array.from([]) }), message: /^not a readable Anki package/ },
    { what: 'a damaged zstd collection', bytes: zipSync({ 'collection.anki21b': strToU8('garbage') }), message: /^not a readable Anki package/ },
  ])('refuses $what', async ({ bytes, message }) => {
    expectError(await importDeck(bytes, 'deck.apkg'), message);
  });

  it('refuses a truncated .apkg', async () => {
    const whole = apkg(await collectionBytes([{ fields: ['a {{c1::b}}', ''], deck: 'x' }]));
    expectError(await importDeck(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.apkg'), /^not a readable Anki package: the zip archive is damaged/);
  });

  it('refuses a collection with too many notes', async () => {
    const collection = await collectionBytes(Array.from({ length: 30 }, (_, i) => ({ fields: [`n${i} {{c1::x}}`, ''], deck: 'd' })));
    expectError(await importDeck(apkg(collection), 'many.apkg', { limits: { maxLines: 20 } }), /^too many notes: 30, at most 20/);
  });
});
