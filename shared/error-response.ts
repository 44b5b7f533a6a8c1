import { AppError, ClientClosedRequestError, MethodNotAllowedError, UnauthorizedError } from './errors.js';

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
  if (error instanceof AppError && error.expose) {
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
    if (error instanceof UnauthorizedError) headers['www-authenticate'] = error.challenge;
    const body: ErrorResponse['body'] = { error: { code: error.code, message: error.message, requestId } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, headers, body };
  }
  return {
    status: 500,
    headers,
    body: { error: { code: 'INTERNAL', message: 'Internal server error.', requestId } },
  };
}
