import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkerPoolModel } from '../../../shared/adapters/model/worker-pool-model.js';
import { openModel } from '../../../shared/composition/open-model.js';
import { loadConfig, projectRoot } from '../../../shared/config.js';
import { silentLogger } from '../../../shared/observability/logger.js';

const config = loadConfig({
  MODEL_URI: path.join(projectRoot, 'models/placeholder'),
  TFJS_BACKEND: 'wasm',
});

describe('openModel', () => {
  it('runs MODEL_WORKERS=1 in a watched worker thread, and only 0 in the serving thread', async () => {
    const one = await openModel(config, silentLogger(), { workers: 1 });
    const none = await openModel(config, silentLogger(), { workers: 0 });
    try {
      expect(one.info.workers).toBe(1);
      expect((one as WorkerPoolModel).threads()).toHaveLength(1);
      expect(none.info.workers ?? 0).toBe(0);
      expect('threads' in none).toBe(false);
    } finally {
      await Promise.all([one.dispose(), none.dispose()]);
    }
  });
});
