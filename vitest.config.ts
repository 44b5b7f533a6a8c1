import { defineConfig } from 'vitest/config';

/*
 * Two projects, told apart by the file name alone. `npm test` (what CI runs) runs both, so every file
 * runs exactly once; `npm run test:unit` runs the unit project, the inner loop (under 20 s).
 *
 * - integration: `*.integration.test.ts`. A file that needs something outside the test process (the
 *   real PostgreSQL or Redis, Chromium, nginx, a child process, the packaged Lambda zips or the
 *   Beanstalk bundle), an embedded database engine (PGlite: seconds to start), or real-size work (the
 *   MobileNet model on the test photos, 100,000-pixel images). The property suite is all integration.
 * - unit: every other `*.test.ts` under test/.
 *
 * A new test that needs any of the above goes in an `.integration.test.ts` beside the fast ones (split
 * the file rather than slow the tier down).
 */
const INTEGRATION = 'test/**/*.integration.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // TF.js and PGlite are heavy: forks keep each integration file's WASM heap apart.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [INTEGRATION],
          // The unit files share their two workers instead of each importing TF.js, zod, sharp and the
          // AWS SDK afresh: 7-9 s instead of 20 s here. So a unit test leaves nothing behind that the
          // next file could see (environment variables, listeners, timers, open handles).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [INTEGRATION],
        },
      },
    ],
  },
});
