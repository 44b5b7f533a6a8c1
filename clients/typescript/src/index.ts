/**
 * The pettracker API for a web or mobile app: openapi-fetch over the types openapi-typescript generates
 * from docs/openapi.json (./schema.ts, `npm run client:typescript`; never edited by hand). Every call
 * answers `{ data, error, response }`: `data` on a 2xx, `error` (the API's `{error: {code, ...}}`)
 * otherwise. Switch on `error.error.code`, never on the message.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths };
export type PredictAnswer = components['schemas']['PredictResponse'];
export type SaveBody = components['schemas']['SavePredictionBody'];
export type Prediction = components['schemas']['Prediction'];
export type ErrorBody = components['schemas']['ErrorBody'];

export interface PetTrackerOptions {
  /** The API's origin, e.g. a stage's https://{apiId}.execute-api.{region}.amazonaws.com. */
  baseUrl: string;
  /** The user's JWT, or a function asked before each request (a token that refreshes). */
  token?: string | (() => string | Promise<string>);
  /** Another fetch (tests, React Native polyfills); default globalThis.fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * The body that saves `answer` to the user's history: the chosen item (the top one unless the user
 * picked another, which makes it `user-corrected`) and the answer's items as they are. Null when the
 * answer has no breed to save (`not-a-pet`).
 */
export function saveBodyOf(
  answer: PredictAnswer,
  chosen: PredictAnswer['predictions'][number] | undefined = answer.predictions[0],
): SaveBody | null {
  if (chosen === undefined) return null;
  return {
    breed: chosen.breed,
    confidence: chosen.confidence,
    imageSha256: answer.imageSha256,
    modelVersion: answer.model.version,
    source: chosen === answer.predictions[0] ? 'model' : 'user-corrected',
    topK: answer.predictions,
  };
}

/**
 * The API's error code of a failed call (`NOT_FOUND`, `SPECIES_MISMATCH`, ...); undefined for a body
 * that API Gateway wrote itself on the Lambda deployment (`{message}`: a refused token, throttling).
 */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

export function petTrackerClient(options: PetTrackerOptions) {
  const client: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const { token } = options;
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${typeof token === 'string' ? token : await token()}`);
        return request;
      },
    });
  }
  return {
    /** The openapi-fetch client itself, for anything not wrapped here. */
    raw: client,
    /**
     * The photo's bytes as the body, sent as application/octet-stream: the server reads the type
     * (JPEG, PNG or WebP) from the bytes, so any photo goes as it is.
     */
    predict: (photo: Blob, topK?: number) =>
      client.POST('/predict', {
        params: { query: topK === undefined ? {} : { topK } },
        headers: { 'Content-Type': 'application/octet-stream' },
        body: photo,
        // openapi-fetch JSON-encodes any body that is not FormData unless told otherwise.
        bodySerializer: (body) => body,
      }),
    /** The photo as the file field "image" of a multipart/form-data body. */
    predictMultipart: (photo: Blob, filename = 'photo') =>
      client.POST('/predict', {
        body: { image: photo },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append('image', body instanceof Blob ? body : body.image, filename);
          return form;
        },
      }),
    /** Saves to the user's history; the same Idempotency-Key makes a retry answer the same row. */
    save: (body: SaveBody, idempotencyKey?: string) =>
      client.POST('/predictions', {
        params: { header: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey } },
        body,
      }),
    /** One of the user's own predictions (where a save's Location points); 404 for any other id. */
    get: (id: string) => client.GET('/predictions/{id}', { params: { path: { id } } }),
    /** The user's history, newest first; pass `nextCursor` back as `cursor` for the next page. */
    list: (page: { limit?: number; cursor?: string } = {}) =>
      client.GET('/predictions', { params: { query: page } }),
    remove: (id: string) => client.DELETE('/predictions/{id}', { params: { path: { id } } }),
    model: () => client.GET('/model'),
  };
}

export type PetTrackerClient = ReturnType<typeof petTrackerClient>;
