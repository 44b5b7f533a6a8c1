import { AppError, type ErrorCode } from '../../errors.js';
import type { Classification, ModelInfo } from '../../ports/model.js';
import type { ModelStats } from './tfjs-model.js';

/** What a model worker is started with (workerData): plain data, as structured clone requires. */
export interface WorkerLoadOptions {
  uri: string;
  cacheDir?: string;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  wasmDir?: string;
  maxPixels?: number;
}

/** Main thread to worker: classify these bytes (transferred, not copied, when the buffer allows). */
export interface ClassifyRequest {
  id: number;
  image: Uint8Array;
  topK: number;
}

/** An error crossing the thread boundary: an AppError keeps its status and code, anything else its message. */
export interface WireError {
  message: string;
  app?: { status: number; code: ErrorCode; details?: unknown; retryAfterSeconds?: number };
}

export type WorkerReply =
  | { kind: 'ready'; info: ModelInfo; stats: ModelStats }
  | { kind: 'load-failed'; error: WireError }
  | { kind: 'result'; id: number; classification: Classification }
  | { kind: 'error'; id: number; error: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) {
    return {
      message: error.message,
      app: {
        status: error.status,
        code: error.code,
        details: error.details,
        retryAfterSeconds: error.retryAfterSeconds,
      },
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Rebuilt in the main thread so that the one error mapping answers exactly as for an in-process model. */
export function fromWireError(wire: WireError): Error {
  if (!wire.app) return new Error(wire.message);
  const { status, code, details, retryAfterSeconds } = wire.app;
  return new AppError(status, code, wire.message, { details, retryAfterSeconds });
}
