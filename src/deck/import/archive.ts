/**
 * Bounded decompression for `.apkg` files: one entry of a zip (fflate) and zstd data (fzstd),
 * fed in small chunks so that no more than about the limit is ever held, whatever sizes the
 * file claims. A zip bomb stops at the limit with an error instead of filling memory.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { Decompress } from 'fzstd';

/** Input is pushed this many bytes at a time: deflate expands a chunk at most ~1000 times. */
const ZIP_CHUNK = 4096;
/** zstd blocks expand up to 128 KB from 4 bytes, so its chunks are smaller. */
const ZSTD_CHUNK = 1024;

export class TooLarge extends Error {}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Entry names of a zip with the data of the first of `wanted` found (in `wanted`'s order of preference). */
export function unzipEntry(zip: Uint8Array, wanted: readonly string[], maxBytes: number): { name: string; data: Uint8Array } | { names: string[] } {
  const names: string[] = [];
  const found = new Map<string, { chunks: Uint8Array[]; total: number; done: boolean }>();
  let error: unknown;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file: UnzipFile) => {
    names.push(file.name);
    if (!wanted.includes(file.name) || found.has(file.name)) return;
    const entry = { chunks: [] as Uint8Array[], total: 0, done: false };
    found.set(file.name, entry);
    file.ondata = (err, data, final) => {
      if (err) {
        error ??= err;
        return;
      }
      entry.total += data.length;
      if (entry.total > maxBytes) {
        error ??= new TooLarge(file.name);
        file.terminate();
        return;
      }
      entry.chunks.push(data);
      if (final) entry.done = true;
    };
    file.start();
  };
  for (let i = 0; i < zip.length && error === undefined; i += ZIP_CHUNK) {
    unzip.push(zip.subarray(i, i + ZIP_CHUNK), i + ZIP_CHUNK >= zip.length);
  }
  if (error !== undefined) throw error;
  for (const name of wanted) {
    const entry = found.get(name);
    if (entry?.done) return { name, data: concat(entry.chunks, entry.total) };
  }
  return { names };
}

/** Decompresses zstd data, throwing `TooLarge` past `maxBytes`. */
export function unzstd(data: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let final = false;
  const stream = new Decompress((chunk, last) => {
    total += chunk.length;
    if (total > maxBytes) throw new TooLarge('zstd');
    chunks.push(chunk);
    if (last) final = true;
  });
  for (let i = 0; i < data.length; i += ZSTD_CHUNK) stream.push(data.subarray(i, i + ZSTD_CHUNK), i + ZSTD_CHUNK >= data.length);
  if (!final && data.length > 0) throw new Error('zstd data ends early');
  return concat(chunks, total);
}
