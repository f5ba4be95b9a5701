/**
 * Judges a reply to a card: accepts what a fair teacher accepts and nothing more. Pure.
 *
 * What is forgiven (see normalize.ts for the text pipeline):
 * - case, surrounding spaces and punctuation, Discord formatting, accents, curly quotes;
 * - separators: `long-term` = `long term` = `longterm`, `CI/CD` = `CI-CD` = `CICD`,
 *   `Git Hub` = `GitHub`, `&` = `and`;
 * - the articles a, an, the anywhere, on either side (`the data scientist`);
 * - singular/plural of any word, either side, by `pluralize`'s rules (`week`/`weeks`,
 *   `process`/`processes`, `company`/`companies`, `child`/`children`, `index`/`indices`,
 *   `identify customer need` for `identifies customer needs`);
 * - small typos, by this table (letters and digits counted without separators):
 *
 *   | answer length | typos allowed |
 *   |---------------|---------------|
 *   | 1–4           | 0             |
 *   | 5–8           | 1             |
 *   | 9–16          | 2             |
 *   | 17 or more    | 3             |
 *
 *   A typo is one inserted, deleted or changed letter, or two neighbouring letters swapped.
 *   Each word of the answer also has its own limit: 0 for words of up to 3 letters, for
 *   acronyms (`POC`, `DVC`) and for words with digits (`V7`), 1 for 4–8 letters, 2 for 9 or
 *   more; so `Model tracking` is not a typo of `Model training`. A reply word that is not in
 *   the answer costs all its letters, so an extra word (`no understanding model results`)
 *   never passes as a typo. Digits must match exactly: a typo never changes a number. Numbers
 *   in words are digits by then (`twenty-three` = `23`, `7.0` = `7`; see normalize.ts), and a
 *   symbol answer (`->`, `[]`) is a word of symbols that must match exactly.
 *
 * Cards with several blanks take the blanks in order, separated by commas, semicolons, slashes,
 * new lines, `&`, `and` (`x, y and z`, `x, y, and z`), plain spaces or list numbering
 * (`1. x 2. y`), or the phrase as it reads in the prompt from the first blank to the last
 * (`lack of talent`; articles in it may be dropped or added). Every blank gets the same tolerance. Blanks in another order
 * are wrong (`wrong-order`), except when the blanks form a plain list in the prompt (only
 * commas, `and` or `or` between them: `suitability and safety`), where the order carries no
 * meaning. An answer that itself holds a separator (`CI/CD`, `Model and Data versioning`) is
 * never broken up: the reply is split wherever that makes every blank match.
 *
 * Words of the prompt echoed around the blank are accepted too (`a few weeks` or `in a few weeks`
 * for "in a few ____,", `months of work` for "take ____ of work", `about model training`,
 * `we discover the most critical aspects of the business`): the reply may start with the last
 * words before the card's first blank and end with the first words after its last blank, the
 * answer (or blanks, as above) in between judged as usual. The echo comes only from the prompt
 * right next to the blanks: at most 4 words on each side (articles not counted), stopping at
 * any punctuation (`.`, `,`, `;`, `:`, `(`, `/`, a dash standing apart...) or line break, and
 * before any word of another blank of the note (`model training and understanding model
 * results` stays wrong). Echoed words must be the prompt's exactly: no typo, no other plural,
 * articles still free. The outermost echoed word is never a bare `and`, `or` (`model training
 * and` stays wrong). The verdict is the answer's own (`exact`, `plural`, `typo`).
 *
 * Nothing else is accepted beyond the answer and articles: no polite or hedging prefix (`it's`,
 * `I think`, `answer:`), no word that is not the prompt's next to the blank (`a few weeks of
 * work`, `data scientist manager` for "The ____ would worry"), since a reply with extra words is
 * a different claim and a live round must not reward hedged guesses.
 *
 * Rejected: another blank of the same note (`other-blank`; naming another blank exactly wins
 * over being a typo away from the answer), a longer or different term that
 * contains the answer, any word beyond the answer and its echo (`it's weeks`, `I think weeks`:
 * `extra-words`), several guesses (`weeks or months`, `weeks/months`: `too-many-guesses`),
 * the answer said twice (`weeks weeks`: `repeated`), a missing blank (`missing-blank`), an
 * empty reply (`empty`).
 */
import type { Card } from '../deck/types.ts';
import pluralize from 'pluralize';
import { editsWithin, isArticle, isListGap, joinKeys, normalize, withoutArticles, type Word } from './normalize.ts';

export type JudgeReason =
  /** Right, up to case, formatting, separators, accents and articles. */
  | 'exact'
  /** Right, singular for plural or the other way round. */
  | 'plural'
  /** Right, with a small spelling slip. */
  | 'typo'
  /** Nothing but spaces, punctuation or formatting. */
  | 'empty'
  /** Names another blank of the same note. */
  | 'other-blank'
  /** Several guesses, or more answers than the card has blanks. */
  | 'too-many-guesses'
  /** The answer said more than once. */
  | 'repeated'
  /** The answer with words around it. */
  | 'extra-words'
  /** Fewer blanks than the card has. */
  | 'missing-blank'
  /** Every blank right, in the wrong order. */
  | 'wrong-order'
  /** Some blanks right, some wrong. */
  | 'partial'
  | 'wrong';

export interface Verdict {
  correct: boolean;
  /** One entry per card answer: whether that blank was matched. */
  blanks: boolean[];
  /** Machine-readable reason code. */
  reason: JudgeReason;
  /** Short human-readable explanation, e.g. "2 of 3 blanks right". */
  message: string;
}

type MatchKind = 'exact' | 'plural' | 'typo';

/** "Not quite", with the verdict's explanation when it says more than that (e.g. "2 of 3 blanks right"). */
export function notQuite(verdict: Verdict): string {
  return verdict.reason === 'wrong' ? 'Not quite.' : `Not quite: ${verdict.message}.`;
}

/** Replies with more words than this are judged wrong without further search. */
const MAX_REPLY_WORDS = 60;

/** Typos allowed for an answer of `length` letters and digits (the table above). */
export function typoBudget(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  if (length <= 16) return 2;
  return 3;
}

