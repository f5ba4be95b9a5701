import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import { renderPrompt, type Card, type Deck } from '../../src/deck/types.ts';

const SEED_FILE = 'decks/mlops-wk9.md';
const seedSource = readFileSync(new URL('../../decks/mlops-wk9.md', import.meta.url), 'utf8');

function parseOk(source: string, file = 'test.md'): Deck {
  const result = parseDeck(source, file);
  expect(result.errors).toEqual([]);
  expect(result.deck).toBeDefined();
  return result.deck!;
}

/** Parses one note under a deck line and returns its cards as prompt + answers. */
function cardsOf(note: string): { prompt: string; answers: readonly string[] }[] {
  return parseOk(`# deck: t\n${note}\n`).cards.map((c) => ({ prompt: renderPrompt(c), answers: c.answers }));
}

function findCard(deck: Deck, predicate: (c: Card) => boolean): Card {
  const card = deck.cards.find(predicate);
  expect(card).toBeDefined();
  return card!;
}

describe('parseDeck on the seed deck', () => {
  const deck = parseOk(seedSource, SEED_FILE);

  it('reads 61 notes and 186 cards with no errors', () => {
    expect(deck.notes).toHaveLength(61);
    expect(deck.cards).toHaveLength(186);
  });

  it('takes the name and course from the `# deck:` line', () => {
    expect(deck.name).toBe('mlops wk9');
    expect(deck.course).toBe('mlops');
    expect(deck.file).toBe(SEED_FILE);
  });

  it('lists the untitled part first, then the sections in file order with their counts', () => {
    expect(deck.sections.map((s) => s.title)).toEqual([
      '',
      'MLOps Process',
      'DevOps, MLOps, DataOps',
      'Roles in MLOps',
      'Challenges solved by MLOps',
      'Parts of MLOps',
      'Tools of MLOps',
    ]);
    expect(deck.sections[0]).toEqual({ title: '', noteCount: 9, cardCount: 20 });
    expect(deck.sections.reduce((n, s) => n + s.noteCount, 0)).toBe(61);
    expect(deck.sections.reduce((n, s) => n + s.cardCount, 0)).toBe(186);
  });

  it('gives every card its prompt with its own blanks hidden, ready to show', () => {
    for (const card of deck.cards) expect(card.prompt).toBe(renderPrompt(card));
    expect(deck.cards[0]!.prompt).toBe('The main reasons in the Challenge of AI implementation are: ____ of ____, change management and the lack of automated systems.');
  });

  it('keeps the prompt in a card copied or written as JSON, like every other field', () => {
    const card = deck.cards[0]!;
    const expected = 'The main reasons in the Challenge of AI implementation are: ____ of ____, change management and the lack of automated systems.';
    expect({ ...card }.prompt).toBe(expected);
    expect((JSON.parse(JSON.stringify(card)) as Card).prompt).toBe(expected);
    expect(Object.keys(card)).toContain('prompt');
  });

  it('turns the first note into group 1, the unnumbered blank and group 3, in that order', () => {
    const first = deck.notes[0]!;
    expect(first.line).toBe(3);
    expect(first.text).toBe(
      'The main reasons in the Challenge of AI implementation are: lack of talent, change management and the lack of automated systems.',
    );
    expect(first.cards.map((c) => ({ group: c.group, prompt: renderPrompt(c), answers: c.answers, other: c.otherBlanks }))).toEqual([
      {
        group: 1,
        prompt: 'The main reasons in the Challenge of AI implementation are: ____ of ____, change management and the lack of automated systems.',
        answers: ['lack', 'talent'],
        other: ['change management', 'lack', 'automated systems'],
      },
      {
        group: null,
        prompt: 'The main reasons in the Challenge of AI implementation are: lack of talent, ____ and the lack of automated systems.',
        answers: ['change management'],
        other: ['lack', 'talent', 'lack', 'automated systems'],
      },
      {
        group: 3,
        prompt: 'The main reasons in the Challenge of AI implementation are: lack of talent, change management and the ____ of ____.',
        answers: ['lack', 'automated systems'],
        other: ['lack', 'talent', 'change management'],
      },
    ]);
  });

  it('gives every card of a note the note text, line, section, deck and file', () => {
    const card = deck.notes[0]!.cards[0]!;
    expect(card).toMatchObject({ deck: 'mlops wk9', course: 'mlops', section: '', file: SEED_FILE, line: 3, text: deck.notes[0]!.text });
  });

  it('numbers prompt slots by the order of the card own blanks', () => {
    const card = deck.notes[0]!.cards[0]!;
    expect(renderPrompt(card, (i) => `[${i}]`)).toBe(
      'The main reasons in the Challenge of AI implementation are: [0] of [1], change management and the lack of automated systems.',
    );
  });

  it('unescapes `\\-` in an answer (generate long-term value)', () => {
    const card = findCard(deck, (c) => c.answers[0] === 'generate long-term value');
    expect(renderPrompt(card)).toBe(
      'Machine Learning Operations (MLOps) is a process that helps organizations and business leaders ____ and reduce risk associated with AI initiatives.',
    );
    expect(card.text).toContain('generate long-term value');
    expect(card.text).not.toContain('\\');
  });

  it('keeps the section of a later note (Model Registration, groups 2 before 1)', () => {
    const note = deck.notes.find((n) => n.text.startsWith('Model Registration stores'))!;
    expect(note.section).toBe('Parts of MLOps');
    expect(note.cards.map((c) => [c.group, renderPrompt(c), c.answers])).toEqual([
      [null, '____ stores trained models as a new record along with metadata and functions.', ['Model Registration']],
      [2, 'Model Registration ____ as a new ____ along with metadata and functions.', ['stores trained models', 'record']],
      [1, 'Model Registration stores trained models as a new record along with ____ and ____.', ['metadata', 'functions']],
    ]);
  });

  it('closes a blank before punctuation (CI/CD-.)', () => {
    const card = findCard(deck, (c) => c.answers[0] === 'CI/CD');
    expect(renderPrompt(card).endsWith('and ____.')).toBe(true);
  });

  it('gives every card a distinct id', () => {
    expect(new Set(deck.cards.map((c) => c.id)).size).toBe(186);
  });
});

