import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { apiContract } from './api-contract.js';
import { expressTarget } from './express-target.js';

const MAX_IMAGE_BYTES = 300_000;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) });
});
afterAll(() => app?.close());

describe('Express runtime', () => {
  apiContract(() => expressTarget(() => app, MAX_IMAGE_BYTES));

  // What needs a socket; the rest of what the pipeline does is tested without one (test/shared/http/pipeline.test.ts).
  it('refuses an oversize upload from its Content-Length before reading the body', async () => {
    const { status, received } = await new Promise<{ status: number; received: number }>(
      (resolve, reject) => {
        const req = httpRequest(`${app.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'image/jpeg', 'content-length': String(50 * 1024 * 1024) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, received: 0 });
        });
        req.on('error', reject);
        // Only the headers and a first chunk are sent: a server that waited for the body would hang.
        req.write(Buffer.alloc(1024));
      },
    );
    expect(status).toBe(413);
    expect(received).toBe(0);
  });

  it('stops reading a chunked upload once it passes the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${app.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0xff);
      let sent = 0;
      const pump = () => {
        while (sent < MAX_IMAGE_BYTES * 2 && req.write(chunk)) sent += chunk.length;
        if (sent < MAX_IMAGE_BYTES * 2) req.once('drain', pump);
      };
      pump();
    });
    expect(status).toBe(413);
  });
});
