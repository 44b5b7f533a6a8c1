import { ConfigError } from '../shared/config.js';
import { evalCommand } from './commands/eval.js';
import { migrateCommand } from './commands/migrate.js';
import { modelCommand } from './commands/model.js';
import { predictCommand } from './commands/predict.js';
import { tokenCommand } from './commands/token.js';
import { trainCommand } from './commands/train.js';
import { USAGE, UsageError } from './usage.js';

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  predict: predictCommand,
  migrate: migrateCommand,
  token: tokenCommand,
  model: modelCommand,
  eval: evalCommand,
  train: trainCommand,
};

/** Runs one command line; resolves to the exit code (0 ok, 1 failed, 2 usage). Never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`Unknown command "${name}".`);
    return await command(args);
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    console.error(error instanceof ConfigError ? error.message : `pettracker ${name}: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
