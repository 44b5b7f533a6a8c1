/**
 * Runs the RDS Data API emulator for local development:
 *   DATA_API_PORT=4010 DATABASE_URL=postgres://root@127.0.0.1:5432/postgres tsx tools/local-aws/data-api/main.ts
 * Without DATABASE_URL it runs on PGlite: in memory, or under DATA_API_PGLITE_DIR when set.
 * Point RDSDataClient at the printed URL with any static credentials (signatures are not checked).
 */
import { z } from 'zod';
import { startDataApiEmulator } from './server.js';

const env = z
  .object({
    DATA_API_PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
    DATA_API_HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.url().optional(),
    DATA_API_PGLITE_DIR: z.string().min(1).optional(),
  })
  .safeParse(process.env);

if (!env.success) {
  const issue = env.error.issues[0];
  console.error(`Invalid ${issue?.path.join('.')}: ${issue?.message}`);
  process.exit(1);
}

const config = env.data;
const emulator = await startDataApiEmulator({
  port: config.DATA_API_PORT,
  host: config.DATA_API_HOST,
  databaseUrl: config.DATABASE_URL,
  pglite: { dataDir: config.DATA_API_PGLITE_DIR },
  log: (message) => console.log(`[data-api] ${message}`),
});
const backend = config.DATABASE_URL
  ? new URL(config.DATABASE_URL).host
  : `PGlite ${config.DATA_API_PGLITE_DIR ?? '(in memory)'}`;
console.log(`[data-api] RDS Data API emulator on ${emulator.url} -> ${backend}`);
console.log(
  `[data-api] faults: curl -X POST ${emulator.url}/_emulator/faults -d '{"type":"DatabaseResumingException","durationMs":15000}'`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
