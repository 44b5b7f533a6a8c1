import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from '../../ports/logger.js';
import { ModelLoadError } from './model-errors.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendOptions {
  preference?: BackendPreference;
  /** Folder holding tfjs-backend-wasm*.wasm; needed after bundling, when the files sit beside the bundle. */
  wasmDir?: string;
  /**
   * XNNPACK threads. 1 by default: in Node, tfjs-backend-wasm 4.x always loads the single-threaded
   * SIMD binary (its WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node), so more threads buy nothing.
   */
  wasmThreads?: number;
  logger?: Pick<Logger, 'info'>;
}

// A variable specifier keeps tsc and bundlers from resolving the optional native package.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function useTensorflow(): Promise<boolean> {
  try {
    await import(TFJS_NODE);
  } catch {
    return false; // not installed (its install script needs a download), or libtensorflow missing
  }
  return tf.setBackend('tensorflow');
}

function packagedWasmDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    return path.dirname(entry);
  } catch {
    // Bundled (the Beanstalk source bundle): the package is not on disk, so the bundler copies the
    // .wasm files beside the bundle, which is where import.meta.url points once everything is inlined.
    const beside = path.dirname(fileURLToPath(import.meta.url));
    return existsSync(path.join(beside, 'tfjs-backend-wasm.wasm')) ? beside : undefined;
  }
}

let wasmConfigured = false;

async function useWasm(options: BackendOptions): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmConfigured) {
    const dir = options.wasmDir ?? packagedWasmDir();
    if (dir === undefined) throw new Error('The .wasm files were not found: pass wasmDir.');
    // Emscripten joins prefix and file name without a separator.
    wasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
    wasm.setThreadsCount(options.wasmThreads ?? 1);
    wasmConfigured = true;
  }
  return tf.setBackend('wasm');
}

async function tryBackend(
  name: Exclude<BackendPreference, 'auto'>,
  options: BackendOptions,
): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  switch (name) {
    case 'tensorflow':
      return useTensorflow();
    case 'wasm':
      return useWasm(options);
    case 'cpu':
      return tf.setBackend('cpu');
  }
}

/**
 * Picks the TF.js backend for the whole process (TF.js keeps one global engine) and returns the name
 * actually in use. 'auto' prefers native TensorFlow, then WASM, then the pure-JS cpu backend; an
 * explicit preference fails instead of falling back, so a misconfigured deployment is noticed.
 */
export async function selectBackend(options: BackendOptions = {}): Promise<string> {
  const preference = options.preference ?? 'auto';
  const order: Exclude<BackendPreference, 'auto'>[] =
    preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const failures: string[] = [];
  for (const name of order) {
    const failure = await tryBackend(name, options).then(
      (ok) => (ok ? undefined : 'unavailable'),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    if (failure === undefined) {
      await tf.ready();
      const backend = tf.getBackend();
      options.logger?.info({ backend, preference, skipped: failures }, 'TF.js backend selected');
      return backend;
    }
    failures.push(`${name}: ${failure}`);
  }
  throw new ModelLoadError(`No TF.js backend could be initialised (${failures.join('; ')}).`);
}
