/**
 * Text normalisation for judging replies. Pure functions, no state.
 *
 * Pipeline, in order:
 * 1. `stripFormatting`: Discord markup is removed (code blocks and their language tag, inline
 *    code, `||spoilers||`, `**bold**`, `*italic*`, `_italic_`, `__underline__`, `~~strike~~`,
 *    `> quotes`), and so are mentions, channel links, custom emoji and timestamps (`<@123>`,
 *    `<#123>`, `<:name:123>`, `<t:123:R>`).
 * 2. `foldText`: Unicode compatibility decomposition (NFKD) with every combining mark dropped
 *    (`é` → `e`, full-width letters → ASCII), curly quotes and apostrophes made straight, every
 *    dash made `-`. Case is kept here (answers need it to spot acronyms) and dropped in step 3.
 * 3. `tokenize`: the text is cut into words (runs of letters and digits; an apostrophe inside a
 *    word joins it: `it's` → `its`) and the gaps between them. `&` reads as the word `and`.
 *    Every word gets a lower-case `key`; comparing keys joined with nothing is what makes
 *    `long-term` = `long term` = `longterm` and `CI/CD` = `CI-CD` = `CICD`. A decimal number
 *    (`7.5`) is one word whose key keeps its point; a decimal part of zeros only is dropped
 *    (`7.0`, `7.00` → `7`). Other decimals stay as written (`2.50` is not `2.5`, so versions
 *    such as `3.10` stay apart from `3.1`); dotted runs such as `1.2.3` stay separate words.
 * 4. `numbersAsDigits`: English numbers written in words become one word of digits
 *    (`seven` → `7`, `twenty-three` and `twenty three` → `23`, `one hundred and five` → `105`,
 *    `two thousand` → `2000`, `twentythree` → `23`). Two numbers in a row stay two words (`nineteen eighteen` → `19`
 *    `18`, whose joined key is `1918`, like the year).
 * A text with no letter or digit at all (`[]`, `{}`, `->`, `==`, `[], {}`) is cut at spaces,
 * commas and semicolons into symbol words, compared symbol for symbol; when those hold nothing
 * but `.`, `!` and `?` (or formatting, already gone), the text is empty.
 */

/**
 * One word of a text: `key` is lower-case letters and digits (plus the point of a decimal, or
 * the symbols of a symbol word), `raw` keeps the case.
 */
export interface Word {
  readonly key: string;
  readonly raw: string;
}

export interface Tokens {
  readonly words: readonly Word[];
  /**
   * `gaps[i]` is the text between `words[i - 1]` and `words[i]`; `gaps[0]` is what comes before
   * the first word and `gaps[words.length]` what follows the last. Always `words.length + 1` long.
   */
  readonly gaps: readonly string[];
}

const CODE_BLOCK = /```(?:[\w+#.-]*\n)?([\s\S]*?)```/g;
const DISCORD_ENTITY = /<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[a-zA-Z])?|\/[\w -]+:\d+)>/g;
const QUOTE_LINE = /^[ \t]*>{1,3}[ \t]/gm;
const MARKUP = /[*_~`]/g;

/** Characters any of step 1's patterns needs: a text without them has no markup to remove. */
const MARKUP_CHARACTER = /[`<>|*_~]/;

