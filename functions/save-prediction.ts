import { httpFunction } from './runtime/http-function.js';

/** POST /predictions (JWT authorizer): save a prediction to the caller's history, idempotently. */
export const handler = httpFunction('save-prediction');
