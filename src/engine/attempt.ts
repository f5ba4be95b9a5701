/**
 * Whether a message sent during a question is an attempt at it, or chat. Pure.
 *
 * A wrong reply counts as an attempt (and so lowers accuracy) only when it looks like an answer
 * to this card. It does not when it is:
 * - empty once formatting, mentions and custom emoji are gone, or only emoji (`🤔`, `👍👍`);
 * - a question: it ends with `?` (trailing emoji and formatting aside): `no idea, something about data?`;
 * - longer than the card's answer by more than EXTRA_WORDS words (articles not counted; a card
 *   with several blanks also gets one joining word between blanks);
 * - only filler or reaction words (`lol`, `idk`, `um`, `no idea`, `hmmm`, `hahaha`, `ok`...),
 *   unless one of those words is part of the card's answer (`no` for an answer `No`);
 * - only symbols (`:)`, `^^`, `-_-`) while the card's answer has letters or digits.
 *
 * A right reply is always an attempt: call `judge` first and ask this only of wrong replies.
 */
import type { Card } from '../deck/types.ts';
import { foldText, isArticle, normalize, stripFormatting, type Word } from './normalize.ts';

/** How many words a reply may have beyond the answer's own and still count as an attempt. */
export const EXTRA_WORDS = 3;

/** Emoji and the characters that build them (joiners, variation selectors, skin tones, flags, keycaps). */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{1F1E6}-\u{1F1FF}\u200D\uFE0E\uFE0F\u20E3]/gu;

/** Single words that are chat, not answers. */
const FILLER_WORDS = new Set([
  'lol', 'lmao', 'lmfao', 'rofl', 'xd', 'd', 'p', 'idk', 'idc', 'dunno', 'um', 'uh', 'er', 'erm', 'eh', 'ah', 'oh',
  'hm', 'ok', 'okay', 'k', 'kk', 'yes', 'yeah', 'yep', 'yup', 'no', 'nope', 'nah', 'wow', 'omg', 'oof', 'ugh',
  'oops', 'nice', 'cool', 'gg', 'ty', 'thx', 'thanks', 'thank', 'you', 'pls', 'plz', 'brb', 'rip', 'wait', 'huh',
  'what', 'hint', 'help', 'pass', 'skip', 'same', 'hi', 'hello', 'hey', 'bruh', 'damn', 'welp', 'sure', 'maybe',
  'i', 'dont', 'know', 'idea', 'not', 'clue', 'think', 'hard', 'easy', 'too', 'so',
]);

/** Filler words written long: `ummm`, `hmmmm`, `hahaha`, `lolll`, `soooo`. */
const STRETCHED_FILLER = /^(?:u+m+|u+h+|h+m+|e+r+m*|(?:h+a+)+h*|(?:h+e+)+h*|l+o+l+|l+m+a+o+|o+k+|s+o+|y+e+s+|n+o+|x+d+|w+o+w+)$/;

/** Whether a lower-case word is filler or a reaction. */
function isFiller(key: string): boolean {
  return FILLER_WORDS.has(key) || STRETCHED_FILLER.test(key);
}

/** Whether some word has letters or digits (a symbol word like `->` has neither). */
function hasLettersOrDigits(words: readonly Word[]): boolean {
  return words.some((word) => /[\p{L}\p{N}]/u.test(word.key));
}

/** Whether a message sent during this card's question counts as an attempt at it: see above. */
export function looksLikeAnswer(card: Pick<Card, 'answers'>, reply: string): boolean {
  const text = foldText(stripFormatting(reply)).replace(EMOJI, ' ');
  if (/\?\s*$/.test(text)) return false;
  const words = normalize(text).words;
  if (words.length === 0) return false;

  const answerWords = card.answers.map((answer) => normalize(answer).words);
  if (!hasLettersOrDigits(words) && answerWords.some(hasLettersOrDigits)) return false;

  const counted = (list: readonly Word[]): number => list.filter((word) => !isArticle(word)).length;
  const answerLength = answerWords.reduce((sum, list) => sum + counted(list), 0) + (card.answers.length - 1);
  if (counted(words) > answerLength + EXTRA_WORDS) return false;

  const answerKeys = new Set(answerWords.flat().map((word) => word.key));
  const chatter = words.every((word) => isArticle(word) || (isFiller(word.key) && !answerKeys.has(word.key)));
  return !chatter;
}
