import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ServiceUnavailableError } from '../../errors.js';
import type { Classification, DecodedImage } from '../../ports/model.js';
import { ModelLoadError } from './model-errors.js';
import type { ModelStats, TfjsModel } from './tfjs-model.js';
import { fromWireError, type WireError } from './worker-messages.js';
import { JOB_TIMEOUT_MS, type WorkerPoolModel, type WorkerPoolOptions } from './worker-pool-model.js';

function entry(): string {
  for (const name of ['./piscina-worker.mjs', './piscina-worker.js']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(url)) return fileURLToPath(url);
  }
  return fileURLToPath(new URL('./piscina-worker-source.mjs', import.meta.url));
}

function transferable(pixels: Uint8Array): Uint8Array<ArrayBuffer> {
  const owned = pixels.buffer instanceof ArrayBuffer ? pixels.buffer : undefined;
  return owned && pixels.byteOffset === 0 && pixels.byteLength === owned.byteLength
    ? new Uint8Array(owned)
    : new Uint8Array(pixels);
}

/** The Model port over piscina: the same contract as openWorkerPool, for the side-by-side measurement. */
export async function openPiscinaPool(options: WorkerPoolOptions): Promise<WorkerPoolModel> {
  const { workers, logger, jobTimeoutMs = JOB_TIMEOUT_MS, ...load } = options;
  const started = performance.now();
  const pool = new Piscina({
    filename: entry(),
    workerData: load,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    execArgv: [],
  });
  let described: { info: TfjsModel['info']; stats: ModelStats }[];
  try {
    described = await Promise.all(Array.from({ length: workers }, () => pool.run({ describe: true })));
  } catch (error) {
    await pool.destroy();
    throw new ModelLoadError(`The model worker failed: ${(error as Error).message}`);
  }
  const first = described[0] as (typeof described)[number];
  let closed = false;
  const busy = new Set<number>();
  const { sourceMs, loadMs } = first.stats;
  const stats: ModelStats = { sourceMs, loadMs, warmupMs: performance.now() - started - sourceMs - loadMs };
  logger?.info({ model: first.info.name, workers, ...stats }, 'model ready (piscina)');
  let next = 0;
  return {
    info: { ...first.info, workers },
    stats,
    // piscina does not say which thread runs a task: busy is only a count, not per thread.
    threads: () => pool.threads.map((worker, i) => ({ worker, busy: i < busy.size })),
    async classify(image: DecodedImage, topK: number): Promise<Classification> {
      if (closed) throw new ServiceUnavailableError('NOT_READY', 'The model has been unloaded.');
      const data = transferable(image.data);
      const id = next++;
      busy.add(id);
      try {
        const reply = (await pool.run(
          { id, image: { ...image, data }, topK },
          { transferList: [data.buffer], signal: AbortSignal.timeout(jobTimeoutMs) },
        )) as { classification: Classification } | { error: WireError };
        if ('error' in reply) throw fromWireError(reply.error);
        return reply.classification;
      } catch (error) {
        if (error instanceof Error && error.name === 'AbortError')
          throw new ServiceUnavailableError(
            'NOT_READY',
            `The model worker did not answer within ${jobTimeoutMs} ms; retry shortly.`,
          );
        if (closed) throw new ServiceUnavailableError('NOT_READY', 'The model has been unloaded.');
        if (error instanceof ServiceUnavailableError || (error as { status?: number }).status) throw error;
        throw new ServiceUnavailableError(
          'NOT_READY',
          'The model worker stopped while classifying; retry shortly.',
        );
      } finally {
        busy.delete(id);
      }
    },
    async dispose(): Promise<void> {
      closed = true;
      await pool.destroy();
    },
  };
}
