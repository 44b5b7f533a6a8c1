import { ServiceUnavailableError } from './errors.js';
import type { Model } from './ports/model.js';

/**
 * Holds the model once it is loaded and warmed up. The server listens before that, so that
 * liveness answers and readiness can say "not yet" instead of the port refusing connections.
 */
export class ModelSlot {
  #model: Model | null = null;

  get ready(): boolean {
    return this.#model !== null;
  }

  set(model: Model): void {
    this.#model = model;
  }

  /** The loaded model, or a 503 the caller may retry. */
  get(): Model {
    if (!this.#model)
      throw new ServiceUnavailableError('NOT_READY', 'The model is still loading; retry shortly.');
    return this.#model;
  }

  peek(): Model | null {
    return this.#model;
  }
}
