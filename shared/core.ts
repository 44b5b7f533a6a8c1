import type { ImageLimits } from './image/validate-image.js';
import type { SchemaCheck } from './migrations/schema-gate.js';
import type { ModelSlot } from './model-slot.js';
import type { Cache } from './ports/cache.js';
import type { Identity } from './ports/identity.js';
import type { Logger } from './ports/logger.js';
import type { PredictionStore } from './ports/prediction-store.js';

/** Everything the use cases need, built once by the composition root of each runtime. */
export interface Core {
  store: PredictionStore;
  /**
   * Readiness asks it whether the store's schema is at the version this code expects. composeRuntime
   * always sets it; only unit tests of the use cases, which use no database, leave it out.
   */
  schema?: SchemaCheck;
  /** Already fail-open: a failing cache answers null and never throws. */
  cache: Cache;
  model: ModelSlot;
  identity: Identity;
  logger: Logger;
  limits: ImageLimits & { defaultTopK: number; maxTopK: number };
  cacheTtlSeconds: number;
}
