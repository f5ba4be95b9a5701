import { describe, expect, it } from 'vitest';
import { answerPhrase, clip, closedQuestionEmbed, escapeText, exampleParts, howToAnswer, plain, promptMarkdown, questionEmbed, summaryHeadline, type QuestionView } from '../../src/bot/render.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { revealCounts } from '../../src/engine/drop.ts';

const deck = parseDeck(['# deck: demo', '## Markdown *and* @mentions', 'Use *stars* and -bold- for 1.-@everyone- and 1.-<@123>- with `code`.', 'The -mitochondria- is the powerhouse.'].join('\n'), 'demo.md').deck!;
const [bold, mentions, plainCard] = deck.cards as [typeof deck.cards[0], typeof deck.cards[0], typeof deck.cards[0]];

const view = (card = plainCard, extra: Partial<QuestionView> = {}): QuestionView => ({ card, index: 1, total: 5, deadline: 1_800_000_030_000, seconds: 30, hintLevel: 0, worth: 10, ...extra });

describe('rendering questions for Discord', () => {
  it('hides own blanks as inline code and escapes the rest of the text', () => {
    expect(promptMarkdown(bold)).toBe('Use \\*stars\\* and `____` for @\u200beveryone and <@\u200b123> with \\`code\\`.');
    expect(promptMarkdown(mentions)).toBe('Use \\*stars\\* and bold for `____` and `____` with \\`code\\`.');
  });

  it('shows hint masks in place of the hidden blanks', () => {
    expect(promptMarkdown(plainCard, ['m____________'])).toBe('The `m____________` is the powerhouse.');
  });

  it('mentions in deck text never form a mention', () => {
    expect(plain('@everyone @here <@&1>')).toBe('@\u200beveryone @\u200bhere <@\u200b&1>');
  });

  it('says how to answer one blank or several', () => {
    expect(howToAnswer(plainCard, 'channel')).toBe('Reply in this channel with the missing words.');
    expect(howToAnswer(mentions, 'modal')).toBe('Type your answer with the 2 missing parts in order, separated by commas (e.g. `first, second`), or as the phrase reads.');
  });

  it('a question is one compact embed: the sentence, deck · section with the countdown, the points', () => {
    const embed = questionEmbed(view());
    expect(embed.title).toBe('Question 2 of 5');
    expect(embed.fields).toBeUndefined();
    expect(embed.description).toBe('The `____` is the powerhouse.\n\ndemo · Markdown \\*and\\* @\u200bmentions · ends <t:1800000030:R>\n**10 points** + up to 5 for speed · a hint lowers the points');
    expect(questionEmbed(view(plainCard, { hintLevel: 3, worth: 1, hintedBy: ['Ana', 'Ben', 'Ana'] })).description).toBe(
      'The `m i t _ _ _ _ _ _ _ _ _` (12 letters) is the powerhouse.\n\ndemo · Markdown \\*and\\* @\u200bmentions · ends <t:1800000030:R>\n💡 Hint 3 of 3 by Ana, Ben: now **1 point** + up to 5 for speed',
    );
  });

  it('a card with several blanks numbers them and gives an example of as many parts', () => {
    const embed = questionEmbed(view(mentions));
    expect(embed.description).toContain('Use \\*stars\\* and bold for (1) `____` and (2) `____` with \\`code\\`.');
    expect(embed.description).toContain('Answer the 2 blanks in order, e.g. `first, second`, or as the phrase reads.');
    expect(exampleParts(3)).toBe('first, second, third');
    expect(exampleParts(11)).toBe('first, second, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth, part 11');
  });

  it('a closed question shows the sentence with the answer in bold, once', () => {
    const embed = closedQuestionEmbed(view(mentions), 'answered', 'Ana', 4);
    expect(embed.title).toBe('Question 2 of 5 · ✅ Ana');
    expect(embed.fields).toBeUndefined();
    expect(embed.description).toBe('Use \\*stars\\* and bold for **@\u200beveryone** and **<@\u200b123>** with \\`code\\`.\n\ndemo · Markdown \\*and\\* @\u200bmentions\nNext question in 4 s');
    expect(answerPhrase(mentions)).toBe('**@\u200beveryone** and **<@\u200b123>**');
    expect(closedQuestionEmbed(view(), 'interrupted').title).toBe('Question 2 of 5 · Interrupted by a restart');
  });

  it.each([
    [[], 'Nobody scored this round.'],
    [[{ rank: 1, name: 'Ana', points: 1, correct: 1 }], '🏆 **Ana** wins with 1 point.'],
    [[{ rank: 1, name: 'Ana', points: 9, correct: 1 }, { rank: 1, name: 'Ben', points: 9, correct: 1 }, { rank: 3, name: 'Cy', points: 2, correct: 1 }], '🤝 2-way tie for first: **Ana** and **Ben**, 9 points each.'],
    [['A', 'B', 'C', 'D', 'E', 'F'].map((name) => ({ rank: 1, name, points: 5, correct: 1 })), '🤝 6-way tie for first: **A**, **B**, **C**, **D** and 2 more, 5 points each.'],
  ])('the summary headline of %j is %s', (lines, headline) => {
    expect(summaryHeadline(lines)).toBe(headline);
  });

  it('long text is clipped to Discord limits', () => {
    // Decks refuse lines over 2,000 characters; rendering clips whatever it is given all the same.
    const card = parseDeck('# deck: long\nA -x-.', 'long.md').deck!.cards[0]!;
    const long = { ...card, parts: ['word '.repeat(1200), { blank: 0 }, '.'] };
    expect(questionEmbed(view(long)).description!.length).toBeLessThanOrEqual(4000);
  });
});

