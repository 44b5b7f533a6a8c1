/**
 * Every code the API answers with, once: its HTTP status and a sample of its answer, which is what
 * docs/api.md's list and openapi.json's examples show (rendered through toErrorResponse below, so they
 * carry the headers the runtimes send). Clients switch on the code, never on the message. The error
 * classes take their status from here, so a class cannot answer a status its code does not have.
 */
export const ERRORS = {
  EMPTY_BODY: { status: 400, message: 'The request has no image.' },
  INVALID_JSON: { status: 400, message: 'The body is not valid JSON.' },
  MALFORMED_MULTIPART: { status: 400, message: 'The multipart body is malformed: Unexpected end of form.' },
  MALFORMED_URL: { status: 400, message: 'The request path has a malformed percent-escape.' },
  MALFORMED_REQUEST: { status: 400, message: 'The request is not valid HTTP.' },
  VALIDATION_FAILED: {
    status: 400,
    message: 'Invalid query string.',
    details: [{ path: 'topK', message: 'Too big: expected number to be <=10' }],
  },
  UNKNOWN_BREED: { status: 400, message: `"Unicorn" is not one of the model's 37 labels.` },
  SPECIES_MISMATCH: { status: 400, message: `topK names "Beagle" a cat; the model's labels make it a dog.` },
  UNAUTHENTICATED: { status: 401, message: 'A valid bearer token is required.' },
  NOT_FOUND: { status: 404, message: 'No such prediction in your history.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed. This path allows POST.', allow: ['POST'] },
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  IMAGE_TOO_LARGE: { status: 413, message: 'The image is larger than the limit of 5242880 bytes.' },
  BODY_TOO_LARGE: { status: 413, message: 'The body is larger than the limit of 65536 bytes.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The body is not a JPEG, PNG or WebP image (supported: image/jpeg, image/png, image/webp).',
  },
  CONTENT_TYPE_MISMATCH: {
    status: 415,
    message: 'The content type says image/png but the bytes are image/jpeg.',
  },
  CORRUPT_IMAGE: { status: 422, message: 'The image cannot be read: it is corrupt or truncated.' },
  IMAGE_TOO_MANY_PIXELS: {
    status: 422,
    message: 'The image is 9000x9000, over the limit of 40000000 pixels.',
  },
  IMAGE_TOO_COMPLEX: {
    status: 422,
    message:
      'Decoding this image took more than 5 s of CPU, the most one image may use; send a smaller or simpler image.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message:
      'This Idempotency-Key was already used for a different prediction; use a new key for a new save.',
  },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  INTERNAL: { status: 500, message: 'Internal server error.' },
  NOT_READY: { status: 503, message: 'The model is still loading; retry shortly.', retryAfterSeconds: 5 },
  STORE_UNAVAILABLE: {
    status: 503,
    message: 'The prediction store is temporarily unavailable; try again shortly.',
    retryAfterSeconds: 5,
  },
  BUSY: {
    status: 503,
    message: 'The server is decoding as many images as its memory allows; retry shortly.',
    retryAfterSeconds: 2,
  },
} as const satisfies Record<string, ErrorEntry>;

interface ErrorEntry {
  status: number;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
  allow?: readonly string[];
}

export type ErrorCode = keyof typeof ERRORS;
/** The codes answered with `status`. */
export type CodeOf<S extends number> = {
  [C in ErrorCode]: (typeof ERRORS)[C]['status'] extends S ? C : never;
}[ErrorCode];
export type BadRequestCode = CodeOf<400>;

export interface AppErrorOptions {
  cause?: unknown;
  details?: unknown;
  /** Sent as Retry-After. */
  retryAfterSeconds?: number | undefined;
  /** The methods the path does serve: RFC 9110 requires them in a 405's Allow header. */
  allow?: readonly string[];
}

/**
 * An error the API answers with its code. `expose` follows middy's HttpError: the messages of 4xx
 * (and of 503, which says when to come back) are meant for the caller; anything else is a generic 500.
 */
export class AppError extends Error {
  readonly status: number;
  readonly expose: boolean;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;
  readonly allow: readonly string[] | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = ERRORS[code].status;
    this.expose = this.status < 500 || this.status === 503;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.allow = options.allow;
  }
}

export class BadRequestError extends AppError {
  constructor(code: BadRequestCode, message: string, details?: unknown) {
    super(code, message, { details });
  }
}

export class UnauthorizedError extends AppError {
  /**
   * RFC 6750 section 3.1: a request that presented a bearer token learns that the token was refused
   * (error="invalid_token"); one that presented none is only told which scheme to use.
   */
  readonly challenge: string;
  constructor(message?: string, cause?: unknown, tokenRejected = false) {
    super('UNAUTHENTICATED', message, { cause });
    this.challenge = tokenRejected ? 'Bearer error="invalid_token"' : 'Bearer';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super('NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  declare readonly allow: readonly string[];
  constructor(allow: readonly string[]) {
    super('METHOD_NOT_ALLOWED', `Method not allowed. This path allows ${allow.join(', ')}.`, { allow });
  }
}

/** The client took too long to send its request (headers or body); the connection is closed. */
export class RequestTimeoutError extends AppError {
  constructor(message?: string) {
    super('REQUEST_TIMEOUT', message);
  }
}

export class HeadersTooLargeError extends AppError {
  constructor() {
    super('HEADERS_TOO_LARGE');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number, what: 'image' | 'body' = 'image') {
    super(
      what === 'image' ? 'IMAGE_TOO_LARGE' : 'BODY_TOO_LARGE',
      `The ${what} is larger than the limit of ${limitBytes} bytes.`,
    );
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(code: CodeOf<415>, message: string) {
    super(code, message);
  }
}

export class UnprocessableImageError extends AppError {
  constructor(code: Exclude<CodeOf<422>, 'IDEMPOTENCY_KEY_REUSED'>, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

export class IdempotencyConflictError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED');
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: CodeOf<503>, message: string, retryAfterSeconds = 5, cause?: unknown) {
    super(code, message, { cause, retryAfterSeconds });
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

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; requestId: string; details?: unknown } };
}

/** The one mapping from any thrown value to an HTTP answer, shared by every runtime. */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error instanceof ClientClosedRequestError) {
    // Written to nobody: the status and code are for the request's log line and metrics.
    return {
      status: error.status,
      headers,
      body: { error: { code: error.code, message: error.message, requestId } },
    };
  }
  if (!(error instanceof AppError && error.expose)) {
    const { status, message } = ERRORS.INTERNAL;
    return { status, headers, body: { error: { code: 'INTERNAL', message, requestId } } };
  }
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.allow) headers.allow = error.allow.join(', ');
  if (error.status === 401)
    headers['www-authenticate'] = error instanceof UnauthorizedError ? error.challenge : 'Bearer';
  const body: ErrorResponse['body'] = { error: { code: error.code, message: error.message, requestId } };
  if (error.details !== undefined) body.error.details = error.details;
  return { status: error.status, headers, body };
}
