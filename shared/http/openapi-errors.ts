import { STATUS_CODES } from 'node:http';
import { codesByStatus, errorExample } from './error-catalog.js';
import type { JsonSchema } from './openapi-schemas.js';
import type { Operation } from './operation.js';

export const REQUEST_ID_HEADER = {
  description:
    "The request's id: the caller's own X-Request-Id when it is 1-128 characters of [A-Za-z0-9_.-], " +
    'a new UUID otherwise. Every log line of the request carries it, and so does an error body.',
  schema: { type: 'string' },
};

const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'string', pattern: '^[0-9]+$' },
};

/**
 * The error statuses an operation can answer with: those its table entry lists, plus what the
 * dispatcher and the transports add to every operation of its shape (a token check, input validation,
 * a body limit) and the generic 500 that any unexpected failure becomes.
 */
export function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.errors);
  if (op.auth) statuses.add(401);
  if (op.query || op.params || op.body.kind !== 'none') statuses.add(400);
  if (op.body.kind !== 'none') statuses.add(413);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

export const errorResponseName = (status: number) => `Error${status}`;

/**
 * components.responses: one per error status, the ErrorBody schema narrowed to the codes that status
 * can carry (from the error catalog), with one example per code as the runtimes would send it.
 */
export function errorResponses(errorBodyRef: JsonSchema): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of [...codesByStatus()].sort(([a], [b]) => a - b)) {
    const samples = codes.map((code) => ({ code, ...errorExample(code) }));
    const headers: Record<string, JsonSchema> = {
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
    };
    if (samples.some((s) => s.headers['retry-after'] !== undefined)) {
      headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
    }
    responses[errorResponseName(status)] = {
      description: `${STATUS_CODES[status] ?? 'Error'}: error.code is one of ${codes.join(', ')}.`,
      headers,
      content: {
        'application/json': {
          schema: {
            allOf: [
              errorBodyRef,
              {
                type: 'object',
                properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
              },
            ],
          },
          examples: Object.fromEntries(samples.map((s) => [s.code, { value: s.body }])),
        },
      },
    };
  }
  return responses;
}

export const responseHeaders = { 'X-Request-Id': REQUEST_ID_HEADER, 'Retry-After': RETRY_AFTER_HEADER };
