import { DataApiError } from './errors.js';
import { rewriteNamedParameters } from './named-params.js';
import type { SqlParameter, TypeHint } from './requests.js';

export interface BoundStatement {
  /** The SQL with `$n` placeholders, each carrying the type Aurora would bind it with. */
  text: string;
  values: unknown[];
}

/*
 * Aurora binds parameters with definite types (its driver sends a string as varchar, a long as int8),
 * so PostgreSQL never infers them from context: `uuid_col = :id` with a plain stringValue fails with
 * "operator does not exist: uuid = character varying" unless the SQL casts or a typeHint is given.
 * Writing the type as a cast on the placeholder reproduces that on pg and PGlite alike.
 */
const HINT_CASTS: Record<TypeHint, string> = {
  UUID: '::uuid',
  JSON: '::json',
  TIMESTAMP: '::timestamp',
  DATE: '::date',
  TIME: '::time',
  DECIMAL: '::numeric',
};

/** The formats the API reference requires of stringValues sent with these hints. */
const HINT_FORMATS: Partial<Record<TypeHint, [RegExp, string]>> = {
  DATE: [/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'],
  TIME: [/^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/, 'HH:MM:SS[.FFF]'],
  TIMESTAMP: [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/, 'YYYY-MM-DD HH:MM:SS[.FFF]'],
};

/** Replaces each `:name` with `$n` + cast; one `$n` per distinct name, however often it appears. */
export function bindParameters(sql: string, parameters: readonly SqlParameter[] = []): BoundStatement {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const positions = new Map<string, number>();
  const values: unknown[] = [];
  const text = rewriteNamedParameters(sql, (name) => {
    const param = byName.get(name);
    if (!param) throw new DataApiError('BadRequestException', `No value specified for parameter ${name}`);
    let position = positions.get(name);
    if (position === undefined) {
      const { value, cast } = bindValue(param);
      values.push(value);
      position = values.length;
      positions.set(name, position);
      return `$${position}${cast}`;
    }
    return `$${position}${castOf(param)}`;
  });
  return { text, values };
}

function bindValue(param: SqlParameter): { value: unknown; cast: string } {
  const v = param.value;
  if (v.arrayValue !== undefined) {
    throw new DataApiError('BadRequestException', 'Array parameters are not supported.');
  }
  if (v.stringValue !== undefined && param.typeHint) checkHintFormat(param.typeHint, v.stringValue);
  const value =
    v.isNull === true
      ? null
      : v.blobValue !== undefined
        ? Buffer.from(v.blobValue, 'base64')
        : (v.stringValue ?? v.longValue ?? v.doubleValue ?? v.booleanValue ?? null);
  return { value, cast: castOf(param) };
}

function castOf({ value: v, typeHint }: SqlParameter): string {
  if (v.stringValue !== undefined || v.isNull === true) {
    // A NULL without a hint goes unknown-typed (the driver's setNull), so context decides its type.
    if (typeHint) return HINT_CASTS[typeHint];
    return v.isNull === true ? '' : '::varchar';
  }
  if (v.longValue !== undefined) return '::int8';
  if (v.doubleValue !== undefined) return '::float8';
  if (v.booleanValue !== undefined) return '::bool';
  return '::bytea';
}

function checkHintFormat(hint: TypeHint, value: string): void {
  const format = HINT_FORMATS[hint];
  if (format && !format[0].test(value)) {
    throw new DataApiError(
      'BadRequestException',
      `The ${hint} type hint requires a value in the format ${format[1]}, got ${JSON.stringify(value)}`,
    );
  }
}
