import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeRuntime } from '../../shared/compose.js';
import { loadConfig } from '../../shared/config.js';
import { requestCore } from '../../shared/core.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { type DataApiEmulator, dataApiStoreEnv, startPgliteDataApi } from '../support/data-api.js';
import { makeJpeg } from '../support/images.js';
import { recordingLines, recordingMetrics } from '../support/recording-metrics.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('metrics from a composed runtime', () => {
  const metrics = recordingLines();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { requestLines: metrics });
  });
  afterAll(() => app?.close());

  it('records the model load once, then inference, cache and request metrics per request', async () => {
    const jpeg = await makeJpeg(120, 90);
    const post = (body: Buffer | string, type = 'image/jpeg') =>
      fetch(`${app.url}/predict`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post(jpeg)).status).toBe(200);
    // The model load was recorded before any request, and rides on the first line.
    expect(metrics.named('ModelLoadMs')).toHaveLength(1);
    expect(metrics.named('ModelLoadMs')[0]?.value).toBeGreaterThan(0);
    expect((await post(jpeg)).status).toBe(200);
    expect((await post('not an image', 'text/plain')).status).toBe(415);
    expect(metrics.named('InferenceMs')).toHaveLength(1);
    expect(metrics.events.filter((e) => e.name.startsWith('Cache')).map((e) => e.name)).toEqual([
      'CacheMiss',
      'CacheHit',
    ]);
    expect(metrics.named('RequestMs')).toHaveLength(3);
    expect(metrics.named('ClientError').map((e) => e.dimensions)).toEqual([
      { Operation: 'predict', Code: 'UNSUPPORTED_MEDIA_TYPE' },
    ]);
  });
});

describe('store retries', () => {
  let emulator: DataApiEmulator;
  let dataDir: string;
  beforeAll(async () => {
    emulator = await startPgliteDataApi();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-metrics-'));
  });
  afterAll(async () => {
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts each retried store call (Aurora resuming) as StoreRetry, on the request it was made for', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ...dataApiStoreEnv(emulator.url, 'metrics_retries'),
      MIGRATE_ON_START: 'true',
    });
    const runtime = await composeRuntime(config, silentLogger(), { loadModel: false });
    try {
      emulator.faults.failNext(2, 'DatabaseResumingException');
      // Two requests' views of the one core: the retries are the first one's only.
      const [first, second] = [recordingMetrics(), recordingMetrics()];
      await requestCore(runtime.core, { metrics: first, ids: {} }).store.ping();
      await requestCore(runtime.core, { metrics: second, ids: {} }).store.ping();
      expect(first.named('StoreRetry')).toHaveLength(2);
      expect(second.named('StoreRetry')).toHaveLength(0);
    } finally {
      await runtime.close();
    }
  });
});
