import { parseArgs } from 'node:util';
import { migrateConfiguredDatabase } from '../../shared/composition/migrate-configured.js';
import { loadConfig } from '../../shared/config.js';

/** `pettracker migrate` and `npm run migrate` (and so the Beanstalk bundle's migrate entry). */
export async function migrateCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  try {
    const { target, result } = await migrateConfiguredDatabase(loadConfig());
    for (const name of result.applied) console.log(`applied ${name}`);
    console.log(
      `${target}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
    );
    return 0;
  } catch (error) {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
