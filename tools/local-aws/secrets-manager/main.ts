/**
 * Dev entry point: `tsx tools/local-aws/secrets-manager/main.ts`. Reads SECRETS_MANAGER_EMULATOR_PORT
 * (default 4584) and SECRETS_FILE (optional JSON file: {"name": "value" or {...}}). Point the app at it
 * with SECRETS_MANAGER_ENDPOINT. A tool, not the app: shared/config.ts is not involved.
 */
import { startSecretsManagerEmulator } from './secrets-manager-emulator.js';

const port = Number(process.env.SECRETS_MANAGER_EMULATOR_PORT ?? 4584);
const file = process.env.SECRETS_FILE;

const emulator = await startSecretsManagerEmulator({ port, ...(file ? { file } : {}) });
// Names only: the values are whatever the file holds and stay out of the console.
console.log(`Secrets Manager emulator on ${emulator.url}${file ? ` (secrets from ${file})` : ''}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
