/**
 * A GitHub-flavoured markdown table, its columns padded the way Biome formats markdown tables, so
 * `npm run lint` accepts a generated block as it is written. A `|` inside a cell is escaped so it
 * cannot split the row.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cellText = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const cells = [header, ...rows].map((row) => header.map((_, i) => cellText(row[i] ?? '')));
  // Padding counts characters, not UTF-16 units, as the formatter does ("×", "–" are one each).
  const width = (value: string) => [...value].length;
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => width(row[i] as string))));
  const pad = (value: string, w: number) => value + ' '.repeat(w - width(value));
  const line = (row: readonly string[]) =>
    `| ${row.map((v, i) => pad(v, widths[i] as number)).join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
