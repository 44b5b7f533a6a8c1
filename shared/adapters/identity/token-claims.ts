import { UnauthorizedError } from '../../errors.js';
import type { Caller } from '../../ports/identity.js';
import { isStorableText } from '../../storable-text.js';

/** The history's user_id column holds 1 to 255 characters; Cognito's subs are uuids. */
const MAX_SUBJECT_LENGTH = 255;

/**
 * The caller a verified token names, from its claims. Shared by the in-process verifier and the
 * Lambda path that trusts API Gateway's authorizer, so both refuse the same tokens:
 * - no `exp`: a token that never expires cannot be revoked by waiting; RFC 7519 leaves exp optional,
 *   this API does not (API Gateway's JWT authorizer requires it too);
 * - a `sub` that is not a usable user id: not a string, blank or whitespace only (it would name
 *   nobody, or everybody who got such a token), too long for the column, or holding what PostgreSQL
 *   refuses or silently rewrites (NUL, unpaired surrogates: two subs would become one user).
 */
export function callerFromClaims(claims: { sub?: unknown; exp?: unknown }): Caller {
  if (claims.exp === undefined || claims.exp === null || claims.exp === '') {
    throw new UnauthorizedError('The token has no expiry (exp).');
  }
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
