/**
 * Draws pictures on a worker thread (worker.ts), so that the bot's event loop
 * is never held by drawing: the stats chart takes about 50–110 ms of CPU
 * (Chart.js is synchronous), a leaderboard page about 25 ms, and a live round
 * must answer its winners within 50 ms. The main thread only sends the data
 * (structured clone) and receives the PNG bytes (transferred, not copied).
 *
 * One worker, started on the first picture or by `warmUp()`, draws the jobs
 * in order. A job that takes longer than its time limit is given up (the
 * caller answers with text only); a worker that dies is replaced on the next job.
 */
import { Worker } from 'node:worker_threads';
import { WARM_UP_JOBS, type ImageJob, type JobRequest, type JobResponse } from './job-types.ts';

/** What the bot uses of a renderer (tests may give it a stand-in). */
export type Renderer = Pick<ImageRenderer, 'render' | 'warmUp' | 'close'>;

export interface ImageRendererOptions {
  /** Give up on a picture after this long (ms of wall time). Default 2,500: an interaction must be answered within 3 s. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (png: Buffer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ImageRenderer {
  private worker: Worker | undefined;
  private warming: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly timeoutMs: number;

  constructor(options: ImageRendererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2_500;
  }

  /** PNG bytes of the picture; rejects when it fails or takes longer than `timeoutMs`. */
  render(job: ImageJob, timeoutMs = this.timeoutMs): Promise<Buffer> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the ${job.kind} picture took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, job } satisfies JobRequest);
    });
  }

  /** Starts the worker and draws one picture of each kind, so that the first real one is quick. Never rejects. */
  warmUp(): Promise<void> {
    this.warming ??= Promise.all(WARM_UP_JOBS.map((job) => this.render(job, 120_000))).then(
      () => undefined,
      () => {
        this.warming = undefined;
      },
    );
    return this.warming;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.warming = undefined;
    this.failAll(new Error('the image renderer was closed'));
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // No inherited loader flags: worker.mjs loads the TypeScript itself.
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on('message', (response: JobResponse) => {
      const job = this.pending.get(response.id);
      if (!job) return;
      this.pending.delete(response.id);
      clearTimeout(job.timer);
      if ('png' in response) job.resolve(Buffer.from(response.png.buffer, response.png.byteOffset, response.png.byteLength));
      else job.reject(new Error(`drawing a picture failed: ${response.error}`));
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.warming = undefined;
      this.failAll(error);
    };
    worker.on('error', (error) => lost(error));
    worker.on('exit', (code) => lost(new Error(`the image worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const [id, job] of this.pending) {
      clearTimeout(job.timer);
      this.pending.delete(id);
      job.reject(error);
    }
  }
}
