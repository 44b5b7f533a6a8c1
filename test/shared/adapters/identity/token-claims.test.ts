import { describe, expect, it } from 'vitest';
import { callerFromClaims } from '../../../../shared/adapters/identity/token-claims.js';

const DAY = 86_400;
const limits = { maxLifetimeSeconds: DAY, clockSkewSeconds: 60 };
const NOW_MS = 1_800_000_000_000;
const now = NOW_MS / 1000;
const exp = now + 600;
const caller = (claims: Parameters<typeof callerFromClaims>[0]) => callerFromClaims(claims, limits, NOW_MS);
const refused = expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' });

describe('the caller a token names', () => {
  it('is its sub, kept exactly (surrounding spaces and emoji included)', () => {
    expect(caller({ sub: 'user-1', exp })).toEqual({ userId: 'user-1' });
    expect(caller({ sub: ' 🐾 ', exp: String(exp) })).toEqual({ userId: ' 🐾 ' });
  });

  it.each([undefined, null, ''])('is refused when exp is %j', (missing) => {
    expect(() => caller({ sub: 'user-1', exp: missing })).toThrow(refused);
  });

  it.each([
    ['missing', undefined],
    ['a number', 42],
    ['empty', ''],
    ['spaces', '   '],
    ['tabs and no-break spaces', '\t\u00a0\u2003'],
    ['with a NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud83d'],
    ['a lone low surrogate', '\udc3eb'],
    ['256 characters', 'x'.repeat(256)],
  ])('is refused when sub is %s', (_, sub) => {
    expect(() => caller({ sub, exp })).toThrow(expect.objectContaining({ status: 401 }));
  });
});

// API Gateway's authorizer hands the claims over as strings; a verified JWT's are numbers. Both are
// held to the same limits, so the two Lambda paths and the Express one refuse the same tokens.
describe('the times a token carries', () => {
  it.each([
    ['numbers', { iat: now - 10, nbf: now - 10, exp: now + 3600 }],
    [
      'strings (API Gateway claims)',
      { iat: String(now - 10), nbf: String(now - 10), exp: String(now + 3600) },
    ],
    ['iat and nbf within the clock skew ahead', { iat: now + 60, nbf: now + 60, exp: now + 3600 }],
    ['exactly the longest lifetime', { iat: now - 100, exp: now - 100 + DAY }],
    ['no iat, exp exactly the longest lifetime from now', { exp: now + DAY }],
  ])('are accepted as %s', (_, times) => {
    expect(caller({ sub: 'u', ...times })).toEqual({ userId: 'u' });
  });

  it.each([
    ['exp 1e20', { iat: now, exp: 1e20 }],
    ['exp 1e20 without iat', { exp: 1e20 }],
    ['exp a second past the longest lifetime after iat', { iat: now - 100, exp: now - 100 + DAY + 1 }],
    ['exp a second past the longest lifetime from now, without iat', { exp: now + DAY + 1 }],
    ['a year-2100 exp as API Gateway passes it', { exp: '4102444800' }],
    ['iat a year ahead', { iat: now + 365 * DAY, exp: now + 365 * DAY + 60 }],
    ['iat a second past the skew', { iat: now + 61, exp: now + 3600 }],
    ['nbf a year ahead', { iat: now, nbf: now + 365 * DAY, exp: now + 3600 }],
    ['exp now (expiry is exact)', { iat: now - 60, exp: now }],
    ['a negative iat', { iat: -1e12, exp: now + 60 }],
    ['an exp that is not a number', { exp: 'tomorrow' }],
    ['an exp of Infinity', { exp: Number.POSITIVE_INFINITY }],
    ['an iat that is not a number', { iat: 'now', exp: now + 60 }],
    ['an nbf that is an object', { nbf: {}, exp: now + 60 }],
  ])('are refused with 401 when they are %s', (_, times) => {
    expect(() => caller({ sub: 'u', ...times })).toThrow(refused);
  });
});
