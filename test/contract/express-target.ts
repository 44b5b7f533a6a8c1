import { generateKeyPair, SignJWT } from 'jose';
import type { TestApp } from '../support/test-app.js';
import type { ContractTarget } from './api-contract.js';

/** The contract suite's view of an Express app listening on loopback: plain HTTP with fetch. */
export function expressTarget(app: () => TestApp, maxImageBytes: number): ContractTarget {
  return {
    maxImageBytes,
    token: (user, options) => app().token(user, options),
    async forgedToken(user) {
      const { privateKey } = await generateKeyPair('ES256');
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(user)
        .setIssuer('pettracker-dev')
        .setAudience('pettracker')
        .setExpirationTime('1h')
        .sign(privateKey);
    },
    async request(method, path, init = {}) {
      const res = await fetch(`${app().url}${path}`, { method, headers: init.headers, body: init.body });
      const text = await res.text();
      return {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: text ? JSON.parse(text) : undefined,
      };
    },
  };
}
