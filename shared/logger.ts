import { pino } from 'pino';
import type { Logger } from './ports/logger.js';

/**
 * JSON lines that CloudWatch Logs Insights and any log shipper parse as they are. Tokens and
 * secrets are redacted by path in case a caller ever logs a header object, a config or an error
 * that carries one. The per-request line does not come through here: it is built from known-safe
 * fields (shared/adapters/metrics/request-lines.ts) and written with rawLines, so the wildcard
 * redaction runs on the rare lines that may need it, not on every request.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'pettracker' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: {
      paths: [
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
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * stdout for a long-running server: lines are gathered up to 8 KiB (or half a second) and written in one
 * system call, instead of one synchronous write per line, the largest cost of logging under load.
 * pino flushes what is left when the process exits, on a signal's graceful exit or a crash's
 * process.exit alike. Not for Lambda: a frozen container would hold its lines until the next event.
 */
export function bufferedStdout(): NodeJS.WritableStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => stream.flush(), 500).unref();
  return stream as unknown as NodeJS.WritableStream;
}

/** For tests and tools that want no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The level and the destination of a logger made here, for a line built elsewhere that must land in
 * the same stream; undefined for any other Logger (a test's capturing one).
 */
export function rawLines(logger: Logger): { level: string; write(line: string): void } | undefined {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { write(chunk: string): unknown }
    | undefined;
  const level = (logger as { level?: unknown }).level;
  if (!stream || typeof stream.write !== 'function' || typeof level !== 'string') return undefined;
  return { level, write: (line) => stream.write(`${line}\n`) };
}
