import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Backend, checkDatabaseName, type RawResult, type TransactionSession } from './backend.js';

export interface PgliteBackendOptions {
  /** A directory holding one PGlite data directory per database name; in memory when absent. */
  dataDir?: string;
}

type Queryable = Pick<PGlite, 'query'> | Transaction;

interface Instance {
  db: PGlite;
  /** Identity parsers for every type PGlite would otherwise parse, so values stay PostgreSQL text. */
  raw: Record<string, (text: string) => string>;
}

/**
 * Statements on PGlite (in-process PostgreSQL), one instance per `database` name, for machines
 * without a PostgreSQL server. PGlite is one connection: an open transaction holds it exclusively,
 * so other calls wait until it commits or rolls back (or the idle timeout rolls it back).
 */
export function pgliteBackend(options: PgliteBackendOptions = {}): Backend {
  const instances = new Map<string, Promise<Instance>>();

  const open = (database: string | undefined): Promise<Instance> => {
    const name = checkDatabaseName(database ?? 'postgres');
    let instance = instances.get(name);
    if (!instance) {
      instance = create(options.dataDir === undefined ? undefined : join(options.dataDir, name));
      instances.set(name, instance);
    }
    return instance;
  };

  return {
    query: async (database, sql, values) => {
      const { db, raw } = await open(database);
      return run(db, raw, sql, values);
    },
    begin: async (database) => begin(await open(database)),
    async close() {
      const all = await Promise.allSettled(instances.values());
      instances.clear();
      for (const result of all) if (result.status === 'fulfilled') await result.value.db.close();
    },
  };
}

async function create(dataDir: string | undefined): Promise<Instance> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  await db.exec("SET TimeZone TO 'UTC'");
  const raw = Object.fromEntries(Object.keys(db.parsers).map((oid) => [oid, (text: string) => text]));
  return { db, raw };
}

/** Holds PGlite's transaction open until Commit/RollbackTransaction settles it. */
function begin({ db, raw }: Instance): Promise<TransactionSession> {
  return new Promise((resolve, reject) => {
    let started = false;
    const done = db.transaction(async (tx) => {
      started = true;
      const outcome = await new Promise<'commit' | 'rollback'>((settle) => {
        let settled = false;
        const finish = (how: 'commit' | 'rollback') => {
          if (!settled) settle(how);
          settled = true;
          return done;
        };
        resolve({
          query: (sql, values) => run(tx, raw, sql, values),
          commit: () => finish('commit'),
          rollback: () => finish('rollback'),
        });
      });
      if (outcome === 'rollback' && !tx.closed) await tx.rollback();
    });
    done.catch((error: unknown) => {
      if (!started) reject(error);
    });
  });
}

async function run(
  db: Queryable,
  raw: Instance['raw'],
  sql: string,
  values: readonly unknown[],
): Promise<RawResult> {
  // query() always uses the extended protocol, so several commands in one call fail as on Aurora.
  const result = await db.query<(string | null)[]>(sql, [...values], { rowMode: 'array', parsers: raw });
  return {
    columns: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
    rows: result.rows,
    rowsAffected: result.affectedRows ?? 0,
  };
}
