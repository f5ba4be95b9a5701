import { describe, expect, it } from 'vitest';
import { closedQuestionEmbed, howToAnswer, plain, promptMarkdown, questionEmbed, type QuestionView } from '../../src/bot/render.ts';
import { parseDeck } from '../../src/deck/parse.ts';

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

  it('a question shows its number, deck, section, time and how to answer', () => {
    const embed = questionEmbed(view());
    expect(embed.title).toBe('Question 2 of 5');
    expect(embed.fields).toEqual([
      { name: 'Deck', value: 'demo', inline: true },
      { name: 'Section', value: 'Markdown \\*and\\* @\u200bmentions', inline: true },
      { name: 'Time', value: '30 s, ends <t:1800000030:R>', inline: true },
      { name: 'How to answer', value: 'Reply in this channel with the missing words.' },
    ]);
    expect(questionEmbed(view(plainCard, { hintLevel: 1, worth: 7 })).footer?.text).toBe('Hint 1 used · now worth 7 points + speed bonus');
  });

  it('a closed question shows the whole sentence and the answer', () => {
    const embed = closedQuestionEmbed(view(mentions), 'answered', 'Ana');
    expect(embed.title).toBe('Question 2 of 5 · Answered');
    expect(embed.description).toBe('Use \\*stars\\* and bold for @\u200beveryone and <@\u200b123> with \\`code\\`.');
    expect(embed.fields?.[0]).toEqual({ name: 'Answer', value: '@\u200beveryone / <@\u200b123>' });
    expect(embed.fields?.[2]).toEqual({ name: 'Answered by', value: 'Ana' });
  });

  it('long text is clipped to Discord limits', () => {
    // Decks refuse lines over 2,000 characters; rendering clips whatever it is given all the same.
    const card = parseDeck('# deck: long\nA -x-.', 'long.md').deck!.cards[0]!;
    const long = { ...card, parts: ['word '.repeat(1200), { blank: 0 }, '.'] };
    expect(questionEmbed(view(long)).description!.length).toBeLessThanOrEqual(4000);
  });
});