/** An acronym (`POC`), a word with digits (`V7`, `7.5`) or symbols (`->`): never a typo in it. */
function isStrict(word: Word): boolean {
  if (/[^\p{L}]/u.test(word.key)) return true;
  return word.raw.length >= 2 && /\p{Lu}/u.test(word.raw) && word.raw === word.raw.toUpperCase();
}

/** Typos allowed inside one answer word. */
function wordBudget(word: Word): number {
  if (isStrict(word) || word.key.length <= 3) return 0;
  if (word.key.length <= 8) return 1;
  return 2;
}

/** A lower-case word in both numbers, by `pluralize`'s rules (irregular and Latin plurals too). */
interface NumberForms {
  /** The word itself first, then its plural and singular when they differ. */
  readonly forms: readonly string[];
  readonly singular: string;
}

/** Memo of numberForms: replies repeat words; cleared when full so it stays small. */
const numberFormsMemo = new Map<string, NumberForms>();
const NUMBER_FORMS_MEMO_SIZE = 10_000;

function numberForms(key: string): NumberForms {
  let found = numberFormsMemo.get(key);
  if (found === undefined) {
    const singular = pluralize.singular(key);
    const forms = [key];
    for (const form of [pluralize.plural(key), singular]) if (!forms.includes(form)) forms.push(form);
    found = { forms, singular };
    if (numberFormsMemo.size >= NUMBER_FORMS_MEMO_SIZE) numberFormsMemo.clear();
    numberFormsMemo.set(key, found);
  }
  return found;
}

/** Singular and plural spellings of a (lower-case) word, the word itself first. */
function pluralForms(key: string): readonly string[] {
  return numberForms(key).forms;
}

/** Whether two lower-case words are one word, up to singular and plural (`index`/`indexes`/`indices`). */
function sameWordAnyNumber(answer: string, reply: string): boolean {
  return answer === reply || pluralForms(answer).includes(reply) || numberForms(answer).singular === numberForms(reply).singular;
}

/** An answer (or another blank) ready to be compared with replies. */
interface Target {
  readonly text: string;
  readonly words: readonly Word[];
  readonly key: string;
  readonly digits: string;
  readonly budget: number;
  readonly wordBudgets: readonly number[];
  readonly strict: readonly boolean[];
  /** Keys of the whole answer with the last word in another number (plural/singular). */
  readonly pluralKeys: readonly string[];
  /** Reply keys further than this from the answer's length never match it. */
  readonly slack: number;
  /** Shortest and longest reply key (articles aside) that can match: the key's length within the slack, or a plural key's. */
  readonly shortest: number;
  readonly longest: number;
  /** The lengths of the plural keys, -1 for none (there are at most two). */
  readonly pluralLengths: readonly [number, number];
  /** Answer words, singly and joined, ready for typoCost. */
  readonly parts: readonly (readonly AnswerPart[])[];
}

/** The digits of a key, decimal points kept (`7.5` is neither `75` nor `7`). */
function digitsOf(key: string): string {
  let digits = '';
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if ((code >= 48 && code <= 57) || code === 46) digits += key[index];
  }
  return digits;
}

/**
 * Matches the digits of `key` (as digitsOf keeps them) against `digits` from position `found`:
 * the position after them, or -1 where they differ.
 */
function matchDigits(key: string, digits: string, found: number): number {
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if ((code >= 48 && code <= 57) || code === 46) {
      if (found >= digits.length || digits.charCodeAt(found) !== code) return -1;
      found++;
    }
  }
  return found;
}

/** Whether digitsOf(key) is `digits`, without building it. */
function sameDigits(key: string, digits: string): boolean {
  return matchDigits(key, digits, 0) === digits.length;
}

function makeTarget(text: string): Target {
  const words = withoutArticles(normalize(text).words);
  const key = joinKeys(words);
  const last = words[words.length - 1];
  const stem = joinKeys(words.slice(0, -1));
  const pluralKeys = last === undefined ? [] : pluralForms(last.key).slice(1).map((form) => stem + form);
  const wordBudgets = words.map(wordBudget);
  const strict = words.map(isStrict);
  const slack = typoBudget(key.length) + 3 * words.length;
  const pluralLengths = pluralKeys.map((plural) => plural.length);
  return {
    text,
    words,
    key,
    digits: digitsOf(key),
    budget: typoBudget(key.length),
    wordBudgets,
    strict,
    pluralKeys,
    slack,
    shortest: Math.min(key.length - slack, ...pluralLengths),
    longest: Math.max(key.length + slack, ...pluralLengths),
    pluralLengths: [pluralLengths[0] ?? -1, pluralLengths[1] ?? -1],
    parts: answerParts({ words, wordBudgets, strict }),
  };
}

/** One to three answer words starting at one index, joined, with their typo limits. */
interface AnswerPart {
  readonly key: string;
  /** Forms of a single word in either number (the word itself first); empty for joined words. */
  readonly forms: readonly string[];
  readonly singular: string;
  /** Typos allowed when matched to one reply word (p = 1) or to a reply word run (p > 1). */
  readonly limit: number;
  /** Typos allowed when this single answer word is matched to 2–3 joined reply words. */
  readonly splitLimit: number;
}

/** parts[i][p - 1]: answer words i..i+p-1 (p = 1..3) as one part. */
function answerParts(target: Pick<Target, 'words' | 'wordBudgets' | 'strict'>): AnswerPart[][] {
  const { words } = target;
  return words.map((word, i) => {
    const parts: AnswerPart[] = [];
    for (let p = 1; p <= 3 && i + p <= words.length; p++) {
      let budgetSum = 0;
      let acronym = false;
      for (let k = i; k < i + p; k++) {
        budgetSum += target.wordBudgets[k] ?? 0;
        if (target.strict[k] === true) acronym = true;
      }
      const joinedLimit = acronym ? 0 : Math.min(1, budgetSum);
      const forms = p === 1 ? numberForms(word.key) : null;
      parts.push({
        key: joinKeys(words.slice(i, i + p)),
        forms: forms?.forms ?? [],
        singular: forms?.singular ?? '',
        limit: p === 1 ? (target.wordBudgets[i] ?? 0) : joinedLimit,
        splitLimit: joinedLimit,
      });
    }
    return parts;
  });
}

