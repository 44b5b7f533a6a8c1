import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../../errors.js';
import { isUuid, isValidCursor } from '../../list-cursor.js';
import { runMigrations } from '../../migrations/run-migrations.js';
import type {
  InsertResult,
  ListCursor,
  NewPrediction,
  PredictionStore,
  StoredPrediction,
} from '../../ports/prediction-store.js';
import type { ClosableSqlDatabase } from '../../ports/sql-database.js';
import { insertParams, toStoredPrediction } from './prediction-row.js';
import {
  DELETE_PREDICTION,
  INSERT_PREDICTION,
  insertPredictions,
  LIST_FIRST_PAGE,
  LIST_PAGE_AFTER,
  PING,
  SELECT_BY_IDEMPOTENCY_KEY,
  SELECT_PREDICTION,
} from './prediction-sql.js';
import { isStoreUnavailable } from './store-unavailable.js';

/*
 * Insert, then read back on conflict. The loop covers one narrow race: the row that caused the
 * conflict was deleted before the read. Three rounds is far more than that race can need.
 */
const INSERT_ATTEMPTS = 3;

/**
 * PredictionStore over any SqlDatabase (pg Pool, PGlite, the Data API): one implementation, so
 * every adapter behaves alike. The schema comes from migrations; this class creates nothing.
 */
export class SqlPredictionStore implements PredictionStore {
  constructor(
    /** Exposed for tests and tools that need raw SQL on the same database. */
    readonly db: ClosableSqlDatabase,
    private readonly newId: () => string = randomUUID,
  ) {}

  async insert(prediction: NewPrediction, signal?: AbortSignal): Promise<InsertResult> {
    for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt += 1) {
      // Two autocommit statements, no transaction: under READ COMMITTED a concurrent insert with the
      // same key waits for the first one to commit, does nothing, and the SELECT then sees that row.
      const inserted = await this.db.query(INSERT_PREDICTION, insertParams(this.newId(), prediction), signal);
      if (inserted[0]) return { prediction: toStoredPrediction(inserted[0]), created: true };
      if (prediction.idempotencyKey === null) break;
      const existing = await this.db.query(
        SELECT_BY_IDEMPOTENCY_KEY,
        [prediction.userId, prediction.idempotencyKey],
        signal,
      );
      if (existing[0]) return { prediction: toStoredPrediction(existing[0]), created: false };
    }
    throw new Error('Insert neither created a prediction nor found the existing one for its idempotency key');
  }

  /**
   * Several inserts as one statement: one round trip and one commit for all of them. Resolves once
   * that statement has answered, to each insert's own outcome: a row it created, or insert()'s answer
   * for a row whose idempotency key already existed. A statement the database refused (one row broke a
   * constraint) is tried again row by row, so that a bad row fails only its own insert; a store that
   * cannot be reached fails them all.
   */
  async insertMany(predictions: readonly NewPrediction[]): Promise<Promise<InsertResult>[]> {
    const ids = predictions.map(() => this.newId());
    const params = predictions.flatMap((p, i) => insertParams(ids[i] as string, p));
    let rows: Awaited<ReturnType<typeof this.db.query>>;
    try {
      rows = await this.db.query(insertPredictions(predictions.length), params);
    } catch (error) {
      if (isStoreUnavailable(error) || predictions.length === 1)
        return predictions.map(() => Promise.reject(error));
      return predictions.map((p) => this.insert(p));
    }
    const created = new Map(rows.map((row) => [String(row.id), row]));
    return predictions.map((p, i) => {
      const row = created.get(ids[i] as string);
      return row ? Promise.resolve({ prediction: toStoredPrediction(row), created: true }) : this.insert(p);
    });
  }

  async findByIdempotencyKey(
    userId: string,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<StoredPrediction | null> {
    const rows = await this.db.query(SELECT_BY_IDEMPOTENCY_KEY, [userId, idempotencyKey], signal);
    return rows[0] ? toStoredPrediction(rows[0]) : null;
  }

  async list(
    userId: string,
    limit: number,
    after: ListCursor | null,
    signal?: AbortSignal,
  ): Promise<StoredPrediction[]> {
    if (after === null) {
      return (await this.db.query(LIST_FIRST_PAGE, [userId, limit], signal)).map(toStoredPrediction);
    }
    if (!isValidCursor(after)) throw new BadRequestError('VALIDATION_FAILED', 'The cursor is not valid.');
    const rows = await this.db.query(LIST_PAGE_AFTER, [userId, limit, after.createdAt, after.id], signal);
    return rows.map(toStoredPrediction);
  }

  async get(userId: string, id: string, signal?: AbortSignal): Promise<StoredPrediction | null> {
    // Not a uuid: no row has it, and the CAST would be a database error instead of a 404.
    if (!isUuid(id)) return null;
    const rows = await this.db.query(SELECT_PREDICTION, [id, userId], signal);
    return rows[0] ? toStoredPrediction(rows[0]) : null;
  }

  async delete(userId: string, id: string, signal?: AbortSignal): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.db.query(DELETE_PREDICTION, [id, userId], signal)).length > 0;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.db.query(PING, [], signal);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/**
 * The store on an open database, after applying pending migrations when a folder is given. A failed
 * migration closes the database, so a store that cannot start leaves no connection behind.
 */
export async function openMigratedStore(
  db: ClosableSqlDatabase,
  migrationsDir: string | undefined,
): Promise<SqlPredictionStore> {
  if (migrationsDir !== undefined) {
    try {
      await runMigrations(db, migrationsDir);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return new SqlPredictionStore(db);
}
