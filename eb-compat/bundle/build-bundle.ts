import { copyFile, cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../../shared/config.js';
import { PUBLIC_DIR } from '../site.js';
import type { DeploySettings } from './deploy-settings.js';
import { caBundleTarget, environmentProperties } from './environment-properties.js';
import { type BundledEntry, bundleEntries } from './esbuild-bundle.js';
import { environmentConfig, nginxBodySizeConf, nginxErrorPagesConf } from './generated-files.js';
import { assertNoDatabaseInEnvironment } from './guard.js';
import { BUNDLE_LAYOUT, INSTALLED_ON_INSTANCE, OPTIONAL_ON_INSTANCE } from './layout.js';
import { productionPackage } from './production-package.js';
import { directoryBytes, zipDirectory } from './zip.js';

export interface BuildBundleOptions {
  settings: DeploySettings;
  /** Receives bundle/ (the unpacked bundle) and the zip. Default dist/eb. */
  outDir?: string;
  /** The checked-in Procfile and .ebextensions. Default eb-compat/beanstalk. */
  beanstalkDir?: string;
}

export interface BuiltBundle {
  stagingDir: string;
  zipPath: string;
  zipBytes: number;
  unpackedBytes: number;
  entries: BundledEntry[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function wasmSourceDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
}

/** A model folder inside the repository goes into the bundle; s3://, https:// or 'mobilenet' do not. */
function localModelDir(uri: string): string | undefined {
  if (/^[a-z0-9]+:\/\//.test(uri) || uri === 'mobilenet') return undefined;
  const relative = path.normalize(uri);
  if (path.isAbsolute(relative) || relative.startsWith('..'))
    throw new Error(`modelUri ${uri}: a local model must be a folder inside the repository.`);
  return relative;
}

/**
 * Builds the Beanstalk source bundle: the esbuild output, the .wasm files, migrations, the model,
 * the web page, a production-only package.json and lock for sharp, the checked-in Procfile and
 * .ebextensions, the generated environment properties, nginx limit and nginx JSON 413. The guard runs on the finished directory,
 * before anything is zipped, so a bundle declaring a database is never written.
 */
export async function buildBundle(options: BuildBundleOptions): Promise<BuiltBundle> {
  const { settings } = options;
  const outDir = options.outDir ?? path.join(projectRoot, 'dist', 'eb');
  const stagingDir = path.join(outDir, 'bundle');
  const zipPath = path.join(outDir, BUNDLE_LAYOUT.zipName);
  await rm(stagingDir, { recursive: true, force: true });
  await rm(zipPath, { force: true });
  await mkdir(stagingDir, { recursive: true });

  const properties = environmentProperties(settings);
  await cp(options.beanstalkDir ?? path.join(projectRoot, 'eb-compat', 'beanstalk'), stagingDir, {
    recursive: true,
  });
  await writeFile(
    path.join(stagingDir, BUNDLE_LAYOUT.ebextensions, '00-environment.config'),
    environmentConfig(properties, settings.platform),
  );
  await mkdir(path.join(stagingDir, BUNDLE_LAYOUT.nginxConfDir), { recursive: true });
  await writeFile(
    path.join(stagingDir, BUNDLE_LAYOUT.nginxConfDir, 'pettracker.conf'),
    nginxBodySizeConf(settings.maxImageBytes),
  );
  await mkdir(path.join(stagingDir, BUNDLE_LAYOUT.nginxServerConfDir), { recursive: true });
  await writeFile(
    path.join(stagingDir, BUNDLE_LAYOUT.nginxServerConfDir, 'pettracker-errors.conf'),
    nginxErrorPagesConf(settings.maxImageBytes),
  );

  const entries = await bundleEntries(stagingDir);
  const wasmDir = wasmSourceDir();
  for (const file of (await readdir(wasmDir)).filter((f) => f.endsWith('.wasm'))) {
    await copyFile(path.join(wasmDir, file), path.join(stagingDir, BUNDLE_LAYOUT.wasmDir, file));
  }
  await cp(path.join(projectRoot, 'migrations'), path.join(stagingDir, BUNDLE_LAYOUT.migrationsDir), {
    recursive: true,
  });
  // The try-it page, at the same path under the bundle's root as under the repository's, where the
  // bundled server resolves PUBLIC_DIR from (app/..).
  await cp(PUBLIC_DIR, path.join(stagingDir, path.relative(projectRoot, PUBLIC_DIR)), { recursive: true });
  const model = localModelDir(settings.modelUri);
  if (model) await cp(path.join(projectRoot, model), path.join(stagingDir, model), { recursive: true });
  if (settings.store.kind === 'pg' && settings.store.caBundleFile) {
    await mkdir(path.dirname(caBundleTarget(stagingDir)), { recursive: true });
    await copyFile(path.resolve(projectRoot, settings.store.caBundleFile), caBundleTarget(stagingDir));
  }
  const pkg = await productionPackage(projectRoot, INSTALLED_ON_INSTANCE, OPTIONAL_ON_INSTANCE);
  await writeFile(path.join(stagingDir, 'package.json'), json(pkg.packageJson));
  await writeFile(path.join(stagingDir, 'package-lock.json'), json(pkg.lockfile));

  await assertNoDatabaseInEnvironment(stagingDir);
  const zipBytes = await zipDirectory(stagingDir, zipPath);
  return { stagingDir, zipPath, zipBytes, unpackedBytes: await directoryBytes(stagingDir), entries };
}