/**
 * Typos to turn reply part `replyKey` (q reply words joined) into answer part `part` (p answer
 * words), or null when over the part's limit. One word to one word may be singular or plural at
 * no cost; joined or split words allow at most one typo, none in an acronym.
 */
function partEdits(part: AnswerPart, p: number, replyKey: string, q: number, replySingular?: string): number | null {
  if (p === 1 && q === 1) {
    const limit = part.limit;
    if (part.key === replyKey || part.forms.includes(replyKey)) return 0;
    if (part.singular === (replySingular ?? numberForms(replyKey).singular)) return 0;
    let edits = limit + 1;
    for (const form of part.forms) {
      if (Math.abs(form.length - replyKey.length) > limit) continue;
      edits = Math.min(edits, editsWithin(form, replyKey, limit));
    }
    return edits <= limit ? edits : null;
  }
  const limit = p === 1 ? part.splitLimit : part.limit;
  if (Math.abs(part.key.length - replyKey.length) > limit) return null;
  const edits = editsWithin(part.key, replyKey, limit);
  return edits <= limit ? edits : null;
}

/**
 * Whether partEdits(part, 1, replyKey, 1) is not null (one answer word, one reply word): the
 * reply word is a form of the answer word, within its typo limit of one, or the same word in
 * the other number. The letters are compared before the (memoised) singular is looked up.
 */
function wordMatches(part: AnswerPart, replyKey: string, replySingular?: string): boolean {
  const limit = part.limit;
  const length = replyKey.length;
  const forms = part.forms;
  for (let index = 0; index < forms.length; index++) {
    const form = forms[index] as string;
    if (Math.abs(form.length - length) > limit) continue;
    if (form === replyKey || editsWithin(form, replyKey, limit) <= limit) return true;
  }
  return part.singular === (replySingular ?? numberForms(replyKey).singular);
}

/**
 * Whether the answer's first (or last) words can match the reply's first (or last) words, as
 * typoCost's first (or last) step must: a cheap way to rule most replies out before it.
 */
function edgeMatches(reply: readonly Word[], target: Target, edge: 'first' | 'last', edgeSingular?: string): boolean {
  const a = target.words.length;
  const r = reply.length;
  const first = edge === 'first';
  const word = reply[first ? 0 : r - 1] as Word;
  if (edgeWordTest(word, target, first, edgeSingular)) return true;
  // The first (last) answer word against two or three reply words joined; built only when
  // their length is within the part's limit of the answer word's.
  if (r >= 2) {
    const single = (target.parts[first ? 0 : a - 1] as readonly AnswerPart[])[0] as AnswerPart;
    const one = word.key;
    const two = (reply[first ? 1 : r - 2] as Word).key;
    let length = one.length + two.length;
    if (Math.abs(single.key.length - length) <= single.splitLimit) {
      if (partEdits(single, 1, first ? one + two : two + one, 2) !== null) return true;
    }
    if (r >= 3) {
      const three = (reply[first ? 2 : r - 3] as Word).key;
      length += three.length;
      if (Math.abs(single.key.length - length) <= single.splitLimit) {
        if (partEdits(single, 1, first ? one + two + three : three + two + one, 3) !== null) return true;
      }
    }
  }
  return false;
}

/** Whether the answer's first (last) one, two or three words can match the reply's first (last) word alone. */
function edgeWordTest(word: Word, target: Target, first: boolean, singular?: string): boolean {
  const a = target.words.length;
  const one = word.key;
  let matches = wordMatches((target.parts[first ? 0 : a - 1] as readonly AnswerPart[])[0] as AnswerPart, one, singular);
  // Two or three answer words against the one reply word.
  for (let p = 2; !matches && p <= 3 && p <= a; p++) {
    const part = (target.parts[first ? 0 : a - p] as readonly AnswerPart[])[p - 1] as AnswerPart;
    if (Math.abs(part.key.length - one.length) > part.limit) continue;
    matches = partEdits(part, p, one, 1) !== null;
  }
  return matches;
}

/** typoCost's table, grown as needed (typoCost calls nothing that uses it again). */
let costScratch = new Float64Array(256);

/**
 * Least number of typos turning the reply words into the answer words, or null when over a limit.
 * Answer words are matched to reply words one to one (any word may be singular or plural at no
 * cost: `identify customer need`), or a few to one / one to a few when the reply joins or splits
 * words (then at most one typo, and none in an acronym).
 */
function typoCost(reply: readonly Word[], target: Target): number | null {
  const a = target.words.length;
  const r = reply.length;
  if (r > 3 * a || a > 3 * r) return null;
  if (!edgeMatches(reply, target, 'first') || !edgeMatches(reply, target, 'last')) return null;
  // replyKeys[j * 3 + q - 1]: reply words j..j+q-1 joined.
  const replyKeys: string[] = new Array<string>(r * 3);
  for (let j = 0; j < r; j++) {
    let joined = '';
    for (let q = 1; q <= 3 && j + q <= r; q++) {
      joined += (reply[j + q - 1] as Word).key;
      replyKeys[j * 3 + q - 1] = joined;
    }
  }
  const width = r + 1;
  const cells = (a + 1) * width;
  if (costScratch.length < cells) costScratch = new Float64Array(cells * 2);
  const cost = costScratch;
  cost.fill(Number.POSITIVE_INFINITY, 0, cells);
  cost[0] = 0;
  for (let i = 0; i < a; i++) {
    const parts = target.parts[i] as readonly AnswerPart[];
    for (let j = 0; j < r; j++) {
      const here = cost[i * width + j] as number;
      if (here === Number.POSITIVE_INFINITY) continue;
      for (let p = 1; p <= parts.length; p++) {
        const part = parts[p - 1] as AnswerPart;
        for (let q = 1; q <= 3 && j + q <= r; q++) {
          if (p > 1 && q > 1) continue;
          const edits = partEdits(part, p, replyKeys[j * 3 + q - 1] as string, q);
          if (edits === null) continue;
          const at = (i + p) * width + j + q;
          if (here + edits < (cost[at] as number)) cost[at] = here + edits;
        }
      }
    }
  }
  const total = cost[a * width + r] as number;
  return total <= target.budget ? total : null;
}

