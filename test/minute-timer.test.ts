import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronMinuteTimer } from '../src/minute-timer.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the production minute timer (node-cron)', () => {
  it('beats at the start of every minute until stopped', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12, 0, 30) });
    const beats: string[] = [];
    const stop = cronMinuteTimer(async () => {
      beats.push(new Date().toISOString().slice(11, 19));
    });
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    stop();
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(beats).toEqual(['12:01:00', '12:02:00', '12:03:00']);
  });
});
