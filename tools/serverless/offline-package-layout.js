import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A Serverless Framework plugin for `serverless offline` only: it gives serverless-esbuild's build folder
 * the layout of the zips. serverless-esbuild copies a function's own `package.patterns` (the model, the
 * WASM binary) to `.build/__only_<function>/` and zips them at the root of that function's zip, but
 * serverless-offline runs every function from `.build/` itself, where they are not
 * (floydspace/serverless-esbuild#461): MODEL_URI=models/… found no model. Listed after serverless-esbuild,
 * so its hooks run once the build folder is complete and before any function starts.
 */
export default class OfflinePackageLayout {
  /** @param {{ serviceDir: string, service: { custom?: Record<string, any>, functions?: object } }} serverless */
  constructor(serverless) {
    const merge = () => {
      const location = serverless.service.custom?.['serverless-offline']?.location;
      if (typeof location !== 'string') return;
      const build = path.resolve(serverless.serviceDir, location);
      if (!existsSync(build)) return;
      for (const name of Object.keys(serverless.service.functions ?? {})) {
        const own = path.join(build, `__only_${name}`);
        // One folder runs them all: each function finds every function's own files, more than its zip holds.
        if (existsSync(own)) cpSync(own, build, { recursive: true, force: true });
      }
    };
    this.hooks = { 'before:offline:start': merge, 'before:offline:start:init': merge };
  }
}
