import { jsonRequestLines, loggerRequestLines } from '../adapters/metrics/request-lines.js';
import { rawLines } from '../logger.js';
import type { Logger } from '../ports/logger.js';
import type { RequestSink } from './request-log.js';

/**
 * The server runtime's request lines: hand-built JSON into the logger's own stream when the logger is
 * shared/logger.ts's, else through the Logger port (a test's capturing logger).
 */
export function serverRequestLines(logger: Logger): RequestSink {
  const raw = rawLines(logger);
  return raw ? jsonRequestLines({ logger, level: raw.level, write: raw.write }) : loggerRequestLines(logger);
}
