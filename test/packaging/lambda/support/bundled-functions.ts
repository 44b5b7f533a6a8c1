import path from 'node:path';
import type { HttpApiEvent, HttpApiResult } from '../../../../functions/runtime/api-gateway.js';
import { type LambdaHost, startLambdaHost } from '../../../support/lambda/lambda-hosts.js';
import type { PackagedFunction } from './template.js';

/**
 * What the template's environment points at AWS, pointed at this machine instead: the emulators, a
 * writable data folder, the placeholder model in the zip (or `modelUri`), the dev key's JWKS.
 */
export function localOverrides(options: {
  services: Record<string, string>;
  dataDir: string;
  jwksIssuer: string;
  modelUri?: string;
}): Record<string, string> {
  return {
    ...options.services,
    DATA_DIR: options.dataDir,
    MODEL_URI: options.modelUri ?? 'models/placeholder',
    JWT_JWKS_URL: `${options.jwksIssuer}/.well-known/jwks.json`,
    JWT_ISSUER: options.jwksIssuer,
    JWT_AUDIENCE: 'pettracker',
    AWS_REGION: 'us-east-1',
  };
}

export interface BundledFunctions {
  hosts: Record<string, LambdaHost>;
  invoke(name: string, event: HttpApiEvent): Promise<HttpApiResult>;
  close(): void;
}

/**
 * Every packaged function running from its unpacked zip, each in a process of its own as on Lambda,
 * with the environment the template gives it plus `overrides` (what points at AWS pointed at the
 * local emulators instead). The unpacked folders sit outside the repository, so nothing can resolve
 * to the TypeScript source or to the project's node_modules: the zip alone answers.
 */
export async function startBundledFunctions(
  functions: readonly PackagedFunction[],
  dirs: Record<string, string>,
  overrides: Record<string, string>,
): Promise<BundledFunctions> {
  const hosts: Record<string, LambdaHost> = {};
  // One at a time: their cold starts would otherwise compete for this machine's two cores.
  for (const fn of functions) {
    const dir = dirs[fn.name];
    if (!dir) throw new Error(`no unpacked zip for ${fn.name}`);
    const bundle = path.join(dir, `${fn.handler.replace(/\.handler$/, '')}.mjs`);
    hosts[fn.name] = await startLambdaHost(bundle, { ...fn.environment, ...overrides });
  }
  return {
    hosts,
    async invoke(name, event) {
      const host = hosts[name];
      if (!host) throw new Error(`no function ${name}`);
      const timeout = functions.find((f) => f.name === name)?.timeout;
      return (await host.invoke(event, timeout)).result;
    },
    close() {
      for (const host of Object.values(hosts)) host.close();
    },
  };
}
