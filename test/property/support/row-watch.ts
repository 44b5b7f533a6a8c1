import pg from 'pg';

export interface RowSnapshot {
  /** Rows written (inserted, updated, deleted) since the watch began, counted by a trigger. */
  writes: number;
  rows: number;
}

export interface RowContent {
  rows: number;
  /** md5 over every row's text, in id order. */
  checksum: string;
}

export interface RowWatch {
  /** Cheap enough for every case: the write counter and the row count. */
  snapshot(): Promise<RowSnapshot>;
  /** The whole table's content, for checks around a batch. */
  content(): Promise<RowContent>;
  close(): Promise<void>;
}

/**
 * Watches the predictions table of a real PostgreSQL database: a row-level trigger counts every
 * write (so an insert undone by a delete still shows, and a statement that fails takes its count
 * back with it), and count + checksum show the content. A rejected request must leave them
 * unchanged. Install after the migrations made the table.
 */
export async function watchRows(databaseUrl: string): Promise<RowWatch> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'property-row-watch' });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`
    CREATE TABLE IF NOT EXISTS property_row_writes (n bigint NOT NULL);
    INSERT INTO property_row_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM property_row_writes);
    CREATE OR REPLACE FUNCTION property_count_row_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE property_row_writes SET n = n + 1; RETURN NULL; END $$;
    DROP TRIGGER IF EXISTS property_count_row_writes ON predictions;
    CREATE TRIGGER property_count_row_writes AFTER INSERT OR UPDATE OR DELETE ON predictions
      FOR EACH ROW EXECUTE FUNCTION property_count_row_write();`);
  return {
    async snapshot() {
      const { rows } = await client.query(
        'SELECT (SELECT n FROM property_row_writes) AS writes, (SELECT count(*) FROM predictions) AS rows',
      );
      const row = rows[0] as { writes: string; rows: string };
      return { writes: Number(row.writes), rows: Number(row.rows) };
    },
    async content() {
      const { rows } = await client.query(`SELECT count(*) AS rows,
        coalesce(md5(string_agg(p::text, '|' ORDER BY p.id)), '') AS checksum FROM predictions p`);
      const row = rows[0] as { rows: string; checksum: string };
      return { rows: Number(row.rows), checksum: row.checksum };
    },
    close: () => client.end(),
  };
}
