/**
 * npm run docs: rewrites the generated blocks of docs/*.md (the configuration reference from the env
 * schema, the error codes from the error catalog). test/docs fails when a committed block is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceBlock } from './docs/generated-block.js';
import { generatedBlocks } from './docs/generated-docs.js';

for (const block of generatedBlocks) {
  const before = await readFile(block.file, 'utf8');
  const after = replaceBlock(before, block.name, block.render());
  if (after !== before) await writeFile(block.file, after);
  const what = after === before ? 'up to date' : 'wrote';
  console.log(`${what}: ${path.relative(process.cwd(), block.file)} (${block.name})`);
}
