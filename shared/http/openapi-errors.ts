import { STATUS_CODES } from 'node:http';
import {
  AppError,
  type AppErrorOptions,
  ERRORS,
  type ErrorCode,
  type ErrorResponse,
  toErrorResponse,
} from '../errors.js';
import { API_GATEWAY_ERROR, apiGatewayExample } from './openapi-gateway.js';
import type { JsonSchema } from './openapi-schemas.js';
import type { Operation } from './operation.js';

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

export const EXAMPLE_REQUEST_ID = '3f1c2a9e-8d4b-4c1e-9a57-2b6f0e1d7c35';

/** The answer the runtimes send for `code`'s sample in the error table, with a fixed request id. */
export function errorExample(code: ErrorCode): ErrorResponse {
  const sample: AppErrorOptions & { message: string } = ERRORS[code];
  return toErrorResponse(new AppError(code, sample.message, sample), EXAMPLE_REQUEST_ID);
}

/** HTTP status -> the codes an error body with that status can carry, in the table's order. */
export function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    const { status } = errorExample(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** components.headers: every header an error answer can carry, keyed by its documented spelling. */
export const responseHeaders: Record<string, JsonSchema> = {
  'X-Request-Id': {
    description:
      "The request's id: the caller's own X-Request-Id when it is 1-128 characters of [A-Za-z0-9_.-], " +
      'a new UUID otherwise. Every log line of the request carries it, and so does an error body. ' +
      "Absent from API Gateway's own answers (they carry apigw-requestid instead).",
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'WWW-Authenticate': {
    description:
      'The authentication scheme to use, "Bearer" (RFC 6750). API Gateway\'s JWT authorizer may add ' +
      'error="invalid_token" and an error_description.',
    schema: { type: 'string', pattern: '^Bearer' },
  },
  Allow: {
    description: 'The methods this path does support, comma-separated (RFC 9110, section 10.2.1).',
    // Both runtimes send it on every 405 (API Gateway routes unknown methods to our $default function).
    required: true,
    schema: { type: 'string' },
  },
};

/** Headers an error status always carries, whatever its code (RFC 9110 for 405, RFC 6750 for 401). */
const HEADERS_BY_STATUS: Record<number, string[]> = { 401: ['WWW-Authenticate'], 405: ['Allow'] };

/**
 * What the server runtime answers to any request, whatever its operation, before one is chosen:
 * HTTP it cannot parse (400 MALFORMED_REQUEST), a path whose percent-escapes do not decode
 * (400 MALFORMED_URL), headers too slow (408) or too large (431).
 */
const TRANSPORT_STATUSES = [400, 408, 431];

/**
 * The error statuses an operation can answer with: those its table entry lists, plus what the
 * dispatcher and the transports add to every operation of its shape (a token check, a body limit),
 * the transport's own answers, 405 for another method on its path, and the generic 500 that any
 * unexpected failure becomes.
 */
export function errorStatuses(op: Operation): number[] {
  const statuses = new Set([...op.errors, ...TRANSPORT_STATUSES]);
  if (op.auth) statuses.add(401);
  if (op.body.kind !== 'none') statuses.add(413);
  statuses.add(405);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

/** Statuses API Gateway also answers itself on the Lambda deployment, before any function runs. */
const GATEWAY_ANSWERS: Record<number, string> = {
  401:
    "On the Lambda deployment, API Gateway's JWT authorizer refuses a missing or invalid token " +
    'before any function runs and answers {"message": "Unauthorized"} itself, without X-Request-Id.',
  413:
    'On the Lambda deployment, a body over what API Gateway passes on (10 MB, or 6 MB once base64 ' +
    'encoded for the function) may be refused by AWS with {"message": ...} instead.',
};

/** What a reader of a status needs beyond its codes. */
const STATUS_NOTES: Record<number, string> = {
  400:
    'MALFORMED_URL: the path has a percent-escape that does not decode. MALFORMED_REQUEST: the ' +
    'Express runtime (Beanstalk, npm start) could not parse the request as HTTP; on the Lambda ' +
    'deployment API Gateway answers such a request itself.',
  405: 'Sent for any other method on this path; Allow lists the ones it supports.',
  408:
    'The Express runtime waited too long for the headers (or the body) and closes the connection ' +
    'after answering.',
  431: 'The Express runtime refuses request headers larger than Node.js reads (16 KiB by default).',
};

export const errorResponseName = (status: number) => `Error${status}`;

/** The name of the response every operation has as `default`: any status it does not list. */
export const OTHER_ERROR_RESPONSE = 'OtherError';

/** ErrorBody's JSON Schema with error.code narrowed to `codes`, as a self-contained copy. */
function narrowed(errorBody: JsonSchema, codes: readonly string[]): JsonSchema {
  const copy = structuredClone(errorBody) as { properties?: { error?: { properties?: JsonSchema } } };
  const fields = copy.properties?.error?.properties;
  if (!fields?.code) throw new Error('ErrorBody has no error.code property to narrow.');
  fields.code = { type: 'string', enum: [...codes] };
  return copy as JsonSchema;
}

/** The documented spellings of the headers an error with `status` carries; an undocumented one throws. */
function headersOf(status: number, sent: readonly string[]): string[] {
  const known = new Map(Object.keys(responseHeaders).map((name) => [name.toLowerCase(), name]));
  const names = new Set(['X-Request-Id', ...(HEADERS_BY_STATUS[status] ?? [])]);
  for (const header of sent) {
    const name = known.get(header.toLowerCase());
    if (!name)
      throw new Error(`Error answers with status ${status} send ${header}, which is not documented.`);
    names.add(name);
  }
  return [...names];
}

/**
 * components.responses: one per error status that some operation of `ops` can answer with (so none is
 * unused), each a copy of the ErrorBody schema narrowed to the codes that status can carry (from the
 * error catalog), with one example per code as the runtimes would send it. A self-contained copy, not
 * allOf with ErrorBody: Redocly validates examples as if every schema were closed, which an allOf
 * that narrows only `code` would fail. GATEWAY_ANSWERS' statuses also admit API Gateway's own body.
 */
export function errorResponses(ops: readonly Operation[], errorBody: JsonSchema): Record<string, JsonSchema> {
  const byStatus = codesByStatus();
  const used = [...new Set(ops.flatMap(errorStatuses))].sort((a, b) => a - b);
  const responses: Record<string, JsonSchema> = {};
  for (const status of used) {
    const codes = byStatus.get(status);
    if (!codes) throw new Error(`An operation lists status ${status}, but no error code maps to it.`);
    const samples = codes.map((code) => ({ code, ...errorExample(code) }));
    const sent = samples.flatMap((s) => Object.keys(s.headers));
    const headers = Object.fromEntries(headersOf(status, sent).map((name) => [name, headerRef(name)]));
    const examples: Record<string, JsonSchema> = Object.fromEntries(
      samples.map((s) => [s.code, { value: s.body }]),
    );
    let schema = narrowed(errorBody, codes);
    let description = `${STATUS_CODES[status] ?? 'Error'}: error.code is one of ${codes.join(', ')}.`;
    const gateway = GATEWAY_ANSWERS[status];
    if (gateway) {
      schema = { oneOf: [schema, { $ref: `#/components/schemas/${API_GATEWAY_ERROR}` }] };
      examples.ApiGateway = apiGatewayExample(status);
      description += ` ${gateway}`;
    }
    const note = STATUS_NOTES[status];
    if (note) description += ` ${note}`;
    responses[errorResponseName(status)] = {
      description,
      headers,
      content: { 'application/json': { schema, examples } },
    };
  }
  responses[OTHER_ERROR_RESPONSE] = {
    description:
      'Any status not listed: the error body, or on the Lambda deployment a body API Gateway writes ' +
      'itself (e.g. 429 {"message": "Too Many Requests"} when the stage is throttled).',
    headers: { 'X-Request-Id': headerRef('X-Request-Id') },
    content: {
      'application/json': {
        schema: {
          oneOf: [
            { $ref: '#/components/schemas/ErrorBody' },
            { $ref: `#/components/schemas/${API_GATEWAY_ERROR}` },
          ],
        },
      },
    },
  };
  return responses;
}
