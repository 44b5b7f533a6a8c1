/*
 * The prediction store's SQL, shared by every SQL adapter so they cannot drift. Deliberately plain:
 * one statement each, positional params each wrapped in CAST(... AS type) (a mechanical `$n` -> `:pn`
 * rewrite then suffices for the RDS Data API, which also cannot infer a param's type), no arrays.
 */

/**
 * created_at leaves the database as text with all six fractional digits: a JS Date would cut it to
 * milliseconds, and a cursor that lost precision would skip or repeat rows sharing a millisecond.
 * AT TIME ZONE 'UTC' makes the text independent of the session's TimeZone setting.
 */
const COLUMNS = `CAST(id AS text) AS id, user_id, image_sha256, model_version, breed, confidence, top_k,
  source, idempotency_key, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`;

const INSERT_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'double precision', 'jsonb', 'text', 'text'];

/**
 * `rows` predictions in one statement, nine params each, in the order $1 id, $2 user_id,
 * $3 image_sha256, $4 model_version, $5 breed, $6 confidence, $7 top_k (JSON text), $8 source,
 * $9 idempotency_key, then $10.. for the next row. A row whose (user_id, idempotency_key) exists, or
 * repeats an earlier row's, is left out of what RETURNING gives back.
 */
export function insertPredictions(rows: number): string {
  const row = (r: number) =>
    `(${INSERT_TYPES.map((type, c) => `CAST($${r * INSERT_TYPES.length + c + 1} AS ${type})`).join(', ')})`;
  return `INSERT INTO predictions
  (id, user_id, image_sha256, model_version, breed, confidence, top_k, source, idempotency_key)
VALUES ${Array.from({ length: rows }, (_, r) => row(r)).join(',\n  ')}
ON CONFLICT (user_id, idempotency_key) DO NOTHING
RETURNING ${COLUMNS}`;
}

export const INSERT_PREDICTION = insertPredictions(1);

/** $1 user_id, $2 idempotency_key: the row an earlier (or concurrent, now committed) insert created. */
export const SELECT_BY_IDEMPOTENCY_KEY = `SELECT ${COLUMNS} FROM predictions
WHERE user_id = CAST($1 AS text) AND idempotency_key = CAST($2 AS text)`;

/**
 * $1 user_id, $2 limit. Ordered to match the index (user_id, created_at DESC, id DESC). The ORDER BY
 * names the table's columns: bare names would mean the SELECT's text aliases, which no index serves.
 */
export const LIST_FIRST_PAGE = `SELECT ${COLUMNS} FROM predictions
WHERE user_id = CAST($1 AS text)
ORDER BY predictions.created_at DESC, predictions.id DESC LIMIT CAST($2 AS integer)`;

/** $1 user_id, $2 limit, $3 cursor created_at, $4 cursor id: rows strictly after the cursor. */
export const LIST_PAGE_AFTER = `SELECT ${COLUMNS} FROM predictions
WHERE user_id = CAST($1 AS text)
  AND (created_at, id) < (CAST($3 AS timestamptz), CAST($4 AS uuid))
ORDER BY predictions.created_at DESC, predictions.id DESC LIMIT CAST($2 AS integer)`;

/** $1 id, $2 user_id: the user_id condition is what keeps users from reading each other's rows. */
export const SELECT_PREDICTION = `SELECT ${COLUMNS} FROM predictions
WHERE id = CAST($1 AS uuid) AND user_id = CAST($2 AS text)`;

/** $1 id, $2 user_id: the user_id condition is what keeps users from deleting each other's rows. */
export const DELETE_PREDICTION = `DELETE FROM predictions
WHERE id = CAST($1 AS uuid) AND user_id = CAST($2 AS text)
RETURNING CAST(id AS text) AS id`;

export const PING = 'SELECT 1 AS ok';
