import { describe, expect, it } from 'vitest';
import { looksLikeAnswer } from '../../src/engine/attempt.ts';
import { deckCard, deckFile, makeCard, seedCard } from './cards.ts';

type Row = [situation: string, answers: string, reply: string];

const programming = (answers: string) => deckCard(deckFile('test/fixtures/decks/programming.md'), answers);

describe('looksLikeAnswer: messages that count as an attempt', () => {
  it.each<Row>([
    ['the answer', 'weeks', 'weeks'],
    ['a wrong word', 'weeks', 'days'],
    ['a wrong phrase', 'data scientist', 'data engineer'],
    ['a wrong answer with a full stop', 'weeks', 'days.'],
    ['a hedged guess a few words long', 'weeks', "I think it's days"],
    ['the answer with its echo', 'weeks', 'in a few weeks'],
    ['three words beyond a one-word answer', 'weeks', 'maybe a few days then'],
    ['articles not counted', 'weeks', 'the a an days for the work'],
    ['a multi-blank list', 'lack / talent', 'lack, skills'],
    ['a multi-blank phrase', 'stores / configuration / metadata / model', 'stores the configuration and data of the model'],
    ['a wrong guess with an emoji', 'Seldon', 'verta 🙂'],
    ['a formatted guess', 'Seldon', '**verta**'],
    ['a filler word that is the answer', 'no', 'no'],
    ['a guess beside filler', 'weeks', 'um days'],
    ['a number in words', 'eight', 'nine'],
    ['several guesses', 'weeks', 'weeks or months'],
    ['a question mark inside, not at the end', 'weeks', 'days? no, months'],
  ])('%s: %s ← %j', (_situation, answers, reply) => {
    const card = answers === 'no' || answers === 'eight' ? makeCard([answers], 'the answer is {0}') : seedCard(answers);
    expect(looksLikeAnswer(card, reply)).toBe(true);
  });

  it.each<Row>([
    ['symbols for a symbol answer', '->', '=>'],
    ['the symbol answer', '==', '=='],
    ['symbols for two symbol blanks', '[] / {}', '(), {}'],
  ])('%s: %s ← %j', (_situation, answers, reply) => {
    expect(looksLikeAnswer(programming(answers), reply)).toBe(true);
  });
});

describe('looksLikeAnswer: chat that is not an attempt', () => {
  it.each<Row>([
    ['nothing', 'weeks', ''],
    ['spaces', 'weeks', '   '],
    ['a mention only', 'weeks', '<@123456789012345678>'],
    ['a question', 'weeks', 'is it days?'],
    ['a question with filler', 'weeks', 'no idea, something about data?'],
    ['a one-word question', 'weeks', 'days?'],
    ['a question with an emoji after it', 'weeks', 'what was it again? 🤔'],
    ['a full-width question mark', 'weeks', 'days？'],
    ['a spoilered question', 'weeks', '||is it days?||'],
    ['an emoji', 'weeks', '🤔'],
    ['several emoji', 'weeks', '👍👍 🎉'],
    ['an emoji with a skin tone', 'weeks', '👍🏽'],
    ['a flag', 'weeks', '🇫🇷'],
    ['a custom Discord emoji', 'weeks', '<:pepe_think:123456789012345678>'],
    ['a text emoticon', 'weeks', ':)'],
    ['a text emoticon with a letter', 'weeks', ':D'],
    ['a shrug of symbols', 'weeks', '-_-'],
    ['lol', 'weeks', 'lol'],
    ['idk', 'weeks', 'idk'],
    ['um', 'weeks', 'um'],
    ['a long umm', 'weeks', 'ummmm'],
    ['hmm', 'weeks', 'hmmm...'],
    ['laughing', 'weeks', 'hahaha'],
    ['no idea', 'weeks', 'no idea'],
    ['I dont know', 'weeks', "I don't know"],
    ['not sure', 'weeks', 'not sure'],
    ['ok', 'weeks', 'OK!'],
    ['thanks', 'weeks', 'thank you'],
    ['filler and an emoji', 'weeks', 'lol 😂'],
    ['a sentence far longer than the answer', 'weeks', 'we did this one in class last week i remember'],
    ['four words beyond a one-word answer', 'weeks', 'maybe a few more days then'],
    ['a paragraph for a two-blank card', 'lack / talent', 'the reasons were that the company had no people and no money at all'],
  ])('%s: %s ← %j', (_situation, answers, reply) => {
    expect(looksLikeAnswer(seedCard(answers), reply)).toBe(false);
  });

  it.each<Row>([
    ['an emoji', '->', '🙂'],
    ['only full stops', '==', '...'],
    ['a question about a symbol', '->', '-> or =>?'],
  ])('symbol card, %s: %s ← %j', (_situation, answers, reply) => {
    expect(looksLikeAnswer(programming(answers), reply)).toBe(false);
  });
});
