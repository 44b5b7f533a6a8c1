import type { Logger } from './ports/logger.js';

/**
 * Logs a warning at most once per interval and counts what it held back, so a dead dependency hit
 * by every request produces one line a minute instead of one per request.
 */
export function throttledWarn(logger: Logger, intervalMs: number, now: () => number = Date.now) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (obj: object, msg: string): void => {
    const at = now();
    if (at - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn(suppressed > 0 ? { ...obj, suppressed } : obj, msg);
    lastAt = at;
    suppressed = 0;
  };
}
