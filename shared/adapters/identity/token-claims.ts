import { UnauthorizedError } from '../../errors.js';
import type { Caller } from '../../ports/identity.js';
import { isStorableText } from '../../storable-text.js';

/** The history's user_id column holds 1 to 255 characters; Cognito's subs are uuids. */
const MAX_SUBJECT_LENGTH = 255;

/** How long a token may live, and how far the issuer's clock may run ahead of this one. */
export interface TokenTimeLimits {
  /** Longest `exp - iat` accepted (`exp` - now for a token without `iat`): JWT_MAX_LIFETIME_SECONDS. */
  maxLifetimeSeconds: number;
  /** How far ahead of this clock `iat` and `nbf` may be: JWT_CLOCK_SKEW_SECONDS. `exp` gets none. */
  clockSkewSeconds: number;
}

type Claims = { sub?: unknown; exp?: unknown; iat?: unknown; nbf?: unknown };

/**
 * The caller a verified token names, from its claims. Shared by the in-process verifier and the
 * Lambda path that trusts API Gateway's authorizer, so both refuse the same tokens:
 * - no `exp`: a token that never expires cannot be revoked by waiting; RFC 7519 leaves exp optional,
 *   this API does not (API Gateway's JWT authorizer requires it too);
 * - a token that lives longer than `maxLifetimeSeconds`, or is issued (`iat`) or starts (`nbf`) further
 *   ahead than the clock skew: a signing key that leaked once would otherwise mint tokens that outlive
 *   its rotation (`exp: 1e20`, or `iat` a year ahead);
 * - a `sub` that is not a usable user id: not a string, blank or whitespace only (it would name
 *   nobody, or everybody who got such a token), too long for the column, or holding what PostgreSQL
 *   refuses or silently rewrites (NUL, unpaired surrogates: two subs would become one user).
 */
export function callerFromClaims(claims: Claims, limits: TokenTimeLimits, nowMs = Date.now()): Caller {
  checkTimes(claims, limits, nowMs / 1000);
  const sub = claims.sub;
  if (
    typeof sub !== 'string' ||
    sub.trim() === '' ||
    sub.length > MAX_SUBJECT_LENGTH ||
    !isStorableText(sub)
  ) {
    throw new UnauthorizedError('The token has no usable subject.');
  }
  return { userId: sub };
}

function checkTimes(claims: Claims, limits: TokenTimeLimits, now: number): void {
  if (claims.exp === undefined || claims.exp === null || claims.exp === '') {
    throw new UnauthorizedError('The token has no expiry (exp).');
  }
  const exp = numericDate(claims.exp);
  const iat = claims.iat === undefined ? undefined : numericDate(claims.iat);
  const nbf = claims.nbf === undefined ? undefined : numericDate(claims.nbf);
  if (Number.isNaN(exp) || Number.isNaN(iat) || Number.isNaN(nbf)) {
    throw new UnauthorizedError('The token has a time claim that is not a time.');
  }
  if (exp <= now) throw new UnauthorizedError('The token has expired.');
  const ahead = now + limits.clockSkewSeconds;
  if ((iat ?? now) > ahead || (nbf ?? now) > ahead) {
    throw new UnauthorizedError('The token is not valid yet (iat or nbf is in the future).');
  }
  if (exp - (iat ?? now) > limits.maxLifetimeSeconds) {
    throw new UnauthorizedError(
      `The token lives longer than the ${limits.maxLifetimeSeconds} s this API accepts.`,
    );
  }
}

/** A NumericDate (seconds): a number from a verified JWT, a decimal string from API Gateway's claims. */
function numericDate(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && /^\d{1,15}(\.\d+)?$/.test(value)) return Number(value);
  return Number.NaN;
}
