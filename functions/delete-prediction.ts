import { httpFunction } from './runtime/http-function.js';

/** DELETE /predictions/{id} (JWT authorizer): delete one of the caller's own predictions. */
export const handler = httpFunction('delete-prediction');