/** Step 1: removes Discord markup and entities, keeping the words they wrap. */
export function stripFormatting(text: string): string {
  if (!MARKUP_CHARACTER.test(text)) return text;
  return text
    .replace(CODE_BLOCK, ' $1 ')
    .replace(DISCORD_ENTITY, ' ')
    .replace(QUOTE_LINE, '')
    .replace(/\|\|/g, ' ')
    .replace(MARKUP, ' ');
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Step 2: drops accents and compatibility forms, straightens quotes and dashes. Keeps case. */
export function foldText(text: string): string {
  // Plain ASCII has no accents, compatibility forms, curly quotes or other dashes.
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-');
}

const WORD = /(?<![\p{L}\p{N}.])\d+\.\d+(?!\.?[\p{L}\p{N}])|[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|&/gu;
const DECIMAL = /^(\d+)\.(\d+)$/;

/** Step 3: words and the gaps between them. Expects text that went through `foldText`. */
export function tokenize(text: string): Tokens {
  if (!NON_ASCII.test(text)) return tokenizeAscii(text);
  const words: Word[] = [];
  const gaps: string[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index;
    gaps.push(text.slice(last, start));
    last = start + raw.length;
    words.push(raw === '&' ? { key: 'and', raw } : wordOf(raw));
  }
  gaps.push(text.slice(last));
  return { words, gaps };
}

/** A letter or digit, for a UTF-16 unit below 128. */
function isAsciiWordUnit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isDigitUnit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * `tokenize` for text of ASCII characters only, in one pass without regular expressions: the
 * same words and gaps as the WORD pattern (where `\p{L}` and `\p{N}` are ASCII letters and digits).
 */
function tokenizeAscii(text: string): Tokens {
  const words: Word[] = [];
  const gaps: string[] = [];
  const length = text.length;
  let last = 0;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 38) {
      // `&`
      gaps.push(text.slice(last, i));
      words.push({ key: 'and', raw: '&' });
      last = ++i;
      continue;
    }
    if (!isAsciiWordUnit(code)) {
      i++;
      continue;
    }
    const start = i;
    // A decimal number: digits, a point, digits, not after a letter, digit or point and not
    // followed by a letter or digit (or a point and one).
    if (isDigitUnit(code) && !(start > 0 && (isAsciiWordUnit(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 46))) {
      let point = start;
      while (point < length && isDigitUnit(text.charCodeAt(point))) point++;
      if (text.charCodeAt(point) === 46 && isDigitUnit(text.charCodeAt(point + 1))) {
        let end = point + 1;
        while (end < length && isDigitUnit(text.charCodeAt(end))) end++;
        const after = text.charCodeAt(end);
        if (!(isAsciiWordUnit(after) || (after === 46 && isAsciiWordUnit(text.charCodeAt(end + 1))))) {
          gaps.push(text.slice(last, start));
          const raw = text.slice(start, end);
          let zeros = true;
          for (let k = point + 1; k < end; k++) if (text.charCodeAt(k) !== 48) zeros = false;
          const key = zeros ? text.slice(start, point) : raw;
          words.push({ key, raw: key });
          last = i = end;
          continue;
        }
      }
    }
    // A word: letters and digits, apostrophes inside joining them.
    let end = start;
    let apostrophe = false;
    for (;;) {
      while (end < length && isAsciiWordUnit(text.charCodeAt(end))) end++;
      if (text.charCodeAt(end) === 39 && isAsciiWordUnit(text.charCodeAt(end + 1))) {
        apostrophe = true;
        end++;
        continue;
      }
      break;
    }
    gaps.push(text.slice(last, start));
    const raw = text.slice(start, end);
    const plain = apostrophe ? raw.replace(/'/g, '') : raw;
    words.push({ key: plain.toLowerCase(), raw: plain });
    last = i = end;
  }
  gaps.push(text.slice(last));
  return { words, gaps };
}

function wordOf(raw: string): Word {
  const decimal = DECIMAL.exec(raw);
  if (decimal !== null) {
    const [, whole, fraction] = decimal as unknown as [string, string, string];
    const key = /^0+$/.test(fraction) ? whole : raw;
    return { key, raw: key };
  }
  const plain = raw.replace(/'/g, '');
  return { key: plain.toLowerCase(), raw: plain };
}

const UNITS: ReadonlyMap<string, number> = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
    'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'].map((name, value) => [name, value]),
);
const TENS: ReadonlyMap<string, number> = new Map(
  ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].map((name, index) => [name, 20 + 10 * index]),
);
/** Tens and a unit written as one word (`twentythree`), as `twenty-three` reads without its hyphen. */
const JOINED_TENS: ReadonlyMap<string, number> = new Map(
  [...TENS].flatMap(([tensName, tens]) =>
    [...UNITS].filter(([, unit]) => unit >= 1 && unit <= 9).map(([unitName, unit]) => [tensName + unitName, tens + unit] as const),
  ),
);
/** Words a number written in words can start with. */
const NUMBER_STARTS: ReadonlySet<string> = new Set([...UNITS.keys(), ...TENS.keys(), ...JOINED_TENS.keys()]);
const SCALES: ReadonlyMap<string, number> = new Map([
  ['thousand', 1_000],
  ['million', 1_000_000],
  ['billion', 1_000_000_000],
]);

/** A gap inside a number written in words: spaces on one line, or a hyphen (`twenty-three`). */
function isNumberGap(gap: string): boolean {
  return /^(?:[^\S\r\n]+|-)$/.test(gap);
}

/**
 * The number written in words from `words[start]`, or null: its value and how many words it
 * takes. `and` is read inside a number only after `hundred` or a scale (`one hundred and five`).
 */
