import { ServiceUnavailableError } from './errors.js';
import type { Model, Species } from './ports/model.js';

/** The breeds a model names, and the species of each where its metadata says. */
export interface Labels {
  labels: readonly string[];
  /** Per label, in label order; undefined when the metadata maps none. */
  species?: readonly (Species | null)[] | undefined;
}

interface Held {
  model: Model | null;
  /** The model's labels: the loaded model's, or read alone from its metadata (setLabels). */
  labels: Labels | null;
}

/**
 * Holds the model once it is loaded and warmed up. The server listens before that, so that
 * liveness answers and readiness can say "not yet" instead of the port refusing connections.
 */
export class ModelSlot {
  /** Shared by a slot and its views: the model set on one is the model of all. */
  readonly #held: Held;
  readonly #wrap: ((model: Model) => Model) | undefined;

  /** An empty slot; `view` passes its own holder and a wrapper. */
  constructor(held: Held = { model: null, labels: null }, wrap?: (model: Model) => Model) {
    this.#held = held;
    this.#wrap = wrap;
  }

  get ready(): boolean {
    return this.#held.model !== null;
  }

  set(model: Model): void {
    this.#held.model = model;
    this.#held.labels = { labels: model.info.labels, species: model.info.species };
  }

  /**
   * The labels alone, from the model's metadata, where nothing classifies (a Lambda function that
   * only saves): get() stays a 503, labels() answers.
   */
  setLabels(labels: Labels): void {
    this.#held.labels = labels;
  }

  /** The loaded model, or a 503 the caller may retry. */
  get(): Model {
    const model = this.#held.model;
    if (!model) throw notReady();
    return this.#wrap ? this.#wrap(model) : model;
  }

  /** The model's labels (and their species), or a 503 the caller may retry. */
  labels(): Labels {
    const labels = this.#held.labels;
    if (!labels) throw notReady();
    return labels;
  }

  /** The model as it was set (never wrapped), or null. */
  peek(): Model | null {
    return this.#held.model;
  }

  /** The same slot, whose get() hands the model out wrapped (one request's metered model). */
  view(wrap: (model: Model) => Model): ModelSlot {
    return new ModelSlot(this.#held, wrap);
  }
}

function notReady(): ServiceUnavailableError {
  return new ServiceUnavailableError('NOT_READY', 'The model is still loading; retry shortly.');
}
