import { randomUUID } from 'node:crypto';
import { type CryptoKey, type JWTPayload, jwtVerify, type KeyObject } from 'jose';
import type { HttpApiEvent, HttpApiResult } from '../../../functions/runtime/api-gateway.js';
import { toErrorResponse, UnauthorizedError } from '../../../shared/errors.js';
import { pathMatches } from '../../../shared/http/routing.js';
import type { TargetResponse } from '../../contract/api-contract.js';
import { httpApiEvent, toTargetResponse } from './http-api-event.js';

export interface Route {
  /** "POST /predictions", or "$default". */
  routeKey: string;
  functionName: string;
  authorizer: boolean;
}

export type Invoke = (functionName: string, event: HttpApiEvent) => Promise<HttpApiResult>;

export interface AuthorizerSettings {
  key: KeyObject | CryptoKey;
  issuer: string;
  audience: readonly string[];
}

export type GatewayRequest = (
  method: string,
  url: string,
  init?: { headers?: Record<string, string>; body?: Buffer | string },
) => Promise<TargetResponse>;

/**
 * What API Gateway's HTTP API does in front of the functions, simulated:
 * - route selection: an exact "METHOD /path/{param}" route, else $default; pathParameters filled;
 * - the JWT authorizer on routes that have one: the Authorization header is required ("Bearer " is
 *   optional), the signature is checked against the issuer's key (here the dev key; on AWS the
 *   issuer's JWKS), then exp/nbf, `iss` equal to the issuer, and `aud` or `client_id` among the
 *   audiences. A rejected request never reaches the function; the gateway answers 401 itself;
 * - accepted claims are passed as requestContext.authorizer.jwt.claims, every value as a string;
 * - the body is base64-encoded unless its content type is text (see httpApiEvent).
 * Its 401 carries WWW-Authenticate: Bearer, with error="invalid_token" when a token was presented, as
 * AWS's does. Deliberately different: AWS answers its own 401 with {"message":"Unauthorized"}; this one answers
 * with the API's error body (UNAUTHENTICATED), so that the contract suite's 401 cases check the same
 * thing for both runtimes: which tokens are refused and with which status. Not simulated: throttling,
 * the 10 MB request and 6 MB invocation limits, the 30 s integration timeout.
 */
export function apiGateway(
  routes: readonly Route[],
  invoke: Invoke,
  auth: AuthorizerSettings,
): GatewayRequest {
  return async (method, url, init = {}) => {
    const path = new URL(url, 'https://x').pathname;
    const route = routes.find((r) => {
      const [routeMethod, template] = r.routeKey.split(' ');
      return routeMethod === method && template !== undefined && pathMatches(template, path);
    });
    const selected = route ?? routes.find((r) => r.routeKey === '$default');
    if (!selected) throw new Error('no $default route');
    let claims: Record<string, string> | undefined;
    if (selected.authorizer) {
      claims = await authorize(init.headers ?? {}, auth);
      if (!claims) {
        const presented = /^bearer\s+\S/i.test(headerOf(init.headers ?? {}, 'authorization') ?? '');
        const denied = toErrorResponse(new UnauthorizedError(undefined, undefined, presented), randomUUID());
        return { status: 401, headers: denied.headers, body: denied.body };
      }
    }
    const event = httpApiEvent({
      method,
      url,
      headers: init.headers,
      body: init.body,
      routeKey: selected.routeKey,
      ...(route ? { pathParameters: pathParameters(route, path) } : {}),
      ...(claims ? { claims } : {}),
    });
    return toTargetResponse(await invoke(selected.functionName, event));
  };
}

function pathParameters(route: Route, path: string): Record<string, string> | undefined {
  const template = (route.routeKey.split(' ')[1] ?? '').split('/');
  const parts = path.split('/');
  const params: Record<string, string> = {};
  template.forEach((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) params[name] = decodeOrRaw(parts[i] ?? '');
  });
  return Object.keys(params).length > 0 ? params : undefined;
}

/** A malformed percent-escape stays as it came: the function, not the simulation, must refuse it. */
function decodeOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

async function authorize(
  headers: Record<string, string>,
  auth: AuthorizerSettings,
): Promise<Record<string, string> | undefined> {
  const header = headerOf(headers, 'authorization');
  if (!header) return undefined;
  const token = header.replace(/^Bearer /, '');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, auth.key, { issuer: auth.issuer, algorithms: ['RS256', 'ES256'] }));
  } catch {
    return undefined;
  }
  const audiences = [payload.aud, payload.client_id].flat().filter((a): a is string => typeof a === 'string');
  if (!audiences.some((a) => auth.audience.includes(a))) return undefined;
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
  );
}
