import { AppError, type ErrorCode } from '../../errors.js';
import type { Classification, DecodedImage, ModelInfo } from '../../ports/model.js';
import type { ModelStats } from './tfjs-model.js';

/** What a model worker is started with (workerData): plain data, as structured clone requires. */
export interface WorkerLoadOptions {
  uri: string;
  cacheDir?: string;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  wasmDir?: string;
}

/** Main thread to worker: classify these pixels (transferred, not copied, when the buffer allows). */
export interface ClassifyRequest {
  id: number;
  image: DecodedImage;
  topK: number;
}

/**
 * An error crossing the thread boundary: an AppError keeps its code (and so its status); every error keeps its
 * message, class name and the worker's stack, so a 500 from a worker is logged as it was thrown.
 */
export interface WireError {
  message: string;
  name?: string;
  stack?: string;
  app?: { code: ErrorCode; details?: unknown; retryAfterSeconds?: number };
}

export type WorkerReply =
  | { kind: 'ready'; info: ModelInfo; stats: ModelStats }
  | { kind: 'load-failed'; error: WireError }
  | { kind: 'result'; id: number; classification: Classification }
  | { kind: 'error'; id: number; error: WireError };

export function toWireError(error: unknown): WireError {
  const origin = error instanceof Error ? { name: error.name, stack: error.stack } : {};
  if (error instanceof AppError) {
    return {
      message: error.message,
      ...origin,
      app: {
        code: error.code,
        details: error.details,
        retryAfterSeconds: error.retryAfterSeconds,
      },
    };
  }
  return { message: error instanceof Error ? error.message : String(error), ...origin };
}

/** Rebuilt in the main thread so that the one error mapping answers exactly as for an in-process model. */
export function fromWireError(wire: WireError): Error {
  const error = wire.app
    ? new AppError(wire.app.code, wire.message, {
        details: wire.app.details,
        retryAfterSeconds: wire.app.retryAfterSeconds,
      })
    : new Error(wire.message);
  if (wire.name) error.name = wire.name;
  if (wire.stack) error.stack = `${wire.stack}\n    (thrown in a model worker thread)`;
  return error;
}
