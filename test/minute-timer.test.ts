import { describe, expect, it } from 'vitest';
import { clockMinuteTimer } from '../src/minute-timer.ts';
import { captureLogger, ManualClock, type LogLine } from './e2e/harness.ts';

const at = (clock: ManualClock) => new Date(clock.now()).toISOString().slice(11, 19);

/** Lets the beat under way finish (the next timer is set once it has). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the production minute timer (a timer on the clock)', () => {
  it('beats at the start of every minute until stopped', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 30));
    const beats: string[] = [];
    const stop = clockMinuteTimer(clock, captureLogger([]))(async () => {
      beats.push(at(clock));
    });
    for (let i = 0; i < 6; i++) {
      clock.advance(30_000);
      await settle();
    }
    stop();
    clock.advance(180_000);
    expect(beats).toEqual(['12:01:00', '12:02:00', '12:03:00']);
    expect(clock.pendingTimers).toBe(0);
  });

  it.each([
    ['back 2 hours', -7_200_000, ['10:01:00', '10:02:00', '10:03:00'], 'The clock jumped 2 h back; daily drops follow the new time.'],
    ['forward 2 hours', 7_200_000, ['14:01:00', '14:02:00', '14:03:00'], 'The clock jumped 2 h forward; daily drops follow the new time.'],
  ])('after a step %s it beats within a minute, every minute, and logs the step once', async (_, step, expected, message) => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 30));
    const logs: LogLine[] = [];
    const beats: string[] = [];
    clockMinuteTimer(clock, captureLogger(logs))(async () => {
      beats.push(at(clock));
    });
    clock.jump(step);
    for (let i = 0; i < 5; i++) {
      clock.advance(30_000);
      await settle();
    }
    expect(beats).toEqual(expected);
    expect(logs.map((l) => l.message)).toEqual([message]);
  });
});
