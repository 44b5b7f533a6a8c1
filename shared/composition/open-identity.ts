import { loadOrCreateDevKeys } from '../adapters/identity/dev-keys.js';
import { jwtIdentity, remoteJwks } from '../adapters/identity/jwt-identity.js';
import type { Config } from '../config.js';
import type { Identity } from '../ports/identity.js';

export async function openIdentity(config: Config): Promise<Identity> {
  const a = config.auth;
  const key =
    a.kind === 'jwks'
      ? remoteJwks(a.jwksUrl, { maxAgeMs: a.jwksMaxAgeSeconds * 1000 })
      : (await loadOrCreateDevKeys(a.keyFile)).publicKey;
  return jwtIdentity({ key, issuer: a.issuer, audience: a.audience, limits: a.limits });
}
