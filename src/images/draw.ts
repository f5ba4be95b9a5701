/**
 * Shared drawing helpers for the images: colours, canvases, text that fits.
 */
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { font } from './fonts.ts';

export const THEME = {
  background: '#2b2d31',
  panel: '#313338',
  highlight: '#3c4270',
  accent: '#5865f2',
  text: '#f2f3f5',
  muted: '#b5bac1',
  grid: '#4e5058',
  good: '#57f287',
  fair: '#fee75c',
  poor: '#ed4245',
  gold: '#f1c40f',
  silver: '#bdc3c7',
  bronze: '#cd7f32',
} as const;

export const MEDALS = [THEME.gold, THEME.silver, THEME.bronze] as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Surface {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
}

/** A canvas filled with the (opaque) background colour. */
export function surface(width: number, height: number): Surface {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = THEME.background;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'middle';
  return { canvas, ctx };
}

const deflateAsync = promisify(deflate);

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * PNG bytes of a surface (8-bit RGBA, no row filters, zlib level 6). Written here
 * because Skia's own PNG encoder (`canvas.encode('png')`) took about 1.5 times as
 * long for a leaderboard page, measured in one run, and gave larger files; the
 * compression runs on libuv's thread pool, off the event loop. Surfaces are opaque
 * (see `surface`), so the canvas's premultiplied pixels are the plain ones.
 */
export async function png(s: Surface): Promise<Buffer> {
  const { width, height } = s.canvas;
  const pixels = s.canvas.data();
  const stride = width * 4;
  // Each row starts with its filter type: 0, none.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', await deflateAsync(raw, { level: 6 })), pngChunk('IEND', Buffer.alloc(0))]);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Names are one line: control characters and line breaks become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/**
 * The text, cut at a whole character (emoji and accents kept whole) and ended
 * with "…" so that it fits in `maxWidth` with the context's current font.
 */
export function fitText(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  const line = oneLine(text);
  if (ctx.measureText(line).width <= maxWidth) return line;
  const parts = Array.from(graphemes.segment(line), (s) => s.segment);
  let lo = 0;
  let hi = parts.length;
  // The longest prefix whose text plus "…" fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${parts.slice(0, mid).join('').trimEnd()}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${parts.slice(0, lo).join('').trimEnd()}…`;
}

/** Draws one line of text cut to `maxWidth`. */
export function text(
  ctx: SKRSContext2D,
  value: string,
  x: number,
  y: number,
  options: { size: number; weight?: 'normal' | 'bold'; color?: string; align?: 'left' | 'right' | 'center'; maxWidth?: number },
): void {
  ctx.font = font(options.size, options.weight);
  ctx.fillStyle = options.color ?? THEME.text;
  ctx.textAlign = options.align ?? 'left';
  ctx.fillText(options.maxWidth === undefined ? oneLine(value) : fitText(ctx, value, options.maxWidth), x, y);
}

/** A filled rectangle with rounded corners. */
export function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number, color: string): void {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

/** A title line and a muted subtitle line under it, from the top left. */
export function heading(ctx: SKRSContext2D, title: string, subtitle: string, width: number): void {
  text(ctx, title, 24, 30, { size: 22, weight: 'bold', maxWidth: width - 48 });
  text(ctx, subtitle, 24, 58, { size: 15, color: THEME.muted, maxWidth: width - 48 });
}

/** 1234 → "1,234". */
export function count(n: number): string {
  return n.toLocaleString('en');
}
