import { httpFunction } from './runtime/http-function.js';

/** GET /model: the model being served, its labels, input size and TF.js backend. */
export const handler = httpFunction('model-info');
