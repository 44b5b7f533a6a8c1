import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configReference, UndescribedVariableError } from '../../scripts/docs/config-reference.js';
import { framed, readBlock } from '../../scripts/docs/generated-block.js';
import { envSchema } from '../../shared/config/env-schema.js';
import { repoRoot } from '../support/fixtures.js';

/** The row of `name`, its padding collapsed to one space. */
const rowOf = (table: string, name: string) =>
  table
    .split('\n')
    .map((l) => l.replace(/ {2,}/g, ' '))
    .find((l) => l.startsWith(`| \`${name}\` |`));

describe('the configuration reference in docs/configuration.md', () => {
  it('is what the env schema generates (run npm run docs after changing shared/config/env-schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8');
    expect(readBlock(committed, 'env-reference')).toBe(framed(configReference()));
  });

  it('has one row per variable of the schema, each with a description', () => {
    const table = configReference();
    for (const name of Object.keys(envSchema.shape)) expect(rowOf(table, name), name).toBeDefined();
    expect(table.split('\n')).toHaveLength(Object.keys(envSchema.shape).length + 2);
  });

  it('shows allowed values, ranges, URLs and defaults as the schema declares them', () => {
    const table = configReference();
    expect(rowOf(table, 'TFJS_BACKEND')).toContain('| `auto`, `tensorflow`, `wasm`, `cpu` | `auto` |');
    expect(rowOf(table, 'PORT')).toContain('| integer, 0–65,535 | `8080` |');
    expect(rowOf(table, 'JWT_JWKS_URL')).toContain('| URL | – |');
    expect(rowOf(table, 'CACHE_KEY_PREFIX')).toContain('| string, at most 100 characters | `pettracker:` |');
  });

  it('refuses a variable without a description, naming it', () => {
    const schema = z.object({ DESCRIBED: z.string().describe('yes'), BARE: z.string().optional() });
    expect(() => configReference(schema)).toThrow(UndescribedVariableError);
    expect(() => configReference(schema)).toThrow(/BARE/);
  });

  it('escapes a pipe inside a description so it cannot split the row', () => {
    const schema = z.object({ A: z.enum(['x', 'y']).describe('either x | y') });
    expect(rowOf(configReference(schema), 'A')).toBe('| `A` | `x`, `y` | – | either x \\| y |');
  });
});
