/**
 * Clock steps, seen by a ticker that runs on elapsed time (timers) and reads
 * the wall clock: between two ticks `elapsedMs` apart the wall clock should
 * move by about as much. Pure.
 */

/** How far the wall clock may drift from the elapsed time between two ticks before it counts as a jump. */
export const JUMP_TOLERANCE_MS = 90_000;

/**
 * How far the wall clock jumped between two ticks (positive: forward, negative:
 * back), or 0 when it moved with the elapsed time.
 */
export function clockJump(previousWall: number, wall: number, elapsedMs: number, toleranceMs = JUMP_TOLERANCE_MS): number {
  const jump = wall - previousWall - elapsedMs;
  return Math.abs(jump) > toleranceMs ? jump : 0;
}

/** A jump for the log, e.g. `2 h 5 min back`. */
export function describeJump(jumpMs: number): string {
  const minutes = Math.round(Math.abs(jumpMs) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const size = [h ? `${h} h` : '', m || !h ? `${m} min` : ''].filter(Boolean).join(' ');
  return `${size} ${jumpMs < 0 ? 'back' : 'forward'}`;
}
