import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../../../shared/adapters/model/model-errors.js';
import { openPiscinaPool as openWorkerPool } from '../../../../shared/adapters/model/piscina-pool-model.js';
import { loadTfjsModel, type TfjsModel } from '../../../../shared/adapters/model/tfjs-model.js';
import type { WorkerPoolModel } from '../../../../shared/adapters/model/worker-pool-model.js';
import { projectRoot } from '../../../../shared/config.js';
import { ServiceUnavailableError } from '../../../../shared/errors.js';
import { readImageForModel } from '../../../../shared/image/decode-image.js';
import type { DecodedImage } from '../../../../shared/ports/model.js';
import { makeJpeg, makePng } from '../../../support/images.js';

// The bundled default model (two outputs: breeds and the pet gate), on wasm in both places.
const uri = path.join(projectRoot, 'models/pets-mobilenet-v1');
let pool: WorkerPoolModel;
let inProcess: TfjsModel;
let decoded: DecodedImage[];
/** A fresh copy of decoded image i: the pool takes (transfers) the pixels it is given. */
const pixels = (i: number): DecodedImage => {
  const image = decoded[i] as DecodedImage;
  return { ...image, data: new Uint8Array(image.data) };
};

const exited = (worker: Worker) =>
  new Promise<number>((resolve) => {
    if (worker.threadId === -1) resolve(-1);
    else worker.once('exit', resolve);
  });

beforeAll(async () => {
  [pool, inProcess] = await Promise.all([
    openWorkerPool({ uri, backend: 'wasm', workers: 2 }),
    loadTfjsModel({ uri, backend: 'wasm' }),
  ]);
  const target = { inputSize: inProcess.info.inputSize, resize: inProcess.info.preprocessing.resize };
  const images = [await makeJpeg(320, 240), await makeJpeg(640, 427, 70), await makePng(200, 300)];
  decoded = await Promise.all(
    images.map((image) => readImageForModel(image, target, { maxImagePixels: 40_000_000 })),
  );
});
afterAll(async () => {
  await pool?.dispose();
  await inProcess?.dispose();
});

