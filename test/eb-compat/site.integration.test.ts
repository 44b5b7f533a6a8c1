import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiJson } from '../../shared/http/openapi.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface ErrorJson {
  error: { code: string };
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('the Express runtime beside the API', () => {
  it.each([
    ['/', /^text\/html/],
    ['/app.js', /^(text|application)\/javascript/],
    ['/api.js', /^(text|application)\/javascript/],
    ['/history.js', /^(text|application)\/javascript/],
    ['/styles.css', /^text\/css/],
    ['/favicon.svg', /^image\/svg\+xml/],
  ])('serves %s with its content type and a strict Content-Security-Policy', async (path, type) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the generated OpenAPI document at /openapi.json', async () => {
    const res = await fetch(`${app.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toBe(openApiJson());
  });

  it('still answers unknown paths with the API error body, not a file', async () => {
    const res = await fetch(`${app.url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe('NOT_FOUND');
  });

  it('mints a dev token for the page that the API accepts, on the dev identity', async () => {
    const res = await fetch(`${app.url}/dev/token?user=page-user`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { token } = (await res.json()) as { token: string };
    const list = await fetch(`${app.url}/predictions`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses a user name that is not a plain identifier', async () => {
    const res = await fetch(`${app.url}/dev/token?user=${encodeURIComponent('a b')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.code).toBe('VALIDATION_FAILED');
  });
});
