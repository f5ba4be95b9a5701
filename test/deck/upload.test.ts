import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { prepareUpload } from '../../src/deck/upload.ts';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('prepareUpload: what /deck add makes of a file before checking it', () => {
  it('takes a deck file (.md or .txt) as it is', async () => {
    for (const name of ['bio.md', 'bio.txt']) {
      const result = await prepareUpload(strToU8('# deck: bio\nThe -cell- divides.\n'), name);
      expect(result).toMatchObject({ ok: true, fileName: name });
      if (result.ok) expect(result.converted).toBeUndefined();
    }
  });

  it.each([
    ['a .txt with Anki headers', 'genetics.txt', '#separator:tab\n#html:true\nThe {{c1::gene}} is a unit.\textra\n', 'an Anki text export'],
    ['a .txt whose first line holds a tab (older Anki, no headers)', 'genetics.txt', '\nThe {{c1::gene}} is a unit.\textra\n', 'an Anki text export'],
    ['a .tsv spreadsheet', 'genetics.tsv', 'sentence\tanswer\nThe gene is a unit.\tgene\n', 'a spreadsheet'],
  ])('converts %s into a deck file named after it', async (_what, name, input, from) => {
    const result = await prepareUpload(strToU8(input), name);
    if (!result.ok) throw new Error(result.message);
    expect(result.fileName).toBe('genetics.md');
    expect(result.converted?.from).toBe(from);
    expect(text(result.bytes)).toContain('-gene-');
  });

  it('refuses a file over 1 MB even when it came in whole', async () => {
    expect(await prepareUpload(new Uint8Array(1024 * 1024 + 1).fill(0x41), 'big.md')).toEqual({ ok: false, message: 'big.md was not added: it is larger than 1 MB; split it into several decks.' });
  });
});
