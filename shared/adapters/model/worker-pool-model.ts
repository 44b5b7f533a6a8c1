import { Worker } from 'node:worker_threads';
import { ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';
import type { Classification, DecodedImage, ModelInfo } from '../../ports/model.js';
import { ModelLoadError } from './model-errors.js';
import type { ModelStats, TfjsModel } from './tfjs-model.js';
import { modelWorkerEntry } from './worker-entry.js';
import {
  type ClassifyRequest,
  fromWireError,
  type WorkerLoadOptions,
  type WorkerReply,
} from './worker-messages.js';

export interface WorkerPoolModel extends TfjsModel {
  /** The live worker threads and whether each is classifying now: for diagnostics and tests. */
  threads(): { worker: Worker; busy: boolean }[];
}

export interface WorkerPoolOptions extends WorkerLoadOptions {
  /** Worker threads, each with its own copy of the model; at least 1. */
  workers: number;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** A classification not answered within this ends its worker (default JOB_TIMEOUT_MS). */
  jobTimeoutMs?: number;
}

/**
 * A worker only resizes decoded pixels and runs the model (decoding is done before, under its own
 * budget): ~70 ms whatever the image, a few hundred on the cpu backend. One that has not answered in
 * 10 s is stuck (a native hang, a runaway loop). Its thread is ended, so its request answers 503 and a
 * new worker takes its place, instead of the request and every one queued behind that thread waiting.
 */
export const JOB_TIMEOUT_MS = 10_000;

interface Job {
  id: number;
  image: DecodedImage;
  topK: number;
  resolve(classification: Classification): void;
  reject(error: Error): void;
}

interface Member {
  worker: Worker;
  job?: Job;
  /** Ends the worker if its job takes longer than the job timeout. */
  watchdog?: NodeJS.Timeout;
  stuck?: boolean;
}

/** The pixels to post: their own memory when they own all of it (transferred), else a copy. */
function transferable(pixels: Uint8Array): Uint8Array<ArrayBuffer> {
  const owned = pixels.buffer instanceof ArrayBuffer ? pixels.buffer : undefined;
  // A pooled small Buffer shares its ArrayBuffer with unrelated Buffers: transferring it would detach theirs.
  return owned && pixels.byteOffset === 0 && pixels.byteLength === owned.byteLength
    ? new Uint8Array(owned)
    : new Uint8Array(pixels);
}

const workerStopped = () =>
  new ServiceUnavailableError('NOT_READY', 'The model worker stopped while classifying; retry shortly.');
const unloaded = () => new ServiceUnavailableError('NOT_READY', 'The model has been unloaded.');
const workerStuck = (ms: number) =>
  new ServiceUnavailableError('NOT_READY', `The model worker did not answer within ${ms} ms; retry shortly.`);

/**
 * Starts one worker and resolves once its model is loaded and warmed up. A worker that fails to load
 * rejects with the worker's own error (a ModelLoadError keeps its message).
 */
function startWorker(
  options: WorkerLoadOptions,
): Promise<{ worker: Worker; info: ModelInfo; stats: ModelStats }> {
  const entry = modelWorkerEntry();
  const worker = new Worker(entry.script, { ...entry.options, workerData: options });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new ModelLoadError(`The model worker exited with code ${code} while loading.`));
    worker.once('exit', onExit);
    worker.once('error', (error) => reject(new ModelLoadError(`The model worker failed: ${error.message}`)));
    worker.once('message', (reply: WorkerReply) => {
      worker.off('exit', onExit);
      if (reply.kind === 'ready') resolve({ worker, info: reply.info, stats: reply.stats });
      else {
        void worker.terminate();
        reject(
          reply.kind === 'load-failed'
            ? new ModelLoadError(reply.error.message)
            : new Error('unexpected reply'),
        );
      }
    });
  });
}

/**
 * The Model port over a pool of worker threads, each running its own copy of the model: cache misses
 * use every core (one inference holds one core). Images queue in the main thread and go to the first
 * idle worker. A worker that dies fails its one request with 503 NOT_READY and is replaced; the cache,
 * the sharing of identical misses and the decode gate stay in the main thread, in front of classify().
 */
