/**
 * The image worker thread: draws the pictures asked for by `ImageRenderer`
 * (renderer.ts) and sends back their PNG bytes, so that drawing never holds
 * up the bot's event loop. Started through worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { JobRequest, JobResponse } from './job-types.ts';
import { renderJob } from './jobs.ts';

if (!parentPort) throw new Error('src/images/worker.ts runs as a worker thread only');
const port = parentPort;

port.on('message', (request: JobRequest) => {
  renderJob(request.job).then(
    (png) => {
      // A fresh buffer of its own, so it can be handed over without a copy.
      const bytes = new Uint8Array(png);
      port.postMessage({ id: request.id, png: bytes } satisfies JobResponse, [bytes.buffer]);
    },
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies JobResponse),
  );
});
