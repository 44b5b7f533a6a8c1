import { randomBytes } from 'node:crypto';
import type { HttpApiEvent, HttpApiResult } from '../../../functions/runtime/api-gateway.js';
import type { TargetResponse } from '../../contract/api-contract.js';

export interface EventInput {
  method: string;
  /** Path with its query string, as the client sent it. */
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  routeKey: string;
  pathParameters?: Record<string, string>;
  /** The JWT authorizer's claims, as API Gateway passes them (every value a string). */
  claims?: Record<string, string>;
}

// HTTP APIs pass these bodies as text and base64-encode every other one (images, multipart).
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** A request as API Gateway's HTTP API (payload format 2.0) hands it to a Lambda function. */
export function httpApiEvent(input: EventInput): HttpApiEvent {
  const url = new URL(input.url, 'https://api.pettracker.example');
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  const headers: Record<string, string> = {
    host: url.host,
    'user-agent': 'pettracker-tests',
    'x-amzn-trace-id': `Root=1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`,
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  if (body && body.length > 0) headers['content-length'] = String(body.length);
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: url.host,
      // API Gateway's request ids look like this: 16 characters ending in "=".
      requestId: `${randomBytes(11).toString('base64').slice(0, 15)}=`,
      routeKey: input.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      http: {
        method: input.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'pettracker-tests',
      },
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: null } } } : {}),
    },
    ...(body && body.length > 0
      ? { body: body.toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text }
      : { isBase64Encoded: false }),
  };
}

/** The function's answer as the client receives it from API Gateway. */
export function toTargetResponse(result: HttpApiResult): TargetResponse {
  const headers = Object.fromEntries(Object.entries(result.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const raw = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '');
  const json = /json/.test(headers['content-type'] ?? '');
  return {
    status: result.statusCode,
    headers,
    body: raw.length === 0 ? undefined : json ? JSON.parse(raw.toString('utf8')) : raw,
  };
}
