import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDeck, type ImportResult } from '../../../src/deck/import/index.ts';
import { parseDeck } from '../../../src/deck/parse.ts';

function ok(result: ImportResult): Extract<ImportResult, { ok: true }> {
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** The note lines of a deck text (no `#` lines, no blank lines). */
function noteLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

const ANKI_HEADER = '#separator:tab\n#html:true\n#deck:Course::Week 1\n';

async function ankiText(rows: string[], options = {}): Promise<ImportResult> {
  return importDeck(strToU8(ANKI_HEADER + rows.join('\n')), 'export.txt', options);
}

describe('Anki cloze notes', () => {
  it.each([
    { field: '{{c1::a}} and {{c1::b::a hint}} then {{c2::c}}.', line: '1.-a- and 1.-b- then 2.-c-.' },
    { field: '<div>x &amp; y</div><br>see {{c1::<i>z</i>}}&nbsp;now', line: 'x & y see 1.-z- now' },
    { field: 'A {{c1::long-term}} goal', line: 'A 1.-long\\-term- goal' },
    { field: 'a -b {{c1::x}} state-of-the-art', line: 'a \\-b 1.-x- state-of-the-art' },
    { field: '{{c3::first}} comes {{c10::later}}', line: '3.-first- comes 10.-later-' },
  ])('$field becomes $line', async ({ field, line }) => {
    const result = ok(await ankiText([field]));
    expect(noteLines(result.text)).toEqual([line]);
    expect(parseDeck(result.text, 'x').errors).toEqual([]);
  });

  it.each([
    { field: '{{c1::GPU}}-based training', reason: /cannot be written in the deck format/ },
    { field: 'un{{c1::happy}} end', reason: /cannot be written in the deck format/ },
    { field: '{{c1::outer {{c2::inner}}}}', reason: /nested clozes/ },
    { field: '{{c1,2::both}} ok', reason: /several numbers/ },
    { field: '{{c1::}} empty', reason: /empty blank/ },
    { field: '{{c1::never closes', reason: /never closes/ },
  ])('skips $field and says why', async ({ field, reason }) => {
    const result = ok(await ankiText(['fine {{c1::note}}', field]));
    expect(noteLines(result.text)).toEqual(['fine 1.-note-']);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.where).toBe('line 5');
    expect(result.skipped[0]!.reason).toMatch(reason);
  });

  it('skips front/back notes and counts them, unless basic is asked for', async () => {
    const rows = ['fine {{c1::note}}', 'Capital of France?\tParis', 'Unit of force:\t<b>newton</b>'];
    const skipping = ok(await ankiText(rows));
    expect(skipping.notes).toBe(1);
    expect(skipping.skipped.map((s) => s.reason)).toEqual([expect.stringContaining('--basic'), expect.stringContaining('--basic')]);
    const basic = ok(await ankiText(rows, { basic: true }));
    expect(noteLines(basic.text)).toEqual(['fine 1.-note-', 'Capital of France?: -Paris-', 'Unit of force: -newton-']);
  });

  it('names the deck from #deck, --name over it, and the file name when Anki names none', async () => {
    expect(ok(await ankiText(['{{c1::x}}'])).name).toBe('course week 1');
    expect(ok(await ankiText(['{{c1::x}}'], { name: 'Bio  Wk2' })).name).toBe('bio wk2');
    const noDeck = ok(await importDeck(strToU8('#separator:tab\n#html:false\n{{c1::x}} <b>y</b>\n'), 'bio_wk3.txt'));
    expect(noDeck.name).toBe('bio wk3');
    expect(noteLines(noDeck.text)).toEqual(['1.-x- <b>y</b>']);
  });

  it('reads quoted fields, other separators and ignores tag columns', async () => {
    const text = '#separator:Semicolon\n#html:true\n#columns:Text;Back Extra;Tags\n"a; {{c1::b}}";extra;tag1 tag2\n';
    expect(noteLines(ok(await importDeck(strToU8(text), 'semi.txt')).text)).toEqual(['a; 1.-b-']);
  });

  it('reads an old export without header lines as tab-separated HTML', async () => {
    const result = ok(await importDeck(strToU8('one {{c1::two}}\tback extra\n'), 'old export.txt'));
    expect(result.name).toBe('old export');
    expect(noteLines(result.text)).toEqual(['one 1.-two-']);
  });

  it('returns one error, and no deck, when every note is skipped', async () => {
    const result = await ankiText(['front\tback']);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^nothing to import: all 1 notes were skipped \(line 4: front\/back note/) });
  });
});

describe('spreadsheets', () => {
  it('puts the blank where the answer appears, with sections', async () => {
    const csv = 'section,sentence,answer\nBasics,"A model takes weeks, then months.",Months\nBasics,CI/CD means continuous integration,CI/CD\n';
    const result = ok(await importDeck(strToU8(csv), 'mlops wk10.csv'));
    expect(result.name).toBe('mlops wk10');
    expect(result.text).toBe('# deck: mlops wk10\n\n## Basics\n\nA model takes weeks, then -months-.\n\n-CI/CD- means continuous integration\n');
  });

  it('matches the answer as a whole word only, and skips a row whose answer is missing', async () => {
    const csv = 'sentence;answer\nConcatenate the cat;cat\nNo such word here;absent\n';
    const result = ok(await importDeck(strToU8(csv), 'deck.csv'));
    expect(noteLines(result.text)).toEqual(['Concatenate the -cat-']);
    expect(result.skipped).toEqual([{ where: 'row 3', reason: 'the answer "absent" does not appear in the sentence as a whole word' }]);
  });

  it('takes a column of notes already in the deck format', async () => {
    const tsv = 'note\n"It takes 1.-weeks- or 1.-months-, -really-."\nno blank here\n';
    const result = ok(await importDeck(strToU8(tsv), 'deck.tsv'));
    expect(noteLines(result.text)).toEqual(['It takes 1.-weeks- or 1.-months-, -really-.']);
    expect(result.skipped).toEqual([{ where: 'row 3', reason: expect.stringContaining('note has no blank') }]);
  });

  it('reads a sheet without a header row as sentence, answer, section', async () => {
    const csv = 'The sky is blue,blue,Colours\nGrass is -green-,,Colours\n';
    expect(noteLines(ok(await importDeck(strToU8(csv), 'c.csv')).text)).toEqual(['The sky is -blue-', 'Grass is -green-']);
  });

  it('escapes a hyphen of the sentence that would open a blank', async () => {
    const csv = 'sentence,answer\nThe range is -5 to 5 degrees,degrees\n';
    const result = ok(await importDeck(strToU8(csv), 'c.csv'));
    expect(noteLines(result.text)).toEqual(['The range is \\-5 to 5 -degrees-']);
    expect(parseDeck(result.text, 'x').deck!.cards.map((c) => c.answers)).toEqual([['degrees']]);
  });
});
