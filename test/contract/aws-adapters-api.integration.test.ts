import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../tools/local-aws/start-local-aws.js';
import { makeJpeg } from '../support/images.js';
import {
  createTempDatabase,
  PG_TEST_URL,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
} from '../support/services.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { apiContract } from './api-contract.js';
import { expressTarget } from './express-target.js';

const MAX_IMAGE_BYTES = 300_000;
const saveBody = (breed = 'Pug') =>
  JSON.stringify({
    breed,
    confidence: 0.7,
    imageSha256: 'b'.repeat(64),
    modelVersion: 'v',
    source: 'model',
  });

const available = (await postgresAvailable()) && (await redisAvailable());
if (!available) console.warn('aws-adapters-api: PostgreSQL or Redis is not reachable on 127.0.0.1; skipped');

/** A fresh database, the three emulators in front of PostgreSQL and Redis, and the API on them. */
async function startAwsApp(env: Record<string, string>) {
  const database = await createTempDatabase();
  const aws = await startLocalAws({
    postgresUrl: PG_TEST_URL,
    database: new URL(database.url).pathname.slice(1),
    redisUrl: REDIS_TEST_URL,
  });
  const app = await startTestApp({ ...aws.env, MIGRATE_ON_START: 'true', ...env });
  return {
    aws,
    app,
    async close() {
      await app.close();
      await aws.close();
      await database.drop();
    },
  };
}

/** The API on the Lambda deployment's adapters: Data API store, Upstash cache, Secrets Manager. */
describe.skipIf(!available)('API on the production adapters, through the local AWS emulators', () => {
  let aws: LocalAws;
  let app: TestApp;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ aws, app, close } = await startAwsApp({ MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) }));
  });
  afterAll(() => close());

  describe('contract', () => {
    apiContract(() => expressTarget(() => app, MAX_IMAGE_BYTES));
  });

  async function historyOf(user: string): Promise<{ id: string }[]> {
    const res = await fetch(`${app.url}/predictions?limit=100`, {
      headers: { authorization: `Bearer ${await app.token(user)}` },
    });
    return ((await res.json()) as { items: { id: string }[] }).items;
  }

  it('saves exactly one row while Aurora is resuming for 5 s (DatabaseResumingException)', async () => {
    const user = `resuming-${Date.now()}`;
    // Every call fails for those 5 s, so a 201 at all means the store retried past them.
    aws.dataApi.faults.failFor(5_000, 'DatabaseResumingException');
    const res = await fetch(`${app.url}/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await app.token(user)}`, 'content-type': 'application/json' },
      body: saveBody(),
    });
    expect(res.status).toBe(201);
    expect(await historyOf(user)).toHaveLength(1);
  });

  it('keeps predicting while the Upstash service is down: uncached, or from the process for an image it saw', async () => {
    const image = await makeJpeg(200, 150);
    const first = await fetch(`${app.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: image,
    });
    expect(((await first.json()) as { cached: boolean }).cached).toBe(false);
    const again = await fetch(`${app.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: image,
    });
    expect(((await again.json()) as { cached: boolean }).cached).toBe(true);
    await aws.upstash.close();
    const down = await fetch(`${app.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: image,
    });
    // The in-process tier (CACHE_LOCAL_ENTRIES) still holds this image's answer.
    expect(down.status).toBe(200);
    expect(((await down.json()) as { cached: boolean }).cached).toBe(true);
    const unseen = await fetch(`${app.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: await makeJpeg(201, 150),
    });
    expect(unseen.status).toBe(200);
    expect(((await unseen.json()) as { cached: boolean }).cached).toBe(false);
  });
});

describe.skipIf(!available)('API on the Data API when retries run out', () => {
  let aws: LocalAws;
  let app: TestApp;
  let close: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ aws, app, close } = await startAwsApp({ STORE_RETRY_BUDGET_MS: '1500' }));
  });
  afterAll(() => close());

  it('answers 503 STORE_UNAVAILABLE with Retry-After and writes no row', async () => {
    const user = `exhausted-${Date.now()}`;
    const headers = { authorization: `Bearer ${await app.token(user)}`, 'content-type': 'application/json' };
    aws.dataApi.faults.failFor(10_000, 'DatabaseResumingException');
    const res = await fetch(`${app.url}/predictions`, { method: 'POST', headers, body: saveBody() });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
    aws.dataApi.faults.clear();
    const list = await fetch(`${app.url}/predictions`, { headers });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
