import path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../../shared/config.js';
import { BUNDLE_LAYOUT, INSTALLED_ON_INSTANCE } from './layout.js';
import { noEmbeddedDatabase } from './no-embedded-database.js';

/*
 * CommonJS dependencies (tfjs-backend-wasm's Emscripten glue, pg, express) call require() and read
 * __dirname; an ESM output has neither, so the bundle defines them from its own URL.
 */
const ESM_SHIMS = [
  "import { createRequire as __ebCreateRequire } from 'node:module';",
  "import { fileURLToPath as __ebFileURLToPath } from 'node:url';",
  "import { dirname as __ebDirname } from 'node:path';",
  'const require = __ebCreateRequire(import.meta.url);',
  'const __filename = __ebFileURLToPath(import.meta.url);',
  'const __dirname = __ebDirname(__filename);',
].join('\n');

export interface BundledEntry {
  file: string;
  bytes: number;
}

/**
 * Compiles the Express runtime, the migration runner and the model worker into self-contained ES modules under
 * `<stagingDir>/app`. No code splitting: every module must see import.meta.url as app/<entry>.mjs
 * (see layout.ts), which a shared chunk in a subfolder would break.
 */
export async function bundleEntries(stagingDir: string): Promise<BundledEntry[]> {
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: {
      server: path.join(projectRoot, 'eb-compat/main.ts'),
      migrate: path.join(projectRoot, 'scripts/migrate.ts'),
      'model-worker': path.join(projectRoot, 'shared/adapters/model/model-worker.ts'),
    },
    outdir: path.join(stagingDir, BUNDLE_LAYOUT.appDir),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Beanstalk's Node.js 22 platform (deploy-settings.ts); the sources still run on Node 20.9+ locally.
    target: 'node22',
    // sharp loads libvips from per-platform npm packages: installed on the instance, never inlined.
    // pg-native is an optional require of pg that this service never uses.
    external: [...INSTALLED_ON_INSTANCE, 'pg-native'],
    plugins: [noEmbeddedDatabase()],
    banner: { js: ESM_SHIMS },
    minify: true,
    // Errors take their name from their class (AppError: new.target.name), and logs show it.
    keepNames: true,
    // Stack traces in CloudWatch point at the TypeScript source (the Procfile enables source maps).
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .map(([file, output]) => ({
      file: path.relative(stagingDir, path.resolve(projectRoot, file)),
      bytes: output.bytes,
    }));
}
