import { AsyncLocalStorage } from 'node:async_hooks';
import { callerFromClaims, type TokenTimeLimits } from '../../shared/adapters/identity/token-claims.js';
import { createMiddySecrets } from '../../shared/adapters/secrets/middy-secrets.js';
import type { SecretIds } from '../../shared/adapters/secrets/secrets-manager-secrets.js';
import { requestIdOf } from '../../shared/http/request-id.js';
import type { Identity } from '../../shared/ports/identity.js';
import type { Logger } from '../../shared/ports/logger.js';
import { SecretError, type Secrets } from '../../shared/ports/secrets.js';
import type { HttpApiEvent, LambdaContext } from './api-gateway.js';

/**
 * Everything that belongs to one invocation, in one place. The core is composed once per container,
 * but a few of its inputs belong to the invocation being served: the remaining time (the store's
 * retry deadline), the secrets middy put on the context, the authorizer's claims, the ids on every
 * log line. They are read from here, through AsyncLocalStorage, so nothing in shared/ has to know.
 */
export interface Invocation {
  event: Partial<HttpApiEvent>;
  context: LambdaContext;
  requestId: string;
}

const scope = new AsyncLocalStorage<Invocation>();

export function runInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return scope.run(invocation, work);
}

export function invocationOf(event: HttpApiEvent, context: LambdaContext): Invocation {
  return {
    event,
    context,
    requestId: requestIdOf(event.headers?.['x-request-id'], event.requestContext?.requestId),
  };
}

export function currentInvocation(): Invocation | undefined {
  return scope.getStore();
}

/** For the RetryingStore: no invocation (start-up, tests) means no deadline. */
export function remainingTimeMs(): number {
  return currentInvocation()?.context.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
}

/**
 * The core's logger with the invocation's ids on every line, also on lines the adapters write (a store
 * retry, a cache warning), so one CloudWatch Logs Insights filter on requestId finds them all.
 */
export function contextualLogger(base: Logger): Logger {
  const fields = (obj: object): object => {
    const invocation = currentInvocation();
    if (!invocation) return obj;
    return { requestId: invocation.requestId, awsRequestId: invocation.context.awsRequestId, ...obj };
  };
  return {
    info: (obj, msg) => base.info(fields(obj), msg),
    warn: (obj, msg) => base.warn(fields(obj), msg),
    error: (obj, msg) => base.error(fields(obj), msg),
    debug: (obj, msg) => base.debug(fields(obj), msg),
    child: (bindings) => contextualLogger(base.child(bindings)),
  };
}

/**
 * The Secrets port over what @middy/secrets-manager put on the current invocation's context. Outside
 * an invocation there is no value to give: the adapters read secrets per call (see withRotatingToken).
 */
export function invocationSecrets(secretIds: SecretIds): Secrets {
  return {
    get(name) {
      const invocation = currentInvocation();
      if (!invocation) {
        return Promise.reject(
          new SecretError('SECRET_UNAVAILABLE', name, `Secret "${name}" is read outside an invocation.`),
        );
      }
      return createMiddySecrets(invocation.context, secretIds).get(name);
    },
  };
}

/**
 * On the /predictions routes API Gateway's JWT authorizer has already checked the token (signature
 * against the issuer's JWKS, expiry, issuer, audience or client_id) before the function runs, and a
 * bad token never reaches it. With `trustClaims` (JWT_TRUST_AUTHORIZER_CLAIMS, set by serverless.yml)
 * its claims are taken as they are, which spares a JWKS fetch per cold start and accepts Cognito access
 * tokens (client_id, no aud). Otherwise, or when there are no claims (a route deployed without the
 * authorizer), the token is verified in-process, exactly as the Express runtime does. serverless-offline
 * fills the same claims field from any token without verifying it: it must run untrusting.
 */
export function authorizerIdentity(
  inProcess: Identity,
  trustClaims: boolean,
  limits: TokenTimeLimits,
): Identity {
  return {
    async verify(authorization) {
      const claims = trustClaims
        ? currentInvocation()?.event.requestContext?.authorizer?.jwt?.claims
        : undefined;
      if (claims?.sub === undefined) return inProcess.verify(authorization);
      // The same checks as the in-process verifier (times, a usable sub), so both runtimes refuse the same tokens.
      return callerFromClaims(claims, limits);
    },
  };
}
