/**
 * Golden-image checks: a rendered PNG is compared pixel by pixel with the stored
 * one in test/images/golden/, with a small tolerance for anti-aliasing.
 *
 * To (re)create the goldens after an intended change, run
 *   UPDATE_GOLDENS=1 npx vitest run test/images
 * then look at the changed PNGs before committing them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage, type ImageData } from '@napi-rs/canvas';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
/** A channel may differ by this much before the pixel counts as different. */
export const CHANNEL_TOLERANCE = 24;
/** Share of pixels that may differ. */
export const PIXEL_TOLERANCE = 0.002;

export async function pixels(png: Buffer): Promise<ImageData> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
}

/** The PNG's size, read from its header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface Difference {
  /** Pixels that differ by more than the channel tolerance. */
  readonly differing: number;
  readonly share: number;
  /** Red where pixels differ, over a faded copy of `b`. */
  readonly diff: ImageData;
}

/** Pixel differences of two images of the same size. */
export function difference(a: ImageData, b: ImageData): Difference {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  const out = new Uint8ClampedArray(a.data.length);
  let differing = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs((a.data[i + c] as number) - (b.data[i + c] as number)));
    const bad = d > CHANNEL_TOLERANCE;
    if (bad) differing++;
    const grey = ((b.data[i] as number) + (b.data[i + 1] as number) + (b.data[i + 2] as number)) / 12;
    out[i] = bad ? 255 : grey;
    out[i + 1] = bad ? 0 : grey;
    out[i + 2] = bad ? 0 : grey;
    out[i + 3] = 255;
  }
  const canvas = createCanvas(a.width, a.height);
  const diff = canvas.getContext('2d').createImageData(a.width, a.height);
  diff.data.set(out);
  return { differing, share: differing / (a.width * a.height), diff };
}

/**
 * Passes when `png` matches the golden `name`.png within the tolerance. On a
 * mismatch the actual image and a diff are written to the temp folder.
 */
export async function expectGolden(png: Buffer, name: string): Promise<void> {
  const file = new URL(`${name}.png`, GOLDEN_DIR);
  if (process.env.UPDATE_GOLDENS === '1') {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, png);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden image ${name}.png: run UPDATE_GOLDENS=1 npx vitest run test/images and look at it`);
  const expected = await pixels(await readFile(file));
  const actual = await pixels(png);
  const sizeOk = expected.width === actual.width && expected.height === actual.height;
  const d = sizeOk ? difference(actual, expected) : undefined;
  if (d && d.share <= PIXEL_TOLERANCE) return;
  const dir = join(tmpdir(), 'studybot-goldens');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.actual.png`), png);
  if (d) {
    const canvas = createCanvas(d.diff.width, d.diff.height);
    canvas.getContext('2d').putImageData(d.diff, 0, 0);
    await writeFile(join(dir, `${name}.diff.png`), await canvas.encode('png'));
  }
  throw new Error(
    sizeOk
      ? `${name}: ${d?.differing} pixels (${((d?.share ?? 0) * 100).toFixed(2)}%) differ from the golden (allowed ${PIXEL_TOLERANCE * 100}%); see ${dir}`
      : `${name}: size ${actual.width}×${actual.height}, golden ${expected.width}×${expected.height}; see ${dir}`,
  );
}