describe('the model worker pool', () => {
  it('describes the model as in-process does, with its worker count', () => {
    const { source: _a, workers, ...pooled } = pool.info;
    const { source: _b, ...local } = inProcess.info;
    expect(pooled).toEqual(local);
    expect(workers).toBe(2);
    expect(pool.threads()).toHaveLength(2);
  });

  it('answers the same classification as the in-process model for the same image', async () => {
    for (const i of decoded.keys()) {
      const [pooled, local] = await Promise.all([
        pool.classify(pixels(i), 10),
        inProcess.classify(pixels(i), 10),
      ]);
      expect(pooled.scores.length).toBe(10);
      expect(pooled.pet).toBeDefined();
      // Same backend, same kernels: bit-identical in practice; the tolerance only guards float noise.
      expect(pooled.scores.map((s) => s.label)).toEqual(local.scores.map((s) => s.label));
      for (const [i, s] of pooled.scores.entries()) {
        expect(s.confidence).toBeCloseTo(local.scores[i]?.confidence ?? -1, 6);
      }
      expect(pooled.pet?.score).toBeCloseTo(local.pet?.score ?? -1, 6);
      expect({ ...pooled, scores: [], pet: undefined }).toEqual({ ...local, scores: [], pet: undefined });
    }
  });

  it('classifies two images at once, one on each worker', async () => {
    const answers = Promise.all([pool.classify(pixels(0), 3), pool.classify(pixels(1), 3)]);
    const threads = pool.threads();
    expect(threads.map((t) => t.busy)).toEqual([true, true]);
    expect(new Set(threads.map((t) => t.worker.threadId)).size).toBe(2);
    expect(await answers).toHaveLength(2);
    expect(pool.threads().map((t) => t.busy)).toEqual([false, false]);
  });

  it('queues a third image until a worker is free', async () => {
    const answers = Promise.all([...decoded.keys()].map((i) => pool.classify(pixels(i), 3)));
    expect(pool.threads().filter((t) => t.busy)).toHaveLength(2);
    const results = await answers;
    expect(results.map((r) => r.scores.length)).toEqual([3, 3, 3]);
  });

  it('transfers pixels that own their memory and copies ones that share it', async () => {
    const owned = pixels(0);
    const image = decoded[0] as DecodedImage;
    const shared = Buffer.concat([image.data, Buffer.from('tail')]);
    const view = { ...image, data: shared.subarray(0, image.data.length) };
    await Promise.all([pool.classify(owned, 3), pool.classify(view, 3)]);
    expect(owned.data.byteLength).toBe(0); // moved to the worker, not copied
    expect(shared.subarray(-4).toString()).toBe('tail'); // the rest of a shared buffer is untouched
  });

  it('fails the request of a worker that dies with 503 NOT_READY, replaces the worker and keeps serving', async () => {
    const [victim] = pool.threads();
    const before = pool.threads().map((t) => t.worker.threadId);
    const inFlight = pool.classify(pixels(1), 3).catch((e: unknown) => e);
    const other = pool.classify(pixels(0), 3);
    // Ends the thread while it classifies, as a crash in native code or an OOM kill of the thread would.
    await victim?.worker.terminate();
    const failures = [await inFlight, await other.catch((e: unknown) => e)];
    const failed = failures.filter((f) => f instanceof Error);
    expect(failed).toHaveLength(1); // only the dead worker's request
    expect(failed[0]).toBeInstanceOf(ServiceUnavailableError);
    expect(failed[0]).toMatchObject({ status: 503, code: 'NOT_READY' });

    // The pool keeps serving meanwhile, then is back to two workers, one of them new.
    expect((await pool.classify(pixels(2), 3)).scores).toHaveLength(3);
    await expect.poll(() => pool.threads().length, { timeout: 30_000 }).toBe(2);
    const after = pool.threads().map((t) => t.worker.threadId);
    expect(after.filter((id) => !before.includes(id))).toHaveLength(1);
    const answers = await Promise.all([...decoded.keys()].map((i) => pool.classify(pixels(i), 3)));
    expect(answers).toHaveLength(3);
  });

  it('ends a worker that does not answer within the job timeout: 503 NOT_READY, and a new worker', async () => {
    // 1 ms is far under one inference (~70 ms), so the watchdog fires as it would on a stuck thread.
    const impatient = await openWorkerPool({ uri, backend: 'wasm', workers: 1, jobTimeoutMs: 1 });
    try {
      const [first] = impatient.threads();
      const stuck = await impatient.classify(pixels(0), 3).catch((e: unknown) => e);
      expect(stuck).toBeInstanceOf(ServiceUnavailableError);
      expect(stuck).toMatchObject({ status: 503, code: 'NOT_READY' });
      expect((stuck as Error).message).toContain('did not answer within 1 ms');
      expect(await exited(first?.worker as Worker)).not.toBe(0);
      const replaced = () => {
        const ids = impatient.threads().map((t) => t.worker.threadId);
        return ids.length === 1 && ids[0] !== first?.worker.threadId;
      };
      await expect.poll(replaced, { timeout: 30_000 }).toBe(true);
    } finally {
      await impatient.dispose();
    }
  });

  it('ends every worker thread on dispose and then refuses with 503', async () => {
    const other = await openWorkerPool({ uri, backend: 'wasm', workers: 2 });
    const workers = other.threads().map((t) => t.worker);
    const ends = workers.map(exited);
    const pending = other.classify(pixels(0), 3).catch((e: unknown) => e);
    await other.dispose();
    expect(await Promise.all(ends)).toHaveLength(2);
    expect(workers.map((w) => w.threadId)).toEqual([-1, -1]);
    expect(other.threads()).toHaveLength(0);
    expect(await pending).toMatchObject({ status: 503, code: 'NOT_READY' });
    await expect(other.classify(pixels(0), 3)).rejects.toMatchObject({ status: 503 });
  });

  it('fails to open with ModelLoadError when the model cannot load', async () => {
    const missing = path.join(projectRoot, 'models/does-not-exist');
    await expect(openWorkerPool({ uri: missing, workers: 2 })).rejects.toBeInstanceOf(ModelLoadError);
  });
});