describe('parseDeck on hyphens that are not blanks', () => {
  const cases = [
    { name: 'hyphens inside a word (state-of-the-art)', note: 'A state-of-the-art -model- wins.', prompt: 'A state-of-the-art ____ wins.', answers: ['model'] },
    { name: 'a spaced dash ( - )', note: 'MLOps - a practice - is -useful-.', prompt: 'MLOps - a practice - is ____.', answers: ['useful'] },
    { name: 'a double dash ( -- )', note: 'A pause -- then -the answer-.', prompt: 'A pause -- then ____.', answers: ['the answer'] },
    { name: 'a word hyphen inside a blank (long-term)', note: 'Aim for -long-term value- here.', prompt: 'Aim for ____ here.', answers: ['long-term value'] },
    { name: 'a spaced dash inside a blank', note: 'It is -fast - and cheap- now.', prompt: 'It is ____ now.', answers: ['fast - and cheap'] },
    { name: 'an escaped hyphen outside a blank', note: '\\-5 degrees is -cold-.', prompt: '-5 degrees is ____.', answers: ['cold'] },
    { name: 'an escaped hyphen inside a blank', note: 'We -generate long\\-term value- now.', prompt: 'We ____ now.', answers: ['generate long-term value'] },
    { name: 'an escaped hyphen ending a blank answer', note: 'Prefix -re\\-- again.', prompt: 'Prefix ____ again.', answers: ['re-'] },
    { name: 'a trailing hyphen at the end of the line', note: 'The -x- list ends -', prompt: 'The ____ list ends -', answers: ['x'] },
    { name: 'digits not followed by `.-`', note: 'In 2024 the -wk9- deck.', prompt: 'In 2024 the ____ deck.', answers: ['wk9'] },
    { name: 'a version number before a hyphen (v1.-x is not a group)', note: 'Use v1.-beta and -x-.', prompt: 'Use v1.-beta and ____.', answers: ['x'] },
  ] as const satisfies readonly { name: string; note: string; prompt: string; answers: readonly string[] }[];

  it.each(cases)('$name are plain text', ({ note, prompt, answers }) => {
    expect(cardsOf(note)).toEqual([{ prompt, answers }]);
  });

  it('opens blanks after opening punctuation and closes them before closing punctuation', () => {
    expect(cardsOf('(-a-) "-b-" [-c-] -in-/-out-; \'-q-\'!').map((c) => c.answers[0])).toEqual(['a', 'b', 'c', 'in', 'out', 'q']);
  });

  it('always opens a blank after `N.`, even before a space', () => {
    expect(cardsOf('Pick 1.- spaced- now.')).toEqual([{ prompt: 'Pick ____ now.', answers: ['spaced'] }]);
  });

  it('joins same-number blanks into one card and keeps non-consecutive numbers', () => {
    expect(cardsOf('5.-a- and 5.-b- then 9.-c-.')).toEqual([
      { prompt: '____ and ____ then c.', answers: ['a', 'b'] },
      { prompt: 'a and b then ____.', answers: ['c'] },
    ]);
  });
});

