import { randomUUID } from 'node:crypto';
import { type Core, type RequestScope, requestCore } from '../core.js';
import { ClientClosedRequestError, NotFoundError, toErrorResponse } from '../errors.js';
import { type ProcessMetrics, RequestRecorder, recordRequest } from '../observability/recorder.js';
import type { RequestSink } from '../observability/request-line.js';
import type { VerifiedClaims } from '../ports/identity.js';
import { bodyLimit, bodyWithin, type RequestBody } from './body-limits.js';
import { CORS_HEADERS, PREFLIGHT_HEADERS } from './cors.js';
import { dispatch } from './dispatch.js';
import type { Operation, OperationResult } from './operation.js';
import { operations } from './operations.js';
import { queryOf } from './query.js';
import { type Route, type Routed, routeTable } from './routing.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** What a transport hands the pipeline: nothing of Express or API Gateway. */
export interface PipelineRequest {
  method: string;
  /** The raw path, still percent-encoded, without the query. */
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  body: RequestBody;
  /** The transport's own request id (API Gateway's), used when the caller sent none. */
  transportId?: string | undefined;
  /** Extra fields of the request's line (awsRequestId). */
  properties?: Readonly<Record<string, string>> | undefined;
  /** A token's claims the transport verified and the runtime trusts (API Gateway's JWT authorizer). */
  claims?: VerifiedClaims | undefined;
  /** When the transport stops waiting (epoch ms: Lambda's deadline); none on a server. */
  deadline?: number | undefined;
}

export interface PipelineResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON already serialised, a document's text, or bytes. */
  body: string | Buffer | undefined;
  /** false: the client went away; there is nobody to answer. */
  send: boolean;
  /** The body was refused mid-stream: the connection cannot be reused. */
  close: boolean;
}

/** What a transport could read of a request it refuses; a request whose head never parsed has none. */
export type RefusedRequest = Partial<
  Pick<PipelineRequest, 'method' | 'headers' | 'transportId' | 'properties'>
>;

/** A route besides the operation table, answered without the core (the OpenAPI document, dev tokens). */
export interface ExtraRoute extends Route {
  answer(query: Record<string, string>): Promise<OperationResult> | OperationResult;
}

export interface PipelineOptions {
  /** The core, once composed; awaited only by a request that runs an operation. */
  core(): Core | Promise<Core>;
  /** The operations this process runs (a Lambda function's few); the rest of the table answers 404. */
  serves?: readonly string[];
  extraRoutes?: readonly ExtraRoute[];
  /** The process's records (model load time, cold start), which ride on the next request's line. */
  metrics: ProcessMetrics;
  sink: RequestSink;
  /** Await the core before anything else (Lambda: a cold start's first request waits for the model). */
  coreFirst?: boolean;
  /** Awaited before answering (Lambda: the cache writes a frozen container would cut off). */
  settle?(core: Core): Promise<void>;
}

