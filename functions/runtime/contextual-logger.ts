import type { Logger } from '../../shared/ports/logger.js';
import { currentInvocation } from './invocation.js';

/**
 * The core's logger with the invocation's ids on every line, also on lines the adapters write (a store
 * retry, a cache warning), so one CloudWatch Logs Insights filter on requestId finds them all.
 */
export function contextualLogger(base: Logger): Logger {
  const fields = (obj: object): object => {
    const invocation = currentInvocation();
    if (!invocation) return obj;
    return { requestId: invocation.requestId, awsRequestId: invocation.context.awsRequestId, ...obj };
  };
  return {
    info: (obj, msg) => base.info(fields(obj), msg),
    warn: (obj, msg) => base.warn(fields(obj), msg),
    error: (obj, msg) => base.error(fields(obj), msg),
    debug: (obj, msg) => base.debug(fields(obj), msg),
    child: (bindings) => contextualLogger(base.child(bindings)),
  };
}
