import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Cache } from '../../../../shared/ports/cache.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (label: string) => `${label}:${randomUUID()}`;

/** The Cache contract: every cache adapter registers these cases inside its own describe. */
export function registerCacheContract(open: () => Promise<Cache>): void {
  let cache: Cache;
  beforeAll(async () => {
    cache = await open();
  });
  afterAll(async () => {
    await cache?.close();
  });

  it('get of a key never set returns null', async () => {
    expect(await cache.get(key('missing'))).toBeNull();
  });

  it('get returns what set stored, byte for byte', async () => {
    const k = key('roundtrip');
    const value = JSON.stringify({ predictions: [{ label: 'Großer Münsterländer 🐕', confidence: 0.5 }] });
    await cache.set(k, value, 60);
    expect(await cache.get(k)).toBe(value);
  });

  it('set overwrites an existing value', async () => {
    const k = key('overwrite');
    await cache.set(k, 'first', 60);
    await cache.set(k, 'second', 60);
    expect(await cache.get(k)).toBe('second');
  });

  it('keys are independent', async () => {
    const [a, b] = [key('a'), key('b')];
    await cache.set(a, 'A', 60);
    expect(await cache.get(b)).toBeNull();
    expect(await cache.get(a)).toBe('A');
  });

  it('an entry set with a 1 s TTL is served before and gone after it expires', async () => {
    const k = key('ttl');
    await cache.set(k, 'short-lived', 1);
    expect(await cache.get(k)).toBe('short-lived');
    await sleep(1_300);
    expect(await cache.get(k)).toBeNull();
  });
}
