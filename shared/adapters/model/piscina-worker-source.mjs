// From source (tests, tsx): registers tsx in the worker thread, then loads the TypeScript task module.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
const api = JSON.parse(readFileSync(manifest, 'utf8')).exports['./esm/api'].import.default;
const { register } = await import(pathToFileURL(path.join(path.dirname(manifest), api)).href);
register();
const loaded = await import(new URL('./piscina-worker.ts', import.meta.url).href);
export default loaded.default;
