import { randomUUID } from 'node:crypto';
import { bodyLimit } from '../../shared/http/body-limits.js';
import type { Operation, OperationRequest } from '../../shared/http/operation.js';
import { assertWellFormedPath } from '../../shared/http/request-path.js';
import type { HttpApiEvent } from './api-gateway.js';

/**
 * API Gateway v2 event -> the dispatcher's transport-neutral request. Throws the API's errors for a
 * malformed path and a body over the transport limit (the same as the Express runtime's).
 */
export function toOperationRequest(
  event: HttpApiEvent,
  op: Operation,
  maxImageBytes: number,
): OperationRequest {
  assertWellFormedPath(event.rawPath ?? event.requestContext?.http?.path ?? '/');
  return {
    params: { ...event.pathParameters },
    query: queryOf(event),
    headers: { ...event.headers },
    body: op.body.kind === 'none' ? Buffer.alloc(0) : bodyOf(event, op, maxImageBytes),
  };
}

function bodyOf(event: HttpApiEvent, op: Operation, maxImageBytes: number): Buffer {
  if (event.body === undefined || event.body === '') return Buffer.alloc(0);
  // HTTP APIs base64-encode every body that is not text (images, multipart) and say so.
  const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const limit = bodyLimit(op, maxImageBytes);
  if (body.length > limit.maxBytes) throw limit.tooLarge();
  return body;
}

/**
 * Parsed from rawQueryString, not queryStringParameters, so that decoding is the standard one whatever
 * the gateway did; repeated keys are joined with commas, as API Gateway joins them.
 */
function queryOf(event: HttpApiEvent): Record<string, string> {
  if (event.rawQueryString === undefined) return { ...event.queryStringParameters } as Record<string, string>;
  // No prototype: a key like "__proto__" or "constructor" is just a key.
  const query: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(event.rawQueryString)) {
    query[key] = Object.hasOwn(query, key) ? `${query[key]},${value}` : value;
  }
  return query;
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/**
 * A caller's sane X-Request-Id is kept, as the Express runtime does, so logs join up end to end;
 * otherwise API Gateway's own id, which its access log and the apigw-requestid header carry.
 */
export function requestIdOf(event: HttpApiEvent): string {
  const given = event.headers?.['x-request-id'];
  if (given !== undefined && REQUEST_ID.test(given)) return given;
  return event.requestContext?.requestId ?? randomUUID();
}