/** How the reply words match the target, or null when they do not. */
function matchWords(replyWords: readonly Word[], target: Target): MatchKind | null {
  return matchRange(replyWords, 0, replyWords.length, target);
}

/**
 * matchWords for `words[start, end)`, without copying the words unless a typo search needs them:
 * most runs are ruled out by their joined key alone.
 */
function matchRange(words: readonly Word[], start: number, end: number, target: Target): MatchKind | null {
  if (end <= start || target.words.length === 0) return null;
  // The length of the words' keys joined, articles aside (all of them when the words are nothing
  // but articles): most runs are too long or too short for the target, whatever their letters.
  let length = 0;
  let kept = 0;
  for (let index = start; index < end; index++) {
    const word = words[index] as Word;
    if (!isArticle(word)) {
      length += word.key.length;
      kept++;
    }
  }
  if (kept === 0) for (let index = start; index < end; index++) length += (words[index] as Word).key.length;
  if (length < target.shortest || length > target.longest) return null;
  if (Math.abs(length - target.key.length) > target.slack && !hasKeyLength(target.pluralKeys, length)) return null;
  // The key and the plural keys, compared word by word without joining the words.
  const all = kept === 0;
  if (length === target.key.length && rangeKeyIs(words, start, end, all, target.key)) return 'exact';
  for (const plural of target.pluralKeys) if (plural.length === length && rangeKeyIs(words, start, end, all, plural)) return 'plural';
  if (Math.abs(length - target.key.length) > target.slack) return null;
  // What matchKept would do next, the key being neither the target's nor a plural one: the
  // digits, then the typo search over the words without articles (all of them when they are
  // nothing but articles, as withoutArticles gives them).
  const run: Word[] = [];
  for (let index = start; index < end; index++) {
    const word = words[index] as Word;
    if (all || !isArticle(word)) run.push(word);
  }
  if (!wordsDigitsAre(run, target.digits)) return null;
  const cost = typoCost(run, target);
  if (cost === null) return null;
  return cost === 0 ? 'plural' : 'typo';
}

/** Whether the keys of `words[start, end)` (articles aside unless `all`), joined, are `key`. */
function rangeKeyIs(words: readonly Word[], start: number, end: number, all: boolean, key: string): boolean {
  let offset = 0;
  for (let index = start; index < end; index++) {
    const word = words[index] as Word;
    if (!all && isArticle(word)) continue;
    if (!key.startsWith(word.key, offset)) return false;
    offset += word.key.length;
  }
  return offset === key.length;
}

/** sameDigits for the words' keys joined, without joining them. */
function wordsDigitsAre(words: readonly Word[], digits: string): boolean {
  let found = 0;
  for (const word of words) {
    found = matchDigits(word.key, digits, found);
    if (found < 0) return false;
  }
  return found === digits.length;
}

/** Whether `keys` holds `key` (lengths compared first: the key is often a fresh joined string). */
function hasKey(keys: readonly string[], key: string): boolean {
  const length = key.length;
  for (let index = 0; index < keys.length; index++) {
    const candidate = keys[index] as string;
    if (candidate.length === length && candidate === key) return true;
  }
  return false;
}

/** Whether one of `keys` is `length` long. */
function hasKeyLength(keys: readonly string[], length: number): boolean {
  for (let index = 0; index < keys.length; index++) if ((keys[index] as string).length === length) return true;
  return false;
}

/** matchWords for words already without articles and their joined key. */
function matchKept(words: readonly Word[], key: string, target: Target): MatchKind | null {
  if (words.length === 0 || target.words.length === 0) return null;
  if (key.length === target.key.length && key === target.key) return 'exact';
  if (hasKey(target.pluralKeys, key)) return 'plural';
  if (Math.abs(key.length - target.key.length) > target.slack) return null;
  if (!sameDigits(key, target.digits)) return null;
  const cost = typoCost(words, target);
  if (cost === null) return null;
  return cost === 0 ? 'plural' : 'typo';
}

function verdict(correct: boolean, blanks: boolean[], reason: JudgeReason, message: string): Verdict {
  return { correct, blanks, reason, message };
}

const WORST_FIRST: readonly MatchKind[] = ['typo', 'plural', 'exact'];

function worst(kinds: readonly MatchKind[]): MatchKind {
  return WORST_FIRST.find((kind) => kinds.includes(kind)) ?? 'exact';
}

const RIGHT_MESSAGE: Record<MatchKind, string> = {
  exact: 'right',
  plural: 'right (singular and plural aside)',
  typo: 'right, with a small spelling slip',
};

/** Words that join several guesses in a one-blank reply. */
const GUESS_JOINERS = new Set(['and', 'or', 'vs', 'versus', 'maybe', 'nor']);

