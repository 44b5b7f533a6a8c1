import { migrateFunction } from './runtime/migrate-function.js';

/** Applies pending migrations through the Data API; CloudFormation runs it once per deploy. */
export const handler = migrateFunction();
