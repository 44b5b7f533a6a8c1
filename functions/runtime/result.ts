import type { OperationResult } from '../../shared/http/operation.js';
import type { HttpApiResult } from './api-gateway.js';

/** The dispatcher's result -> API Gateway v2's structured response (JSON as text, bytes as base64). */
export function toHttpApiResult(result: OperationResult, requestId: string): HttpApiResult {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...result.headers };
  if (result.body === undefined)
    return { statusCode: result.status, headers, body: '', isBase64Encoded: false };
  if (Buffer.isBuffer(result.body)) {
    headers['content-type'] ??= 'application/octet-stream';
    return {
      statusCode: result.status,
      headers,
      body: result.body.toString('base64'),
      isBase64Encoded: true,
    };
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: result.status, headers, body: JSON.stringify(result.body), isBase64Encoded: false };
}
