/**
 * `Authorization: Bearer <token>` (RFC 6750 §2.1), read in this one place by every runtime: the
 * in-process verifier takes the token from it, and the pipeline asks whether one was presented (the
 * 401's challenge depends on it). The scheme is case-insensitive (RFC 9110 §11.1), so `bearer` and
 * `BEARER` are Bearer too; one or more spaces separate it from the token.
 */
const SCHEME = /^\s*bearer +/i;
/** RFC 6750's b64token: what a JWT (base64url segments and dots) always is. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The token of a Bearer header; undefined for no header, another scheme, or a malformed token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const scheme = SCHEME.exec(authorization ?? '');
  if (!scheme || authorization === undefined) return undefined;
  const token = authorization.slice(scheme[0].length).trim();
  return B64TOKEN.test(token) ? token : undefined;
}

/** Whether the header presents something under the Bearer scheme, well-formed or not. */
export function presentsBearer(authorization: string | undefined): boolean {
  return /^\s*bearer\s+\S/i.test(authorization ?? '');
}
