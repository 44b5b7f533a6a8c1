import type { RawColumn, RawResult } from './backend.js';
import { DataApiError } from './errors.js';
import { parseArrayLiteral } from './pg-array.js';
import { pgType, type ValueKind } from './pg-types.js';

/** A Field as it travels in JSON: exactly one member; blobs as base64. */
export type WireField =
  | { isNull: true }
  | { longValue: number }
  | { doubleValue: number }
  | { booleanValue: boolean }
  | { stringValue: string }
  | { blobValue: string }
  | { arrayValue: Record<string, unknown[]> };

export interface ResultSetOptions {
  decimalReturnType?: 'STRING' | 'DOUBLE_OR_LONG';
  longReturnType?: 'STRING' | 'LONG';
}

/** Each row as Fields, from the database's text output (both backends return every value as text). */
export function toRecords(result: RawResult, options: ResultSetOptions = {}): WireField[][] {
  const kinds = result.columns.map((column) => {
    const type = pgType(column.dataTypeID);
    if (type.kind === 'void') {
      throw new DataApiError(
        'UnsupportedResultException',
        `The result contains the unsupported data type void.`,
      );
    }
    return type;
  });
  return result.rows.map((row) =>
    row.map((text, i) => {
      const type = kinds[i];
      if (text === null || !type) return { isNull: true };
      if (type.element) return { arrayValue: toArrayValue(parseArrayLiteral(text), type.element, options) };
      return toField(text, type.kind, options);
    }),
  );
}

/*
 * int8 goes out as a JSON number, as AWS sends it; values beyond 2^53 then lose precision in a JS
 * client, which is why the API has longReturnType STRING. numeric is a string unless asked otherwise.
 */
function toField(text: string, kind: ValueKind, options: ResultSetOptions): WireField {
  switch (kind) {
    case 'long':
      return options.longReturnType === 'STRING' ? { stringValue: text } : { longValue: Number(text) };
    case 'double':
      // JSON has no NaN or Infinity: keep PostgreSQL's spelling as a string.
      return Number.isFinite(Number(text)) ? { doubleValue: Number(text) } : { stringValue: text };
    case 'decimal':
      if (options.decimalReturnType !== 'DOUBLE_OR_LONG') return { stringValue: text };
      return /^-?\d+$/.test(text) ? { longValue: Number(text) } : { doubleValue: Number(text) };
    case 'boolean':
      return { booleanValue: text === 't' };
    case 'blob':
      return { blobValue: Buffer.from(text.slice(2), 'hex').toString('base64') };
    case 'timestamp':
      // The session runs in UTC; Aurora returns the wall-clock text without the "+00" offset.
      return { stringValue: text.replace(/[+-]\d{2}(?::\d{2})?$/, '') };
    default:
      return { stringValue: text };
  }
}

function toArrayValue(
  elements: (string | null)[],
  kind: ValueKind,
  options: ResultSetOptions,
): Record<string, unknown[]> {
  const values = elements.map((text) =>
    text === null ? null : Object.values(toField(text, kind, options))[0],
  );
  const member =
    kind === 'long'
      ? 'longValues'
      : kind === 'double'
        ? 'doubleValues'
        : kind === 'boolean'
          ? 'booleanValues'
          : 'stringValues';
  return { [member]: values };
}

/** ColumnMetadata as Aurora fills it (no table or schema names: the emulator does not look them up). */
export function toColumnMetadata(columns: readonly RawColumn[]): Record<string, unknown>[] {
  return columns.map((column) => {
    const type = pgType(column.dataTypeID);
    return {
      name: column.name,
      label: column.name,
      type: type.jdbcType,
      typeName: type.typeName,
      schemaName: '',
      tableName: '',
      nullable: 2, // java.sql.ResultSetMetaData.columnNullableUnknown
      precision: 0,
      scale: 0,
      isSigned: type.kind === 'long' || type.kind === 'double' || type.kind === 'decimal',
      isCurrency: false,
      isCaseSensitive: type.kind === 'string',
      isAutoIncrement: false,
      arrayBaseColumnType: 0,
    };
  });
}

/**
 * formatRecordsAs JSON: one object per row keyed by column label. Values are the Field's payload
 * (numbers as numbers, json/jsonb as their text, blobs as base64), not re-parsed JSON.
 */
export function toFormattedRecords(columns: readonly RawColumn[], records: WireField[][]): string {
  const rows = records.map((fields) =>
    Object.fromEntries(fields.map((field, i) => [columns[i]?.name ?? `col${i}`, fieldPayload(field)])),
  );
  return JSON.stringify(rows);
}

function fieldPayload(field: WireField): unknown {
  if ('isNull' in field) return null;
  if ('arrayValue' in field) return Object.values(field.arrayValue)[0] ?? [];
  return Object.values(field)[0];
}
