import type { z } from 'zod';
import { UnauthorizedError } from '../errors.js';
import type { Caller } from '../ports/identity.js';
import type { BreedScore } from '../ports/model.js';
import type { StoredPrediction } from '../ports/prediction-store.js';
import { deletePrediction } from '../use-cases/delete-prediction.js';
import { getPrediction } from '../use-cases/get-prediction.js';
import { listPredictions } from '../use-cases/list-predictions.js';
import { predict } from '../use-cases/predict.js';
import { modelInfo, readiness } from '../use-cases/probes.js';
import { savePrediction } from '../use-cases/save-prediction.js';
import type { ImageBody } from './image-body.js';
import { defineOperation, type Operation } from './operation.js';
import { parseWith } from './parse-input.js';
import {
  HealthResponse,
  IdempotencyKeyHeader,
  IdParams,
  ListPredictionsQuery,
  ListPredictionsResponse,
  ModelResponse,
  Prediction,
  PredictQuery,
  PredictResponse,
  ReadyResponse,
  SavePredictionBody,
} from './schemas.js';

/** Operations marked `auth` always have a caller; this keeps that true if an entry is ever mis-marked. */
function signedIn(caller: Caller | undefined): Caller {
  if (!caller) throw new UnauthorizedError();
  return caller;
}

/** The API a client sees of a stored row: no owner id, no idempotency key. */
function toApi(p: StoredPrediction): z.infer<typeof Prediction> {
  return {
    id: p.id,
    breed: p.breed,
    confidence: p.confidence,
    imageSha256: p.imageSha256,
    modelVersion: p.modelVersion,
    source: p.source,
    topK: p.topK?.map(toApiScore) ?? null,
    createdAt: p.createdAt,
  };
}

/** A stored score as the API names it; species only where the save carried one. */
function toApiScore({ label, confidence, species }: BreedScore) {
  return species === undefined ? { breed: label, confidence } : { breed: label, confidence, species };
}

/** Every endpoint, once. Both runtimes mount exactly this list. */
export const operations: readonly Operation[] = [
  defineOperation<z.infer<typeof PredictQuery>, unknown, ImageBody>({
    id: 'predict',
    method: 'POST',
    path: '/predict',
    summary: 'Top breeds in a photo (raw image body or multipart field "image").',
    auth: false,
    query: PredictQuery,
    body: { kind: 'image' },
    response: { status: 200, schema: PredictResponse },
    errors: [400, 408, 413, 415, 422, 503],
    handle: async ({ core, query, body }) => ({
      status: 200,
      body: await predict(core, { ...body, topK: query.topK ?? core.limits.defaultTopK }),
    }),
  }),
  defineOperation<unknown, unknown, z.infer<typeof SavePredictionBody>>({
    id: 'savePrediction',
    method: 'POST',
    path: '/predictions',
    summary: "Save a prediction to the caller's history; Idempotency-Key makes retries safe.",
    auth: true,
    body: { kind: 'json', schema: SavePredictionBody },
    response: { status: 201, schema: Prediction },
    errors: [400, 401, 408, 415, 422, 503],
    handle: async ({ core, caller, body, headers }) => {
      const rawKey = headers['idempotency-key'];
      const key =
        rawKey === undefined ? null : parseWith(IdempotencyKeyHeader, rawKey, 'Idempotency-Key header');
      const { prediction, replayed } = await savePrediction(core, signedIn(caller), body, key);
      return {
        status: 201,
        headers: { location: `/predictions/${prediction.id}`, 'idempotent-replayed': String(replayed) },
        body: toApi(prediction),
      };
    },
  }),
  defineOperation<z.infer<typeof ListPredictionsQuery>, unknown, undefined>({
    id: 'listPredictions',
    method: 'GET',
    path: '/predictions',
    summary: "The caller's history, newest first, with cursor pagination.",
    auth: true,
    query: ListPredictionsQuery,
    body: { kind: 'none' },
    response: { status: 200, schema: ListPredictionsResponse },
    errors: [400, 401, 503],
    handle: async ({ core, caller, query }) => {
      const page = await listPredictions(core, signedIn(caller), query.limit, query.cursor);
      return { status: 200, body: { items: page.items.map(toApi), nextCursor: page.nextCursor } };
    },
  }),
  defineOperation<unknown, z.infer<typeof IdParams>, undefined>({
    id: 'getPrediction',
    method: 'GET',
    path: '/predictions/{id}',
    summary: "One of the caller's own predictions: where a save's Location points.",
    auth: true,
    params: IdParams,
    body: { kind: 'none' },
    response: { status: 200, schema: Prediction },
    errors: [401, 404, 503],
    handle: async ({ core, caller, params }) => ({
      status: 200,
      body: toApi(await getPrediction(core, signedIn(caller), params.id)),
    }),
  }),
  defineOperation<unknown, z.infer<typeof IdParams>, undefined>({
    id: 'deletePrediction',
    method: 'DELETE',
    path: '/predictions/{id}',
    summary: "Delete one of the caller's own predictions.",
    auth: true,
    params: IdParams,
    body: { kind: 'none' },
    response: { status: 204, schema: null },
    errors: [401, 404, 503],
    handle: async ({ core, caller, params }) => {
      await deletePrediction(core, signedIn(caller), params.id);
      return { status: 204 };
    },
  }),
  defineOperation<unknown, unknown, undefined>({
    id: 'modelInfo',
    method: 'GET',
    path: '/model',
    summary: 'The model being served: name, version, labels, input size, preprocessing, backend.',
    auth: false,
    body: { kind: 'none' },
    response: { status: 200, schema: ModelResponse },
    errors: [503],
    handle: async ({ core }) => ({ status: 200, body: modelInfo(core) }),
  }),
  defineOperation<unknown, unknown, undefined>({
    id: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Liveness: the process answers.',
    auth: false,
    body: { kind: 'none' },
    response: { status: 200, schema: HealthResponse },
    errors: [],
    handle: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineOperation<unknown, unknown, undefined>({
    id: 'ready',
    method: 'GET',
    path: '/ready',
    summary:
      'Readiness: model loaded and warmed up, database reachable, schema at this release; 503 otherwise.',
    auth: false,
    body: { kind: 'none' },
    response: { status: 200, schema: ReadyResponse },
    errors: [503],
    handle: async ({ core }) => ({ status: 200, body: await readiness(core) }),
  }),
];
