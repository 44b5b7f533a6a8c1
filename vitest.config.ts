import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // TF.js and PGlite are heavy: forks keep each file's WASM heap apart.
    pool: 'forks',
    maxWorkers: 2,
  },
});
