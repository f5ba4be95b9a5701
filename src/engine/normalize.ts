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
 *    `long-term` = `long term` = `longterm` and `CI/CD` = `CI-CD` = `CICD`.
 */

/** One word of a text: `key` is lower-case letters and digits only, `raw` keeps the case. */
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

/** Step 1: removes Discord markup and entities, keeping the words they wrap. */
export function stripFormatting(text: string): string {
  return text
    .replace(CODE_BLOCK, ' $1 ')
    .replace(DISCORD_ENTITY, ' ')
    .replace(QUOTE_LINE, '')
    .replace(/\|\|/g, ' ')
    .replace(MARKUP, ' ');
}

/** Step 2: drops accents and compatibility forms, straightens quotes and dashes. Keeps case. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-');
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|&/gu;

/** Step 3: words and the gaps between them. Expects text that went through `foldText`. */
export function tokenize(text: string): Tokens {
  const words: Word[] = [];
  const gaps: string[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index;
    gaps.push(text.slice(last, start));
    last = start + raw.length;
    words.push(raw === '&' ? { key: 'and', raw } : { key: raw.replace(/'/g, '').toLowerCase(), raw: raw.replace(/'/g, '') });
  }
  gaps.push(text.slice(last));
  return { words, gaps };
}

/** The whole pipeline: a reply or an answer as words. */
export function normalize(text: string): Tokens {
  return tokenize(foldText(stripFormatting(text)));
}

/** The separator-free comparison form of some words. */
export function joinKeys(words: readonly Word[]): string {
  let key = '';
  for (const word of words) key += word.key;
  return key;
}

const ARTICLES = new Set(['a', 'an', 'the']);

export function isArticle(word: Word): boolean {
  return ARTICLES.has(word.key);
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
  const cols = b.length + 1;
  let before = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}
