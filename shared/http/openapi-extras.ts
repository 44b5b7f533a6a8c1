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
 * a handler. Keyed by operation id; test/shared/http/openapi.test.ts checks every example against the operation's own zod
 * schemas, and every key against the table, so nothing here can drift from the code.
 */
export interface OperationExtras {
  /** One of API_TAGS. */
  tag?: ApiTag;
  /** What the one-line summary in the table leaves out. */
  description?: string;
  requestExample?: unknown;
  responseExample?: unknown;
  requestHeaders?: HeaderDoc[];
  responseHeaders?: HeaderDoc[];
}

/** The groups a reader (and a generated client's docs) sees the operations in. */
export const API_TAGS = [
  { name: 'Prediction', description: 'Breeds in a photo, without an account.' },
  { name: 'History', description: "The signed-in caller's saved predictions." },
  { name: 'Service', description: 'The model being served and the probes a load balancer polls.' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

const SHA = '9f2c1e4b7a5d3c8e0f6a2b9d4c1e7f3a5b8d0c2e4f6a1b3c5d7e9f0a2b4c6d8e';
const MODEL_VERSION = 'mobilenet-v1-0.75-224-3c9a1f0e';

export const operationExtras: Record<string, OperationExtras> = {
  predict: {
    tag: 'Prediction',
    description:
      'Send the photo as the raw body (image/jpeg, image/png, image/webp, or application/octet-stream: ' +
      'the type is read from the bytes, and a declared image type must agree with them) or as the file ' +
      'field "image" of a multipart/form-data body. Answers the topK most likely breeds with the ' +
      "model's version and the image's SHA-256, which a save repeats. The same image is answered from " +
      'a cache (cached: true). No account needed.',
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
    tag: 'History',
    description:
      "Stores a prediction (the model's answer or the user's correction) in the caller's history and " +
      'answers the stored row with its id. Send an Idempotency-Key to retry safely after a lost answer.',
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
    tag: 'History',
    description:
      "The caller's saved predictions, newest first, `limit` at a time. When nextCursor is not null, " +
      'pass it back unchanged as `cursor` for the next page (it is opaque).',
    responseExample: { items: [prediction()], nextCursor: null },
  },
  modelInfo: {
    tag: 'Service',
    description:
      'What the server predicts with: the model name and version (the one a prediction reports), its ' +
      'labels (the breeds a save may name), input size and preprocessing.',
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
      workers: 2,
    },
  },
  deletePrediction: {
    tag: 'History',
    description:
      "Removes one row of the caller's history. Another user's row, or one already gone, is 404: " +
      'a caller cannot tell whether someone else has a row with that id.',
  },
  health: {
    tag: 'Service',
    description: 'Answers 200 as long as the process serves requests; checks no dependency.',
    responseExample: { status: 'ok' },
  },
  ready: {
    tag: 'Service',
    description:
      'Answers 200 once the model is loaded and warmed up and the database is reachable, 503 with ' +
      'Retry-After until then: what a load balancer should route on.',
    responseExample: { status: 'ready', model: 'mobilenet_v1_0.75_224' },
  },
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
