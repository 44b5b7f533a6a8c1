import { callerFromClaims } from '../../shared/adapters/identity/token-claims.js';
import type { Identity } from '../../shared/ports/identity.js';
import { currentInvocation } from './invocation.js';

/**
 * On the /predictions routes API Gateway's JWT authorizer has already checked the token (signature
 * against the issuer's JWKS, expiry, issuer, audience or client_id) before the function runs, and a
 * bad token never reaches it. With `trustClaims` (JWT_TRUST_AUTHORIZER_CLAIMS, set by serverless.yml)
 * its claims are taken as they are, which spares a JWKS fetch per cold start and accepts Cognito access
 * tokens (client_id, no aud). Otherwise, or when there are no claims (a route deployed without the
 * authorizer), the token is verified in-process, exactly as the Express runtime does. serverless-offline
 * fills the same claims field from any token without verifying it: it must run untrusting.
 */
export function authorizerIdentity(inProcess: Identity, trustClaims: boolean): Identity {
  return {
    async verify(authorization) {
      const claims = trustClaims
        ? currentInvocation()?.event.requestContext?.authorizer?.jwt?.claims
        : undefined;
      if (claims?.sub === undefined) return inProcess.verify(authorization);
      // The same checks as the in-process verifier, so both runtimes refuse the same tokens.
      return callerFromClaims(claims);
    },
  };
}
