import { describe } from 'vitest';
import { registerStoreContract } from '../shared/adapters/store/store-contract.js';
import { memoryStore } from './memory-store.js';

// The pipeline's fast-tier tests stand on this store: it must keep the same contract as the SQL stores.
describe('the in-memory store of the pipeline tests', () => {
  registerStoreContract(async () => ({ store: memoryStore() }), { withSql: false });
});
