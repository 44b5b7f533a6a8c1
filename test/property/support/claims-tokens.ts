import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { type DevKeys, loadOrCreateDevKeys } from '../../../shared/adapters/identity/dev-keys.js';

export const DEV_ISSUER = 'pettracker-dev';
export const DEV_AUDIENCE = 'pettracker';

/**
 * Tokens with any claims, signed with the service's own dev key: the way to reach the claim checks
 * behind the signature (a blank or NUL `sub`, no `exp`), which a forged signature never gets past.
 */
export interface ClaimsTokens {
  keys: DevKeys;
  /** Signed by the trusted key with exactly these claims (add iss/aud/exp yourself, or use `valid`). */
  signed(claims: JWTPayload): Promise<string>;
  /** A well-formed token for `sub`: trusted key, issuer, audience, an hour to live. */
  valid(sub: string): Promise<string>;
  /** Same claims as `valid`, signed by a key the service does not trust. */
  forged(sub: string): Promise<string>;
}

export async function claimsTokens(dataDir: string): Promise<ClaimsTokens> {
  const keys = await loadOrCreateDevKeys(`${dataDir}/dev-jwt-key.json`);
  const other = await generateKeyPair('ES256');
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: JWTPayload, key: DevKeys['privateKey']) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
  const standard = (sub: string): JWTPayload => ({
    sub,
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    iat: now,
    exp: now + 3600,
  });
  return {
    keys,
    signed: (claims) => sign(claims, keys.privateKey),
    valid: (sub) => sign(standard(sub), keys.privateKey),
    forged: (sub) => sign(standard(sub), other.privateKey),
  };
}
