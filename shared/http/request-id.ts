import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[\w.-]{1,128}$/;

/**
 * A caller's (or the load balancer's) sane X-Request-Id is kept, so logs join up end to end; else
 * the transport's own id (API Gateway's, which its access log carries); else a fresh UUID.
 */
export function requestIdOf(given: string | undefined, transportId?: string): string {
  if (given !== undefined && REQUEST_ID.test(given)) return given;
  return transportId ?? randomUUID();
}
