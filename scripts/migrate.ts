/**
 * npm run migrate: applies migrations/ to the configured database (PGlite, PostgreSQL, or the RDS
 * Data API). Beanstalk runs it as a leader_only container command and Lambda as the migrate
 * function; concurrent runs are safe anyway (see runMigrations). Exits 1 with the reason.
 * The same command as `pettracker migrate`.
 */
import { migrateCommand } from '../cli/commands/migrate.js';

process.exitCode = await migrateCommand(process.argv.slice(2));
