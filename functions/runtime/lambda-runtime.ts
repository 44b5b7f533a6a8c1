import path from 'node:path';
import { composeRuntime, type Runtime } from '../../shared/compose.js';
import { secretIdsFor } from '../../shared/composition/open-secrets.js';
import { type Config, loadConfig, projectRoot } from '../../shared/config.js';
import type { Core } from '../../shared/core.js';
import { createLogger } from '../../shared/logger.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import { authorizerIdentity } from './authorizer-identity.js';
import { contextualLogger } from './contextual-logger.js';
import { remainingTimeMs } from './invocation.js';
import { invocationSecrets } from './invocation-secrets.js';
import { type TrackedCache, trackWrites } from './pending-writes.js';

// serverless.yml ships the SIMD .wasm file at this path in every zip; from the TypeScript source
// (tests, serverless-offline) it is the installed package itself.
const WASM_DIR = path.join(projectRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

export interface LambdaCore extends Core {
  cache: TrackedCache;
}

export interface LambdaRuntime {
  config: Config;
  logger: Logger;
  /** Logical name -> SecretId for @middy/secrets-manager; empty when secrets come from the environment. */
  secretIds: Record<string, string>;
  /** The container's one buffer: the core's wrappers and the request log record into it. */
  metrics: Metrics;
  /** The core, once composed and (for functions that predict) the model loaded and warmed up. */
  ready(): Promise<LambdaCore>;
}

/**
 * A container's state, built once at import (config parsed, then the store, cache, identity and model
 * started) and reused by every warm invocation. The handler awaits ready(): a cold start's first
 * request waits for the model instead of getting 503, and a composition that failed (a model that
 * could not be downloaded) is retried by the next invocation instead of poisoning the container.
 * The Lambda store is the Data API: the only secret read here is the Upstash token, per invocation.
 */
export function startLambdaRuntime(options: { loadModel: boolean; metrics: Metrics }): LambdaRuntime {
  // A ConfigError here fails the init phase, naming the variable, before any request is accepted.
  const config = loadConfig();
  const logger = contextualLogger(createLogger(config.logLevel));
  const secretIds = config.secrets.kind === 'secrets-manager' ? secretIdsFor(config) : {};
  let pending: Promise<LambdaCore> | undefined;

  const compose = async (): Promise<LambdaCore> => {
    const runtime: Runtime = await composeRuntime(
      config,
      logger,
      { remainingTimeMs },
      {
        ...(Object.keys(secretIds).length > 0 ? { secrets: invocationSecrets(secretIds) } : {}),
        wasmDir: WASM_DIR,
        loadModel: options.loadModel,
        metrics: options.metrics,
      },
    );
    try {
      await runtime.modelReady;
    } catch (error) {
      await runtime.close().catch(() => undefined);
      throw error;
    }
    const { core } = runtime;
    return {
      ...core,
      cache: trackWrites(core.cache),
      identity: authorizerIdentity(core.identity, config.trustAuthorizerClaims),
    };
  };

  const ready = (): Promise<LambdaCore> => {
    pending ??= compose().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
  // Started now, during init; a failure resurfaces (and is logged) in the first handler that awaits it.
  ready().catch(() => undefined);
  return { config, logger, secretIds, metrics: options.metrics, ready };
}
