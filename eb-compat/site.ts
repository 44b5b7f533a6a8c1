import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { DevTokens } from '../shared/composition/dev-tokens.js';
import { projectRoot } from '../shared/config.js';
import { BadRequestError } from '../shared/errors.js';
import { openApiJson } from '../shared/http/openapi.js';

/** Beside models/ and migrations/ under the project root, in the repository and in the Beanstalk bundle. */
export const PUBLIC_DIR = path.join(projectRoot, 'eb-compat', 'public');

// The page loads nothing from elsewhere and runs no inline script; blob: is the preview of the
// chosen photo, which never leaves the browser except to POST /predict.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const DevTokenQuery = z.object({ user: z.string().regex(/^[\w.@-]{1,64}$/, '1-64 of A-Z a-z 0-9 _ . @ -') });

export interface SiteOptions {
  /** Present only with the dev identity: then GET /dev/token?user=… mints a token for the page. */
  devTokens?: DevTokens | undefined;
  /** Answers an error with the API's error body, as the operation routes do. */
  fail(req: Request, res: Response, error: unknown): void;
}

/** What the Express runtime serves besides the operation table: the OpenAPI document and the try-it page. */
export function siteRoutes(options: SiteOptions): express.Router {
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openApiJson());
  });
  const { devTokens } = options;
  if (devTokens) {
    router.get('/dev/token', async (req, res) => {
      const parsed = DevTokenQuery.safeParse(req.query);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        options.fail(req, res, new BadRequestError('VALIDATION_FAILED', 'Invalid query string.', details));
        return;
      }
      const token = await devTokens.mint(parsed.data.user, '12h');
      res.set('cache-control', 'no-store').json({ token, user: parsed.data.user, expiresIn: '12h' });
    });
  }
  router.use(
    express.static(PUBLIC_DIR, {
      index: 'index.html',
      etag: true,
      setHeaders: (res) => res.set(PAGE_HEADERS),
    }),
  );
  return router;
}
