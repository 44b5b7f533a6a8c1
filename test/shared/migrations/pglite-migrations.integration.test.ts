import { describe } from 'vitest';
import { openPgliteDatabase } from '../../../shared/adapters/store/pglite-database.js';
import { registerMigrationRunnerCases } from './migration-runner-contract.js';

describe('migration runner on PGlite', () => {
  registerMigrationRunnerCases(() => openPgliteDatabase('memory://'));
});
