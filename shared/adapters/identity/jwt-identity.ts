import { type CryptoKey, createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify, type KeyObject } from 'jose';
import { UnauthorizedError } from '../../errors.js';
import type { Identity } from '../../ports/identity.js';
import { callerFromClaims } from './token-claims.js';

export interface JwtIdentityOptions {
  /** A JWKS resolver (Cognito's /.well-known/jwks.json) or one public key (the dev key). */
  key: JWTVerifyGetKey | KeyObject | CryptoKey;
  issuer: string;
  audience: string;
}

// Cognito signs with RS256; the dev key is ES256. `none` and HMAC are never accepted, so a token
// cannot be forged with the public key as a shared secret.
const ALGORITHMS = ['RS256', 'ES256'];

/** Verifies `Authorization: Bearer <JWT>` in-process: signature, expiry (required), issuer, audience, subject. */
export function jwtIdentity(options: JwtIdentityOptions): Identity {
  return {
    async verify(authorization) {
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? '');
      if (!match?.[1]) throw new UnauthorizedError('Send Authorization: Bearer <token>.');
      try {
        const verifyOptions = {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp'],
        };
        const { payload } =
          typeof options.key === 'function'
            ? await jwtVerify(match[1], options.key, verifyOptions)
            : await jwtVerify(match[1], options.key, verifyOptions);
        return callerFromClaims(payload);
      } catch (cause) {
        if (cause instanceof UnauthorizedError) throw cause;
        throw new UnauthorizedError('The token is invalid, expired, or not for this API.', cause);
      }
    },
  };
}

export function remoteJwks(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
}
