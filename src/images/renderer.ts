/**
 * Draws pictures in a child process of their own (worker.ts), so that the bot's
 * event loop is never held by drawing: the stats chart takes about 50–110 ms of
 * CPU (Chart.js is synchronous), a leaderboard page about 25 ms, and a live
 * round must answer its winners within 50 ms. The bot only sends the data and
 * receives the PNG bytes, over the process's IPC channel.
 *
 * A process rather than a worker thread: Skia, the fonts and Chart.js take
 * about 130 MB of memory, and a stopped thread gives back only a quarter of it
 * to the system (the rest stays in the bot's own allocator), while a process
 * that exits gives back all of it.
 *
 * One process, started on the first picture asked for (or by `warmUp()`), draws
 * the jobs in order; a picture asked for while it starts waits for it, within
 * its time limit. After `idleMs` without a picture to draw it is stopped, and
 * the next picture starts it again. A job that takes longer than its time limit
 * is given up (the caller answers with text only); a process that dies is
 * replaced on the next job.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../clock.ts';
import { WARM_UP_JOBS, type ImageJob, type JobRequest, type JobResponse, type WorkerReady } from './job-types.ts';

/** What the bot uses of a renderer (tests may give it a stand-in). */
export type Renderer = Pick<ImageRenderer, 'render' | 'warmUp' | 'close'>;

/** How long the drawing process is kept without a picture to draw (PICTURE_IDLE_MINUTES, default 5). */
export const PICTURE_IDLE_MS = 5 * 60_000;

export interface ImageRendererOptions {
  /** Give up on a picture after this long (ms of wall time). Default 2,500: an interaction must be answered within 3 s. */
  readonly timeoutMs?: number;
  /** Stop the drawing process after this long without a picture to draw, in ms; 0 keeps it once started. Default PICTURE_IDLE_MS. */
  readonly idleMs?: number;
  /** The clock of the idle stop (default: the system's). */
  readonly clock?: Pick<Clock, 'setTimeout'>;
}

interface Pending {
  readonly resolve: (png: Buffer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export class ImageRenderer {
  private worker: ChildProcess | undefined;
  private warming: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly clock: Pick<Clock, 'setTimeout'>;
  private cancelIdle: (() => void) | undefined;
  private starts = 0;
  /** Jobs asked for while the process starts, sent once it says it listens. */
  private waiting: JobRequest[] | undefined;

  constructor(options: ImageRendererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2_500;
    this.idleMs = options.idleMs ?? PICTURE_IDLE_MS;
    this.clock = options.clock ?? systemClock;
  }

  /** Whether the drawing process is running (started and not stopped since). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** How many times the drawing process was started. */
  get started(): number {
    return this.starts;
  }

  /** PNG bytes of the picture; rejects when it fails or takes longer than `timeoutMs`. */
  render(job: ImageJob, timeoutMs = this.timeoutMs): Promise<Buffer> {
    this.cancelIdle?.();
    this.cancelIdle = undefined;
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.idleLater();
        reject(new Error(`the ${job.kind} picture took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      // A picture under way keeps the process running (up to its time limit), an idle worker does not.
      worker.channel?.ref();
      const request: JobRequest = { id, job };
      if (this.waiting) this.waiting.push(request);
      else worker.send(request);
    });
  }

  /** Starts the drawing process and draws one picture of each kind, so that the first real one is quick. Never rejects. */
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
    this.cancelIdle?.();
    this.cancelIdle = undefined;
    this.failAll(new Error('the image renderer was closed'));
    await this.stop();
  }

  /** Ends the drawing process (the next picture starts another). */
  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.warming = undefined;
    this.waiting = undefined;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Kept running until it is gone, so that `close()` settles.
    worker.ref();
    worker.kill();
    await exited;
  }

  /** Once nothing is left to draw, the process is stopped after `idleMs` unless a picture is asked for meanwhile. */
  private idleLater(): void {
    if (this.pending.size === 0) this.worker?.channel?.unref();
    if (this.pending.size > 0 || !this.worker || this.idleMs <= 0 || this.cancelIdle) return;
    this.cancelIdle = this.clock.setTimeout(() => {
      this.cancelIdle = undefined;
      if (this.pending.size === 0) void this.stop();
    }, this.idleMs);
  }

  private start(): ChildProcess {
    if (this.worker) return this.worker;
    // Plain node, none of the bot's loader flags: worker.mjs loads the TypeScript itself.
    // 'advanced' serialization carries the PNG bytes as bytes (not JSON).
    const worker = fork(WORKER, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.starts++;
    // Neither the process nor its channel keeps the bot running.
    worker.unref();
    worker.channel?.unref();
    // Until the process says it listens, its jobs wait here (a message it gets before would be lost).
    this.waiting = [];
    worker.on('message', (response: JobResponse | WorkerReady) => {
      if ('ready' in response) {
        // A process stopped meanwhile does not take the jobs waiting for the next one.
        if (this.worker !== worker) return;
        const waiting = this.waiting ?? [];
        this.waiting = undefined;
        for (const request of waiting) worker.send(request);
        return;
      }
      const job = this.pending.get(response.id);
      if (!job) return;
      this.pending.delete(response.id);
      clearTimeout(job.timer);
      if ('png' in response) job.resolve(Buffer.from(response.png.buffer, response.png.byteOffset, response.png.byteLength));
      else job.reject(new Error(`drawing a picture failed: ${response.error}`));
      this.idleLater();
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.warming = undefined;
      this.waiting = undefined;
      this.failAll(error);
    };
    worker.on('error', (error) => lost(error));
    worker.on('exit', (code, signal) => lost(new Error(`the image worker stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`)));
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