/** Splits words into pieces at list gaps and at the given joining words. */
function splitPieces(words: readonly Word[], gaps: readonly string[], joiners: ReadonlySet<string>): Word[][] {
  const pieces: Word[][] = [];
  let piece: Word[] = [];
  words.forEach((word, index) => {
    if (index > 0 && isListGap(gaps[index] ?? '') && piece.length > 0) {
      pieces.push(piece);
      piece = [];
    }
    if (joiners.has(word.key)) {
      if (piece.length > 0) pieces.push(piece);
      piece = [];
      return;
    }
    piece.push(word);
  });
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

function matchesAny(words: readonly Word[], targets: readonly Target[]): boolean {
  return targets.some((target) => matchWords(words, target) !== null);
}

/** Judges a reply to a card: see the top of this file for what is accepted. */
export function judge(card: Pick<Card, 'answers' | 'otherBlanks' | 'parts'>, reply: string): Verdict {
  const { answers, others, oneBlank, echo, between } = prepare(card);
  const none = answers.map(() => false);
  const text = answers.length > 1 ? unnumberList(reply) : reply;
  const { words, gaps } = normalize(text);
  if (words.length === 0) return verdict(false, none, 'empty', 'no answer given');
  if (answers.length === 0) return verdict(false, none, 'wrong', 'this card has no blank to answer');
  if (words.length > MAX_REPLY_WORDS) return verdict(false, none, 'wrong', 'that reply is far too long');
  return answers.length === 1
    ? judgeOneBlank(answers[0] as Target, others, oneBlank as OneBlankTargets, echo, words, gaps)
    : judgeBlanks(answers, others, between, echo, words, gaps);
}

/** What judging needs of a card, worked out once per card object (cards never change). */
interface PreparedCard {
  readonly answers: readonly Target[];
  readonly others: readonly Target[];
  /** For a card with one blank: its answer and the other blanks, for the run search. */
  readonly oneBlank: OneBlankTargets | null;
  readonly echo: EchoContext;
  readonly between: readonly (readonly Word[])[];
}

/** The answer then the other blanks, and the longest key (articles aside) any of them can match. */
interface OneBlankTargets {
  readonly targets: readonly Target[];
  readonly longest: number;
}

const preparedCards = new WeakMap<object, PreparedCard>();

function prepare(card: Pick<Card, 'answers' | 'otherBlanks' | 'parts'>): PreparedCard {
  let prepared = preparedCards.get(card);
  if (prepared === undefined) {
    const answers = card.answers.map(makeTarget);
    const others = card.otherBlanks.map(makeTarget);
    const targets = [...answers, ...others];
    prepared = {
      answers,
      others,
      oneBlank: answers.length === 1 ? { targets, longest: Math.max(...targets.map((target) => target.longest)) } : null,
      echo: echoContext(card.parts, card.otherBlanks),
      between: answers.length > 1 ? betweenTexts(card.parts, answers.length) : [],
    };
    preparedCards.set(card, prepared);
  }
  return prepared;
}

/** Whether the keys of the first `count` words, joined, are one of `keys`. */
function keptKeyIn(words: readonly Word[], count: number, keys: readonly string[]): boolean {
  for (let index = 0; index < keys.length; index++) if (rangeKeyIs(words, 0, count, true, keys[index] as string)) return true;
  return false;
}

/** The first (up to) three words from `start` on, articles aside. */
function headWords(words: readonly Word[], start: number): Word[] {
  const head: Word[] = [];
  for (let at = start; at < words.length && head.length < 3; at++) {
    const word = words[at] as Word;
    if (!isArticle(word)) head.push(word);
  }
  return head;
}

/** How the words match the one answer, or null; naming another blank exactly beats a typo. */
function oneBlankKind(words: readonly Word[], answer: Target, others: readonly Target[]): MatchKind | null {
  const kind = matchWords(words, answer);
  if (kind !== 'typo') return kind;
  const namesOther = others.some((other) => {
    const otherKind = matchWords(words, other);
    return otherKind === 'exact' || otherKind === 'plural';
  });
  return namesOther ? null : kind;
}

function judgeOneBlank(
  answer: Target,
  others: readonly Target[],
  oneBlank: OneBlankTargets,
  echo: EchoContext,
  words: readonly Word[],
  gaps: readonly string[],
): Verdict {
  const kind = oneBlankKind(words, answer, others);
  if (kind !== null) return verdict(true, [true], kind, RIGHT_MESSAGE[kind]);
  if (others.some((other) => matchWords(words, other) !== null)) {
    return verdict(false, [false], 'other-blank', 'that is another blank of this sentence');
  }
  // The answer with words of the prompt echoed around it.
  const cores = echoCores(words, echo);
  for (const core of cores) {
    const echoed = oneBlankKind(core, answer, others);
    if (echoed !== null) return verdict(true, [true], echoed, RIGHT_MESSAGE[echoed]);
  }
  if (cores.some((core) => matchesAny(core, others))) {
    return verdict(false, [false], 'other-blank', 'that is another blank of this sentence');
  }

  const pieces = splitPieces(words, gaps, GUESS_JOINERS);
  if (pieces.length > 1) {
    if (pieces.every((piece) => matchWords(piece, answer) !== null)) {
      return verdict(false, [false], 'repeated', 'give the answer once');
    }
    if (pieces.some((piece) => matchesAny(piece, [answer, ...others]))) {
      return verdict(false, [false], 'too-many-guesses', 'give one answer, not several');
    }
  }

  // Runs of words inside the reply that name the answer or another blank.
  const runs: { start: number; end: number; own: boolean }[] = [];
  const { targets, longest } = oneBlank;
  const total = words.length;
  // For the runs from one start, by end (index end - start - 1): the length of the joined key
  // of the run's words without articles, how many words that keeps (the kept words in order in
  // keptWords), and the key itself once a target asks for it (keys are rarely needed: most runs
  // are ruled out by their length or by their first words).
  const lengths = new Int32Array(total);
  const keptCounts = new Int32Array(total);
  const keys: (string | undefined)[] = new Array<string | undefined>(total).fill(undefined);
  const keptWords: Word[] = [];
  // Per run from this start: 0 when it names no target yet, 1 another blank, 2 the answer.
  const named = new Uint8Array(total);
  for (let start = 0; start < total; start++) {
    keptWords.length = 0;
    let count = 0;
    let length = 0;
    // A run whose words (articles aside) are longer than `longest` matches no target: stop growing it.
    for (let end = start + 1; end <= total; end++) {
      const added = words[end - 1] as Word;
      if (!isArticle(added)) {
        keptWords.push(added);
        length += added.key.length;
      }
      if (length > longest) break;
      lengths[count] = length;
      keptCounts[count] = keptWords.length;
      keys[count] = undefined;
      count++;
    }
    // The first words from here, articles aside, and the first one's singular, for the
    // targets' first-words test.
    let head: Word[] | null = null;
    let headSingular = '';
    let any = false;
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index] as Target;
      if (target.words.length === 0) continue;
      const targetLength = target.key.length;
      // Whether the target's first words can match the first words from here (typoCost needs
      // it), worked out when a run from here first comes close enough to the target's length.
      let well: boolean | undefined;
      for (let k = 0; k < count; k++) {
        const length = lengths[k] as number;
        // Keys only grow with the run: once too long for this target, every later run is too.
        if (length > target.longest) break;
        if (length < target.shortest) continue;
        const keptCount = keptCounts[k] as number;
        if (keptCount === 0 || (start === 0 && k === total - 1)) continue;
        // A run that already names a target is only looked at again for the answer.
        if (index > 0 && named[k] !== 0) continue;
        // The run can be the target's key or a plural key only at their lengths; a typo of the
        // target only near its length, and only when the target's first words can start it.
        const near = Math.abs(length - targetLength) <= target.slack;
        const keyLength = length === targetLength || length === target.pluralLengths[0] || length === target.pluralLengths[1];
        if (!keyLength && (!near || well === false)) continue;
        // The key or a plural key, compared word by word without joining the run's words.
        let hit = keyLength && (rangeKeyIs(keptWords, 0, keptCount, true, target.key) || keptKeyIn(keptWords, keptCount, target.pluralKeys));
        if (!hit && near) {
          if (well === undefined) {
            if (head === null) {
              head = headWords(words, start);
              if (head.length > 0) headSingular = numberForms((head[0] as Word).key).singular;
            }
            well = head.length > 0 && edgeMatches(head, target, 'first', headSingular);
          }
          if (well) {
            let runKey = keys[k];
            if (runKey === undefined) {
              runKey = '';
              for (let at = 0; at < keptCount; at++) runKey += (keptWords[at] as Word).key;
              keys[k] = runKey;
            }
            hit = matchKept(keptWords.slice(0, keptCount), runKey, target) !== null;
          }
        }
        if (hit) {
          named[k] = index === 0 ? 2 : 1;
          any = true;
        }
      }
    }
    if (any) {
      for (let k = 0; k < count; k++) {
        if (named[k] !== 0) runs.push({ start, end: start + 1 + k, own: named[k] === 2 });
      }
      named.fill(0);
    }
  }
  const ownRuns = runs.filter((run) => run.own);
  if (ownRuns.length > 0) {
    if (coversAll(ownRuns, words)) return verdict(false, [false], 'repeated', 'give the answer once');
    const guesses = disjointCount(runs);
    if (guesses > 1) return verdict(false, [false], 'too-many-guesses', 'give one answer, not several');
    return verdict(false, [false], 'extra-words', 'answer with the missing words only');
  }
  return verdict(false, [false], 'wrong', 'not right');
}

