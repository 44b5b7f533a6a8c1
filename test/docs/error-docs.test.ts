import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorReference } from '../../scripts/docs/error-reference.js';
import { framed, readBlock } from '../../scripts/docs/generated-block.js';
import { codesByStatus } from '../../shared/http/openapi-errors.js';
import { repoRoot } from '../support/fixtures.js';

describe('the error-code list in docs/api.md', () => {
  it('is what the error table generates (run npm run docs after changing a code or its status)', async () => {
    const committed = await readFile(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
    expect(readBlock(committed, 'error-codes')).toBe(framed(errorReference()));
  });

  it('lists every code once, with the status the runtimes send for it', () => {
    const rows = errorReference().split('\n').slice(2);
    const listed = rows.map((row) =>
      row
        .split(' | ')
        .slice(0, 2)
        .join(' ')
        .replace(/[|`\s]+/g, ' ')
        .trim(),
    );
    const expected = [...codesByStatus()].flatMap(([status, codes]) => codes.map((c) => `${status} ${c}`));
    expect(listed.sort()).toEqual(expected.sort());
  });
});