function readNumber(words: readonly Word[], gaps: readonly string[], start: number): { value: number; count: number } | null {
  let total = 0;
  let current = 0;
  // What the last word read was.
  let last: 'none' | 'unit' | 'tens' | 'hundred' | 'scale' | 'and' = 'none';
  let lastScale = Number.POSITIVE_INFINITY;
  let count = 0;
  let end = start;
  for (let index = start; index < words.length; index++) {
    if (index > start && !isNumberGap(gaps[index] ?? '')) break;
    const key = (words[index] as Word).key;
    const unit = UNITS.get(key);
    const tens = TENS.get(key) ?? JOINED_TENS.get(key);
    const scale = SCALES.get(key);
    if (unit !== undefined) {
      const afterTens = last === 'tens' && unit >= 1 && unit <= 9;
      if (!(last === 'none' || last === 'hundred' || last === 'scale' || last === 'and' || afterTens)) break;
      current += unit;
      last = 'unit';
    } else if (tens !== undefined) {
      if (!(last === 'none' || last === 'hundred' || last === 'scale' || last === 'and')) break;
      current += tens;
      last = tens % 10 === 0 ? 'tens' : 'unit';
    } else if (key === 'hundred') {
      if (last !== 'unit' && last !== 'tens') break;
      if (current % 100 === 0 || current >= 100) break;
      current *= 100;
      last = 'hundred';
    } else if (scale !== undefined) {
      if (last !== 'unit' && last !== 'tens' && last !== 'hundred') break;
      if (scale >= lastScale) break;
      lastScale = scale;
      total += current * scale;
      current = 0;
      last = 'scale';
    } else if (key === 'and') {
      if (last !== 'hundred' && last !== 'scale') break;
      last = 'and';
      continue;
    } else {
      break;
    }
    count++;
    end = index + 1;
  }
  if (count === 0) return null;
  return { value: total + current, count: end - start };
}

/** Step 4: numbers written in words become one word of digits. */
export function numbersAsDigits({ words, gaps }: Tokens): Tokens {
  let any = false;
  for (const word of words) {
    if (NUMBER_STARTS.has(word.key)) {
      any = true;
      break;
    }
  }
  if (!any) return { words, gaps };
  const outWords: Word[] = [];
  const outGaps: string[] = [gaps[0] ?? ''];
  let index = 0;
  while (index < words.length) {
    const number = readNumber(words, gaps, index);
    const taken = number?.count ?? 1;
    const digits = number === null ? null : String(number.value);
    outWords.push(digits === null ? (words[index] as Word) : { key: digits, raw: digits });
    index += taken;
    outGaps.push(gaps[index] ?? '');
  }
  return { words: outWords, gaps: outGaps };
}

/** A symbol word: any run of characters but spaces, commas and semicolons. */
const SYMBOLS = /[^\s,;]+/g;

/** Text without letters or digits as symbol words; none when it holds only `.`, `!` and `?`. */
function symbolTokens(text: string): Tokens {
  const words: Word[] = [];
  const gaps: string[] = [];
  let last = 0;
  for (const match of text.matchAll(SYMBOLS)) {
    gaps.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    words.push({ key: match[0], raw: match[0] });
  }
  gaps.push(text.slice(last));
  if (words.every((word) => /^[.!?]+$/.test(word.key))) return { words: [], gaps: [text] };
  return { words, gaps };
}

/** The whole pipeline: a reply or an answer as words. */
export function normalize(text: string): Tokens {
  const folded = foldText(stripFormatting(text));
  const tokens = tokenize(folded);
  return tokens.words.length > 0 ? numbersAsDigits(tokens) : symbolTokens(folded);
}

/** The separator-free comparison form of some words. */
export function joinKeys(words: readonly Word[]): string {
  let key = '';
  for (const word of words) key += word.key;
  return key;
}

/** Whether the word is one of the articles a, an, the. */
export function isArticle(word: Word): boolean {
  const key = word.key;
  switch (key.length) {
    case 1:
      return key === 'a';
    case 2:
      return key === 'an';
    case 3:
      return key === 'the';
    default:
      return false;
  }
}

/** Drops the articles a, an, the wherever they stand, unless nothing else is left. */
export function withoutArticles(words: readonly Word[]): readonly Word[] {
  const kept = words.filter((word) => !isArticle(word));
  return kept.length > 0 ? kept : words;
}

/**
 * A gap that separates list items or guesses: a comma, semicolon, slash, backslash, pipe, plus,
 * bullet, question or exclamation mark, a full stop before a space, a line break, or a dash
 * standing apart from the words (`weeks - months`). Spaces, in-word hyphens (`long-term`),
 * colons and quotes do not separate.
 */
