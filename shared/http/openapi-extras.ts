import { z } from 'zod';
import { IdempotencyKeyHeader } from './schemas.js';

/** A header the operation reads or sends that the table's schemas do not carry. */
export interface HeaderDoc {
  name: string;
  schema: z.ZodType;
  description: string;
  required?: boolean;
}

/**
 * What the operation table does not hold but its readers need: examples and the headers handled inside
 * a handler. Keyed by operation id; test/openapi checks every example against the operation's own zod
 * schemas, and every key against the table, so nothing here can drift from the code.
 */
export interface OperationExtras {
  requestExample?: unknown;
  responseExample?: unknown;
  requestHeaders?: HeaderDoc[];
  responseHeaders?: HeaderDoc[];
}

const SHA = '9f2c1e4b7a5d3c8e0f6a2b9d4c1e7f3a5b8d0c2e4f6a1b3c5d7e9f0a2b4c6d8e';
const MODEL_VERSION = 'mobilenet-v1-0.75-224-3c9a1f0e';

export const operationExtras: Record<string, OperationExtras> = {
  predict: {
    responseExample: {
      predictions: [
        { breed: 'beagle', confidence: 0.8312, species: 'dog' },
        { breed: 'English foxhound', confidence: 0.0921, species: 'dog' },
        { breed: 'Walker hound, Walker foxhound', confidence: 0.0388, species: 'dog' },
      ],
      verdict: 'breed',
      species: 'dog',
      model: { name: 'mobilenet_v1_0.75_224', version: MODEL_VERSION, untrained: false },
      imageSha256: SHA,
      cached: false,
    },
  },
  savePrediction: {
    requestExample: saveRequest(),
    responseExample: prediction(),
    requestHeaders: [
      {
        name: 'Idempotency-Key',
        schema: IdempotencyKeyHeader,
        description:
          'Makes a retried save safe: the same key with the same body returns the first row (201 with ' +
          'Idempotent-Replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.',
      },
    ],
    responseHeaders: [
      { name: 'Location', schema: z.string(), description: 'The saved row: /predictions/{id}.' },
      {
        name: 'Idempotent-Replayed',
        schema: z.enum(['true', 'false']),
        description: '"true" when an earlier save with the same Idempotency-Key was returned.',
      },
    ],
  },
  listPredictions: {
    responseExample: { items: [prediction()], nextCursor: null },
  },
  modelInfo: {
    responseExample: {
      name: 'mobilenet_v1_0.75_224',
      version: MODEL_VERSION,
      format: 'layers',
      labelsCount: 2,
      labels: ['beagle', 'tabby, tabby cat'],
      inputSize: [224, 224],
      preprocessing: { resize: 'center-crop', scale: 2, offset: -1 },
      untrained: false,
      backend: 'wasm',
      source: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json',
    },
  },
  health: { responseExample: { status: 'ok' } },
  ready: { responseExample: { status: 'ready', model: 'mobilenet_v1_0.75_224' } },
};

/** The body a client sends to save a prediction; the stored row adds id and createdAt. */
function saveRequest() {
  return {
    breed: 'beagle',
    confidence: 0.8312,
    imageSha256: SHA,
    modelVersion: MODEL_VERSION,
    source: 'model',
    topK: [
      { breed: 'beagle', confidence: 0.8312 },
      { breed: 'English foxhound', confidence: 0.0921 },
    ],
  };
}

function prediction() {
  return {
    id: '0b6f3a52-8c1d-4e7a-9f20-5d3c4b2a1e09',
    ...saveRequest(),
    createdAt: '2025-11-26T13:36:04.123456Z',
  };
}
