/**
 * A model could not be fetched, verified or loaded. Start-up fails with it: no request is served by a
 * half-loaded model, so this is not an AppError with an HTTP status (readiness stays false instead).
 */
export class ModelLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}
