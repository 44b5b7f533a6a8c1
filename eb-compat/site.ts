import { readdirSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import { projectRoot } from '../shared/config.js';
import { BadRequestError } from '../shared/errors.js';
import type { ExtraRoute } from '../shared/http/pipeline.js';
import { SECURITY_HEADERS } from '../shared/http/security-headers.js';

/** Beside models/ and migrations/ under the project root, in the repository and in the Beanstalk bundle. */
export const PUBLIC_DIR = path.join(projectRoot, 'eb-compat', 'public');

// The API's security headers, with a policy for a page: it loads nothing from elsewhere and runs no
// inline script; blob: is the preview of the chosen photo, which never leaves the browser except to
// POST /predict.
const PAGE_HEADERS = {
  ...SECURITY_HEADERS,
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'cache-control': 'no-cache',
};

const DevTokenQuery = z.object({ user: z.string().regex(/^[\w.@-]{1,64}$/, '1-64 of A-Z a-z 0-9 _ . @ -') });

/**
 * The try-it page's files. Only the paths that exist at start-up go to express.static, so an API
 * request never touches the file system and everything else is the pipeline's (404 included).
 */
export function sitePage(): RequestHandler {
  const files = new Set(['/']);
  for (const entry of readdirSync(PUBLIC_DIR, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath ?? (entry as { path: string }).path, entry.name);
      files.add(`/${path.relative(PUBLIC_DIR, full).split(path.sep).join('/')}`);
    }
  }
  const serve = express.static(PUBLIC_DIR, {
    index: 'index.html',
    etag: true,
    setHeaders: (res) => res.set(PAGE_HEADERS),
  });
  return (req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && files.has(req.path)) serve(req, res, next);
    else next();
  };
}

/** Only with the dev identity: GET /dev/token?user=… mints a token for the page, through the pipeline. */
export function devTokenRoute(devTokens: DevTokens): ExtraRoute {
  return {
    id: 'devToken',
    method: 'GET',
    path: '/dev/token',
    async answer(query) {
      const parsed = DevTokenQuery.safeParse(query);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new BadRequestError('VALIDATION_FAILED', 'Invalid query string.', details);
      }
      const token = await devTokens.mint(parsed.data.user, '12h');
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: { token, user: parsed.data.user, expiresIn: '12h' },
      };
    },
  };
}
