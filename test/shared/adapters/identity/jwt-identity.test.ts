import { type CryptoKey, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwtIdentity } from '../../../../shared/adapters/identity/jwt-identity.js';
import { UnauthorizedError } from '../../../../shared/errors.js';

const ISSUER = 'pettracker-test';
const AUDIENCE = 'pettracker';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
let otherKey: CryptoKey;

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  otherKey = (await generateKeyPair('ES256')).privateKey;
});

function token(sub: string, expSeconds: number, signWith: CryptoKey = keys.privateKey): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
    .sign(signWith);
}

/** The public key behind a resolver that counts how often a signature was checked. */
function countingKey(): JWTVerifyGetKey & { checks: number } {
  const resolve = Object.assign(
    async () => {
      resolve.checks++;
      return keys.publicKey;
    },
    { checks: 0 },
  );
  return resolve;
}

describe('jwtIdentity remembers the tokens it verified', () => {
  it('checks a token once; the same token again is answered from memory', async () => {
    const key = countingKey();
    const identity = jwtIdentity({ key, issuer: ISSUER, audience: AUDIENCE });
    const bearer = `Bearer ${await token('alice', 3600)}`;
    for (let i = 0; i < 5; i++) expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    expect(key.checks).toBe(1);
    expect(await identity.verify(`Bearer ${await token('bob', 3600)}`)).toEqual({ userId: 'bob' });
    expect(key.checks).toBe(2);
  });

  it('never past the token’s exp: a remembered token is refused once it expires', async () => {
    const identity = jwtIdentity({ key: keys.publicKey, issuer: ISSUER, audience: AUDIENCE });
    // exp is in whole seconds: 2 s from now is between 1 and 2 s away.
    const bearer = `Bearer ${await token('alice', 2)}`;
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    await sleep(2_100);
    await expect(identity.verify(bearer)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('for at most verifiedForMs: then the signature is checked again', async () => {
    const key = countingKey();
    const identity = jwtIdentity({ key, issuer: ISSUER, audience: AUDIENCE, verifiedForMs: 200 });
    const bearer = `Bearer ${await token('alice', 3600)}`;
    await identity.verify(bearer);
    await identity.verify(bearer);
    expect(key.checks).toBe(1);
    await sleep(300);
    await identity.verify(bearer);
    expect(key.checks).toBe(2);
  });

  it('does not remember a refusal, and a forged token never passes however often it comes', async () => {
    const key = countingKey();
    const identity = jwtIdentity({ key, issuer: ISSUER, audience: AUDIENCE });
    const forged = `Bearer ${await token('alice', 3600, otherKey)}`;
    for (let i = 0; i < 3; i++)
      await expect(identity.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(key.checks).toBe(3);
  });

  it('a token differing from a remembered one by one character is verified, and refused', async () => {
    const identity = jwtIdentity({ key: keys.publicKey, issuer: ISSUER, audience: AUDIENCE });
    const good = await token('alice', 3600);
    await identity.verify(`Bearer ${good}`);
    // A character in the middle of the signature: every one of its six bits is significant (the
    // last character of a base64url segment may carry only padding bits, which decode to the same
    // bytes, so changing it can leave the token valid).
    const at = good.lastIndexOf('.') + 20;
    const changed = `${good.slice(0, at)}${good[at] === 'A' ? 'B' : 'A'}${good.slice(at + 1)}`;
    await expect(identity.verify(`Bearer ${changed}`)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('keeps at most verifiedTokens; 0 verifies every time', async () => {
    const key = countingKey();
    const bounded = jwtIdentity({ key, issuer: ISSUER, audience: AUDIENCE, verifiedTokens: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (u) => `Bearer ${await token(u, 3600)}`));
    for (const bearer of [a, b, c, c, b, a]) await bounded.verify(bearer as string);
    expect(key.checks).toBe(4);

    const none = countingKey();
    const every = jwtIdentity({ key: none, issuer: ISSUER, audience: AUDIENCE, verifiedTokens: 0 });
    for (let i = 0; i < 3; i++) await every.verify(a as string);
    expect(none.checks).toBe(3);
  });
});
