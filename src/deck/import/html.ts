/**
 * Anki fields hold HTML. A deck note is one line of plain text, so markup goes, line breaks
 * become spaces, entities are decoded and runs of whitespace collapse.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  shy: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/giu, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Collapses whitespace (line breaks included) to single spaces and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** HTML to one line of plain text: tags, comments, `<style>`/`<script>` and `[sound:…]` removed. */
export function htmlToText(html: string): string {
  const withoutMarkup = html
    .replace(/<!--[\s\S]*?-->/gu, '')
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1\s*>/giu, '')
    .replace(/<\/?(br|div|p|li|ul|ol|tr|td|th|h[1-6])\b[^>]*>/giu, ' ')
    .replace(/<[^>]*>/gu, '')
    .replace(/\[sound:[^\]]*\]/gu, '');
  return oneLine(decodeEntities(withoutMarkup));
}
