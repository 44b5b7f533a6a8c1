import { presentsBearer } from '../bearer-token.js';
import type { Core } from '../core.js';
import { UnauthorizedError, UnsupportedMediaTypeError } from '../errors.js';
import type { Caller } from '../ports/identity.js';
import { readImageBody } from './image-body.js';
import type { Operation, OperationRequest, OperationResult } from './operation.js';
import { parseJsonBody, parseWith } from './parse-input.js';

/** Runs one operation for any runtime: authenticate, validate, call the core. The pipeline maps what it throws. */
export async function dispatch(
  core: Core,
  op: Operation,
  request: OperationRequest,
): Promise<OperationResult> {
  const caller = op.auth ? await authenticate(core, request) : undefined;
  const query = parseWith(op.query, request.query, 'query string');
  const params = parseWith(op.params, request.params, 'path');
  const body = await readBody(core, op, request);
  return op.handle({ core, caller, query, params, body, headers: request.headers });
}

/** The identity port says whether a token is good; whether one was presented decides the RFC 6750 challenge. */
async function authenticate(core: Core, request: OperationRequest): Promise<Caller> {
  const { authorization } = request.headers;
  try {
    return await core.identity.verify(authorization, request.claims);
  } catch (error) {
    if (error instanceof UnauthorizedError && presentsBearer(authorization)) {
      throw new UnauthorizedError(error.message, error.cause ?? error, true);
    }
    throw error;
  }
}

function readBody(core: Core, op: Operation, request: OperationRequest): Promise<unknown> | unknown {
  switch (op.body.kind) {
    case 'json':
      requireJson(request);
      return parseJsonBody(op.body.schema, request.body);
    case 'image':
      return readImageBody(request.body, request.headers['content-type'], core.limits.maxImageBytes);
    case 'none':
      return undefined;
  }
}

/**
 * A JSON operation reads only application/json (parameters such as charset allowed). An empty body
 * is left to the JSON reader, which answers EMPTY_BODY whatever the declared type.
 */
function requireJson(request: OperationRequest): void {
  if (request.body.length === 0) return;
  const declared = request.headers['content-type'];
  const type = (declared?.split(';')[0] ?? '').trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      'This operation takes a JSON body: send it as Content-Type: application/json.',
    );
  }
}
