import { silentLogger } from '../../shared/observability/logger.js';
import type { Logger } from '../../shared/ports/logger.js';

/** A logger that keeps what it is asked to warn about, and drops the rest. */
export function capturingLogger(): {
  logger: Logger;
  warnings: { obj: Record<string, unknown>; msg: string | undefined }[];
} {
  const warnings: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const logger: Logger = {
    ...silentLogger(),
    warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
    child: () => logger,
  };
  return { logger, warnings };
}
