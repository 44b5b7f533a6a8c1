import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { type ClaimsTokens, DEV_AUDIENCE, DEV_ISSUER } from './claims-tokens.js';
import { headerValue } from './hostile-values.js';

/** The users whose valid tokens the generators use: few, so saves, lists and deletes meet each other. */
export const USERS = ['prop-alice', 'prop-bob', 'prop-carol'] as const;

export interface TokenPool {
  /** Valid tokens, one per USERS entry. */
  valid: string[];
  /** Refused tokens by what is wrong with them. */
  refused: Record<string, string>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs every kind of token once (signing per generated case would dominate the run time). */
export async function tokenPool(tokens: ClaimsTokens): Promise<TokenPool> {
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now, exp: now + 3600 };
  const signed = (claims: Record<string, unknown>) => tokens.signed({ ...good, ...claims });
  const withoutExp = { iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now, sub: 'prop-noexp' };
  const hs256 = await new SignJWT({ ...good, sub: 'prop-alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(randomBytes(32));
  const valid = await Promise.all(USERS.map((sub) => tokens.valid(sub)));
  // A valid signature over other claims: the signature check must fail.
  const [header, , signature] = (valid[0] ?? '').split('.');
  return {
    valid,
    refused: {
      expired: await signed({ sub: 'prop-alice', iat: now - 7200, exp: now - 3600 }),
      'no-exp': await tokens.signed(withoutExp),
      'not-yet-valid': await signed({ sub: 'prop-alice', nbf: now + 3600 }),
      'blank-sub': await signed({ sub: '' }),
      'space-sub': await signed({ sub: '   ' }),
      'whitespace-sub': await signed({ sub: '\t\n\u00a0' }),
      'nul-sub': await signed({ sub: 'prop\u0000alice' }),
      'surrogate-sub': await signed({ sub: 'prop\ud800alice' }),
      'long-sub': await signed({ sub: 'x'.repeat(256) }),
      'numeric-sub': await signed({ sub: 7 }),
      'no-sub': await signed({}),
      'wrong-audience': await signed({ sub: 'prop-alice', aud: 'someone-else' }),
      'wrong-issuer': await signed({ sub: 'prop-alice', iss: 'https://evil.example' }),
      forged: await tokens.forged('prop-alice'),
      hs256,
      'alg-none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...good, sub: 'prop-alice' })}.`,
      'payload-swapped': `${header}.${b64({ ...good, sub: 'prop-bob' })}.${signature}`,
    },
  };
}

/** Authorization headers: valid and refused tokens under several spellings, garbage, or none at all. */
export function authorizationArbitrary(pool: TokenPool): fc.Arbitrary<string | undefined> {
  const refused = Object.values(pool.refused);
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...pool.valid).map((t) => `Bearer ${t}`) },
    { weight: 4, arbitrary: fc.constantFrom(...refused).map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('bearer ', 'Bearer  ', 'Basic ', '', 'Bearer\t', 'BEARER '),
          fc.constantFrom(...pool.valid),
        )
        .map(([scheme, t]) => `${scheme}${t}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...pool.valid), fc.nat(), fc.constantFrom('', 'A', '.', '..x'))
        .map(([t, cut, tail]) => `Bearer ${t.slice(0, cut % t.length)}${tail}`),
    },
    { weight: 1, arbitrary: headerValue },
  );
}
