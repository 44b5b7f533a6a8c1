import { errors } from '@upstash/redis';
import { describe, expect, it, vi } from 'vitest';
import { CacheTimeoutError, withFailOpen } from '../../../../shared/adapters/cache/fail-open-cache.js';
import { createUpstashCache } from '../../../../shared/adapters/cache/upstash-cache.js';
import { capturingLogger } from '../../../support/capturing-logger.js';
import { startTestUpstash } from '../../../support/upstash.js';

// Neither case reaches Redis (a stopped emulator; a request refused at the token check), so these
// run without one.

describe('Upstash cache behind withFailOpen', () => {
  // The wrapper's bound is a fake timer that never fires, so no wall-clock time is read: a call that
  // ends at all was ended by the closed port. One that waited instead fails at the test's timeout.
  it('with the emulator stopped, get is a miss and set resolves without waiting, never an error', async () => {
    const upstash = await startTestUpstash();
    await upstash.close();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { logger, warnings } = capturingLogger();
      // The client's own abort far beyond the test's timeout: only the closed port can end a call.
      const upstashCache = createUpstashCache({ url: upstash.url, token: upstash.token, timeoutMs: 600_000 });
      const cache = withFailOpen(upstashCache, { logger, timeoutMs: 100 });
      expect(await cache.get('k')).toBeNull();
      await expect(cache.set('k', 'v', 60)).resolves.toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.obj.err).not.toBeInstanceOf(CacheTimeoutError);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with a wrong token the client rejects with Unauthorized, and fail-open turns that into a miss', async () => {
    const upstash = await startTestUpstash();
    try {
      const wrong = createUpstashCache({ url: upstash.url, token: 'not-the-token', timeoutMs: 1_000 });
      const rejection = wrong.get('k');
      await expect(rejection).rejects.toBeInstanceOf(errors.UpstashError);
      await expect(rejection).rejects.toThrow(/Unauthorized/);

      const { logger, warnings } = capturingLogger();
      const cache = withFailOpen(wrong, { logger, timeoutMs: 1_000 });
      expect(await cache.get('k')).toBeNull();
      await expect(cache.set('k', 'v', 60)).resolves.toBeUndefined();
      expect(warnings[0]?.obj.err).toBeInstanceOf(errors.UpstashError);
    } finally {
      await upstash.close();
    }
  });
});
