import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

export interface DevKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const ALG = 'ES256';

/**
 * The embedded default's signing key: made on first use and kept in the data directory, so the
 * server and `npm run token` agree. Never used when a JWKS URL is configured.
 */
export async function loadOrCreateDevKeys(file: string): Promise<DevKeys> {
  try {
    const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    return {
      privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = await generateKeyPair(ALG, { extractable: true });
  await mkdir(path.dirname(file), { recursive: true });
  // wx: two processes starting together must not overwrite each other's key.
  await writeFile(file, JSON.stringify(await exportJWK(keys.privateKey)), { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return loadOrCreateDevKeys(file);
}

export interface MintOptions {
  issuer: string;
  audience: string;
  expiresIn?: string;
}

export function mintDevToken(keys: DevKeys, userId: string, options: MintOptions): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(keys.privateKey);
}
