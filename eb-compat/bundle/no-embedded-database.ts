import type { Plugin } from 'esbuild';

const STUB = `
const reason =
  'PGlite is not part of the Beanstalk bundle: an embedded database would live and die with one ' +
  'instance. Set STORE=pg (DATABASE_URL) or STORE=data-api for the database kept outside the environment.';
export class PGlite {
  static create() { throw new Error(reason); }
  constructor() { throw new Error(reason); }
}
`;

/**
 * Replaces @electric-sql/pglite (the embedded default for laptops and tests) with a module that
 * refuses to start. Besides saving ~10 MB of WASM, it turns a deployment whose STORE setting went
 * missing into a loud start-up failure instead of a silent, instance-local database whose rows
 * would vanish with the instance.
 */
export function noEmbeddedDatabase(): Plugin {
  return {
    name: 'no-embedded-database',
    setup(build) {
      build.onResolve({ filter: /^@electric-sql\/pglite(\/.*)?$/ }, (args) => ({
        path: args.path,
        namespace: 'no-embedded-database',
      }));
      build.onLoad({ filter: /.*/, namespace: 'no-embedded-database' }, () => ({
        contents: STUB,
        loader: 'js',
      }));
    },
  };
}
