import type { Core } from '../core.js';
import { ServiceUnavailableError } from '../errors.js';
import type { ModelInfo } from '../ports/model.js';

/** What GET /model tells anyone: which model and version, and how to feed it. */
export type ModelDescription = Pick<
  ModelInfo,
  'name' | 'version' | 'format' | 'inputSize' | 'preprocessing' | 'untrained' | 'backend'
> & {
  labelsCount: number;
  labels: readonly string[];
  /** Worker threads running the model in parallel; 0: one model in the serving thread. */
  workers: number;
};

/**
 * Named fields, not a spread of ModelInfo: where the model was loaded from (a local path, or the S3
 * bucket and prefix) tells a client nothing it can use and an attacker about the deployment, so it
 * stays in the start-up log; and a field added to ModelInfo later is not published by accident.
 */
export function modelInfo(core: Core): ModelDescription {
  const { name, version, format, labels, inputSize, preprocessing, untrained, backend, workers } =
    core.model.get().info;
  return {
    name,
    version,
    format,
    labelsCount: labels.length,
    labels,
    inputSize,
    preprocessing,
    untrained,
    backend,
    workers: workers ?? 0,
  };
}

/**
 * Ready means: model loaded and warmed up, the store answers, and its schema is at the version this
 * code expects (a database nobody migrated yet would answer every save and list with a 500).
 */
export async function readiness(core: Core): Promise<{ status: 'ready'; model: string }> {
  const model = core.model.get();
  try {
    await core.store.ping();
  } catch (cause) {
    throw new ServiceUnavailableError('STORE_UNAVAILABLE', 'The database cannot be reached.', 5, cause);
  }
  await core.schema?.assertCurrent();
  return { status: 'ready', model: `${model.info.name}@${model.info.version}` };
}
