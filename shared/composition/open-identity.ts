import { loadOrCreateDevKeys } from '../adapters/identity/dev-keys.js';
import { jwtIdentity, remoteJwks } from '../adapters/identity/jwt-identity.js';
import type { Config } from '../config.js';
import type { Identity } from '../ports/identity.js';

export async function openIdentity(config: Config): Promise<Identity> {
  const a = config.auth;
  if (a.kind === 'jwks')
    return jwtIdentity({ key: remoteJwks(a.jwksUrl), issuer: a.issuer, audience: a.audience });
  const keys = await loadOrCreateDevKeys(a.keyFile);
  return jwtIdentity({ key: keys.publicKey, issuer: a.issuer, audience: a.audience });
}
