import type { Metrics } from '../../ports/metrics.js';

export interface RequestOutcome {
  operation: string;
  status: number;
  /** The error body's code, for a 4xx or 5xx. */
  code?: string | undefined;
  durationMs: number;
}

/** What every runtime records per request: its duration and, for an error answer, its class and code. */
export function recordRequest(metrics: Metrics, outcome: RequestOutcome): void {
  const { operation, status, code } = outcome;
  metrics.timing('RequestMs', outcome.durationMs, { Operation: operation });
  if (status < 400) return;
  // Unknown only if a runtime answers an error without the shared error body; still counted.
  const dimensions = { Operation: operation, Code: code ?? `HTTP_${status}` };
  metrics.count(status < 500 ? 'ClientError' : 'ServerError', 1, dimensions);
}
