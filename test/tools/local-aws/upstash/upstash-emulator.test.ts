import { describe, expect, it } from 'vitest';
import { startUpstashEmulator } from '../../../../tools/local-aws/upstash/upstash-emulator.js';
import { postJson } from '../../../support/upstash.js';

// The emulator with no Redis behind it; spoken to over the real Redis in upstash-emulator.integration.test.ts.

describe('Upstash REST emulator without its Redis', () => {
  it('answers 500 {error} naming the cause, as the service would during an outage', async () => {
    const emulator = await startUpstashEmulator({ redisUrl: 'redis://127.0.0.1:1', token: 't' });
    try {
      const reply = await postJson(`${emulator.url}/`, ['GET', 'k'], { authorization: 'Bearer t' });
      expect(reply).toEqual({ status: 500, body: { error: expect.stringMatching(/Redis unavailable/) } });
    } finally {
      await emulator.close();
    }
  });
});
