/**
 * The errors the API answers with. Each has a stable machine-readable `code` (clients switch on it,
 * never on the message) and an HTTP status. `expose` follows middy's HttpError: messages of 4xx
 * errors are meant for the caller; anything else becomes a generic 500.
 */
export type ErrorCode =
  | BadRequestCode
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'IMAGE_TOO_LARGE'
  | 'BODY_TOO_LARGE'
  | 'HEADERS_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CONTENT_TYPE_MISMATCH'
  | 'CORRUPT_IMAGE'
  | 'IMAGE_TOO_MANY_PIXELS'
  | 'IMAGE_TOO_COMPLEX'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'NOT_READY'
  | 'STORE_UNAVAILABLE'
  | 'BUSY'
  | 'INTERNAL';

export class AppError extends Error {
  readonly expose: boolean;
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.expose = status < 500 || status === 503;
    this.details = options?.details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;
}

/** The codes a 400 answers with. */
export type BadRequestCode =
  | 'EMPTY_BODY'
  | 'INVALID_JSON'
  | 'MALFORMED_MULTIPART'
  | 'MALFORMED_URL'
  | 'MALFORMED_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_BREED';

export class BadRequestError extends AppError {
  constructor(code: BadRequestCode, message: string, details?: unknown) {
    super(400, code, message, { details });
  }
}

export class UnauthorizedError extends AppError {
  /**
   * RFC 6750 section 3.1: a request that presented a bearer token learns that the token was refused
   * (error="invalid_token"); one that presented none is only told which scheme to use.
   */
  readonly challenge: string;
  constructor(message = 'A valid bearer token is required.', cause?: unknown, tokenRejected = false) {
    super(401, 'UNAUTHENTICATED', message, { cause });
    this.challenge = tokenRejected ? 'Bearer error="invalid_token"' : 'Bearer';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  /** The methods the path does serve: RFC 9110 requires them in the 405's Allow header. */
  readonly allow: readonly string[];
  constructor(allow: readonly string[], message = 'Method not allowed.') {
    super(405, 'METHOD_NOT_ALLOWED', `${message} This path allows ${allow.join(', ')}.`);
    this.allow = allow;
  }
}

/** The client took too long to send its request (headers or body); the connection is closed. */
export class RequestTimeoutError extends AppError {
  constructor(message = 'The request was not received in time.') {
    super(408, 'REQUEST_TIMEOUT', message);
  }
}

export class HeadersTooLargeError extends AppError {
  constructor(message = 'The request headers are too large.') {
    super(431, 'HEADERS_TOO_LARGE', message);
  }
}

/**
 * The client went away before its request was read. Nobody receives an answer, so this is no API
 * error code: it exists for the request's log line and metrics only, as status 499 (nginx's
 * convention), at info level and counted as a client error, never as a server error.
 */
export class ClientClosedRequestError extends Error {
  readonly code = 'CLIENT_CLOSED_REQUEST';
  readonly status = 499;
  constructor(cause?: unknown) {
    super('The client closed the connection before the request was read.', { cause });
    this.name = 'ClientClosedRequestError';
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number, what: 'image' | 'body' = 'image') {
    super(
      413,
      what === 'image' ? 'IMAGE_TOO_LARGE' : 'BODY_TOO_LARGE',
      `The ${what} is larger than the limit of ${limitBytes} bytes.`,
    );
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(code: 'UNSUPPORTED_MEDIA_TYPE' | 'CONTENT_TYPE_MISMATCH', message: string) {
    super(415, code, message);
  }
}

export class UnprocessableImageError extends AppError {
  constructor(
    code: 'CORRUPT_IMAGE' | 'IMAGE_TOO_MANY_PIXELS' | 'IMAGE_TOO_COMPLEX',
    message: string,
    cause?: unknown,
  ) {
    super(422, code, message, { cause });
  }
}

export class IdempotencyConflictError extends AppError {
  constructor() {
    super(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different prediction; use a new key for a new save.',
    );
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    code: 'NOT_READY' | 'STORE_UNAVAILABLE' | 'BUSY',
    message: string,
    retryAfterSeconds = 5,
    cause?: unknown,
  ) {
    super(503, code, message, { cause, retryAfterSeconds });
  }
}
