import { type CryptoKey, createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify, type KeyObject } from 'jose';
import { LRUCache } from 'lru-cache';
import { bearerToken } from '../../bearer-token.js';
import { UnauthorizedError } from '../../errors.js';
import type { Caller, Identity } from '../../ports/identity.js';
import { callerFromClaims, type TokenTimeLimits } from './token-claims.js';

export interface JwtIdentityOptions {
  /** A JWKS resolver (Cognito's /.well-known/jwks.json) or one public key (the dev key). */
  key: JWTVerifyGetKey | KeyObject | CryptoKey;
  issuer: string;
  audience: string;
  /** Longest lifetime and clock skew accepted (JWT_MAX_LIFETIME_SECONDS, JWT_CLOCK_SKEW_SECONDS). */
  limits: TokenTimeLimits;
  /** Tokens whose verification is remembered (default VERIFIED_TOKENS); 0: verify every time. */
  verifiedTokens?: number;
  /** How long a verification is remembered at most (default VERIFIED_FOR_MS). */
  verifiedForMs?: number;
}

/**
 * A mobile app sends the same token with every request until it expires, and verifying its
 * signature is most of the CPU a save or a list costs (ECDSA or RSA). So a token that passed is
 * remembered, by its exact text, for at most VERIFIED_FOR_MS and never past its own `exp`. That
 * minute adds to how long a key removed from the JWKS is still trusted (see remoteJwks). Refusals
 * are not remembered: each is verified (and refused) again.
 */
export const VERIFIED_TOKENS = 1000;
export const VERIFIED_FOR_MS = 60_000;

// Cognito signs with RS256; the dev key is ES256. `none` and HMAC are never accepted, so a token
// cannot be forged with the public key as a shared secret.
const ALGORITHMS = ['RS256', 'ES256'];

/** Verifies `Authorization: Bearer <JWT>` in-process: signature, times, issuer, audience, subject. */
export function jwtIdentity(options: JwtIdentityOptions): Identity {
  const size = options.verifiedTokens ?? VERIFIED_TOKENS;
  // Dated with Date.now(), as jose dates its checks and its fetched key set.
  const verified =
    size > 0 ? new LRUCache<string, { caller: Caller; until: number }>({ max: size }) : undefined;
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ALGORITHMS,
    requiredClaims: ['exp'],
    // jose applies one tolerance to nbf and exp alike; callerFromClaims then holds exp to the second.
    clockTolerance: options.limits.clockSkewSeconds,
  };
  return {
    async verify(authorization, claims) {
      if (claims?.sub !== undefined) return callerFromClaims(claims, options.limits);
      const token = bearerToken(authorization);
      if (!token) throw new UnauthorizedError('Send Authorization: Bearer <token>.');
      const known = verified?.get(token);
      if (known && known.until > Date.now()) return known.caller;
      try {
        const { payload } =
          typeof options.key === 'function'
            ? await jwtVerify(token, options.key, verifyOptions)
            : await jwtVerify(token, options.key, verifyOptions);
        const now = Date.now();
        const caller = callerFromClaims(payload, options.limits, now);
        // exp is a number here: callerFromClaims refused the token otherwise.
        const until = Math.min(
          now + (options.verifiedForMs ?? VERIFIED_FOR_MS),
          (payload.exp as number) * 1000,
        );
        verified?.set(token, { caller, until });
        return caller;
      } catch (cause) {
        if (cause instanceof UnauthorizedError) throw cause;
        throw new UnauthorizedError('The token is invalid, expired, or not for this API.', cause);
      }
    },
  };
}

export interface RemoteJwksOptions {
  /** How long a fetched key set is used before it is fetched again (JWT_JWKS_MAX_AGE_SECONDS). */
  maxAgeMs: number;
}

/**
 * The issuer's JWKS, fetched on first use and again once it is `maxAgeMs` old; a token whose `kid`
 * is not in the set makes a refetch, at most one per 30 s (a new signing key is picked up at once;
 * a flood of made-up kids costs at most two fetches a minute). A key removed from the JWKS is
 * trusted for at most `maxAgeMs` plus VERIFIED_FOR_MS after its removal: the set fetched just
 * before is used for `maxAgeMs`, and a token verified at its last moment is remembered a minute.
 */
export function remoteJwks(url: string, options: RemoteJwksOptions): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: options.maxAgeMs,
  });
}
