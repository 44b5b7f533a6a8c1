import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../../../eb-compat/site.js';
import { buildOpenApiDocument } from '../../../shared/http/openapi.js';
import { apiContract } from '../../contract/api-contract.js';
import { expressTarget } from '../../contract/express-target.js';
import { makeJpeg } from '../../support/images.js';
import { postgresAvailable, REDIS_TEST_URL, redisAvailable } from '../../support/services.js';
import type { TestApp } from '../../support/test-app.js';
import { TEST_SETTINGS } from './support/built-bundle.js';
import type { BundleProcess } from './support/bundle-process.js';
import { type BundleStack, bundleStack } from './support/bundle-stack.js';

const available = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!available)(
  'the Beanstalk bundle, unzipped and started by its Procfile (PostgreSQL, Redis)',
  () => {
    let stack: BundleStack;
    let server: BundleProcess;
    beforeAll(async () => {
      stack = await bundleStack();
      const migrated = await stack.migrate();
      expect(migrated.code, migrated.output).toBe(0);
      server = await stack.start();
    }, 240_000);
    afterAll(async () => {
      server?.child.kill('SIGTERM');
      await server?.exited;
      await stack?.close();
    });

    // expressTarget reads only the URL and the token minting of the app it is given.
    apiContract(() =>
      expressTarget(
        () => ({ url: server.url, token: (user, options) => stack.token(user, options) }) as TestApp,
        TEST_SETTINGS.maxImageBytes,
      ),
    );

    it('installs sharp and its binaries, and tfjs-node only as far as an optional install got', async () => {
      const modules = path.join(stack.bundle.dir, 'node_modules');
      for (const name of ['sharp', 'detect-libc', 'semver'])
        expect(existsSync(path.join(modules, name, 'package.json'))).toBe(true);
      const pkg = JSON.parse(await readFile(path.join(stack.bundle.dir, 'package.json'), 'utf8'));
      expect(Object.keys(pkg.dependencies)).toEqual(['sharp']);
      expect(Object.keys(pkg.optionalDependencies)).toEqual(['@tensorflow/tfjs-node']);
      // Here its install script cannot download libtensorflow: `npm ci` still succeeded (the bundle
      // started), and npm left tfjs-node out or left it without its native addon.
      const addon = path.join(modules, '@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node');
      expect(existsSync(addon)).toBe(false);
    });

    it('serves on wasm after the failed optional install, with a model worker per core', async () => {
      const model = (await (await fetch(`${server.url}/model`)).json()) as {
        backend: string;
        workers: number;
      };
      expect(model.backend).toBe('wasm');
      expect(model.workers).toBe(availableParallelism() > 1 ? availableParallelism() : 0);
    });

    it('fetched the database password from Secrets Manager, by the name in its option settings', () => {
      const fetched = stack.secrets.requests.filter((r) => r.operation === 'GetSecretValue');
      expect(fetched.map((r) => r.secretId)).toContain(stack.env.DATABASE_PASSWORD_SECRET_ID);
      expect(stack.env.DATABASE_URL).not.toMatch(/:[^/@]+@/);
    });

    it('serves the try-it page at / and the OpenAPI document at /openapi.json', async () => {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toBe(await readFile(path.join(PUBLIC_DIR, 'index.html'), 'utf8'));
      const doc = await fetch(`${server.url}/openapi.json`);
      expect(doc.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await doc.json()).toEqual(buildOpenApiDocument());
    });

    it('runs the model on the wasm backend, from the .wasm files beside the bundle', async () => {
      const model = (await (await fetch(`${server.url}/model`)).json()) as { backend: string };
      expect(model.backend).toBe('wasm');
    });

    it('caches predictions in Redis under its own key prefix', async () => {
      const res = await fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body: await makeJpeg(200, 150, 70),
      });
      expect(res.status).toBe(200);
      const redis = new Redis(REDIS_TEST_URL);
      try {
        const keys = await redis.keys(`${stack.env.CACHE_KEY_PREFIX}*`);
        expect(keys.length).toBeGreaterThan(0);
        await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    it('keeps the history in the external PostgreSQL database, migrated by the bundle', async () => {
      const client = new pg.Client({ connectionString: stack.db.url });
      await client.connect();
      try {
        const rows = await client.query('SELECT count(*)::int AS n FROM predictions');
        expect(rows.rows[0].n).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    });
  },
);
