import type { Core } from '../core.js';
import { toErrorResponse } from '../error-response.js';
import { readImageBody } from './image-body.js';
import type { Operation, OperationRequest, OperationResult } from './operation.js';
import { parseJsonBody, parseWith } from './parse-input.js';

/** Runs one operation for any runtime: authenticate, validate, call the core, map errors. */
export async function dispatch(
  core: Core,
  op: Operation,
  request: OperationRequest,
  requestId: string,
): Promise<OperationResult & { error?: unknown }> {
  try {
    const caller = op.auth ? await core.identity.verify(request.headers.authorization) : undefined;
    const query = parseWith(op.query, request.query, 'query string');
    const params = parseWith(op.params, request.params, 'path');
    const body = await readBody(core, op, request);
    return await op.handle({ core, caller, query, params, body, headers: request.headers });
  } catch (error) {
    const response = toErrorResponse(error, requestId);
    return { ...response, error };
  }
}

function readBody(core: Core, op: Operation, request: OperationRequest): Promise<unknown> | unknown {
  switch (op.body.kind) {
    case 'json':
      return parseJsonBody(op.body.schema, request.body);
    case 'image':
      return readImageBody(request.body, request.headers['content-type'], core.limits.maxImageBytes);
    case 'none':
      return undefined;
  }
}