export function isListGap(gap: string): boolean {
  return /[,;/\\|+\n\r\u2022\u00B7?!]/.test(gap) || /\.\s/.test(gap) || /(?:^|\s)-+(?:\s|$)/.test(gap);
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein where a transposed pair is one edit
 * and no substring is edited twice). Stops early and returns `limit + 1` once the distance is
 * known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  if (limit < 1) return limit + 1;
  const cols = b.length + 1;
  if (rows[0].length < cols) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(cols * 2);
  let before = rows[0];
  let previous = rows[1];
  let current = rows[2];
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] as number;
}


/**
 * editDistance for a small limit, as the judge asks it: the distance when it is at most `limit`,
 * otherwise `limit + 1`. Same distance, less work: nothing is computed for equal strings or for
 * lengths too far apart, one edit is checked by a single scan (no table), and above that only
 * cells within `limit` of the table's diagonal are computed (any other holds more than `limit`).
 */
export function editsWithin(a: string, b: string, limit: number): number {
  const aLength = a.length;
  const bLength = b.length;
  const over = limit + 1;
  if (aLength - bLength > limit || bLength - aLength > limit) return over;
  if (a === b) return 0;
  if (limit < 1) return over;
  if (limit === 1) return oneEditApart(a, b) ? 1 : 2;
  // Each edit brings at most one letter into either string that the other lacks: more such
  // letters than the limit (counted on 32 buckets, which can only undercount) rule it out.
  const aLetters = letterSet(a);
  const bLetters = letterSet(b);
  if (bitCount(aLetters & ~bLetters) > limit || bitCount(bLetters & ~aLetters) > limit) return over;
  const cols = bLength + 1;
  if (rows[0].length < cols + 1) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(cols * 2);
  let before = rows[0];
  let previous = rows[1];
  let current = rows[2];
  for (let j = 0; j < cols; j++) previous[j] = j <= limit ? j : over;
  for (let i = 1; i <= aLength; i++) {
    // Band of row i: columns lo..hi; the cells just outside it hold `over`.
    const lo = i - limit > 1 ? i - limit : 1;
    const hi = i + limit < bLength ? i + limit : bLength;
    current[0] = i <= limit ? i : over;
    if (lo > 1) current[lo - 1] = over;
    let rowMin = lo === 1 ? (current[0] as number) : over;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = (previous[j - 1] as number) + (ai === bj ? 0 : 1);
      const up = (previous[j] as number) + 1;
      if (up < value) value = up;
      const left = (current[j - 1] as number) + 1;
      if (left < value) value = left;
      if (j > 1 && i > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) {
        const swapped = (before[j - 2] as number) + 1;
        if (swapped < value) value = swapped;
      }
      if (value > over) value = over;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (hi < bLength) current[hi + 1] = over;
    if (rowMin > limit) return over;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[bLength] as number;
}

/** The characters of a string as a 32-bit set (a character's code modulo 32 picks its bit). */
function letterSet(text: string): number {
  let set = 0;
  for (let index = 0; index < text.length; index++) set |= 1 << (text.charCodeAt(index) & 31);
  return set;
}

/** How many bits of a 32-bit integer are set. */
function bitCount(bits: number): number {
  let x = bits - ((bits >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Whether two different strings are one edit apart: one letter inserted, deleted or changed, or two neighbours swapped. */
function oneEditApart(a: string, b: string): boolean {
  const aLength = a.length;
  const bLength = b.length;
  let i = 0;
  const shorter = aLength < bLength ? aLength : bLength;
  while (i < shorter && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (aLength === bLength) {
    // Changed at i, or i and i + 1 swapped; the rest equal.
    let k = i + 1;
    while (k < aLength && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    if (k === aLength) return true;
    if (k !== i + 1 || a.charCodeAt(i) !== b.charCodeAt(i + 1) || a.charCodeAt(i + 1) !== b.charCodeAt(i)) return false;
    for (k = i + 2; k < aLength; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
    return true;
  }
  // One letter more in the longer one, at i.
  const long = aLength > bLength ? a : b;
  const short = aLength > bLength ? b : a;
  for (let k = i; k < shorter; k++) if (long.charCodeAt(k + 1) !== short.charCodeAt(k)) return false;
  return true;
}

/** Scratch rows for editDistance, grown as needed (never shared across calls). */
const rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
