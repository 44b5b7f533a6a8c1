import { describe, expect, it } from 'vitest';
import { bearerToken, presentsBearer } from '../../shared/bearer-token.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln-_';

describe('the Bearer credentials of an Authorization header', () => {
  it.each([
    `Bearer ${jwt}`,
    `bearer ${jwt}`,
    `BEARER ${jwt}`,
    `Bearer   ${jwt}`,
    ` Bearer ${jwt} `,
    `Bearer ${jwt}==`,
  ])('reads the token of %j', (header) => {
    expect(bearerToken(header)).toBe(header.trim().replace(/^\S+ +/, ''));
    expect(presentsBearer(header)).toBe(true);
  });

  it.each([
    [undefined, false],
    ['', false],
    [`Basic ${jwt}`, false],
    [`Bearer${jwt}`, false],
    ['Bearer', false],
    [`Bearer ${jwt} ${jwt}`, true],
    [`Bearer ${jwt}"`, true],
    [`Bearer\t${jwt}`, true],
  ])('finds no token in %j (presented: %s)', (header, presented) => {
    expect(bearerToken(header)).toBeUndefined();
    expect(presentsBearer(header)).toBe(presented);
  });
});
