import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../../shared/adapters/cache/memory-cache.js';
import { registerCacheContract } from './cache-contract.js';

describe('memory cache', () => {
  registerCacheContract(async () => createMemoryCache());

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', '3', 60);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual(['1', null, '3']);
  });
});
