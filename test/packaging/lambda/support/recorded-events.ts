import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApiEvent } from '../../../../functions/runtime/api-gateway.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'events');

/**
 * Events in the form API Gateway's HTTP API delivers them (test/packaging/lambda/events/*.json): binary bodies
 * base64-encoded, the JWT authorizer's claims (Cognito ID token) on the /predictions routes. They are
 * written from AWS's documented payload 2.0 format, not captured: there is no AWS account here. The
 * claims' times are moved to now, keeping their spacing, as the authorizer passes only a live token's.
 */
export function recordedEvent(name: string): HttpApiEvent {
  const event = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as HttpApiEvent;
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (claims?.iat !== undefined) {
    const shift = Math.floor(Date.now() / 1000) - 60 - Number(claims.iat);
    for (const time of ['iat', 'exp', 'auth_time']) {
      if (claims[time] !== undefined) claims[time] = String(Number(claims[time]) + shift);
    }
  }
  return event;
}