export async function openWorkerPool(options: WorkerPoolOptions): Promise<WorkerPoolModel> {
  const { workers: size, logger, jobTimeoutMs = JOB_TIMEOUT_MS, ...load } = options;
  const started = performance.now();
  const starts = await Promise.allSettled(Array.from({ length: size }, () => startWorker(load)));
  const loaded = starts.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = starts.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const first = loaded[0];
  if (failed || !first) {
    await Promise.all(loaded.map(({ worker }) => worker.terminate()));
    throw failed?.reason ?? new ModelLoadError('No model worker started.');
  }

  const members = new Set<Member>();
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;
  let replacing = 0;

  const dispatch = () => {
    for (const member of members) {
      if (queue.length === 0) return;
      if (member.job) continue;
      const job = queue.shift() as Job;
      member.job = job;
      member.watchdog = setTimeout(() => {
        logger?.error({ jobTimeoutMs }, 'model worker did not answer; ending it');
        member.stuck = true;
        void member.worker.terminate();
      }, jobTimeoutMs);
      const data = transferable(job.image.data);
      const request: ClassifyRequest = { id: job.id, image: { ...job.image, data }, topK: job.topK };
      member.worker.postMessage(request, [data.buffer]);
    }
  };

  const replace = () => {
    replacing += 1;
    startWorker(load).then(
      ({ worker }) => {
        replacing -= 1;
        if (closed) void worker.terminate();
        else {
          adopt(worker);
          logger?.info({ workers: members.size }, 'model worker replaced');
          dispatch();
        }
      },
      (error: unknown) => {
        replacing -= 1;
        logger?.error({ err: error }, 'model worker could not be replaced; retrying in 1 s');
        // Nobody left to serve the queue: fail it now rather than let requests hang.
        if (members.size === 0 && replacing === 0)
          for (const job of queue.splice(0)) job.reject(workerStopped());
        if (!closed) setTimeout(replace, 1000).unref();
      },
    );
  };

  const adopt = (worker: Worker) => {
    const member: Member = { worker };
    members.add(member);
    worker.on('message', (reply: WorkerReply) => {
      const job = member.job;
      if (!job || (reply.kind !== 'result' && reply.kind !== 'error') || reply.id !== job.id) return;
      clearTimeout(member.watchdog);
      member.job = undefined;
      if (reply.kind === 'result') job.resolve(reply.classification);
      else job.reject(fromWireError(reply.error));
      dispatch();
    });
    // An uncaught error in the worker ends it: 'exit' follows, and is where it is handled.
    worker.on('error', (error) => logger?.error({ err: error }, 'model worker failed'));
    worker.once('exit', (code) => {
      members.delete(member);
      clearTimeout(member.watchdog);
      member.job?.reject(closed ? unloaded() : member.stuck ? workerStuck(jobTimeoutMs) : workerStopped());
      if (closed) return;
      logger?.error({ code }, 'model worker exited; starting another');
      replace();
    });
  };
  for (const { worker } of loaded) adopt(worker);

  const info: ModelInfo = { ...first.info, workers: size };
  // The first worker's source and load times; warm-up runs until the last worker is ready.
  const { sourceMs, loadMs } = first.stats;
  const stats: ModelStats = { sourceMs, loadMs, warmupMs: performance.now() - started - sourceMs - loadMs };
  logger?.info(
    {
      model: info.name,
      version: info.version,
      backend: info.backend,
      workers: size,
      format: info.format,
      ...stats,
    },
    'model ready',
  );

  return {
    info,
    stats,
    threads: () => [...members].map((member) => ({ worker: member.worker, busy: member.job !== undefined })),
    classify(image: DecodedImage, topK: number): Promise<Classification> {
      if (closed) return Promise.reject(unloaded());
      return new Promise((resolve, reject) => {
        nextId += 1;
        queue.push({ id: nextId, image, topK, resolve, reject });
        dispatch();
      });
    },
    async dispose(): Promise<void> {
      closed = true;
      for (const job of queue.splice(0)) job.reject(unloaded());
      await Promise.all([...members].map(({ worker }) => worker.terminate()));
    },
  };
}
