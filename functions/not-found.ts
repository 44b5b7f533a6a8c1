import { fallbackFunction } from './runtime/http-function.js';

/** The $default route: 404 / 405 as the API's JSON error body, and CORS preflights. */
export const handler = fallbackFunction();
