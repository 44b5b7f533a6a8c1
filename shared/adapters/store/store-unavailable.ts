import { AppError } from '../../errors.js';

/**
 * The driver lost its connection to the database, could not open one, or stopped waiting for an answer,
 * and the server reported nothing. pg and PGlite say so with plain Errors whose only detail is their
 * message text ("Connection terminated unexpectedly", "Query read timeout", "PGlite is closed"), so the
 * SQL adapters raise this instead, and nothing has to read a message.
 */
export class StoreConnectionError extends Error {
  constructor(cause: unknown) {
    super('The connection to the database failed.', { cause });
    this.name = 'StoreConnectionError';
  }
}

/**
 * SQLSTATEs of a database that is going away or cannot take the statement now: class 08 (connection
 * exception) and these. 57014 is a cancelled statement, usually our own statement_timeout firing on a
 * database too slow to answer.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown, a failover
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
  '57014', // query_canceled
]);

/** Node's system errors for a peer that refused, reset, or never answered (the AWS SDK's own list). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/*
 * The RDS Data API's answers and the AWS SDK's own failures, by name:
 * - DatabaseResumingException: Aurora Serverless v2 paused at zero capacity, resuming takes ~15 s. HTTP
 *   400, a client fault, so the SDK's own retry leaves it alone.
 * - StatementTimeoutException: the 45 s limit cancelled (and rolled back) the statement.
 * - ServiceUnavailableError (503), DatabaseUnavailableException (504), ThrottlingException (429).
 * - TimeoutError: the SDK's connection or request timeout fired.
 * Any other 5xx answer counts too. BadRequestException (SQL errors, constraint violations),
 * ForbiddenException and the rest are not outages: repeating them cannot succeed.
 */
const UNAVAILABLE_NAMES = new Set([
  'DatabaseResumingException',
  'StatementTimeoutException',
  'ServiceUnavailableError',
  'DatabaseUnavailableException',
  'ThrottlingException',
  'TimeoutError',
]);

/**
 * True when `error` says the database cannot be reached or cannot answer now (an outage: worth a 503
 * with Retry-After, and for some operations another attempt), false for everything else (a bug, a bad
 * statement, a constraint: a 500 or the caller's own error). The one classification of store errors,
 * for every adapter, by stable properties only: SQLSTATE codes, Node's error codes, SDK error names and
 * HTTP statuses, and StoreConnectionError.
 */
export function isStoreUnavailable(error: unknown): boolean {
  // Our own AppErrors are final answers. One of them, ServiceUnavailableError, even shares its name with
  // the SDK's 503 error: without this check a wrapper would take its own verdict for a new outage.
  if (!(error instanceof Error) || error instanceof AppError) return false;
  if (error instanceof StoreConnectionError || UNAVAILABLE_NAMES.has(error.name)) return true;
  const { code, $metadata } = error as { code?: unknown; $metadata?: { httpStatusCode?: number } };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const status = $metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}
