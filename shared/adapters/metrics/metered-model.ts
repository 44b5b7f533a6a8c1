import type { Metrics } from '../../ports/metrics.js';
import type { Model } from '../../ports/model.js';

/** Times every classify() of any Model as InferenceMs, failed ones included (they cost the CPU too). */
export function meteredModel(model: Model, metrics: Metrics): Model {
  return {
    info: model.info,
    async classify(image, topK) {
      const started = performance.now();
      try {
        return await model.classify(image, topK);
      } finally {
        metrics.timing('InferenceMs', performance.now() - started);
      }
    },
    dispose: () => model.dispose(),
  };
}
