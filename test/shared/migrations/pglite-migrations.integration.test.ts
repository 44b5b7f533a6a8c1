import { describe } from 'vitest';
import { openPgliteDatabase, PGLITE_IN_MEMORY } from '../../../shared/adapters/store/pglite-database.js';
import { registerMigrationRunnerCases } from './migration-runner-contract.js';

describe('migration runner on PGlite', () => {
  registerMigrationRunnerCases(() => openPgliteDatabase(PGLITE_IN_MEMORY));
});
