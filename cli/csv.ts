import { parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV (csv-parse): quoted fields may hold commas, quotes ("" escapes one) and line breaks;
 * the test data's labels.csv quotes ImageNet class names such as "Siamese cat, Siamese". Rows may be
 * short and end in CRLF, LF or CR, mixed in one file (hand-edited ones are); blank lines and a
 * spreadsheet's byte-order mark are skipped; a quote inside an unquoted field is a character. A quote
 * left open throws (CSV_QUOTE_NOT_CLOSED) rather than swallowing the rest of the file.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, {
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
}

/** The rows as objects keyed by the header's lower-cased, trimmed column names. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((name) => name.trim().toLowerCase());
  return rows.map((cells) => Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? '').trim()])));
}
