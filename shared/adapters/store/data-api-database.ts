import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  type RDSDataClientConfig,
  RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import type { ClosableSqlDatabase, SqlExecutor, SqlParam, SqlRow } from '../../ports/sql-database.js';
import { toDataApiStatement } from './data-api-params.js';
import { toRows } from './data-api-records.js';

export interface DataApiDatabaseOptions {
  /** The Aurora cluster's ARN. */
  resourceArn: string;
  /** The Secrets Manager secret holding the database credentials (the Data API reads it, not us). */
  secretArn: string;
  database: string;
  /** A client to share; close() leaves it open. */
  client?: RDSDataClient;
  /**
   * For a client this database creates (and destroys on close): region, endpoint, credentials ...
   * A requestHandler given here replaces the default one (50 s request timeout, see below) entirely.
   */
  clientOptions?: RDSDataClientConfig;
}

/*
 * The Data API cancels a statement at 45 s. The SDK must wait longer, so that the service's
 * StatementTimeoutException (statement rolled back) is what a slow call ends with, never a client-side
 * timeout that leaves the outcome unknown and, retried by the SDK, could insert twice. A call to an
 * endpoint that drops every packet is ended sooner by the store's deadline (RetryingStore), which
 * aborts it. Recent SDKs only log a warning on requestTimeout unless throwOnRequestTimeout is set.
 */
const REQUEST_TIMEOUT_MS = 50_000;
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * SqlDatabase over the RDS Data API (HTTPS, no connection to hold: what Lambda wants). Every query is
 * one ExecuteStatement; transaction() is BeginTransaction, statements carrying its transactionId, then
 * CommitTransaction, or RollbackTransaction when `fn` throws.
 */
export class DataApiDatabase implements ClosableSqlDatabase {
  private readonly client: RDSDataClient;
  private readonly ownsClient: boolean;
  private readonly target: { resourceArn: string; secretArn: string };

  constructor(private readonly options: DataApiDatabaseOptions) {
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new RDSDataClient({
        requestHandler: {
          requestTimeout: REQUEST_TIMEOUT_MS,
          throwOnRequestTimeout: true,
          connectionTimeout: CONNECTION_TIMEOUT_MS,
        },
        ...options.clientOptions,
      });
    this.target = { resourceArn: options.resourceArn, secretArn: options.secretArn };
  }

  query<R extends SqlRow = SqlRow>(
    sql: string,
    params: readonly SqlParam[] = [],
    signal?: AbortSignal,
  ): Promise<R[]> {
    return this.execute<R>(sql, params, undefined, signal);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { transactionId } = await this.client.send(
      new BeginTransactionCommand({ ...this.target, database: this.options.database }),
    );
    if (!transactionId) throw new Error('BeginTransaction returned no transactionId');
    const tx: SqlExecutor = {
      query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) =>
        this.execute<R>(sql, params, transactionId),
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      // If the rollback call fails too, the service rolls the transaction back after 3 idle minutes;
      // the caller needs fn's error, not the rollback's.
      await this.client
        .send(new RollbackTransactionCommand({ ...this.target, transactionId }))
        .catch(() => undefined);
      throw error;
    }
    await this.client.send(new CommitTransactionCommand({ ...this.target, transactionId }));
    return result;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  /**
   * An aborted `signal` destroys the request and stops the SDK's retries: a call the caller gave up on
   * is never sent again, and its socket is free at once instead of after the request timeout.
   */
  private async execute<R extends SqlRow>(
    sql: string,
    params: readonly SqlParam[],
    transactionId: string | undefined,
    abortSignal?: AbortSignal,
  ): Promise<R[]> {
    const statement = toDataApiStatement(sql, params);
    const output = await this.client.send(
      new ExecuteStatementCommand({
        ...this.target,
        database: this.options.database,
        sql: statement.sql,
        parameters: statement.parameters.length > 0 ? statement.parameters : undefined,
        transactionId,
        includeResultMetadata: true,
      }),
      { abortSignal },
    );
    return toRows(output.records, output.columnMetadata) as R[];
  }
}
