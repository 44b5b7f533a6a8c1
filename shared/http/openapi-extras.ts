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

/*
 * The examples are real: what the bundled model (models/pets-mobilenet-v1) answers for the dev photo
 * ../shared/testdata/pets/beagle_10.jpg, and what a save of that answer's items stores.
 * test/contract/openapi-examples.integration.test.ts sends that photo and each example request to the
 * server and compares.
 */
const EXAMPLE_SHA = 'e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc';
const MODEL_NAME = 'pets-mobilenet-v1';
const MODEL_VERSION = 'sha256-277609e6c6e610d8';
const EXAMPLE_PREDICTIONS = [
  { breed: 'Beagle', confidence: 0.8823109865188599, species: 'dog' },
  { breed: 'American Bulldog', confidence: 0.10235801339149475, species: 'dog' },
  { breed: 'German Shorthaired', confidence: 0.012313518673181534, species: 'dog' },
];
const MODEL_LABELS = [
  ...['Abyssinian', 'Bengal', 'Birman', 'Bombay', 'British Shorthair', 'Egyptian Mau', 'Maine Coon'],
  ...['Persian', 'Ragdoll', 'Russian Blue', 'Siamese', 'Sphynx', 'American Bulldog'],
  ...['American Pit Bull Terrier', 'Basset Hound', 'Beagle', 'Boxer', 'Chihuahua'],
  ...['English Cocker Spaniel', 'English Setter', 'German Shorthaired', 'Great Pyrenees', 'Havanese'],
  ...['Japanese Chin', 'Keeshond', 'Leonberger', 'Miniature Pinscher', 'Newfoundland', 'Pomeranian'],
  ...['Pug', 'Saint Bernard', 'Samoyed', 'Scottish Terrier', 'Shiba Inu', 'Staffordshire Bull Terrier'],
  ...['Wheaten Terrier', 'Yorkshire Terrier'],
];

export const operationExtras: Record<string, OperationExtras> = {
  predict: {
    tag: 'Prediction',
    description:
      'Send the photo as the raw body (application/octet-stream for any photo: the type is read from the ' +
      'bytes; or image/jpeg, image/png, image/webp, which must agree with them) or as the file ' +
      'field "image" of a multipart/form-data body. Answers the topK most likely breeds with the ' +
      "model's version and the image's SHA-256, which a save repeats. The same image is answered from " +
      'a cache (cached: true). No account needed.',
    responseExample: {
      predictions: EXAMPLE_PREDICTIONS,
      verdict: 'breed',
      species: 'dog',
      model: { name: MODEL_NAME, version: MODEL_VERSION, untrained: false },
      imageSha256: EXAMPLE_SHA,
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
  getPrediction: {
    tag: 'History',
    description:
      "One row of the caller's history, as the save answered it: the save's Location header points " +
      "here. Another user's row, one deleted, or an id that is no UUID is 404: a caller cannot tell " +
      'whether someone else has a row with that id.',
    responseExample: prediction(),
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
      name: MODEL_NAME,
      version: MODEL_VERSION,
      format: 'layers',
      labelsCount: MODEL_LABELS.length,
      labels: MODEL_LABELS,
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
    responseExample: { status: 'ready', model: `${MODEL_NAME}@${MODEL_VERSION}` },
  },
};

/** The body a client sends to save the example answer: its top breed and its items as they are. */
function saveRequest() {
  return {
    breed: 'Beagle',
    confidence: 0.8823109865188599,
    imageSha256: EXAMPLE_SHA,
    modelVersion: MODEL_VERSION,
    source: 'model',
    topK: EXAMPLE_PREDICTIONS,
  };
}

/** The stored row the save answers (and GET /predictions/{id} and the list show): id and time added. */
function prediction() {
  return {
    id: '0b6f3a52-8c1d-4e7a-9f20-5d3c4b2a1e09',
    ...saveRequest(),
    createdAt: '2026-12-05T13:36:04.123456Z',
  };
}
