import { BadRequestError, MethodNotAllowedError } from '../errors.js';
import type { Operation } from './operation.js';

/**
 * A path whose percent-escapes do not decode (`/predictions/%E0%A4%A`) is refused as such, the same
 * way in both runtimes, before any route sees it: Express would otherwise fail inside its router, and
 * API Gateway hands the path on as it came.
 */
export function assertWellFormedPath(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw new BadRequestError('MALFORMED_URL', 'The request path has a malformed percent-escape.');
  }
}

/** The 405 for a path the table serves with other methods, naming them (the Allow header). */
export function methodNotAllowed(ops: readonly Operation[]): MethodNotAllowedError {
  return new MethodNotAllowedError([...new Set(ops.map((op) => op.method))].sort());
}
