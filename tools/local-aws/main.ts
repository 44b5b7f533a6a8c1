/**
 * All three emulators in one process, for tools that want them out of their own process (the
 * benchmark): prints one line `LOCAL_AWS_ENV {json}` with the API's configuration, then serves
 * until SIGTERM/SIGINT. POSTGRES_URL (else PGlite in memory), DATA_API_DATABASE, REDIS_URL.
 */
import { z } from 'zod';
import { startLocalAws } from './start-local-aws.js';

const env = z
  .object({
    POSTGRES_URL: z.url().optional(),
    DATA_API_DATABASE: z.string().min(1).default('pettracker'),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  })
  .parse(process.env);

const aws = await startLocalAws({
  postgresUrl: env.POSTGRES_URL,
  database: env.DATA_API_DATABASE,
  redisUrl: env.REDIS_URL,
});
console.log(`LOCAL_AWS_ENV ${JSON.stringify(aws.env)}`);
const stop = () => void aws.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
