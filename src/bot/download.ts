/**
 * Downloading a file a member attached (its URL comes from Discord), never reading more than
 * `maxBytes` whatever the server sends, within `timeoutMs`.
 */
export type Download = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly why: string };

export async function download(url: string, maxBytes: number, timeoutMs = 20_000): Promise<Download> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || !response.body) return { ok: false, why: `Discord answered HTTP ${response.status}` };
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) {
        controller.abort();
        return { ok: false, why: 'the file is larger than it said' };
      }
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, why: controller.signal.aborted ? `no answer within ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
