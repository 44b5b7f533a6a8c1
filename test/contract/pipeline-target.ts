import { rm } from 'node:fs/promises';
import { devTokenRoute } from '../../eb-compat/site.js';
import { loadOrCreateDevKeys } from '../../shared/adapters/identity/dev-keys.js';
import { loadTfjsModel } from '../../shared/adapters/model/tfjs-model.js';
import { openDevTokens } from '../../shared/composition/dev-tokens.js';
import { openCache } from '../../shared/composition/open-cache.js';
import { openIdentity } from '../../shared/composition/open-identity.js';
import type { Core } from '../../shared/core.js';
import { openApiRoute } from '../../shared/http/document-route.js';
import { createPipeline, type Pipeline, type PipelineRequest } from '../../shared/http/pipeline.js';
import { ModelSlot } from '../../shared/model-slot.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { ProcessMetrics } from '../../shared/observability/recorder.js';
import type { RequestSink } from '../../shared/observability/request-line.js';
import { placeholderDir } from '../support/fixtures.js';
import { lambdaTarget } from '../support/lambda/lambda-target.js';
import { memoryStore } from '../support/memory-store.js';
import { testConfig } from '../support/test-app.js';
import type { ContractTarget } from './api-contract.js';

export interface PipelineTarget extends ContractTarget {
  core: Core;
  pipeline: Pipeline;
  /** A request as a transport hands it over; `request` is this with a plain URL. */
  handle(request: Partial<PipelineRequest>): ReturnType<Pipeline['handle']>;
  close(): Promise<void>;
}

/**
 * The pipeline itself as the contract suite's target: requests go to handle() with no socket, over a
 * core composed as the Express runtime's embedded default is (the dev identity, the fail-open memory
 * cache, the placeholder model in this thread) but for the store, an in-memory one (PGlite takes
 * seconds to start, which the fast tier cannot spend).
 */
export async function startPipelineTarget(
  env: Record<string, string> = {},
  options: { sink?: RequestSink } = {},
): Promise<PipelineTarget> {
  const { config, dataDir } = await testConfig({ CACHE: 'memory', ...env });
  const logger = silentLogger();
  const noSecrets = { get: () => Promise.reject(new Error('no secrets in this test')) };
  const model = new ModelSlot();
  model.set(await loadTfjsModel({ uri: placeholderDir, logger }));
  const core: Core = {
    store: memoryStore(),
    cache: await openCache(config, noSecrets, logger),
    model,
    identity: await openIdentity(config),
    logger,
    limits: config.limits,
    cacheTtlSeconds: config.cacheTtlSeconds,
  };
  const devTokens = await openDevTokens(config.auth);
  if (!devTokens || config.auth.kind !== 'dev')
    throw new Error('the pipeline target expects the dev identity');
  const pipeline = createPipeline({
    core: () => core,
    extraRoutes: [openApiRoute, devTokenRoute(devTokens)],
    metrics: new ProcessMetrics(),
    sink: options.sink ?? (() => undefined),
  });
  const { issuer, audience, keyFile } = config.auth;
  const tokens = { keys: await loadOrCreateDevKeys(keyFile), issuer, audience };
  const handle = (request: Partial<PipelineRequest>) =>
    pipeline.handle({ method: 'GET', path: '/', query: '', headers: {}, body: Buffer.alloc(0), ...request });
  const request = async (method: string, url: string, init: RequestInit = {}) => {
    const q = url.indexOf('?');
    const headers = Object.fromEntries(
      Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const answer = await handle({
      method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers,
      body: init.body === undefined ? Buffer.alloc(0) : Buffer.from(init.body),
    });
    const text = answer.body?.toString() ?? '';
    return { status: answer.status, headers: answer.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    ...lambdaTarget(request, tokens, config.limits.maxImageBytes),
    core,
    pipeline,
    handle,
    async close() {
      await model.peek()?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type RequestInit = { headers?: Record<string, string>; body?: Buffer | string };
