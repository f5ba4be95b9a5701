/**
 * The fonts every image is drawn with, shipped as npm packages (no system fonts
 * are assumed). Registered once, when this module is first imported.
 *
 * - Inter (Latin, Latin Extended, Greek, Cyrillic, Vietnamese), regular and bold.
 * - Noto Sans Arabic and Noto Sans JP for names in those scripts (Noto Sans JP also
 *   covers most CJK ideographs).
 * - Noto Color Emoji for emoji.
 *
 * All are under the SIL Open Font License 1.1.
 */
import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);

/** [package, files (without `.woff2`), family] */
const FONT_FILES: readonly (readonly [string, readonly string[], string])[] = [
  ['@fontsource/inter', ['latin', 'latin-ext', 'greek', 'cyrillic', 'vietnamese'].flatMap((s) => [`inter-${s}-400-normal`, `inter-${s}-700-normal`]), 'Inter'],
  ['@fontsource/noto-sans-arabic', ['noto-sans-arabic-arabic-400-normal', 'noto-sans-arabic-arabic-700-normal'], 'Noto Sans Arabic'],
  ['@fontsource/noto-sans-jp', ['noto-sans-jp-japanese-400-normal'], 'Noto Sans JP'],
  ['@fontsource/noto-color-emoji', ['noto-color-emoji-emoji-400-normal'], 'Noto Color Emoji'],
];

/** Font families in fallback order: each glyph comes from the first family that has it. */
export const FONT_FAMILIES = ['Inter', 'Noto Sans Arabic', 'Noto Sans JP', 'Noto Color Emoji'] as const;

/** The CSS font-family list for canvas `font` strings. */
export const FONT_STACK = FONT_FAMILIES.map((f) => `"${f}"`).join(', ');

/** A canvas `font` string in the shared stack, e.g. `font(16, 'bold')`. */
export function font(px: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight === 'bold' ? 'bold ' : ''}${px}px ${FONT_STACK}`;
}

for (const [pkg, files, family] of FONT_FILES) {
  for (const file of files) {
    const path = require.resolve(`${pkg}/files/${file}.woff2`);
    if (!GlobalFonts.registerFromPath(path, family)) throw new Error(`cannot load the font ${path}`);
  }
}
