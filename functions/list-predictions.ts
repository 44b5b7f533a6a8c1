import { httpFunction } from './runtime/http-function.js';

/**
 * GET /predictions (JWT authorizer): the caller's history, newest first, cursor-paginated; and
 * GET /predictions/{id}: one of its rows, where a save's Location points.
 */
export const handler = httpFunction('list-predictions');