/** Whether the words are the answer said two or more times (`talent talent`, `weeks, weeks`). */
function isRepetition(words: readonly Word[], answer: Target): boolean {
  const runs: { start: number; end: number }[] = [];
  for (let start = 0; start < words.length; start++) {
    // The run's length without articles, grown one word at a time: matchRange rules out a run
    // whose words are too short or too long for the answer, and longer runs only grow.
    let length = 0;
    let kept = 0;
    for (let end = start + 1; end <= words.length && end - start <= answer.words.length + 2; end++) {
      const word = words[end - 1] as Word;
      if (!isArticle(word)) {
        length += word.key.length;
        kept++;
      }
      if (length > answer.longest) break;
      if (start === 0 && end === words.length) continue;
      if (kept === 0 || length < answer.shortest) continue;
      if (matchRange(words, start, end, answer) !== null) runs.push({ start, end });
    }
  }
  return runs.length > 0 && coversAll(runs, words);
}

/** Whether two or more back-to-back runs cover every word (articles may sit between them). */
function coversAll(runs: readonly { start: number; end: number }[], words: readonly Word[]): boolean {
  // most[p]: the most runs that cover words p.. to the end, or -1 when they cannot.
  const most = new Array<number>(words.length + 1).fill(-1);
  most[words.length] = 0;
  for (let position = words.length - 1; position >= 0; position--) {
    let best = isArticle(words[position] as Word) ? (most[position + 1] ?? -1) : -1;
    for (const run of runs) {
      const rest = run.start === position ? (most[run.end] ?? -1) : -1;
      if (rest >= 0) best = Math.max(best, rest + 1);
    }
    most[position] = best;
  }
  return (most[0] ?? -1) > 1;
}

/** Largest number of pairwise disjoint runs. */
function disjointCount(runs: readonly { start: number; end: number }[]): number {
  const byEnd = [...runs].sort((x, y) => x.end - y.end);
  let count = 0;
  let free = 0;
  for (const run of byEnd) {
    if (run.start >= free) {
      count++;
      free = run.end;
    }
  }
  return count;
}

/** `1. lack 2. talent` or `1) lack` list numbering, dropped on cards with several blanks. */
function unnumberList(reply: string): string {
  return reply.replace(/(^|[\s,;])\(?\d{1,2}[.)](?=\s)/g, '$1\n');
}

/** The prompt text between consecutive own blanks, as words without articles. */
function betweenTexts(parts: Card['parts'], count: number): Word[][] {
  const between: Word[][] = [];
  let text: string | null = null;
  for (const part of parts) {
    if (typeof part === 'string') {
      if (text !== null) text += part;
    } else {
      if (text !== null) between.push(normalize(text).words.filter((word) => !isArticle(word)));
      text = '';
    }
  }
  while (between.length < count - 1) between.push([]);
  return between;
}

/** Plain list: only commas, `and` or `or` between the blanks in the prompt. */
function isPlainList(between: readonly (readonly Word[])[]): boolean {
  return between.every((words) => words.every((word) => word.key === 'and' || word.key === 'or'));
}

/** The kinds an assignment gives the answers, one link per placed answer. */
interface Placed {
  readonly index: number;
  readonly kind: MatchKind | null;
  readonly next: Placed | null;
}

interface Assignment {
  /** Sum of blank scores: a matched blank is worth 100, minus 1 for plural, 2 for a typo. */
  readonly score: number;
  /** How each placed answer matched (null when its segment did not match). */
  readonly placed: Placed | null;
}

const KIND_SCORE: Record<MatchKind, number> = { exact: 100, plural: 99, typo: 98 };

/** Per answer index: how the assignment matched it (null when it did not, or when there is no assignment). */
function kindsOf(result: Assignment | null, n: number): (MatchKind | null)[] {
  const kinds = new Array<MatchKind | null>(n).fill(null);
  for (let link = result?.placed ?? null; link !== null; link = link.next) kinds[link.index] = link.kind;
  return kinds;
}

const NO_ASSIGNMENT_LEFT: Assignment = { score: 0, placed: null };

/**
 * Best ways to cut the reply into one segment per blank. Between two segments stands nothing but
 * a gap, the word `and`, or the prompt's own words between those blanks (sentence form); articles
 * are ignored there. `best(false)` keeps the answers' order; `best(true)` lets segments match the
 * answers in any order. Both share what they learn of the reply's segments.
 */
