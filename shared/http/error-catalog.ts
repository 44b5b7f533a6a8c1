import { type ErrorResponse, toErrorResponse } from '../error-response.js';
import {
  BadRequestError,
  type ErrorCode,
  HeadersTooLargeError,
  IdempotencyConflictError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RequestTimeoutError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableImageError,
  UnsupportedMediaTypeError,
} from '../errors.js';
import { JSON_BODY_LIMIT } from './body-limits.js';

/*
 * One instance of the error class behind every code, with a message as the API words it. This is the
 * one place that ties codes to statuses for the contract document: the status is not written here but
 * read from what toErrorResponse makes of the instance, so the document cannot claim a status the
 * runtimes would not send. `Record<ErrorCode, …>` makes a new code a compile error until it is added.
 */
const SAMPLES: Record<ErrorCode, unknown> = {
  EMPTY_BODY: new BadRequestError('EMPTY_BODY', 'The request has no image.'),
  INVALID_JSON: new BadRequestError('INVALID_JSON', 'The body is not valid JSON.'),
  MALFORMED_MULTIPART: new BadRequestError(
    'MALFORMED_MULTIPART',
    'The multipart body is malformed: Unexpected end of form.',
  ),
  MALFORMED_URL: new BadRequestError('MALFORMED_URL', 'The request path has a malformed percent-escape.'),
  MALFORMED_REQUEST: new BadRequestError('MALFORMED_REQUEST', 'The request is not valid HTTP.'),
  VALIDATION_FAILED: new BadRequestError('VALIDATION_FAILED', 'Invalid query string.', [
    { path: 'topK', message: 'Too big: expected number to be <=10' },
  ]),
  UNKNOWN_BREED: new BadRequestError('UNKNOWN_BREED', `"Unicorn" is not one of the model's 37 labels.`),
  UNAUTHENTICATED: new UnauthorizedError(),
  NOT_FOUND: new NotFoundError('No such prediction in your history.'),
  METHOD_NOT_ALLOWED: new MethodNotAllowedError(['POST']),
  REQUEST_TIMEOUT: new RequestTimeoutError(),
  HEADERS_TOO_LARGE: new HeadersTooLargeError(),
  IMAGE_TOO_LARGE: new PayloadTooLargeError(5 * 1024 * 1024, 'image'),
  BODY_TOO_LARGE: new PayloadTooLargeError(JSON_BODY_LIMIT, 'body'),
  UNSUPPORTED_MEDIA_TYPE: new UnsupportedMediaTypeError(
    'UNSUPPORTED_MEDIA_TYPE',
    'The body is not a JPEG, PNG or WebP image (supported: image/jpeg, image/png, image/webp).',
  ),
  CONTENT_TYPE_MISMATCH: new UnsupportedMediaTypeError(
    'CONTENT_TYPE_MISMATCH',
    'The content type says image/png but the bytes are image/jpeg.',
  ),
  CORRUPT_IMAGE: new UnprocessableImageError(
    'CORRUPT_IMAGE',
    'The image cannot be read: it is corrupt or truncated.',
  ),
  IMAGE_TOO_MANY_PIXELS: new UnprocessableImageError(
    'IMAGE_TOO_MANY_PIXELS',
    'The image is 9000x9000, over the limit of 40000000 pixels.',
  ),
  IMAGE_TOO_COMPLEX: new UnprocessableImageError(
    'IMAGE_TOO_COMPLEX',
    'Decoding this image took more than 5 s of CPU, the most one image may use; send a smaller or simpler image.',
  ),
  IDEMPOTENCY_KEY_REUSED: new IdempotencyConflictError(),
  NOT_READY: new ServiceUnavailableError('NOT_READY', 'The model is still loading; retry shortly.'),
  STORE_UNAVAILABLE: new ServiceUnavailableError(
    'STORE_UNAVAILABLE',
    'The prediction store is temporarily unavailable; try again shortly.',
  ),
  BUSY: new ServiceUnavailableError(
    'BUSY',
    'The server is decoding as many images as its memory allows; retry shortly.',
    2,
  ),
  // Anything that is not an exposed AppError: toErrorResponse hides it behind a generic 500.
  INTERNAL: new Error('an unexpected failure'),
};

export const EXAMPLE_REQUEST_ID = '3f1c2a9e-8d4b-4c1e-9a57-2b6f0e1d7c35';

/** The error response the runtimes send for `code`, with a fixed request id. */
export function errorExample(code: ErrorCode): ErrorResponse {
  return toErrorResponse(SAMPLES[code], EXAMPLE_REQUEST_ID);
}

/** HTTP status -> the codes an error body with that status can carry, in declaration order. */
export function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(SAMPLES) as ErrorCode[]) {
    const { status } = errorExample(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}
