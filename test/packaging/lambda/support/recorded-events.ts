import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApiEvent } from '../../../../functions/runtime/api-gateway.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'events');

/**
 * Events in the form API Gateway's HTTP API delivers them (test/packaging/lambda/events/*.json): binary bodies
 * base64-encoded, the JWT authorizer's claims (Cognito ID token) on the /predictions routes. They are
 * written from AWS's documented payload 2.0 format, not captured: there is no AWS account here.
 */
export function recordedEvent(name: string): HttpApiEvent {
  const event = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as HttpApiEvent;
  return withFreshClaims(event);
}

/**
 * The authorizer checked the token when the request arrived: its claims' times are moved to now,
 * keeping their lifetime, as the functions (which refuse expired claims) would see them then.
 */
function withFreshClaims(event: HttpApiEvent): HttpApiEvent {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || claims.iat === undefined) return event;
  const shift = Math.floor(Date.now() / 1000) - Number(claims.iat);
  const moved = (value: unknown) => (value === undefined ? undefined : String(Number(value) + shift));
  const fresh = {
    ...claims,
    iat: moved(claims.iat),
    exp: moved(claims.exp),
    auth_time: moved(claims.auth_time),
  };
  const jwt = { ...event.requestContext.authorizer?.jwt, claims: fresh };
  return { ...event, requestContext: { ...event.requestContext, authorizer: { jwt } } } as HttpApiEvent;
}
