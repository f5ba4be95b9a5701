/**
 * What both clients of bench/latency.ts share: they run as child processes of the bench and
 * answer its questions over IPC (memory after garbage collection), so that each one's memory
 * and CPU are its own.
 */
export type ToParent = { type: 'ready' } | { type: 'warm' } | { type: 'memory'; rss: number; heapUsed: number };
export type ToChild = { type: 'memory' };

function send(message: ToParent): void {
  process.send?.(message);
}

async function afterGc(): Promise<{ rss: number; heapUsed: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/** Answers the bench's memory questions; `ready` and `warm` are sent by the client itself. */
export function serveBench(): { ready(): void; warm(): void } {
  process.on('message', (message: ToChild) => {
    if (message.type === 'memory') void afterGc().then((m) => send({ type: 'memory', ...m }));
  });
  // The bench going away ends the child too.
  process.on('disconnect', () => process.exit(0));
  return { ready: () => send({ type: 'ready' }), warm: () => send({ type: 'warm' }) };
}

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (this script is started by bench/latency.ts)`);
  return value;
}
