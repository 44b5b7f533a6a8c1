/**
 * How Aurora's Data API returns each PostgreSQL type, keyed by type OID (pg_type.oid; the built-in
 * OIDs are fixed across PostgreSQL versions). `jdbcType` is the java.sql.Types code Aurora puts in
 * ColumnMetadata.type, because the service sits on a JDBC driver. Types not listed come back as
 * stringValue with their text form, which is what Aurora does for e.g. inet or interval.
 */
export type ValueKind = 'long' | 'double' | 'decimal' | 'boolean' | 'blob' | 'timestamp' | 'string' | 'void';

export interface PgType {
  typeName: string;
  jdbcType: number;
  kind: ValueKind;
  /** For array types: the kind of the elements (arrays come back as arrayValue). */
  element?: ValueKind;
}

const JDBC = {
  BIT: -7,
  BIGINT: -5,
  BINARY: -2,
  CHAR: 1,
  NUMERIC: 2,
  INTEGER: 4,
  SMALLINT: 5,
  REAL: 7,
  DOUBLE: 8,
  VARCHAR: 12,
  DATE: 91,
  TIME: 92,
  TIMESTAMP: 93,
  OTHER: 1111,
  ARRAY: 2003,
} as const;

const scalar = (typeName: string, jdbcType: number, kind: ValueKind): PgType => ({
  typeName,
  jdbcType,
  kind,
});
const array = (typeName: string, element: ValueKind): PgType => ({
  typeName,
  jdbcType: JDBC.ARRAY,
  kind: 'string',
  element,
});

const TYPES: Record<number, PgType> = {
  16: scalar('bool', JDBC.BIT, 'boolean'),
  17: scalar('bytea', JDBC.BINARY, 'blob'),
  18: scalar('char', JDBC.CHAR, 'string'),
  19: scalar('name', JDBC.VARCHAR, 'string'),
  20: scalar('int8', JDBC.BIGINT, 'long'),
  21: scalar('int2', JDBC.SMALLINT, 'long'),
  23: scalar('int4', JDBC.INTEGER, 'long'),
  25: scalar('text', JDBC.VARCHAR, 'string'),
  26: scalar('oid', JDBC.BIGINT, 'long'),
  114: scalar('json', JDBC.OTHER, 'string'),
  700: scalar('float4', JDBC.REAL, 'double'),
  701: scalar('float8', JDBC.DOUBLE, 'double'),
  1042: scalar('bpchar', JDBC.CHAR, 'string'),
  1043: scalar('varchar', JDBC.VARCHAR, 'string'),
  1082: scalar('date', JDBC.DATE, 'string'),
  1083: scalar('time', JDBC.TIME, 'string'),
  1114: scalar('timestamp', JDBC.TIMESTAMP, 'string'),
  1184: scalar('timestamptz', JDBC.TIMESTAMP, 'timestamp'),
  1266: scalar('timetz', JDBC.TIME, 'timestamp'),
  1700: scalar('numeric', JDBC.NUMERIC, 'decimal'),
  2278: scalar('void', JDBC.OTHER, 'void'),
  2950: scalar('uuid', JDBC.OTHER, 'string'),
  3802: scalar('jsonb', JDBC.OTHER, 'string'),
  1000: array('_bool', 'boolean'),
  1005: array('_int2', 'long'),
  1007: array('_int4', 'long'),
  1016: array('_int8', 'long'),
  1021: array('_float4', 'double'),
  1022: array('_float8', 'double'),
  1009: array('_text', 'string'),
  1015: array('_varchar', 'string'),
  1231: array('_numeric', 'decimal'),
  2951: array('_uuid', 'string'),
};

const UNKNOWN: PgType = scalar('unknown', JDBC.OTHER, 'string');

export const pgType = (oid: number): PgType => TYPES[oid] ?? UNKNOWN;
