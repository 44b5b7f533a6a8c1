/**
 * npm run openapi:types [-- <out.ts> [<document file or URL>]]: TypeScript types for an openapi-fetch
 * client, generated with openapi-typescript from docs/openapi.json (or the given document, e.g. a
 * deployment's /openapi.json), binary bodies typed as Blob. Written to <out.ts>, or stdout.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../shared/config.js';
import { clientTypes } from './openapi-client-types.js';

const [out, from = path.join(projectRoot, 'docs', 'openapi.json')] = process.argv.slice(2);
const document = /^https?:\/\//.test(from) ? new URL(from) : pathToFileURL(path.resolve(from));
const types = await clientTypes(document);
if (out) {
  await writeFile(out, types);
  console.log(`wrote ${path.relative(process.cwd(), path.resolve(out))}`);
} else {
  process.stdout.write(types);
}
