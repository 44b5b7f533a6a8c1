/**
 * The error types the emulator answers with. restJson1 clients read the type from the
 * `x-amzn-errortype` header and the status from the response; these statuses are the ones the
 * @aws-sdk/client-rds-data model declares, so the SDK rebuilds the same exception classes it would
 * against AWS (ThrottlingException is not in the model: the SDK yields a generic error of that name,
 * as it does when AWS throttles).
 */
export const ERROR_STATUS = {
  BadRequestException: 400,
  DatabaseResumingException: 400,
  StatementTimeoutException: 400,
  UnsupportedResultException: 400,
  ForbiddenException: 403,
  NotFoundException: 404,
  ThrottlingException: 429,
  InternalServerErrorException: 500,
  ServiceUnavailableError: 503,
  DatabaseUnavailableException: 504,
} as const;

export type DataApiErrorType = keyof typeof ERROR_STATUS;

export const isDataApiErrorType = (type: unknown): type is DataApiErrorType =>
  typeof type === 'string' && Object.hasOwn(ERROR_STATUS, type);

/** Messages close to what AWS says, for the types a fault switch produces without a SQL cause. */
const DEFAULT_MESSAGES: Partial<Record<DataApiErrorType, string>> = {
  DatabaseResumingException:
    'A request was cancelled because the Aurora Serverless v2 DB instance was paused. ' +
    'The Aurora Serverless v2 DB instance resumes automatically. Try your request again.',
  StatementTimeoutException: 'The request timed out.',
  ThrottlingException: 'Rate exceeded',
  BadRequestException: 'Bad request (injected fault)',
  ForbiddenException: 'Forbidden (injected fault)',
  NotFoundException: 'Not found (injected fault)',
};

export class DataApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: DataApiErrorType,
    message = DEFAULT_MESSAGES[type] ?? '',
    /** Extra members of the error shape, e.g. StatementTimeoutException's dbConnectionId. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
    this.status = ERROR_STATUS[type];
  }

  /** ServiceUnavailableError, DatabaseUnavailableException and InternalServerErrorException have no members. */
  body(): Record<string, unknown> {
    return this.status >= 500 ? {} : { message: this.message, ...this.extra };
  }
}

/** SQLSTATE 57014 query_canceled: our statement_timeout fired, which Aurora reports as its own type. */
const QUERY_CANCELED = '57014';

/**
 * Maps a pg / PGlite error. SQL errors become BadRequestException carrying PostgreSQL's message and
 * SQLSTATE, as Aurora's do ("ERROR: ...; SQLState: 42P01"). A system error (ECONNREFUSED ...) means
 * the server could not be reached, which AWS reports as DatabaseUnavailableException (504); anything
 * else is the emulator's own failure.
 */
export function fromDatabaseError(error: unknown): DataApiError {
  if (error instanceof DataApiError) return error;
  const { code, message, syscall } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    syscall?: unknown;
  };
  const text = typeof message === 'string' ? message : String(error);
  // Node's system errors (ECONNREFUSED, EPIPE: the latter would pass for a SQLSTATE) name a syscall.
  if (typeof syscall === 'string') return new DataApiError('DatabaseUnavailableException', text);
  if (code === QUERY_CANCELED) {
    return new DataApiError('StatementTimeoutException', 'The statement timed out.', { dbConnectionId: 0 });
  }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return new DataApiError('BadRequestException', `ERROR: ${text}; SQLState: ${code}`);
  }
  return new DataApiError('InternalServerErrorException', text);
}
