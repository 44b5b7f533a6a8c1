import { STATUS_CODES } from 'node:http';
import type { JsonSchema } from './openapi-schemas.js';

/** components.schemas name of the body API Gateway writes for the answers it gives itself. */
export const API_GATEWAY_ERROR = 'ApiGatewayError';

/**
 * On the Lambda deployment some answers never reach a function: the HTTP API's JWT authorizer refuses
 * a token (401), throttling refuses a request (429). API Gateway writes those bodies itself, always
 * {"message": "<reason phrase>"}, and no setting of an HTTP API changes them, so clients must expect
 * both shapes on those statuses.
 */
export const apiGatewayErrorSchema: JsonSchema = {
  type: 'object',
  description:
    'The body API Gateway sends for an answer it gives itself on the Lambda deployment (a refused ' +
    'token, throttling); the Express deployment never sends it. Has no error code: switch on the status.',
  properties: { message: { type: 'string', description: 'The reason phrase, e.g. "Unauthorized".' } },
  required: ['message'],
  additionalProperties: false,
};

export function apiGatewayExample(status: number): JsonSchema {
  return {
    summary: `API Gateway's own ${status} (Lambda deployment)`,
    value: { message: STATUS_CODES[status] ?? 'Error' },
  };
}
