import { httpFunction } from './runtime/http-function.js';

/** GET /predictions (JWT authorizer): the caller's history, newest first, cursor-paginated. */
export const handler = httpFunction('list-predictions');
