import path from 'node:path';
import { createMiddySecrets } from '../../shared/adapters/secrets/middy-secrets.js';
import { composeRuntime, type Runtime } from '../../shared/compose.js';
import { secretIdsFor } from '../../shared/composition/open-secrets.js';
import { type Config, loadConfig, projectRoot } from '../../shared/config.js';
import { createLogger } from '../../shared/observability/logger.js';
import { ProcessMetrics } from '../../shared/observability/recorder.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Secrets } from '../../shared/ports/secrets.js';

// serverless.yml ships the SIMD .wasm file at this path in every zip that loads the model (and
// serverless-offline's build folder has the zips' layout); from the TypeScript source (tests) it is the
// installed package itself.
const WASM_DIR = path.join(projectRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

export interface Container {
  config: Config;
  logger: Logger;
  /** Logical name -> SecretId for @middy/secrets-manager; empty when secrets come from the environment. */
  secretIds: Record<string, string>;
  /** Hands in the secrets @middy/secrets-manager put on an invocation's context, for the core to read. */
  receiveSecrets(context: object): void;
  /** The container's own records (model load time, cold start), which ride on the next invocation's EMF line. */
  metrics: ProcessMetrics;
  /** The composed runtime, once the model (for functions that predict) is loaded and warmed up. */
  ready(): Promise<Runtime>;
}

/**
 * A container's state, built once at import (config parsed, then shared/compose.ts composes the store,
 * cache, identity and model) and reused by every warm invocation. A composition that failed (a model
 * that could not be downloaded) is retried by the next invocation instead of poisoning the container.
 */
export function startContainer(options: { loadModel: boolean | 'labels' }): Container {
  // A ConfigError here fails the init phase, naming the variable, before any request is accepted.
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const secretIds = config.secrets.kind === 'secrets-manager' ? secretIdsFor(config) : {};
  const metrics = new ProcessMetrics();
  // A container serves one invocation at a time, and middy keeps the values container-wide: the core
  // reads those the last invocation handed in. Before the first there are none (SECRET_UNAVAILABLE).
  let context: object = {};
  const secrets: Secrets = { get: (name) => createMiddySecrets(context, secretIds).get(name) };
  let pending: Promise<Runtime> | undefined;

  const compose = async (): Promise<Runtime> => {
    const runtime = await composeRuntime(config, logger, {
      ...(Object.keys(secretIds).length > 0 ? { secrets } : {}),
      wasmDir: WASM_DIR,
      loadModel: options.loadModel,
      metrics,
    });
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
  const receiveSecrets = (invocation: object) => {
    context = invocation;
  };
  return { config, logger, secretIds, receiveSecrets, metrics, ready };
}
