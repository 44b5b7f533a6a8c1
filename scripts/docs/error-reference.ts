/**
 * The error-code list in docs/api.md, rendered from the error table (shared/errors.ts): the same
 * samples the OpenAPI document's examples come from, answered through toErrorResponse, so the list
 * cannot claim a status or a code the runtimes would not send.
 */
import type { ErrorCode } from '../../shared/errors.js';
import { codesByStatus, errorExample } from '../../shared/http/openapi-errors.js';
import { markdownTable } from './markdown-table.js';

export function errorReference(): string {
  const rows: string[][] = [];
  const byStatus = [...codesByStatus().entries()].sort(([a], [b]) => a - b);
  for (const [status, codes] of byStatus) {
    for (const code of codes as ErrorCode[]) {
      const { headers, body } = errorExample(code);
      const retry = headers['retry-after'] ? ` (with \`Retry-After: ${headers['retry-after']}\`)` : '';
      rows.push([String(status), `\`${code}\``, `${body.error.message}${retry}`]);
    }
  }
  return markdownTable(['status', 'code', 'example message'], rows);
}