describe('revealCounts', () => {
  const solver = (userId: string, tryNumber?: number) => ({ userId, name: userId, at: 0, points: 10, ...(tryNumber ? { try: tryNumber } : {}) });
  it.each([
    ['nobody answered', [], {}, [0, 0, 0], 0],
    ['the stored try counts', [solver('a', 1), solver('b', 3)], { b: 2 }, [1, 0, 1], 0],
    ['without a stored try, wrong tries + 1', [solver('a'), solver('b')], { b: 1 }, [1, 1, 0], 0],
    ['tried without solving, 1 to 3 tries', [solver('a', 1)], { c: 1, d: 3 }, [1, 0, 0], 2],
  ] as const)('%s', (_, solvers, tries, solvedOnTry, notSolved) => {
    expect(revealCounts({ solvers, tries })).toEqual({ solvedOnTry, notSolved });
  });
});

describe('long and markdown-heavy text', () => {
  it.each([
    ['stars and underscores', '*a* _b_ __c__ **d**', '\\*a\\* \\_b\\_ \\_\\_c\\_\\_ \\*\\*d\\*\\*'],
    ['code, spoilers, strike-through', '`x` ||y|| ~~z~~', '\\`x\\` \\|\\|y\\|\\| \\~\\~z\\~\\~'],
    ['a masked link', '[here](https://x.y)', '\\[here\\](https://x.y)'],
    ['a heading, a quote and list markers at line starts', '# Title\n> quote\n- item\n1. first', '\\# Title\n\\> quote\n\\- item\n1\\. first'],
    ['hyphens, hashes and numbers inside a line stay', 'state-of-the-art #1 in 2. place', 'state-of-the-art #1 in 2. place'],
    ['a backslash', 'a\\b', 'a\\\\b'],
  ])('escapes %s', (_, text, escaped) => {
    expect(escapeText(text)).toBe(escaped);
  });

  const longCard = (line: string) => parseDeck(`# deck: long\n${line}`, 'long.md').deck!.cards[0]!;

  it('a 2,000-character line of markdown is clipped, then escaped: bounded, and starts as the text does', () => {
    const card = longCard(`${'``*_ '.repeat(396)}the -answer-.`);
    const description = questionEmbed(view(card)).description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description.startsWith('\\`\\`\\*\\_ \\`\\`\\*\\_ ')).toBe(true);
    const closed = closedQuestionEmbed(view(card), 'answered', 'Ana').description!;
    expect(closed.length).toBeLessThanOrEqual(4096);
  });

  it('a 1 MB line is cut before it is escaped: the text shown is its beginning', () => {
    // Decks refuse such lines; text can still be long (a note's other blanks, a name).
    const base = longCard('The -start- is here.');
    const card = { ...base, parts: ['The ', { blank: 0 }, ` ${'x*'.repeat(500_000)}`], text: `The start ${'x*'.repeat(500_000)}` };
    const description = questionEmbed(view(card)).description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description.startsWith('The `____` x\\*x\\*')).toBe(true);
    expect(closedQuestionEmbed(view(card), 'answered').description!.length).toBeLessThanOrEqual(4096);
    expect(plain('y'.repeat(1_000_000), 100)).toBe(`${'y'.repeat(99)}…`);
  });

  it('clipping never splits an emoji', () => {
    expect(clip(`${'a'.repeat(8)}😀😀`, 10)).toBe(`${'a'.repeat(8)}…`);
  });
});
