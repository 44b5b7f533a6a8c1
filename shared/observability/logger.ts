import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../ports/logger.js';

const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  '*.*.authorization',
  'token',
  '*.token',
  '*.*.token',
  'upstashToken',
  '*.upstashToken',
  'password',
  '*.password',
  '*.*.password',
  'secret',
  'SecretString',
  '*.SecretString',
];

/**
 * JSON lines that CloudWatch Logs Insights and any log shipper parse as they are. Tokens and secrets
 * are redacted by path in case a caller ever logs a header object, a config or an error that carries
 * one. `redact: false` is for the per-request line, built from known-safe fields only
 * (request-line.ts): the wildcard redaction then runs on the rare lines that may need it, not on every
 * request. Loggers that share a destination write to it in order.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  options: { redact?: boolean } = {},
): Logger {
  const settings = {
    level,
    base: { service: 'pettracker' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.redact === false ? {} : { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }),
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/**
 * stdout for a long-running server: lines are gathered up to 8 KiB (or half a second) and written in one
 * system call, instead of one synchronous write per line, the largest cost of logging under load.
 * pino flushes what is left when the process exits, on a signal's graceful exit or a crash's
 * process.exit alike. Not for Lambda: a frozen container would hold its lines until the next event.
 */
export function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => stream.flush(), 500).unref();
  return stream;
}

/** For tests and tools that want no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