class Assigner {
  private readonly n: number;
  private readonly total: number;
  private readonly segmentCache = new Map<number, MatchKind | null>();
  private readonly boundaryCache = new Map<number, number[]>();
  private memo = new Map<number, Assignment | null>();
  private anyOrder = false;

  constructor(
    private readonly answers: readonly Target[],
    private readonly between: readonly (readonly Word[])[],
    private readonly words: readonly Word[],
  ) {
    this.n = answers.length;
    this.total = words.length;
  }

  best(anyOrder: boolean): Assignment | null {
    this.anyOrder = anyOrder;
    this.memo = new Map();
    return this.from(0, 0, 0);
  }

  private segment(start: number, end: number, index: number): MatchKind | null {
    const cacheKey = (start * (this.total + 1) + end) * this.n + index;
    const cached = this.segmentCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const kind = matchRange(this.words, start, end, this.answers[index] as Target);
    this.segmentCache.set(cacheKey, kind);
    return kind;
  }

  private boundaryEnds(start: number, boundary: number): number[] {
    const cacheKey = start * this.n + boundary;
    const cached = this.boundaryCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const ends = [start];
    this.boundaryCache.set(cacheKey, ends);
    const expectedWords = this.between[boundary] ?? [];
    let expected = '';
    for (const word of expectedWords) expected += expected === '' ? word.key : ` ${word.key}`;
    // The words from `start` to `end`, articles aside: how many, whether all are `and`, joined by spaces.
    let kept = 0;
    let allAnd = true;
    let joined = '';
    for (let end = start + 1; end < this.total && end - start <= expectedWords.length + 4; end++) {
      const word = this.words[end - 1] as Word;
      if (!isArticle(word)) {
        kept++;
        if (word.key !== 'and') allAnd = false;
        joined += kept === 1 ? word.key : ` ${word.key}`;
      }
      if (kept === 0 || (kept <= 2 && allAnd) || (expected !== '' && joined === expected)) ends.push(end);
    }
    return ends;
  }

  private from(position: number, used: number, placed: number): Assignment | null {
    const { n, total } = this;
    if (placed === n) return position === total ? NO_ASSIGNMENT_LEFT : null;
    const memoKey = position * (1 << n) + used;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    let result: Assignment | null = null;
    for (let index = this.anyOrder ? 0 : placed; index < (this.anyOrder ? n : placed + 1); index++) {
      if ((used & (1 << index)) !== 0) continue;
      const lastEnd = placed === n - 1 ? total : total - (n - placed - 1);
      const answer = this.answers[index] as Target;
      const maxSegmentWords = answer.words.length + 4;
      // The segment's length as matchRange measures it (articles aside, unless it is nothing but
      // articles), grown one word at a time: a segment too short or too long for the answer
      // matches nothing, and is not looked up.
      let length = 0;
      let articlesLength = 0;
      let kept = 0;
      for (let end = position + 1; end <= lastEnd && end - position <= maxSegmentWords; end++) {
        const word = this.words[end - 1] as Word;
        if (isArticle(word)) articlesLength += word.key.length;
        else {
          length += word.key.length;
          kept++;
        }
        if (placed === n - 1 && end !== total) continue;
        const measured = kept === 0 ? articlesLength : length;
        const kind = measured < answer.shortest || measured > answer.longest ? null : this.segment(position, end, index);
        const gain = kind === null ? 0 : KIND_SCORE[kind];
        const nexts = placed === n - 1 ? null : this.boundaryEnds(end, placed);
        const count = nexts === null ? 1 : nexts.length;
        for (let k = 0; k < count; k++) {
          const next = nexts === null ? end : (nexts[k] as number);
          const rest = this.from(next, used | (1 << index), placed + 1);
          if (rest === null) continue;
          const score = rest.score + gain;
          if (result === null || score > result.score) {
            result = { score, placed: { index, kind, next: rest.placed } };
          }
        }
      }
    }
    this.memo.set(memoKey, result);
    return result;
  }
}

/** Every blank matched by the assignment: the verdict, or null. */
function allRight(result: Assignment | null, n: number): Verdict | null {
  if (result === null) return null;
  const found = kindsOf(result, n);
  if (!found.every((kind) => kind !== null)) return null;
  const kind = worst(found as MatchKind[]);
  return verdict(true, found.map(() => true), kind, `${RIGHT_MESSAGE[kind]}: all ${n} blanks`);
}

function judgeBlanks(
  answers: readonly Target[],
  others: readonly Target[],
  between: readonly (readonly Word[])[],
  echo: EchoContext,
  words: readonly Word[],
  gaps: readonly string[],
): Verdict {
  const n = answers.length;
  const plainList = isPlainList(between);
  const assigner = new Assigner(answers, between, words);
  const ordered = assigner.best(false);

  let kinds = kindsOf(ordered, n);
  const inOrder = allRight(ordered, n);
  if (inOrder !== null) return inOrder;
  // Every blank, in another order.
  const unordered = n <= 6 ? assigner.best(true) : null;
  const anyOrder = allRight(unordered, n);
  if (anyOrder !== null && plainList) return anyOrder;
  // The blanks with words of the prompt echoed before the first or after the last.
  for (const core of echoCores(words, echo)) {
    const coreAssigner = new Assigner(answers, between, core);
    const echoed = allRight(coreAssigner.best(false), n) ?? (plainList && n <= 6 ? allRight(coreAssigner.best(true), n) : null);
    if (echoed !== null) return echoed;
  }
  if (anyOrder !== null) {
    return verdict(false, answers.map(() => false), 'wrong-order', 'the right words, in the wrong order');
  }

  // One blank said several times.
  if (answers.some((answer) => isRepetition(words, answer))) {
    return verdict(false, answers.map(() => false), 'repeated', 'each blank once, in order, please');
  }
  // The reply names only one blank.
  const single = answers.findIndex((answer) => matchWords(words, answer) !== null);
  if (single >= 0) {
    const blanks = answers.map((_, index) => index === single);
    return verdict(false, blanks, 'missing-blank', `this card has ${n} blanks: give them all, in order, separated by commas`);
  }
  if (others.some((other) => matchWords(words, other) !== null)) {
    return verdict(false, [...answers.map(() => false)], 'other-blank', 'that is another blank of this sentence');
  }

  if (ordered === null) kinds = answers.map(() => null);
  const blanks = kinds.map((kind) => kind !== null);
  const right = blanks.filter(Boolean).length;
  const pieces = splitPieces(words, gaps, new Set(['and'])).length;
  const sentenceForm = between.some((expected) => expected.length > 0 && containsRun(words, expected));
  if (pieces > n && !sentenceForm) {
    return verdict(false, blanks, 'too-many-guesses', `too many answers: this card has ${n} blanks`);
  }
  if (pieces < n && !sentenceForm && right < n) {
    return verdict(false, blanks, 'missing-blank', `this card has ${n} blanks: give them all, in order, separated by commas`);
  }
  if (right > 0) return verdict(false, blanks, 'partial', `${right} of ${n} blanks right`);
  const pieceWords = splitPieces(words, gaps, new Set(['and']));
  if (pieceWords.some((piece) => matchesAny(piece, others))) {
    return verdict(false, blanks, 'other-blank', 'that names another blank of this sentence');
  }
  return verdict(false, blanks, 'wrong', 'not right');
}

