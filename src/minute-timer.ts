/**
 * The production minute timer: a timer on the injected clock that fires at the
 * start of each minute of the wall clock. Each beat reads the clock anew and
 * sets the next timer from it, so after the clock steps forward or back (an NTP
 * correction, a resumed VM) the next beat still comes within a minute, and
 * missed minutes never pile up (node-cron stopped beating after a step back and
 * then logged thousands of "missed execution" warnings). A step is logged once.
 */
import type { Clock, Logger, MinuteTimer } from './clock.ts';
import { clockJump, describeJump } from './schedule/clock-jump.ts';

const MINUTE_MS = 60_000;

export function clockMinuteTimer(clock: Clock, logger: Logger): MinuteTimer {
  return (onMinute) => {
    let cancel: (() => void) | undefined;
    let stopped = false;
    const arm = (): void => {
      const armedAt = clock.now();
      const delay = MINUTE_MS - (armedAt % MINUTE_MS);
      cancel = clock.setTimeout(() => {
        const jump = clockJump(armedAt, clock.now(), delay);
        if (jump) logger.warn(`The clock jumped ${describeJump(jump)}; daily drops follow the new time.`);
        void onMinute()
          .catch((error: unknown) => logger.error('minute tick failed', error))
          .finally(() => {
            if (!stopped) arm();
          });
      }, delay);
    };
    arm();
    return () => {
      stopped = true;
      cancel?.();
    };
  };
}
