/**
 * Where things sit inside the source bundle. The compiled entries live one folder down (app/) on
 * purpose: shared/config.ts resolves models/, migrations/ and .data/ from the parent of the folder
 * holding its code, which after bundling is app/.., the bundle's root, just as it is the repository
 * root when running from source.
 */
export const BUNDLE_LAYOUT = {
  appDir: 'app',
  server: 'app/server.mjs',
  migrate: 'app/migrate.mjs',
  /** The model worker thread's entry (MODEL_WORKERS), beside server.mjs where worker-entry.ts looks. */
  modelWorker: 'app/model-worker.mjs',
  /** tfjs-backend-wasm's binaries: beside the bundle, where tfjs-backend.ts looks once bundled. */
  wasmDir: 'app',
  migrationsDir: 'migrations',
  modelDir: 'models/placeholder',
  certsDir: 'certs',
  ebextensions: '.ebextensions',
  /** Included in nginx's http block. */
  nginxConfDir: '.platform/nginx/conf.d',
  /** Included in the server block that proxies to the app (Amazon Linux 2023 platforms). */
  nginxServerConfDir: '.platform/nginx/conf.d/elasticbeanstalk',
  zipName: 'pettracker-eb.zip',
} as const;

/** The only packages installed on the instance: native code that a bundler cannot inline. */
export const INSTALLED_ON_INSTANCE = ['sharp'] as const;

/**
 * Installed where they can be: tfjs-node's install script downloads libtensorflow, which fails on an
 * instance without access to Google's storage (and on this project's machines); npm then goes on
 * without it and the model runs on wasm. Where it works, the native backend is picked at start
 * (TFJS_BACKEND=auto): TF.js keeps one engine per thread on globalThis, so tfjs-node registers its
 * backend into the engine the bundle inlines.
 */
export const OPTIONAL_ON_INSTANCE = ['@tensorflow/tfjs-node'] as const;