/** Whether the words hold `expected` (keys, articles ignored) as a contiguous run. */
function containsRun(words: readonly Word[], expected: readonly Word[]): boolean {
  const keys = words.filter((word) => !isArticle(word)).map((word) => word.key);
  const wanted = expected.map((word) => word.key);
  for (let start = 0; start + wanted.length <= keys.length; start++) {
    if (wanted.every((key, offset) => keys[start + offset] === key)) return true;
  }
  return false;
}

/** How many words (articles not counted) a reply may echo on each side of the card's blanks. */
const ECHO_WORDS = 4;

/**
 * The prompt words a reply may echo: the joined keys of every run of words that ends right
 * before the card's first own blank, and of every run that starts right after its last one.
 */
interface EchoContext {
  readonly before: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
}

/** A gap inside a phrase: spaces only, or an in-word hyphen (`long-term`). Anything else ends the echo. */
function isPhraseGap(gap: string): boolean {
  return /^(?:[^\S\r\n]*|-)$/.test(gap);
}

/** Indexes of the words that are the text of another blank of the note. */
function otherBlankWords(words: readonly Word[], otherBlanks: readonly string[]): Set<number> {
  const marked = new Set<number>();
  for (const other of otherBlanks) {
    const otherWords = normalize(other).words;
    const key = joinKeys(withoutArticles(otherWords));
    if (key === '') continue;
    for (let start = 0; start < words.length; start++) {
      for (let end = start + 1; end <= words.length && end - start <= otherWords.length + 2; end++) {
        if (joinKeys(withoutArticles(words.slice(start, end))) !== key) continue;
        for (let index = start; index < end; index++) marked.add(index);
      }
    }
  }
  return marked;
}

/**
 * The words of `text` next to the blank, nearest first, without articles: at most ECHO_WORDS,
 * stopping at punctuation, a line break and any word of another blank of the note.
 */
function echoWindow(text: string, side: 'before' | 'after', otherBlanks: readonly string[]): Word[] {
  const { words, gaps } = normalize(text);
  const marked = otherBlankWords(words, otherBlanks);
  const window: Word[] = [];
  const count = words.length;
  for (let step = 0; step < count && window.length < ECHO_WORDS; step++) {
    const index = side === 'before' ? count - 1 - step : step;
    // The gap between this word and the blank side of it.
    const gap = side === 'before' ? gaps[index + 1] : gaps[index];
    if (!isPhraseGap(gap ?? '') || marked.has(index)) break;
    const word = words[index] as Word;
    if (!isArticle(word)) window.push(word);
  }
  return window;
}

/** Joined keys of the runs of window words a reply may echo (never ending in a bare `and`, `or`...). */
function echoKeys(window: readonly Word[], side: 'before' | 'after'): Set<string> {
  const keys = new Set<string>();
  for (let length = 1; length <= window.length; length++) {
    const run = window.slice(0, length);
    if (GUESS_JOINERS.has((run[length - 1] as Word).key)) continue;
    keys.add(joinKeys(side === 'before' ? [...run].reverse() : run));
  }
  return keys;
}

function echoContext(parts: Card['parts'], otherBlanks: readonly string[]): EchoContext {
  const first = parts.findIndex((part) => typeof part !== 'string');
  if (first < 0) return { before: new Set(), after: new Set() };
  let last = parts.length - 1;
  while (last > first && typeof parts[last] === 'string') last--;
  const before = parts.slice(0, first).join('');
  const after = parts.slice(last + 1).join('');
  return {
    before: echoKeys(echoWindow(before, 'before', otherBlanks), 'before'),
    after: echoKeys(echoWindow(after, 'after', otherBlanks), 'after'),
  };
}

/**
 * The reply with an echo of the prompt cut off its start, its end or both: every way to do so,
 * the reply itself not included. Echoed words must be the prompt's words exactly (articles aside).
 */
function echoCores(words: readonly Word[], echo: EchoContext): Word[][] {
  const count = words.length;
  const starts = [0];
  const ends = [count];
  if (echo.before.size > 0) {
    // The words before each cut, articles aside, joined: grown one word at a time.
    let head = '';
    for (let cut = 1; cut < count; cut++) {
      const word = words[cut - 1] as Word;
      if (!isArticle(word)) head += word.key;
      if (head !== '' && echo.before.has(head)) starts.push(cut);
    }
  }
  if (echo.after.size > 0) {
    // The words from each cut on, articles aside, joined: grown one word at a time from the end.
    const tails: number[] = [];
    let tail = '';
    for (let cut = count - 1; cut >= 1; cut--) {
      const word = words[cut] as Word;
      if (!isArticle(word)) tail = word.key + tail;
      if (tail !== '' && echo.after.has(tail)) tails.push(cut);
    }
    for (let k = tails.length - 1; k >= 0; k--) ends.push(tails[k] as number);
  }
  const cores: Word[][] = [];
  for (const start of starts) {
    for (const end of ends) {
      if (start === 0 && end === count) continue;
      if (end - start < 1) continue;
      cores.push(words.slice(start, end));
    }
  }
  return cores;
}
