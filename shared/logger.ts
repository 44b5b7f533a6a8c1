import { pino } from 'pino';
import type { Logger } from './ports/logger.js';

/**
 * JSON lines that CloudWatch Logs Insights and any log shipper parse as they are. Tokens and
 * secrets are redacted by path in case a caller ever logs a header object or a config.
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

/** For tests and tools that want no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
