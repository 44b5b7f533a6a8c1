import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled, launchChromium } from '../support/chromium.js';
import { type LoopbackServer, startLoopbackServer } from '../support/fixtures.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'pettracker-mobile';

/**
 * The real entry point (eb-compat/main.ts) with a JWKS identity: nothing may mint tokens then, and the
 * page asks for one to be pasted. The identity provider is a loopback JWKS server with our own key.
 */
describe('with a JWKS identity provider', () => {
  const withBrowser = browserTestsEnabled();
  let browser: Browser | undefined;
  let jwks: LoopbackServer;
  let server: SpawnedServer;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('idp-user')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-jwks-'));
    server = await spawnServer(['node', '--import', 'tsx', 'eb-compat/main.ts'], {
      DATA_DIR: dataDir,
      PGLITE_DIR: 'memory://',
      LOG_LEVEL: 'warn',
      JWT_JWKS_URL: `${jwks.url}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    if (withBrowser) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await jwks?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('has no token minting endpoint', async () => {
    const res = await fetch(`${server.url}/dev/token?user=mallory`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    // The provider's token works, so the 404 is not a broken identity.
    const list = await fetch(`${server.url}/predictions`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
  });

  it.runIf(withBrowser)(
    'has a page that asks for a token to paste, then shows that user’s history',
    async () => {
      const page = await (browser as Browser).newPage();
      await page.goto(`${server.url}/`);
      await page.getByLabel('Bearer token').waitFor();
      expect(await page.locator('#identity').isVisible()).toBe(false);
      await page.getByLabel('Bearer token').fill(token);
      await page.getByRole('button', { name: 'Use this token' }).click();
      await page.getByText('Signed in with the pasted token.').waitFor();
      await page.locator('#history-empty').waitFor({ state: 'visible' });
      expect(await page.locator('#status').textContent()).toBe('');
      await page.close();
    },
  );
});
