import path from 'node:path';
import { ProcessMetrics } from '../../shared/adapters/metrics/request-recorder.js';
import { composeRuntime, type Runtime } from '../../shared/compose.js';
import { secretIdsFor } from '../../shared/composition/open-secrets.js';
import { type Config, loadConfig, projectRoot } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import type { Logger } from '../../shared/ports/logger.js';
import { authorizerIdentity, contextualLogger, invocationSecrets, remainingTimeMs } from './invocation.js';

// serverless.yml ships the SIMD .wasm file at this path in every zip that loads the model (and
// serverless-offline's build folder has the zips' layout); from the TypeScript source (tests) it is the
// installed package itself.
const WASM_DIR = path.join(projectRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

export interface Container {
  config: Config;
  logger: Logger;
  /** Logical name -> SecretId for @middy/secrets-manager; empty when secrets come from the environment. */
  secretIds: Record<string, string>;
  /** The container's own records (model load time, cold start), which ride on the next invocation's EMF line. */
  metrics: ProcessMetrics;
  /** The composed runtime, once the model (for functions that predict) is loaded and warmed up. */
  ready(): Promise<Runtime>;
}

/**
 * A container's state, built once at import (config parsed, then shared/compose.ts composes the store,
 * cache, identity and model with the Lambda inputs: the invocation's deadline, secrets and authorizer
 * claims) and reused by every warm invocation. A composition that failed (a model that could not be
 * downloaded) is retried by the next invocation instead of poisoning the container.
 */
export function startContainer(options: { loadModel: boolean | 'labels' }): Container {
  // A ConfigError here fails the init phase, naming the variable, before any request is accepted.
  const config = loadConfig();
  const logger = contextualLogger(createLogger(config.logLevel));
  const secretIds = config.secrets.kind === 'secrets-manager' ? secretIdsFor(config) : {};
  const metrics = new ProcessMetrics();
  let pending: Promise<Runtime> | undefined;

  const compose = async (): Promise<Runtime> => {
    const runtime = await composeRuntime(
      config,
      logger,
      { remainingTimeMs },
      {
        ...(Object.keys(secretIds).length > 0 ? { secrets: invocationSecrets(secretIds) } : {}),
        wasmDir: WASM_DIR,
        loadModel: options.loadModel,
        metrics,
        identity: (fromConfig) =>
          authorizerIdentity(fromConfig, config.trustAuthorizerClaims, config.auth.limits),
      },
    );
    try {
      await runtime.modelReady;
    } catch (error) {
      await runtime.close().catch(() => undefined);
      throw error;
    }
    return runtime;
  };

  const ready = (): Promise<Runtime> => {
    pending ??= compose().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
  return { config, logger, secretIds, metrics, ready };
}
