import { createMemoryCache } from '../shared/adapters/cache/memory-cache.js';
import type { DownloadProgress } from '../shared/adapters/model/model-download.js';
import { loadTfjsModel } from '../shared/adapters/model/tfjs-model.js';
import type { Config } from '../shared/config.js';
import { sniffImageType } from '../shared/image/sniff-image.js';
import { ModelSlot } from '../shared/model-slot.js';
import { silentLogger } from '../shared/observability/logger.js';
import type { ModelInfo } from '../shared/ports/model.js';
import { type PredictOutput, predict } from '../shared/use-cases/predict.js';

/** One way of getting a prediction: the model in this process, or a running API. */
export interface Predictor {
  predict(image: Buffer, topK: number): Promise<PredictOutput>;
  close(): Promise<void>;
}

/** An error answer of the API, or a local AppError: both have a stable code. */
export class PredictError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PredictError';
  }
}

/** The model in this process: also says what it is (eval reads its labels and format). */
export interface LocalPredictor extends Predictor {
  info: ModelInfo;
}

/**
 * The model loaded here, behind the same predict use case the API runs (validation, hashing, the cache
 * for repeated images), so the CLI and the API give the same answer for the same bytes.
 */
export async function localPredictor(
  uri: string,
  config: Config,
  onProgress: (progress: DownloadProgress) => void,
): Promise<LocalPredictor> {
  const loaded = await loadTfjsModel({
    uri,
    cacheDir: config.model.cacheDir,
    backend: config.model.backend,
    onProgress,
  });
  const model = new ModelSlot();
  model.set(loaded);
  const deps = {
    model,
    cache: createMemoryCache(),
    limits: config.limits,
    cacheTtlSeconds: config.cacheTtlSeconds,
    logger: silentLogger(),
  };
  return {
    info: loaded.info,
    predict: (image, topK) => predict(deps, { image, contentType: undefined, topK }),
    close: () => loaded.dispose(),
  };
}

/** POST /predict of a running API, with the raw bytes and their sniffed type. */
export function remotePredictor(api: string): Predictor {
  const base = new URL(api.endsWith('/') ? api : `${api}/`);
  return {
    async predict(image, topK) {
      const url = new URL(`predict?topK=${topK}`, base);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': sniffImageType(image) ?? 'application/octet-stream' },
        body: image,
      }).catch((error: unknown) => {
        throw new Error(`cannot reach the API at ${url}: ${networkCause(error)}`, { cause: error });
      });
      const body = (await response.json().catch(() => undefined)) as
        | (PredictOutput & { error?: { code: string; message: string } })
        | undefined;
      if (!response.ok || !body) {
        throw new PredictError(
          body?.error?.code ?? `HTTP_${response.status}`,
          body?.error?.message ?? `${url} answered ${response.status} without the API's JSON error.`,
        );
      }
      return body;
    },
    async close() {},
  };
}

/**
 * fetch says only "fetch failed"; what went wrong is its cause: one error, or, where a name resolves to
 * several addresses (localhost: ::1 and 127.0.0.1), an AggregateError of one per address.
 */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const all = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors : [cause];
  return [...new Set(all.map((e) => (e as Error).message || String((e as { code?: string }).code)))].join(
    '; ',
  );
}
