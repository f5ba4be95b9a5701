/**
 * The image worker process: draws the pictures asked for by `ImageRenderer`
 * (renderer.ts) over its IPC channel and sends back their PNG bytes, so that
 * drawing never holds up the bot's event loop. Started through worker.mjs.
 */
import type { JobRequest, JobResponse, WorkerReady } from './job-types.ts';
import { renderJob } from './jobs.ts';

if (!process.send) throw new Error('src/images/worker.ts runs as a child process with an IPC channel only');
const send = (response: JobResponse | WorkerReady) => process.send?.(response);

process.on('message', (request: JobRequest) => {
  renderJob(request.job).then(
    (png) => send({ id: request.id, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) }),
    (error: unknown) => send({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The bot going away (or stopping this process) ends it.
process.on('disconnect', () => process.exit(0));
send({ ready: true });
