import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { fitText, oneLine } from '../../src/images/draw.ts';
import { font, FONT_FAMILIES, FONT_STACK } from '../../src/images/fonts.ts';
import { ARABIC, EMOJI, JAPANESE, LONG_NAME } from './fixtures.ts';
import { difference } from './golden.ts';

/** `text` drawn black on white at 40 px, in the given font-family list. */
function draw(text: string, families: string) {
  const canvas = createCanvas(160, 60);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 160, 60);
  ctx.fillStyle = '#000000';
  // On the alphabetic baseline, a glyph lands at the same place whichever font leads the list.
  ctx.textBaseline = 'alphabetic';
  ctx.font = `40px ${families}`;
  ctx.fillText(text, 10, 44);
  return ctx.getImageData(0, 0, 160, 60);
}

/** A code point no font has: drawn as the missing-glyph box ("tofu"). */
const TOFU = '\u{10FFFD}';

describe('fonts', () => {
  it('registers every family of the stack', () => {
    for (const family of FONT_FAMILIES) expect(GlobalFonts.has(family), family).toBe(true);
  });

  it.each([
    ['Japanese', '山', 'Noto Sans JP'],
    ['Japanese kana', 'か', 'Noto Sans JP'],
    ['Arabic', 'م', 'Noto Sans Arabic'],
    ['emoji', '🦊', 'Noto Color Emoji'],
    ['Latin', 'Ā', 'Inter'],
  ])('%s text is drawn from %s with its glyph, not a box', (_script, char, family) => {
    const stacked = draw(char, FONT_STACK);
    // The stack picks the shipped font for this character…
    expect(difference(stacked, draw(char, `"${family}"`)).differing).toBe(0);
    // …and that font has a glyph for it: it looks nothing like the missing-glyph box.
    expect(difference(stacked, draw(TOFU, FONT_STACK)).differing).toBeGreaterThan(40);
  });

  it('emoji are drawn in colour', () => {
    const image = draw('🦊', FONT_STACK);
    let coloured = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b] = [image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
    }
    expect(coloured).toBeGreaterThan(200);
  });

  it('whole names in Japanese, Arabic and with emoji differ from boxes of the same length', () => {
    for (const name of [JAPANESE, ARABIC, EMOJI]) {
      const boxes = [...name].map((c) => (c === ' ' ? ' ' : TOFU)).join('');
      expect(difference(draw(name, FONT_STACK), draw(boxes, FONT_STACK)).share, name).toBeGreaterThan(0.02);
    }
  });
});

describe('fitText', () => {
  const ctx = createCanvas(10, 10).getContext('2d');
  ctx.font = font(18);

  it('keeps a name that fits as it is', () => {
    expect(fitText(ctx, 'Ada Lovelace', 400)).toBe('Ada Lovelace');
  });

  it('cuts a long name with an ellipsis so that it fits', () => {
    const cut = fitText(ctx, LONG_NAME, 300);
    expect(cut.endsWith('…')).toBe(true);
    expect(LONG_NAME.startsWith(cut.slice(0, -1))).toBe(true);
    expect(ctx.measureText(cut).width).toBeLessThanOrEqual(300);
    expect(ctx.measureText(fitText(ctx, LONG_NAME, 301 + 40)).width).toBeGreaterThan(300);
  });

  it('never cuts an emoji or an accent in half', () => {
    const name = '👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬👩‍🔬';
    const cut = fitText(ctx, name, 100);
    expect(cut.endsWith('👩‍🔬…')).toBe(true);
    expect(cut.replace(/👩‍🔬/gu, '')).toBe('…');
    const accents = 'e\u0301'.repeat(60);
    expect(fitText(ctx, accents, 100).replace(/e\u0301/g, '')).toBe('…');
  });

  it('an empty width leaves only the ellipsis', () => {
    expect(fitText(ctx, 'Ada', 0)).toBe('…');
  });

  it('names with line breaks or control characters stay on one line', () => {
    expect(oneLine('Ada\nLove\tlace\u0000')).toBe('Ada Love lace');
  });
});
