/**
 * The picture worker process: started on the first picture, stopped after a
 * while without pictures (on the manual clock), started again on demand, and
 * drawing the same pictures as the drawing functions themselves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderLeaderboard, renderStats } from '../../src/images/index.ts';
import { ImageRenderer } from '../../src/images/renderer.ts';
import { ManualClock } from '../e2e/harness.ts';
import { firstPage, stats } from './fixtures.ts';
import { difference, pixels } from './golden.ts';

const MINUTE = 60_000;
let renderer: ImageRenderer | undefined;
afterEach(() => renderer?.close());

async function expectSame(png: Buffer, expected: Buffer): Promise<void> {
  expect(difference(await pixels(png), await pixels(expected)).differing).toBe(0);
}

describe('the picture worker', () => {
  it('starts on the first picture, stops after the idle time, and starts again for the next picture', async () => {
    const clock = new ManualClock(0);
    const images = (renderer = new ImageRenderer({ timeoutMs: 60_000, idleMs: 5 * MINUTE, clock }));
    expect(images.running).toBe(false);
    expect(clock.pendingTimers).toBe(0);

    // Two pictures asked for while the process starts: both wait for it and are drawn.
    const [board, chart] = await Promise.all([images.render({ kind: 'leaderboard', input: firstPage }), images.render({ kind: 'stats', input: stats })]);
    await expectSame(board, await renderLeaderboard(firstPage));
    await expectSame(chart, await renderStats(stats));
    expect(images.running).toBe(true);
    expect(images.started).toBe(1);

    // A picture within the idle time keeps it, and the idle time counts again from that picture.
    clock.advance(5 * MINUTE - 1);
    expect(images.running).toBe(true);
    await images.render({ kind: 'leaderboard', input: firstPage });
    clock.advance(5 * MINUTE - 1);
    expect(images.running).toBe(true);
    expect(images.started).toBe(1);

    // Idle for the whole time: stopped.
    clock.advance(1);
    expect(images.running).toBe(false);

    // The next picture starts it again, and is drawn the same.
    const again = await images.render({ kind: 'leaderboard', input: firstPage });
    await expectSame(again, board);
    expect(images.started).toBe(2);
    expect(images.running).toBe(true);
  }, 60_000);

  it('is kept while a picture is drawn, and for good with an idle time of 0', async () => {
    const clock = new ManualClock(0);
    const images = (renderer = new ImageRenderer({ timeoutMs: 60_000, idleMs: 0, clock }));
    const drawing = images.render({ kind: 'stats', input: stats });
    clock.advance(60 * MINUTE);
    await expectSame(await drawing, await renderStats(stats));
    clock.advance(24 * 60 * MINUTE);
    expect(images.running).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    expect(images.started).toBe(1);
  }, 60_000);

  it('draws again after its process died', async () => {
    const images = (renderer = new ImageRenderer({ timeoutMs: 60_000 }));
    await images.render({ kind: 'leaderboard', input: firstPage });
    // Stopped from outside: the next picture gets a new process.
    const pid = (images as unknown as { worker: { pid: number } }).worker.pid;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200 && images.running; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(images.running).toBe(false);
    await expectSame(await images.render({ kind: 'leaderboard', input: firstPage }), await renderLeaderboard(firstPage));
    expect(images.started).toBe(2);
  }, 60_000);
});
