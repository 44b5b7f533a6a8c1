/**
 * npm run openapi [-- <file>]: writes the OpenAPI document generated from the operation table to
 * docs/openapi.json (committed, so a contract change shows up in review and the mobile team can pin a
 * commit; test/shared/http/openapi.test.ts fails when the file is stale).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../shared/config.js';
import { openApiJson } from '../shared/http/openapi.js';

const OPENAPI_FILE = path.join(projectRoot, 'docs', 'openapi.json');

const target = process.argv[2] ? path.resolve(process.argv[2]) : OPENAPI_FILE;
await writeFile(target, `${openApiJson()}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
