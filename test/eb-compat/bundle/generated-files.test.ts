import { describe, expect, it } from 'vitest';
import { nginxErrorPagesConf } from '../../../eb-compat/bundle/generated-files.js';
import { TEST_SETTINGS } from '../../packaging/eb/support/built-bundle.js';

// The generated nginx configuration as text; a real nginx serves it in
// test/packaging/eb/nginx-413.integration.test.ts.

/** The JSON inside `return 413 '...'`, unescaped as nginx reads a single-quoted string. */
function returnedBody(conf: string): string {
  const match = /return 413 '((?:[^'\\]|\\.)*)';/.exec(conf);
  if (!match?.[1]) throw new Error(`no return 413 in:\n${conf}`);
  return match[1].replace(/\\(.)/g, '$1');
}

describe('nginx answers an oversize body with the API JSON error (generated config)', () => {
  it('routes 413 to a location that returns the app error body with IMAGE_TOO_LARGE and MAX_IMAGE_BYTES', () => {
    const conf = nginxErrorPagesConf(TEST_SETTINGS.maxImageBytes);
    expect(conf).toMatch(/^error_page 413 @pettracker_413;$/m);
    expect(conf).toMatch(/^\s+default_type application\/json;$/m);
    const body = JSON.parse(returnedBody(conf).replace('$request_id', 'abc123'));
    expect(body).toEqual({
      error: {
        code: 'IMAGE_TOO_LARGE',
        message: expect.stringContaining(String(TEST_SETTINGS.maxImageBytes)),
        requestId: 'abc123',
      },
    });
  });
});
