import { type CryptoKey, createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify, type KeyObject } from 'jose';
import { LRUCache } from 'lru-cache';
import { UnauthorizedError } from '../../errors.js';
import type { Caller, Identity } from '../../ports/identity.js';
import { callerFromClaims } from './token-claims.js';

export interface JwtIdentityOptions {
  /** A JWKS resolver (Cognito's /.well-known/jwks.json) or one public key (the dev key). */
  key: JWTVerifyGetKey | KeyObject | CryptoKey;
  issuer: string;
  audience: string;
  /** Tokens whose verification is remembered (default VERIFIED_TOKENS); 0: verify every time. */
  verifiedTokens?: number;
  /** How long a verification is remembered at most (default VERIFIED_FOR_MS). */
  verifiedForMs?: number;
}

/**
 * A mobile app sends the same token with every request until it expires, and verifying its
 * signature is most of the CPU a save or a list costs (ECDSA or RSA). So a token that passed is
 * remembered, by its exact text, for at most VERIFIED_FOR_MS and never past its own `exp`. A key
 * removed from the JWKS stops being trusted here within that, well inside the 10 minutes jose
 * itself keeps a fetched JWKS. Refusals are not remembered: each is verified (and refused) again.
 */
export const VERIFIED_TOKENS = 1000;
export const VERIFIED_FOR_MS = 60_000;

// Cognito signs with RS256; the dev key is ES256. `none` and HMAC are never accepted, so a token
// cannot be forged with the public key as a shared secret.
const ALGORITHMS = ['RS256', 'ES256'];

/** Verifies `Authorization: Bearer <JWT>` in-process: signature, expiry (required), issuer, audience, subject. */
export function jwtIdentity(options: JwtIdentityOptions): Identity {
  const size = options.verifiedTokens ?? VERIFIED_TOKENS;
  const verified = size > 0 ? new LRUCache<string, Caller>({ max: size }) : undefined;
  return {
    async verify(authorization) {
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? '');
      if (!match?.[1]) throw new UnauthorizedError('Send Authorization: Bearer <token>.');
      const token = match[1];
      const known = verified?.get(token);
      if (known) return known;
      try {
        const verifyOptions = {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp'],
        };
        const { payload } =
          typeof options.key === 'function'
            ? await jwtVerify(token, options.key, verifyOptions)
            : await jwtVerify(token, options.key, verifyOptions);
        const caller = callerFromClaims(payload);
        // exp is required above, so it is a number here; lru-cache drops the entry once its ttl ends.
        const ttl = Math.min(
          options.verifiedForMs ?? VERIFIED_FOR_MS,
          (payload.exp as number) * 1000 - Date.now(),
        );
        if (verified && ttl > 0) verified.set(token, caller, { ttl });
        return caller;
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
