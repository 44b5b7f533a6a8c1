import type { Core } from '../core.js';
import { ServiceUnavailableError } from '../errors.js';
import type { ModelInfo } from '../ports/model.js';

export function modelInfo(
  core: Core,
): Omit<ModelInfo, 'labels'> & { labelsCount: number; labels: readonly string[] } {
  const { labels, ...info } = core.model.get().info;
  return { ...info, labelsCount: labels.length, labels };
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
