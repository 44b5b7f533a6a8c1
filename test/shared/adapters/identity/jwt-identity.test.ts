import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  jwtIdentity,
  remoteJwks,
  VERIFIED_FOR_MS,
} from '../../../../shared/adapters/identity/jwt-identity.js';
import { UnauthorizedError } from '../../../../shared/errors.js';

const ISSUER = 'pettracker-test';
const AUDIENCE = 'pettracker';
const DAY = 86_400;
const limits = { maxLifetimeSeconds: DAY, clockSkewSeconds: 60 };

let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
let otherKey: CryptoKey;

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  otherKey = (await generateKeyPair('ES256')).privateKey;
});
afterEach(() => {
  vi.useRealTimers();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims besides sub, iss and aud (iat and exp are up to the test). */
function signed(claims: JWTPayload, signWith: CryptoKey = keys.privateKey, kid?: string): Promise<string> {
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, ...claims })
    .setProtectedHeader(kid ? { alg: 'ES256', kid } : { alg: 'ES256' })
    .sign(signWith);
}

function token(sub: string, expSeconds: number, signWith: CryptoKey = keys.privateKey): Promise<string> {
  const now = nowSeconds();
  return signed({ sub, iat: now, exp: now + expSeconds }, signWith);
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

const identityWith = (options: Partial<Parameters<typeof jwtIdentity>[0]> = {}) =>
  jwtIdentity({ key: keys.publicKey, issuer: ISSUER, audience: AUDIENCE, limits, ...options });

describe('jwtIdentity remembers the tokens it verified', () => {
  it('checks a token once; the same token again is answered from memory', async () => {
    const key = countingKey();
    const identity = identityWith({ key });
    const bearer = `Bearer ${await token('alice', 3600)}`;
    for (let i = 0; i < 5; i++) expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    expect(key.checks).toBe(1);
    expect(await identity.verify(`Bearer ${await token('bob', 3600)}`)).toEqual({ userId: 'bob' });
    expect(key.checks).toBe(2);
  });

  it('never past the token’s exp: a remembered token is refused once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
    const identity = identityWith();
    const bearer = `Bearer ${await token('alice', 30)}`;
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    vi.advanceTimersByTime(29_999);
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    vi.advanceTimersByTime(1);
    await expect(identity.verify(bearer)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('for at most verifiedForMs: then the signature is checked again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
    const key = countingKey();
    const identity = identityWith({ key, verifiedForMs: 200 });
    const bearer = `Bearer ${await token('alice', 3600)}`;
    await identity.verify(bearer);
    vi.advanceTimersByTime(199);
    await identity.verify(bearer);
    expect(key.checks).toBe(1);
    vi.advanceTimersByTime(1);
    await identity.verify(bearer);
    expect(key.checks).toBe(2);
  });

  it('does not remember a refusal, and a forged token never passes however often it comes', async () => {
    const key = countingKey();
    const identity = identityWith({ key });
    const forged = `Bearer ${await token('alice', 3600, otherKey)}`;
    for (let i = 0; i < 3; i++)
      await expect(identity.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(key.checks).toBe(3);
  });

  it('a token differing from a remembered one by one character is verified, and refused', async () => {
    const identity = identityWith();
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
    const bounded = identityWith({ key, verifiedTokens: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (u) => `Bearer ${await token(u, 3600)}`));
    for (const bearer of [a, b, c, c, b, a]) await bounded.verify(bearer as string);
    expect(key.checks).toBe(4);

    const none = countingKey();
    const every = identityWith({ key: none, verifiedTokens: 0 });
    for (let i = 0; i < 3; i++) await every.verify(a as string);
    expect(none.checks).toBe(3);
  });
});

describe('claims a gateway verified (API Gateway’s JWT authorizer, where trusted)', () => {
  const inAnHour = () => String(nowSeconds() + 3600);

  it('names the caller from their sub, without a token and without checking a signature', async () => {
    const key = countingKey();
    const identity = identityWith({ key });
    expect(await identity.verify(undefined, { sub: 'from-claims', exp: inAnHour() })).toEqual({
      userId: 'from-claims',
    });
    expect(key.checks).toBe(0);
  });

  it('verifies the token in-process when the claims carry no sub', async () => {
    const identity = identityWith();
    const bearer = `Bearer ${await token('alice', 3600)}`;
    expect(await identity.verify(bearer, {})).toEqual({ userId: 'alice' });
  });

  it.each([
    ['without a usable subject', { sub: '', exp: '4102444800' }],
    ['that live longer than JWT_MAX_LIFETIME_SECONDS', { sub: 'long', exp: '4102444800' }],
    ['issued a year ahead', { sub: 'ahead', iat: String(nowSeconds() + 31_536_000), exp: '4102444800' }],
    ['without exp', { sub: 'no-exp' }],
  ])('refuses claims %s, as it refuses such a token', async (_, claims) => {
    await expect(identityWith().verify(undefined, claims)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});

describe('the Authorization header', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])(
    'accepts the scheme written %s (RFC 9110: any case)',
    async (scheme) => {
      expect(await identityWith().verify(`${scheme} ${await token('alice', 3600)}`)).toEqual({
        userId: 'alice',
      });
    },
  );

  it('accepts more than one space after the scheme, and spaces around the value', async () => {
    expect(await identityWith().verify(`  Bearer   ${await token('alice', 3600)}  `)).toEqual({
      userId: 'alice',
    });
  });

  it.each([
    ['another scheme', async () => `Basic ${await token('alice', 3600)}`],
    ['the scheme run into the token', async () => `Bearer${await token('alice', 3600)}`],
    ['the scheme alone', async () => 'Bearer'],
    ['two tokens', async () => `Bearer ${await token('alice', 3600)} ${await token('bob', 3600)}`],
    ['nothing', async () => undefined],
  ])('refuses %s with 401', async (_, header) => {
    await expect(identityWith().verify(await header())).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('token lifetime and clock skew', () => {
  const accepts = async (claims: JWTPayload) =>
    expect(await identityWith().verify(`Bearer ${await signed({ sub: 'alice', ...claims })}`)).toEqual({
      userId: 'alice',
    });
  const refuses = async (claims: JWTPayload) =>
    expect(
      identityWith().verify(`Bearer ${await signed({ sub: 'alice', ...claims })}`),
    ).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });

  it('refuses a token issued a year ahead (iat), whatever its exp', async () => {
    const now = nowSeconds();
    await refuses({ iat: now + 365 * DAY, exp: now + 365 * DAY + 3600 });
  });

  it('refuses a token not valid for a year yet (nbf)', async () => {
    const now = nowSeconds();
    await refuses({ iat: now, nbf: now + 365 * DAY, exp: now + 3600 });
  });

  it('accepts iat and nbf up to the clock skew ahead of this clock', async () => {
    const now = nowSeconds();
    await accepts({ iat: now + 30, nbf: now + 30, exp: now + 3600 });
  });

  it.each([
    ['exp 1e20', { exp: 1e20 }],
    ['exp a day and a second after iat', { exp: 'day+1' }],
  ])('refuses a token that lives too long: %s', async (_, { exp }) => {
    const now = nowSeconds();
    await refuses({ iat: now, exp: exp === 'day+1' ? now + DAY + 1 : (exp as number) });
  });

  it('accepts a token that lives exactly the longest lifetime', async () => {
    const now = nowSeconds();
    await accepts({ iat: now - 10, exp: now - 10 + DAY });
  });

  it('without iat, bounds exp from now instead', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
    const now = nowSeconds();
    await accepts({ exp: now + DAY });
    await refuses({ exp: now + DAY + 1 });
    await refuses({ exp: 1e20 });
  });

  it('still refuses an expired token (exp is exact: the skew applies to iat and nbf)', async () => {
    const now = nowSeconds();
    await refuses({ iat: now - 120, exp: now - 1 });
  });
});

/** A JWKS endpoint whose key set the test changes, counting its fetches. */
async function jwksServer(initial: JWK[]) {
  let keySet = initial;
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: keySet }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    set: (next: JWK[]) => {
      keySet = next;
    },
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function signingKey(kid: string) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
  const now = nowSeconds();
  const tokenFor = (sub: string) => signed({ sub, iat: now, exp: now + 3600 }, pair.privateKey, kid);
  return { jwk, tokenFor };
}

// Fake Date only: jose dates its cached key set with Date.now(), and the memo dates its entries
// the same way, while the fetches themselves run for real against the local server.
describe('keys from a JWKS URL', () => {
  const T0 = 1_800_000_000_000;
  const MAX_AGE_MS = 300_000;
  // Key a is served at first; each case changes the set to what it needs.
  let a: Awaited<ReturnType<typeof signingKey>>;
  let b: Awaited<ReturnType<typeof signingKey>>;
  let jwks: Awaited<ReturnType<typeof jwksServer>>;
  let identity: ReturnType<typeof identityWith>;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    a = await signingKey('a');
    b = await signingKey('b');
    jwks = await jwksServer([a.jwk]);
    identity = identityWith({ key: remoteJwks(jwks.url, { maxAgeMs: MAX_AGE_MS }) });
  });
  afterEach(() => jwks.close());

  it('a key removed from the JWKS stops verifying within JWT_JWKS_MAX_AGE_SECONDS plus the 60 s memo', async () => {
    const bearer = `Bearer ${await a.tokenFor('alice')}`;
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    jwks.set([b.jwk]);

    // The worst case: the fetched set is used to its last millisecond, and the token verified
    // then is remembered for the memo's whole minute.
    vi.setSystemTime(T0 + MAX_AGE_MS - 1);
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    vi.setSystemTime(T0 + MAX_AGE_MS + VERIFIED_FOR_MS - 2);
    expect(await identity.verify(bearer)).toEqual({ userId: 'alice' });
    expect(jwks.fetches()).toBe(1);

    vi.setSystemTime(T0 + MAX_AGE_MS + VERIFIED_FOR_MS);
    await expect(identity.verify(bearer)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(jwks.fetches()).toBe(2);
    // The new key verifies from the set fetched then.
    expect(await identity.verify(`Bearer ${await b.tokenFor('bob')}`)).toEqual({ userId: 'bob' });
    expect(jwks.fetches()).toBe(2);
  });

  it('a token with an unknown kid makes a refetch, at most one per 30 s', async () => {
    expect(await identity.verify(`Bearer ${await a.tokenFor('alice')}`)).toEqual({ userId: 'alice' });
    jwks.set([a.jwk, b.jwk]);
    const bob = `Bearer ${await b.tokenFor('bob')}`;

    vi.setSystemTime(T0 + 29_999);
    await expect(identity.verify(bob)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(jwks.fetches()).toBe(1);

    vi.setSystemTime(T0 + 30_000);
    expect(await identity.verify(bob)).toEqual({ userId: 'bob' });
    expect(jwks.fetches()).toBe(2);
  });
});
