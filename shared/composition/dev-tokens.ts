import { loadOrCreateDevKeys, mintDevToken } from '../adapters/identity/dev-keys.js';
import type { AuthConfig } from '../config/config-types.js';

/** Mints tokens the embedded default's identity accepts. Exists only for the dev identity. */
export interface DevTokens {
  mint(userId: string, expiresIn?: string): Promise<string>;
}

/**
 * The dev token minter, or undefined when tokens come from a real identity provider (JWT_JWKS_URL):
 * then nothing in the process can mint a token the API accepts, whoever asks. Config already refuses
 * the dev identity under NODE_ENV=production, so a deployment never gets one.
 */
export async function openDevTokens(auth: AuthConfig): Promise<DevTokens | undefined> {
  if (auth.kind !== 'dev') return undefined;
  const keys = await loadOrCreateDevKeys(auth.keyFile);
  return {
    mint: (userId, expiresIn = '12h') =>
      mintDevToken(keys, userId, { issuer: auth.issuer, audience: auth.audience, expiresIn }),
  };
}
