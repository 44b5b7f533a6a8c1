import { createMemoryCache } from '../../shared/adapters/cache/memory-cache.js';
import type { Core } from '../../shared/core.js';
import { ModelSlot } from '../../shared/model-slot.js';
import { silentLogger } from '../../shared/observability/logger.js';
import type { Model } from '../../shared/ports/model.js';

/** A core around one model with the memory cache: enough for the predict use case, no store or identity. */
export function coreWith(model: Model): Core {
  const slot = new ModelSlot();
  slot.set(model);
  return {
    store: undefined as never,
    identity: undefined as never,
    cache: createMemoryCache(),
    model: slot,
    logger: silentLogger(),
    limits: { maxImageBytes: 1_000_000, maxImagePixels: 1_000_000, defaultTopK: 3, maxTopK: 10 },
    cacheTtlSeconds: 60,
  };
}
