import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderUrl } from '../../../../shared/adapters/model/http-source.js';
import {
  type DownloadProgress,
  logDownloadProgress,
} from '../../../../shared/adapters/model/model-download.js';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import { describeModelSource, resolveModelSource } from '../../../../shared/adapters/model/model-source.js';
import { loadTfjsModel } from '../../../../shared/adapters/model/tfjs-model.js';
import {
  type LoopbackServer,
  placeholderFiles,
  serveFiles,
  startLoopbackServer,
} from '../../../support/fixtures.js';

let files: Record<string, Buffer>;
let server: LoopbackServer | undefined;
const newCacheDir = () => mkdtemp(path.join(os.tmpdir(), 'pettracker-cache-'));

beforeAll(async () => {
  files = await placeholderFiles();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('models over HTTP', () => {
  it('downloads model.json, metadata.json and the weights, reporting progress up to the manifest total', async () => {
    server = await startLoopbackServer(serveFiles('/models/pets/', files));
    const progress: DownloadProgress[] = [];
    const cacheDir = await newCacheDir();
    const resolved = await resolveModelSource(`${server.url}/models/pets/`, {
      cacheDir,
      onProgress: (p) => progress.push(p),
    });

    expect(server.requests).toEqual([
      '/models/pets/model.json',
      '/models/pets/metadata.json',
      '/models/pets/weights.bin',
    ]);
    expect((await readdir(resolved.dir)).sort()).toEqual([
      '.download-complete.json',
      'metadata.json',
      'model.json',
      'weights.bin',
    ]);
    const weightBytes = files['weights.bin']?.byteLength;
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ file: 'weights.bin', bytesDone: weightBytes, bytesTotal: weightBytes });
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= (progress[i - 1]?.bytesDone ?? 0))).toBe(true);
  });

  it('reads the labels from metadata.json alone: no model.json, no weights', async () => {
    server = await startLoopbackServer(serveFiles('/models/pets/', files));
    const described = await describeModelSource(`${server.url}/models/pets/model.json`);
    expect(described.labels).toContain('Bengal');
    expect(server.requests).toEqual(['/models/pets/metadata.json']);
  });

  it('reuses a complete download on the next start without any request', async () => {
    server = await startLoopbackServer(serveFiles('/m/', files));
    const cacheDir = await newCacheDir();
    const first = await resolveModelSource(`${server.url}/m/model.json`, { cacheDir });
    const requestsAfterFirst = server.requests.length;
    const second = await resolveModelSource(`${server.url}/m/model.json`, { cacheDir });
    expect(second.dir).toBe(first.dir);
    expect(server.requests.length).toBe(requestsAfterFirst);
  });

  it('fails clearly when a weight file is shorter than the manifest says, and keeps no completion marker', async () => {
    const short = { ...files, 'weights.bin': (files['weights.bin'] as Buffer).subarray(0, 8000) };
    server = await startLoopbackServer(serveFiles('/m/', short));
    const cacheDir = await newCacheDir();
    const error = await resolveModelSource(`${server.url}/m/`, { cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/weights\.bin hold 8000 bytes, but .* describes 8084/);

    // Fixed upstream: the next start downloads again instead of trusting the bad files.
    await server.close();
    server = await startLoopbackServer(serveFiles('/m/', files));
    await expect(resolveModelSource(`${server.url}/m/`, { cacheDir })).resolves.toBeDefined();
  });

  it('fails when model.json is missing, naming the URL', async () => {
    server = await startLoopbackServer(serveFiles('/other/', files));
    await expect(resolveModelSource(`${server.url}/m/`, { cacheDir: await newCacheDir() })).rejects.toThrow(
      /\/m\/: model\.json was not found/,
    );
  });

  it('serves predictions from a downloaded model, with the URL as its source', async () => {
    server = await startLoopbackServer(serveFiles('/m/', files));
    const uri = `${server.url}/m/`;
    const model = await loadTfjsModel({ uri, cacheDir: await newCacheDir(), backend: 'cpu' });
    expect(model.info).toMatchObject({ source: uri, version: 'placeholder-1' });
    await model.dispose();
  });

  it('resolves the model folder from either the folder URL or the model.json URL', () => {
    expect(modelFolderUrl('https://h/a/b/model.json').href).toBe('https://h/a/b/');
    expect(modelFolderUrl('https://h/a/b').href).toBe('https://h/a/b/');
    expect(modelFolderUrl('https://h/a/b/').href).toBe('https://h/a/b/');
  });
});

describe('logDownloadProgress', () => {
  it('logs once per 10 % of the weights, not per network chunk', () => {
    const lines: string[] = [];
    const log = logDownloadProgress({ info: (_obj, msg) => lines.push(msg ?? '') });
    for (let done = 0; done <= 1000; done += 7) log({ file: 'w.bin', bytesDone: done, bytesTotal: 1000 });
    log({ file: 'w.bin', bytesDone: 1000, bytesTotal: 1000 });
    expect(lines).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `model download ${p}%`));
  });
});
