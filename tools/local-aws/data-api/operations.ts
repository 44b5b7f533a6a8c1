import type { Backend, RawResult, SqlSession } from './backend.js';
import { type BoundStatement, bindParameters } from './bind-params.js';
import { toColumnMetadata, toFormattedRecords, toRecords } from './field-mapping.js';
import {
  batchExecuteRequest,
  beginTransactionRequest,
  endTransactionRequest,
  executeRequest,
  parseRequest,
} from './requests.js';
import type { Transactions } from './transactions.js';

export interface OperationContext {
  backend: Backend;
  transactions: Transactions;
}

type Handler = (context: OperationContext, body: unknown) => Promise<Record<string, unknown>>;

/** The restJson1 routes of @aws-sdk/client-rds-data (POST, JSON in and out). */
export const OPERATIONS = {
  '/Execute': execute,
  '/BatchExecute': batchExecute,
  '/BeginTransaction': beginTransaction,
  '/CommitTransaction': commitTransaction,
  '/RollbackTransaction': rollbackTransaction,
} satisfies Record<string, Handler>;

export type OperationPath = keyof typeof OPERATIONS;

export const isOperationPath = (path: string): path is OperationPath => Object.hasOwn(OPERATIONS, path);

async function execute(context: OperationContext, body: unknown): Promise<Record<string, unknown>> {
  const request = parseRequest(executeRequest, body);
  const statement = bindParameters(request.sql, request.parameters);
  const result = await run(context, request.transactionId, request.database, statement);
  const records = toRecords(result, request.resultSetOptions);
  // Aurora counts changed rows for DML only; a SELECT reports 0.
  const response: Record<string, unknown> = { numberOfRecordsUpdated: result.rowsAffected };
  if (request.includeResultMetadata) response.columnMetadata = toColumnMetadata(result.columns);
  // JSON fills formattedRecords and leaves records out; statements without a result set have neither.
  if (request.formatRecordsAs === 'JSON') {
    response.formattedRecords = toFormattedRecords(result.columns, records);
  } else if (result.columns.length > 0) {
    response.records = records;
  }
  return response;
}

function run(
  context: OperationContext,
  transactionId: string | undefined,
  database: string | undefined,
  { text, values }: BoundStatement,
): Promise<RawResult> {
  // Without a transactionId a statement autocommits, as on AWS.
  if (transactionId) return context.transactions.run(transactionId, (session) => session.query(text, values));
  return context.backend.query(database, text, values);
}

/**
 * One statement per parameter set. Outside a transaction the sets run atomically, as the service's
 * JDBC batch does (one implicit transaction up to the protocol's Sync).
 */
async function batchExecute(context: OperationContext, body: unknown): Promise<Record<string, unknown>> {
  const request = parseRequest(batchExecuteRequest, body);
  const sets = request.parameterSets?.length ? request.parameterSets : [[]];
  const statements = sets.map((set) => bindParameters(request.sql, set));
  const runAll = async (session: SqlSession) => {
    for (const { text, values } of statements) await session.query(text, values);
  };
  if (request.transactionId) {
    await context.transactions.run(request.transactionId, runAll);
  } else {
    const session = await context.backend.begin(request.database);
    try {
      await runAll(session);
    } catch (error) {
      await session.rollback().catch(() => undefined);
      throw error;
    }
    await session.commit();
  }
  return { updateResults: sets.map(() => ({ generatedFields: [] })) };
}

async function beginTransaction(context: OperationContext, body: unknown): Promise<Record<string, unknown>> {
  const request = parseRequest(beginTransactionRequest, body);
  return { transactionId: await context.transactions.begin(context.backend, request.database) };
}

async function commitTransaction(context: OperationContext, body: unknown): Promise<Record<string, unknown>> {
  const { transactionId } = parseRequest(endTransactionRequest, body);
  await context.transactions.end(transactionId, 'commit');
  return { transactionStatus: 'Transaction Committed' };
}

async function rollbackTransaction(
  context: OperationContext,
  body: unknown,
): Promise<Record<string, unknown>> {
  const { transactionId } = parseRequest(endTransactionRequest, body);
  await context.transactions.end(transactionId, 'rollback');
  return { transactionStatus: 'Rollback Complete' };
}
