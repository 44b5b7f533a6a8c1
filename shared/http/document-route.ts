import { openApiJson } from './openapi.js';
import type { ExtraRoute } from './pipeline.js';

/** GET /openapi.json on both runtimes: the same text, built once per process. */
export const openApiRoute: ExtraRoute = {
  id: 'openApi',
  method: 'GET',
  path: '/openapi.json',
  answer: () => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: openApiJson(),
  }),
};
