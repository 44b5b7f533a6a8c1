import { logDownloadProgress } from '../adapters/model/model-download.js';
import { resolveModelSource } from '../adapters/model/model-source.js';
import { loadTfjsModel, type TfjsModel } from '../adapters/model/tfjs-model.js';
import { openWorkerPool } from '../adapters/model/worker-pool-model.js';
import type { Config } from '../config.js';
import type { Logger } from '../ports/logger.js';

export interface OpenModelOptions {
  /** The folder of the tfjs-backend-wasm .wasm files, for a bundle that ships them outside node_modules. */
  wasmDir?: string;
  /**
   * Worker threads (config.model.workers on the server runtime), each watched (JOB_TIMEOUT_MS). 0 or
   * unset: one model in this thread, as on Lambda, where one invocation holds one request and a second
   * core would idle anyway.
   */
  workers?: number;
}

/** The model MODEL_URI names, in this thread or in a pool of worker threads. */
export async function openModel(
  config: Config,
  logger: Logger,
  options: OpenModelOptions = {},
): Promise<TfjsModel> {
  const load = {
    uri: config.model.uri,
    cacheDir: config.model.cacheDir,
    backend: config.model.backend,
    wasmDir: options.wasmDir,
  };
  const workers = options.workers ?? 0;
  const onProgress = logDownloadProgress(logger);
  if (workers < 1) return loadTfjsModel({ ...load, onProgress, logger });
  // A remote model is downloaded once, here, with its progress logged; each worker then finds it cached.
  await resolveModelSource(load.uri, { cacheDir: load.cacheDir, onProgress, logger });
  return openWorkerPool({ ...load, workers, logger });
}