describe('parseDeck errors', () => {
  const cases = [
    { name: 'an empty file', source: '', line: 1, column: 1, message: 'missing `# deck:` line' },
    { name: 'notes with no `# deck:` line', source: 'A -note- here.\n', line: 1, column: 1, message: 'missing `# deck:` line' },
    { name: 'a heading that is not a deck line', source: '\n\n# mlops\nA -note-.\n', line: 1, column: 1, message: 'missing `# deck:` line' },
    { name: 'an empty deck name', source: '# deck:   \nA -note-.\n', line: 1, column: 1, message: 'deck name is empty' },
    { name: 'an empty deck name after blank lines', source: '\n\n# deck:\nA -note-.\n', line: 3, column: 1, message: 'deck name is empty' },
    { name: 'a blank that never closes', source: '# deck: t\n\nThe -open blank.\n', line: 3, column: 5, message: 'blank never closes' },
    { name: 'a numbered blank that never closes', source: '# deck: t\nThe x 12.-open blank.\n', line: 2, column: 7, message: 'blank never closes' },
    { name: 'a blank closed only by a spaced hyphen', source: '# deck: t\nA -b - c\n', line: 2, column: 3, message: 'blank never closes' },
    { name: 'an empty numbered blank', source: '# deck: t\nFill 1.-- in.\n', line: 2, column: 6, message: 'empty blank' },
    { name: 'a numbered blank holding only spaces', source: '# deck: t\nFill 2.-  -.\n', line: 2, column: 6, message: 'empty blank' },
    { name: 'a note with no blank', source: '# deck: t\n## S\nJust a state-of-the-art sentence.\n', line: 3, column: 1, message: 'note has no blank' },
    { name: 'an indented note with no blank', source: '# deck: t\n   plain\n', line: 2, column: 4, message: 'note has no blank' },
    { name: 'an empty section title', source: '# deck: t\n##   \nA -b-.\n', line: 2, column: 1, message: 'section title is empty' },
    { name: 'a second deck line', source: '# deck: t\nA -b-.\n# deck: u\n', line: 3, column: 1, message: 'second `# deck:` line' },
    { name: 'a deck with no notes', source: '# deck: t\n## Only a section\n', line: 1, column: 1, message: 'deck has no notes' },
    { name: 'a blank after wide characters', source: '# deck: t\n日本語 -x\n', line: 2, column: 5, message: 'blank never closes' },
  ] as const satisfies readonly { name: string; source: string; line: number; column: number; message: string }[];

  it.each(cases)('$name is reported at $line:$column', ({ source, line, column, message }) => {
    const result = parseDeck(source, 'bad.md');
    expect(result.deck).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: 'bad.md', line, column });
    expect(result.errors[0]!.message).toContain(message);
  });

  it('collects every error of a file in line order', () => {
    const result = parseDeck('# deck: t\nno blank\nA -fine-.\n-never\n1.-- x -y-\n', 'bad.md');
    expect(result.errors.map((e) => [e.line, e.column, e.message.split(':')[0]])).toEqual([
      [2, 1, 'note has no blank'],
      [4, 1, 'blank never closes'],
      [5, 1, 'empty blank'],
    ]);
  });
});

