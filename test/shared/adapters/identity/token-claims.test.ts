import { describe, expect, it } from 'vitest';
import { callerFromClaims } from '../../../../shared/adapters/identity/token-claims.js';

const exp = Math.floor(Date.now() / 1000) + 600;

describe('the caller a token names', () => {
  it('is its sub, kept exactly (surrounding spaces and emoji included)', () => {
    expect(callerFromClaims({ sub: 'user-1', exp })).toEqual({ userId: 'user-1' });
    expect(callerFromClaims({ sub: ' 🐾 ', exp: String(exp) })).toEqual({ userId: ' 🐾 ' });
  });

  it.each([undefined, null, ''])('is refused when exp is %j', (missing) => {
    expect(() => callerFromClaims({ sub: 'user-1', exp: missing })).toThrow(
      expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }),
    );
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
    expect(() => callerFromClaims({ sub, exp })).toThrow(expect.objectContaining({ status: 401 }));
  });
});
