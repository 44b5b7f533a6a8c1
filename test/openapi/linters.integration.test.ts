import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiJson } from '../../shared/http/openapi.js';
import { repoRoot } from '../support/fixtures.js';
import { describeFinding, type Finding, redocly, spectral } from './run-linters.js';

/*
 * Warnings left on purpose. The project is private and names no licence or contact in package.json;
 * inventing either in the contract would be worse than the warning. Any other warning (an example
 * that does not fit its schema, an unused component, a missing description) fails the test like an
 * error: it is cheap to fix in the generator and a regression when it appears.
 */
const ACCEPTED_WARNINGS = new Set(['redocly info-license', 'spectral info-contact']);

let dir: string;
beforeAll(async () => {
  await mkdir(path.join(repoRoot, 'test-artifacts'), { recursive: true });
  dir = await mkdtemp(path.join(repoRoot, 'test-artifacts', 'openapi-lint-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function lintBoth(document: string, name: string): Promise<Finding[]> {
  const file = path.join(dir, name);
  await writeFile(file, document);
  const [a, b] = await Promise.all([redocly(file), spectral(file)]);
  return [...a, ...b];
}

describe('third-party OpenAPI linters on the generated document', () => {
  it('Redocly (recommended) and Spectral (spectral:oas) report no error and only the accepted warnings', async () => {
    const findings = await lintBoth(openApiJson(), 'openapi.json');
    const errors = findings.filter((f) => f.severity === 'error');
    const unexpected = findings.filter(
      (f) => f.severity === 'warning' && !ACCEPTED_WARNINGS.has(`${f.tool} ${f.rule}`),
    );
    expect(errors.map(describeFinding)).toEqual([]);
    expect(unexpected.map(describeFinding)).toEqual([]);
  });

  it('catches the faults they exist for in a broken copy of the document (the harness reads their reports)', async () => {
    const broken = buildOpenApiDocument();
    delete broken.servers;
    const health = broken.paths['/health']?.get;
    if (health) delete health.security;
    // zod's own form of a tuple (prefixItems with items: false), which draft-07 readers refuse.
    (broken.components.schemas as Record<string, unknown>).Pair = {
      type: 'array',
      prefixItems: [{ type: 'integer' }, { type: 'integer' }],
      items: false,
    };
    const findings = await lintBoth(JSON.stringify(broken), 'broken.json');
    const errors = findings.filter((f) => f.severity === 'error').map((f) => `${f.tool} ${f.rule}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'redocly no-empty-servers',
        'redocly security-defined',
        'spectral array-items',
      ]),
    );
  });
});
