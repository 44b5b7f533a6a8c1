import type { ArrayValue, ColumnMetadata, Field } from '@aws-sdk/client-rds-data';
import type { SqlRow } from '../../ports/sql-database.js';

/*
 * Typed records + includeResultMetadata, not formatRecordsAs JSON. The typed Fields keep what pg and
 * PGlite give the row mapper (prediction-row.ts): integers and doubles as numbers, NULL as null, text
 * as strings, and bytea as bytes (JSON format turns blobs into base64 text). jsonb arrives as its
 * text either way, which toStoredPrediction parses. JSON format would also make the column names
 * depend on the service's JSON encoding of labels, and typed records are what every emulator speaks.
 */

/** Rows as objects keyed by column label (the SELECT alias), like pg's and PGlite's rows. */
export function toRows(records: Field[][] | undefined, metadata: ColumnMetadata[] | undefined): SqlRow[] {
  if (!records) return [];
  const names = (metadata ?? []).map((column, i) => column.label ?? column.name ?? `column${i + 1}`);
  return records.map((fields) => {
    const row: SqlRow = {};
    fields.forEach((field, i) => {
      row[names[i] ?? `column${i + 1}`] = fieldValue(field);
    });
    return row;
  });
}

/**
 * longValue is a JS number: int8 values beyond 2^53 lose precision (pg would return them as strings).
 * The store has no bigint columns; a caller that needs them should CAST(... AS text) in its SQL.
 */
export function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue);
  if (field.arrayValue !== undefined) return arrayValue(field.arrayValue);
  return null;
}

function arrayValue(value: ArrayValue | null): unknown[] {
  if (value === null) return [];
  if (value.arrayValues) return value.arrayValues.map(arrayValue);
  return value.stringValues ?? value.longValues ?? value.doubleValues ?? value.booleanValues ?? [];
}
