/**
 * The real @aws-sdk/client-rds-data client against the local Data API emulator, which runs the SQL on
 * the real PostgreSQL (PG_TEST_URL) or on PGlite. Nothing is mocked: requests are signed, sent over
 * HTTP, and parsed by the SDK's own restJson1 protocol code.
 */
import { RDSDataClient, type RDSDataClientConfig } from '@aws-sdk/client-rds-data';
import { DataApiDatabase } from '../../shared/adapters/store/data-api-database.js';
import {
  type DataApiEmulator,
  type DataApiEmulatorOptions,
  startDataApiEmulator,
} from '../../tools/local-aws/data-api/server.js';
import { PG_TEST_URL } from './services.js';

export type { DataApiEmulator };

/** Any ARNs do: the emulator, like AWS, requires them but never resolves them. */
export const TEST_TARGET = {
  resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:pettracker-test',
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pettracker-test-AbCdEf',
};

export const startPostgresDataApi = (options: Omit<DataApiEmulatorOptions, 'databaseUrl'> = {}) =>
  startDataApiEmulator({ ...options, databaseUrl: PG_TEST_URL });

export const startPgliteDataApi = (options: Omit<DataApiEmulatorOptions, 'databaseUrl'> = {}) =>
  startDataApiEmulator(options);

/** Client options for the emulator: static credentials, because the SDK signs every request. */
export function emulatorClientOptions(
  emulator: Pick<DataApiEmulator, 'url'>,
  overrides: RDSDataClientConfig = {},
): RDSDataClientConfig {
  return {
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...overrides,
  };
}

export const emulatorClient = (emulator: Pick<DataApiEmulator, 'url'>, overrides: RDSDataClientConfig = {}) =>
  new RDSDataClient(emulatorClientOptions(emulator, overrides));

/** A DataApiDatabase on `database` through the emulator. */
export function emulatorDatabase(
  emulator: Pick<DataApiEmulator, 'url'>,
  database: string,
  overrides: RDSDataClientConfig = {},
): DataApiDatabase {
  return new DataApiDatabase({
    ...TEST_TARGET,
    database,
    clientOptions: emulatorClientOptions(emulator, overrides),
  });
}

/** The settings that point the app's store at a Data API endpoint (the emulator, or a proxy before it). */
export function dataApiStoreEnv(endpoint: string, database: string): Record<string, string> {
  return {
    STORE: 'data-api',
    DATA_API_RESOURCE_ARN: TEST_TARGET.resourceArn,
    DATA_API_SECRET_ARN: TEST_TARGET.secretArn,
    DATA_API_DATABASE: database,
    DATA_API_ENDPOINT: endpoint,
  };
}

/** The database name in a connection string (what a Data API request's `database` names). */
export const databaseNameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
