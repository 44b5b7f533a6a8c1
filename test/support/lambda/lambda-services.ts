import { randomBytes } from 'node:crypto';
import { type DataApiEmulator, startDataApiEmulator } from '../../../tools/local-aws/data-api/server.js';
import { type LocalAws, startLocalAws } from '../../../tools/local-aws/start-local-aws.js';
import {
  createTempDatabase,
  PG_TEST_URL,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
} from '../services.js';

export interface LambdaServices {
  /** What AWS would be to the functions: the Data API always, Upstash and Secrets Manager with Redis. */
  env: Record<string, string>;
  /** Its fault switch makes Aurora "resume" on demand. */
  dataApi: DataApiEmulator;
  /** Set when Upstash and Secrets Manager are emulated (a local PostgreSQL and Redis answer). */
  aws?: LocalAws;
  close(): Promise<void>;
}

/**
 * The functions' AWS side on this machine: the RDS Data API, Upstash REST and Secrets Manager emulators
 * over the local PostgreSQL (a fresh database) and Redis, as production has them. Without those servers
 * (a laptop) the Data API emulator runs on PGlite in memory and the cache is the memory one, so the
 * Lambda tests still run everywhere, only with less of AWS emulated.
 */
export async function startLambdaServices(): Promise<LambdaServices> {
  if ((await postgresAvailable()) && (await redisAvailable())) {
    const database = await createTempDatabase();
    const aws = await startLocalAws({
      postgresUrl: PG_TEST_URL,
      database: new URL(database.url).pathname.slice(1),
      redisUrl: REDIS_TEST_URL,
    });
    return {
      env: { ...aws.env, CACHE_KEY_PREFIX: `pettracker-lambda-test:${randomBytes(4).toString('hex')}:` },
      aws,
      dataApi: aws.dataApi,
      async close() {
        await aws.close();
        await database.drop();
      },
    };
  }
  const dataApi = await startDataApiEmulator({ pglite: {} });
  return {
    env: {
      STORE: 'data-api',
      DATA_API_RESOURCE_ARN: 'arn:aws:rds:us-east-1:000000000000:cluster:pettracker-test',
      DATA_API_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pettracker-test',
      DATA_API_DATABASE: 'pettracker',
      DATA_API_ENDPOINT: dataApi.url,
      CACHE: 'memory',
      SECRETS: 'env',
    },
    dataApi,
    close: () => dataApi.close(),
  };
}
