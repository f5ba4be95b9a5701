/**
 * Time as a dependency: the current time and timers. The bot gets the system
 * clock; tests pass a manual one and move time forward themselves.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error instanceof Error ? error.stack ?? error.message : error ?? ''),
};

/**
 * Calls `onMinute` once a minute, at the start of each minute; returns a
 * function that stops it. What runs reads the time from a `Clock`.
 */
export type MinuteTimer = (onMinute: () => Promise<void>) => () => void;
