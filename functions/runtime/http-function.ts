import middy from '@middy/core';
import { loadConfig } from '../../shared/config.js';
import { openApiRoute } from '../../shared/http/document-route.js';
import { createPipeline, type Pipeline } from '../../shared/http/pipeline.js';
import { createLogger } from '../../shared/observability/logger.js';
import { ProcessMetrics } from '../../shared/observability/recorder.js';
import { emfRequestLines } from '../../shared/observability/request-line.js';
import {
  type HttpApiEvent,
  type HttpApiResult,
  type LambdaContext,
  toHttpApiResult,
  toPipelineRequest,
} from './api-gateway.js';
import { startContainer } from './container.js';
import { type HttpFunctionName, httpFunctions } from './function-table.js';
import { httpMiddlewares } from './middlewares.js';

export type HttpHandler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

export interface HttpFunctionOptions {
  /** Where the request lines (EMF documents) go. Default stdout, which CloudWatch Logs reads. */
  writeLine?: (line: string) => void;
}

/**
 * One Lambda function over its entries of the operation table. The shared pipeline does the work; this
 * is the translation: event in, API Gateway's answer out. Calling this at a module's top level starts
 * the container's initialisation (config, then the core and its model).
 */
export function httpFunction(name: HttpFunctionName, options: HttpFunctionOptions = {}): HttpHandler {
  const container = startContainer({ loadModel: httpFunctions[name].model });
  // Started now, during init; a failure resurfaces (and is answered) in the first invocation.
  container.ready().catch(() => undefined);
  const pipeline = createPipeline({
    core: async () => (await container.ready()).core,
    coreFirst: true,
    serves: httpFunctions[name].operations,
    metrics: container.metrics,
    sink: emfRequestLines({ logger: container.logger, write: options.writeLine }),
    // The core does not await its cache writes; a frozen container would cut them off.
    settle: async () => (await container.ready()).settle(),
  });
  const { trustAuthorizerClaims } = container.config;
  return lambdaHandler(pipeline, httpMiddlewares(container), (event, context) => {
    container.receiveSecrets(context);
    return toPipelineRequest(event, context, trustAuthorizerClaims);
  });
}

/**
 * The catch-all ($default) route: API Gateway's own answer to an unknown route is {"message":"Not Found"},
 * not the API's error body, so unmatched requests come here and get the same 404 / 405 as the Express
 * runtime. CORS preflights (OPTIONS matches no route) are answered here too, and GET /openapi.json,
 * which needs no route of its own in serverless.yml. Nothing is composed: no store, no model, so this
 * function stays small and fast to start.
 */
export function fallbackFunction(options: HttpFunctionOptions = {}): HttpHandler {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const pipeline = createPipeline({
    core: () => Promise.reject(new Error('The $default function runs no operation.')),
    serves: [],
    extraRoutes: [openApiRoute],
    metrics: new ProcessMetrics(),
    sink: emfRequestLines({ logger, write: options.writeLine }),
  });
  return lambdaHandler(pipeline, httpMiddlewares({ config, logger, secretIds: {} }), toPipelineRequest);
}

/**
 * The pipeline answers every request it is handed; an error before or after it (an event no API Gateway
 * sends) is answered the same way, as the API's 500 with a request id and its one line. A thrown error
 * would reach the client as API Gateway's bare 500, and under serverless-offline as a 200 carrying the
 * stack trace.
 */
function lambdaHandler(
  pipeline: Pipeline,
  middlewares: ReturnType<typeof httpMiddlewares>,
  translate: typeof toPipelineRequest,
): HttpHandler {
  const handler = middy(async (event: HttpApiEvent, context: LambdaContext) =>
    toHttpApiResult(await pipeline.handle(translate(event, context))),
  ).use(middlewares);
  return (event, context) =>
    handler(event, context as never).catch((error: unknown) =>
      toHttpApiResult(
        pipeline.refuse(error, 'invocation', {
          headers: event?.headers,
          transportId: event?.requestContext?.requestId,
          properties: { awsRequestId: context.awsRequestId },
        }),
      ),
    );
}
