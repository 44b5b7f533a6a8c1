import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheFolderFor } from '../../../shared/adapters/model/model-source.js';
import {
  hasTestdata,
  type LoopbackServer,
  mobilenetDir,
  serveFiles,
  startLoopbackServer,
} from '../../support/fixtures.js';
import { runCli } from '../../support/run-cli.js';

/** The test data's MobileNet served on loopback stands in for Google's storage, which CI cannot reach. */
describe.runIf(hasTestdata)('pettracker model fetch mobilenet', () => {
  let mirror: LoopbackServer;
  let cacheDir: string;
  beforeAll(async () => {
    const files: Record<string, Buffer> = {};
    for (const name of await readdir(mobilenetDir))
      files[name] = await readFile(path.join(mobilenetDir, name));
    mirror = await startLoopbackServer(serveFiles('/mobilenet/', files));
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-fetch-'));
  });
  afterAll(async () => {
    await mirror?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const fetchModel = (...extra: string[]) =>
    runCli(['model', 'fetch', 'mobilenet', '--from', `${mirror.url}/mobilenet/model.json`, ...extra], {
      MODEL_CACHE_DIR: cacheDir,
    });

  it('downloads into the model cache, checks the sizes, and reuses the files next time', async () => {
    const first = await fetchModel();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const dir = cacheFolderFor(cacheDir, `${mirror.url}/mobilenet/model.json`);
    expect(first.stdout).toContain(`${dir}: `);
    expect(first.stdout).toMatch(/ \d+\.\d MB; weight files match model\.json's manifest/);
    expect(await readdir(dir)).toContain('group1-shard1of1');
    const requests = mirror.requests.length;
    expect((await fetchModel()).code).toBe(0);
    expect(mirror.requests.length).toBe(requests);
  });

  it('fails when the model is over the --max-mb budget', async () => {
    const run = await fetchModel('--max-mb', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('over --max-mb 1');
  });
});