describe('parseDeck line endings and names', () => {
  const lf = '# deck: T\n\nFirst -a- and 1.-b-.   \n## S\nSecond -c-.\n';

  it.each([
    { name: 'CRLF line endings', source: lf.replace(/\n/g, '\r\n') },
    { name: 'a UTF-8 byte order mark', source: `\uFEFF${lf}` },
    { name: 'a byte order mark and CRLF', source: `\uFEFF${lf.replace(/\n/g, '\r\n')}` },
  ])('$name give the same deck as LF', ({ source }) => {
    expect(parseOk(source, 'x.md')).toEqual(parseOk(lf, 'x.md'));
  });

  it('lower-cases the deck name and collapses its spaces', () => {
    const deck = parseOk('# Deck:   MLOps    Wk9  \nA -b-.\n');
    expect([deck.name, deck.course]).toEqual(['mlops wk9', 'mlops']);
  });

  it('drops trailing whitespace from the note text', () => {
    expect(parseOk(lf).notes[0]!.text).toBe('First a and b.');
  });
});

describe('parseDeck card ids', () => {
  const base = ['# deck: ids', 'One -a- and 1.-b- 1.-c-.', '## S1', 'Two -d-.', '## S2', 'Three -e- -f-.'];
  // Answer -> id of its first occurrence (entries reversed so the first one is set last).
  const idsByAnswer = (lines: readonly string[]): Map<string, string> =>
    new Map(parseOk(lines.join('\n')).cards.map((c) => [c.answers.join('+'), c.id] as const).reverse());
  const original = idsByAnswer(base);

  it.each([
    { name: 'a note is added', lines: [...base.slice(0, 2), 'New -z-.', ...base.slice(2)] },
    { name: 'a note is removed', lines: base.filter((l) => !l.startsWith('Two')) },
    { name: 'notes are reordered', lines: [base[0]!, base[5]!, base[4]!, base[3]!, base[2]!, base[1]!] },
    { name: 'a note moves to another section', lines: [base[0]!, base[2]!, base[1]!, ...base.slice(3)] },
    { name: 'a duplicate of a note is added after it', lines: [...base, 'One -a- and 1.-b- 1.-c-.'] },
  ])('stay the same when $name', ({ lines }) => {
    const changed = idsByAnswer(lines);
    for (const [answer, id] of original) {
      if (changed.has(answer)) expect(changed.get(answer), answer).toBe(id);
    }
  });

  it('change when the note text changes', () => {
    const edited = idsByAnswer(base.map((l) => l.replace('Two -d-.', 'Two -d- edited.')));
    expect(edited.get('d')).not.toBe(original.get('d'));
    expect(edited.get('a')).toBe(original.get('a'));
  });

  it('differ between two copies of the same note and between decks', () => {
    const twice = parseOk('# deck: a\nSame -x-.\nSame -x-.\n');
    expect(twice.cards[0]!.id).not.toBe(twice.cards[1]!.id);
    const other = parseOk('# deck: b\nSame -x-.\n');
    expect(other.cards[0]!.id).not.toBe(twice.cards[0]!.id);
  });

  it('are short hex strings', () => {
    for (const id of original.values()) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('parseDeck warnings: blanks that are probably mistakes', () => {
  const warningsOf = (note: string) => {
    const result = parseDeck(`# deck: t\n${note}\n`, 'w.md');
    expect(result.errors).toEqual([]);
    return result.warnings.map((w) => [w.line, w.column, w.message.split(':')[0]]);
  };

  it('the seed deck has none', () => {
    expect(parseDeck(seedSource, SEED_FILE).warnings).toEqual([]);
  });

  it.each([
    { name: 'a forgotten closing hyphen swallowing the next blank', note: 'In a few -weeks, putting it in production will take -months- of work.', column: 10, message: "blank of 8 words holds `-months` at column 53" },
    { name: 'a swallowed numbered blank', note: 'We -train models and 2.-ship them- fast.', column: 4, message: 'blank of 5 words holds `2.-ship` at column 22' },
    { name: 'a swallowed blank after opening punctuation', note: 'We -train big models (-fast- ok.', column: 4, message: "blank of 4 words holds `-fast` at column 23" },
    { name: 'one word inside spaced hyphens', note: 'A model is - scalable - and -fast-.', column: 12, message: '`- scalable -` has spaces inside its hyphens, so it is plain text' },
  ])('warns about $name at its column', ({ note, column, message }) => {
    const result = parseDeck(`# deck: t\n${note}\n`, 'w.md');
    expect(result.deck).toBeDefined();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ file: 'w.md', line: 2, column });
    expect(result.warnings[0]!.message).toContain(message);
  });

  it.each([
    { name: 'a two-word blank holding a hyphenated word', note: 'Use -the -v- flag.' },
    { name: 'an escaped hyphen inside a long blank', note: 'We -keep it \\-5 degrees cold- here.' },
    { name: 'a spaced dash inside a long blank', note: 'It is -fast - and cheap- now.' },
    { name: 'a dash around several words', note: 'MLOps - a practice - is -useful-.' },
    { name: 'a double dash', note: 'A pause -- then -the answer-.' },
    { name: 'a lone spaced hyphen', note: 'The -x- list ends -' },
  ])('does not warn about $name', ({ note }) => {
    expect(warningsOf(note)).toEqual([]);
  });

  it('indents the column like errors do', () => {
    expect(warningsOf('  A - typo - and -x-.')).toEqual([[2, 5, '`- typo -` has spaces inside its hyphens, so it is plain text']]);
  });
});

describe('parseDeck line length', () => {
  it('refuses a line over 2,000 characters, counted in characters, and reads the others', () => {
    const long = `A -note- ${'日'.repeat(1992)}`;
    expect(Array.from(long)).toHaveLength(2001);
    const result = parseDeck(`# deck: t\nFine -note-.\n${long}\nNo blank.\n`, 'l.md');
    expect(result.deck).toBeUndefined();
    expect(result.errors.map((e) => [e.line, e.column, e.message.split(':')[0]])).toEqual([
      [3, 1, 'line is 2,001 characters long'],
      [4, 1, 'note has no blank'],
    ]);
  });

  it('accepts a line of exactly 2,000 characters, astral ones included', () => {
    const line = `A -note- ${'😀'.repeat(1991)}`;
    expect(Array.from(line)).toHaveLength(2000);
    expect(parseDeck(`# deck: t\n${line}\n`, 'l.md').errors).toEqual([]);
  });
});

describe('parseDeck cards read from their note', () => {
  const source = '# deck: t\n## S\nThe 1.-first- and -second- of 1.-third\\-one-.\n';

  it('gives every field of a card as an own enumerable property, in the order of the Card type', () => {
    const card = parseOk(source).cards[0]!;
    expect(Object.keys(card)).toEqual(['deck', 'course', 'section', 'file', 'line', 'id', 'group', 'answers', 'otherBlanks', 'parts', 'text', 'prompt']);
    expect(Object.keys(parseOk(source).notes[0]!)).toEqual(['line', 'section', 'text', 'cards']);
    expect(Object.keys(parseOk(source))).toEqual(['name', 'course', 'file', 'notes', 'cards', 'sections']);
  });

  it('copies a card, by spreading, JSON or structuredClone, as plain data', () => {
    const card = parseOk(source).cards[0]!;
    const plain = {
      deck: 't',
      course: 't',
      section: 'S',
      file: 'test.md',
      line: 3,
      id: card.id,
      group: 1,
      answers: ['first', 'third-one'],
      otherBlanks: ['second'],
      parts: ['The ', { blank: 0 }, ' and second of ', { blank: 1 }, '.'],
      text: 'The first and second of third-one.',
      prompt: 'The ____ and second of ____.',
    };
    expect({ ...card }).toEqual(plain);
    expect(JSON.parse(JSON.stringify(card))).toEqual(plain);
    expect(structuredClone(card)).toEqual(plain);
  });

  it('makes each card once: the deck, its notes and every read give the same card objects', () => {
    const deck = parseOk(source);
    const cards = deck.cards;
    expect(deck.cards).toBe(cards);
    expect(deck.notes[0]!.cards).toEqual(cards);
    expect(deck.notes[0]!.cards[1]).toBe(cards[1]);
    expect(new Set(cards.map((c) => c.id)).size).toBe(2);
  });

  it('gives the same cards whether a note is first read for its text or for its cards', () => {
    const byText = parseOk(source);
    expect(byText.notes[0]!.text).toBe('The first and second of third-one.');
    const byCards = parseOk(source);
    expect(JSON.stringify(byCards.cards)).toBe(JSON.stringify(byText.cards));
    expect(JSON.stringify(byCards)).toBe(JSON.stringify(byText));
  });
});
