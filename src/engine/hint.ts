import { HIDDEN_BLANK } from '../deck/types.ts';
import { MAX_HINTS } from './scoring.ts';

export const HIDDEN_LETTER = '_';

/**
 * The mask of one answer at a hint level. Level 0 is the plain hidden blank.
 * From level 1 every letter or digit becomes `_` except the first `level`
 * letters of each word; spaces, hyphens and other punctuation are shown, and
 * the last letter of a word is never revealed by a hint.
 *
 *   talent, level 1 -> t_____     generate long-term value, level 2 -> ge______ lo__-te__ va___
 */
export function maskAnswer(answer: string, level: number): string {
  if (level <= 0) return HIDDEN_BLANK;
  const capped = Math.min(level, MAX_HINTS);
  return answer.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const letters = [...word];
    const shown = Math.min(capped, Math.max(0, letters.length - 1));
    return letters.slice(0, shown).join('') + HIDDEN_LETTER.repeat(letters.length - shown);
  });
}

/**
 * A hint mask written so its letters can be counted: every character of `maskAnswer`
 * separated by a space, words by three; and the letters per word.
 *
 *   vectorize, level 1 -> { mask: 'v _ _ _ _ _ _ _ _', letters: '9 letters' }
 *   long-term value, level 1 -> { mask: 'l _ _ _ - t _ _ _   v _ _ _ _', letters: '8, 5 letters' }
 */
export function spacedHint(answer: string, level: number): { readonly mask: string; readonly letters: string } {
  const words = maskAnswer(answer, Math.max(1, level)).split(/\s+/).filter(Boolean);
  const counts = answer.split(/\s+/).filter(Boolean).map((word) => [...word].filter((c) => /[\p{L}\p{N}]/u.test(c)).length);
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    mask: words.map((word) => [...word].join(' ')).join('   '),
    letters: `${counts.length > 1 ? counts.join(', ') : total} letter${total === 1 ? '' : 's'}`,
  };
}