type TableRoute = Route & ({ op: Operation } | { extra: ExtraRoute });
interface Outcome {
  operation: string;
  result: OperationResult & { error?: unknown };
  close?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** Kept before a request's deadline to log and answer, rather than be cut off by the transport. */
const ANSWER_MARGIN_MS = 500;
const REQUEST_ID = /^[\w.-]{1,128}$/;

/**
 * The request pipeline of both runtimes: routing (404, 405 with Allow, CORS preflight), body limits,
 * the request id, authentication, validation and dispatch, error mapping, the CORS and security
 * headers, and the request's one line with its metrics. `handle` has one exit, so every request is reported exactly once by construction.
 */
export function createPipeline(options: PipelineOptions) {
  const serves = new Set(options.serves ?? operations.map((op) => op.id));
  const route = routeTable<TableRoute>([
    ...operations.map((op) => ({ id: op.id, method: op.method, path: op.path, op })),
    ...(options.extraRoutes ?? []).map((extra) => ({
      id: extra.id,
      method: extra.method,
      path: extra.path,
      extra,
    })),
  ]);

  async function handle(request: PipelineRequest): Promise<PipelineResponse> {
    const startedAt = performance.now();
    const requestId = requestIdOf(request.headers['x-request-id'], request.transportId);
    const routed = route(request.method === 'HEAD' ? 'GET' : request.method, request.path);
    const operation =
      routed.kind === 'route' ? routed.route.id : routed.kind === 'preflight' ? 'preflight' : 'notFound';
    const recorder = new RequestRecorder();
    options.metrics.begin(recorder);
    const ids = { requestId, ...request.properties };
    let outcome: Outcome;
    if (request.deadline === undefined) {
      outcome = await run(routed, operation, request, requestId, { metrics: recorder, ids });
    } else {
      const abort = new AbortController();
      const work = run(routed, operation, request, requestId, {
        metrics: recorder,
        ids,
        signal: abort.signal,
      });
      const late = () => failed(operation, new Error('The request ran out of time.'), requestId);
      outcome = await inTime(work, request.deadline - ANSWER_MARGIN_MS, abort, late);
    }
    return finish(request, requestId, startedAt, recorder, outcome);
  }

  async function run(
    routed: Routed<TableRoute>,
    operation: string,
    request: PipelineRequest,
    requestId: string,
    scope: RequestScope,
  ): Promise<Outcome> {
    try {
      // A Lambda function's first request waits for its core (the model loaded) whatever it asks.
      if (options.coreFirst) await options.core();
      if (routed.kind === 'preflight')
        return { operation, result: { status: 204, headers: PREFLIGHT_HEADERS } };
      if (routed.kind === 'refused') return failed(operation, routed.error, requestId);
      const target = routed.route;
      if ('extra' in target) return { operation, result: await target.extra.answer(queryOf(request.query)) };
      const { op } = target;
      // A route wired to the wrong Lambda function is a deployment mistake; say so without guessing.
      if (!serves.has(op.id)) {
        const error = new NotFoundError(`No operation for route ${op.method} ${op.path} in this function.`);
        return failed('notFound', error, requestId);
      }
      // The core's cache, model and store record into this request's line and keep to its deadline.
      const core = requestCore(await options.core(), scope);
      let body: Buffer;
      try {
        const limit = bodyLimit(op, core.limits.maxImageBytes);
        body = op.body.kind === 'none' ? Buffer.alloc(0) : await bodyWithin(request.body, limit);
      } catch (error) {
        // Refused mid-upload (size, deadline, a client gone): answer, and close the connection.
        return { ...failed(operation, error, requestId), close: true };
      }
      const { headers, claims } = request;
      const input = { params: routed.params, query: queryOf(request.query), headers, body, claims };
      const result = await dispatch(core, op, input).finally(() => options.settle?.(core));
      return { operation, result };
    } catch (error) {
      return failed(operation, error, requestId);
    }
  }

  function finish(
    request: PipelineRequest,
    requestId: string,
    startedAt: number,
    recorder: RequestRecorder,
    { operation, result, close = false }: Outcome,
    report = true,
  ): PipelineResponse {
    const durationMs = performance.now() - startedAt;
    const { status, error } = result;
    const code = error === undefined ? undefined : (result.body as { error: { code: string } }).error.code;
    if (report) {
      recordRequest(recorder, { operation, status, code, durationMs });
      const metrics = recorder.take(options.metrics.takeWaiting());
      const { method, properties } = request;
      options.sink({ requestId, operation, method, status, durationMs, code, error, metrics, properties });
    }
    return {
      status,
      headers: {
        'x-request-id': requestId,
        ...CORS_HEADERS,
        ...result.headers,
        ...contentType(result),
        ...SECURITY_HEADERS,
      },
      body: serialise(result.body),
      send: !(error instanceof ClientClosedRequestError),
      close,
    };
  }

  /**
   * A request the transport refused before the pipeline could read it (Node's header timeout, bytes
   * that are not HTTP, a target no router can parse): answered with the API's error body and reported
   * like any other, under the caller's request id when its headers were read. `report: false` is for
   * what another line already reports (a client that left mid-body is the pipeline's 499).
   */
  function refuse(
    error: unknown,
    operation: string,
    from: RefusedRequest = {},
    { report = true } = {},
  ): PipelineResponse {
    const requestId = requestIdOf(from.headers?.['x-request-id'], from.transportId);
    const request: PipelineRequest = {
      method: from.method ?? '-',
      path: '',
      query: '',
      headers: {},
      body: Buffer.alloc(0),
      properties: from.properties,
    };
    const outcome = failed(operation, error, requestId);
    return finish(request, requestId, performance.now(), new RequestRecorder(), outcome, report);
  }

  return { handle, refuse };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/**
 * The answer is given by `dueAt`, and late work's records fall on a closed line. At `dueAt` the
 * request's signal aborts: what waits on it (a store call) stops and answers for itself (503
 * STORE_UNAVAILABLE) within the same turn; whatever has no answer by the next turn gets `late`.
 */
function inTime(
  work: Promise<Outcome>,
  dueAt: number,
  abort: AbortController,
  late: () => Outcome,
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () => {
        abort.abort();
        setImmediate(() => resolve(late()));
      },
      Math.max(0, dueAt - Date.now()),
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * A caller's (or the load balancer's) sane X-Request-Id is kept, so logs join up end to end; else
 * the transport's own id (API Gateway's, which its access log carries); else a fresh UUID.
 */
function requestIdOf(given: string | undefined, transportId: string | undefined): string {
  if (given !== undefined && REQUEST_ID.test(given)) return given;
  return transportId ?? randomUUID();
}

function failed(operation: string, error: unknown, requestId: string): Outcome {
  return { operation, result: { ...toErrorResponse(error, requestId), error } };
}

function contentType(result: OperationResult): Record<string, string> {
  if (result.body === undefined || result.headers?.['content-type'] !== undefined) return {};
  return { 'content-type': Buffer.isBuffer(result.body) ? 'application/octet-stream' : JSON_TYPE };
}

/** An extra route's text goes as it is (with its own content type); anything else is JSON. */
function serialise(body: unknown): string | Buffer | undefined {
  if (body === undefined || Buffer.isBuffer(body)) return body;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
