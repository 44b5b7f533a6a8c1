import { httpFunction } from './runtime/http-function.js';

/** GET /health and GET /ready: the probes (ready = model warmed up and the database answers). */
export const handler = httpFunction('health');
