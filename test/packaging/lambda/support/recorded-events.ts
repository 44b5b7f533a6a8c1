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
  return JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as HttpApiEvent;
}
