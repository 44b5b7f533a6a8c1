import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../eb-compat/http-server.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { ModelSlot } from '../../shared/model-slot.js';
import { makeJpeg } from '../support/images.js';
import { responseChecker } from '../support/response-checker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { expressTarget } from './express-target.js';
import { openApiConformance } from './openapi-conformance.js';

const MAX_IMAGE_BYTES = 300_000;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) });
});
afterAll(() => app?.close());

describe('Express runtime', () => {
  openApiConformance(() => expressTarget(() => app, MAX_IMAGE_BYTES));

  describe('before the model is loaded', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // The same core with an empty model slot: what a request sees while the model still loads.
      server = createHttpServer({ ...app.runtime.core, model: new ModelSlot() }).listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('answers 503 NOT_READY with Retry-After, as documented, on /ready and /predict', async () => {
      const check = responseChecker(buildOpenApiDocument());
      const ready = await fetch(`${url}/ready`);
      const predicted = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body: await makeJpeg(64, 64),
      });
      for (const [path, res] of [
        ['/ready', ready],
        ['/predict', predicted],
      ] as const) {
        expect(res.status).toBe(503);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('NOT_READY');
        check.operation(path === '/ready' ? 'GET' : 'POST', path, {
          status: res.status,
          headers: Object.fromEntries(res.headers),
          body,
        });
      }
    });
  });
});
