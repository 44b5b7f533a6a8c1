import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BuiltBundle, buildBundle } from '../../../../eb-compat/bundle/build-bundle.js';
import { type DeploySettings, parseDeploySettings } from '../../../../eb-compat/bundle/deploy-settings.js';

const run = promisify(execFile);

/** Deploy settings of a make-believe environment; the tests point the endpoints at 127.0.0.1. */
export const TEST_SETTINGS: DeploySettings = parseDeploySettings({
  region: 'eu-west-1',
  store: {
    kind: 'pg',
    url: 'postgres://pettracker@pettracker-db.test.internal:5432/pettracker?sslmode=verify-full',
    passwordSecretId: 'pettracker/test/db-password',
    poolMax: 8,
  },
  redisUrl: 'redis://pettracker-cache.test.internal:6379',
  auth: {
    jwksUrl: 'https://auth.test.internal/jwks.json',
    issuer: 'https://auth.test.internal',
    audience: 'pettracker',
  },
  // The API contract suites are written around the tiny placeholder (generated images, untrained: true);
  // without modelUri the bundle ships and serves the default model, models/pets-mobilenet-v1.
  modelUri: 'models/placeholder',
});

export interface UnpackedBundle {
  built: BuiltBundle;
  /** Where the zip was extracted: what Beanstalk's /var/app/current would hold. */
  dir: string;
  /** What `npm ci` printed, when it ran. */
  installLog: string;
  remove(): Promise<void>;
}

/**
 * Builds the bundle into a temporary directory, unzips it elsewhere (so nothing can resolve from
 * the repository's node_modules) and, with `install`, runs the install step the bundle needs:
 * `npm ci --omit=dev --offline`, served from the local npm cache, never the network.
 */
export async function unpackedBundle(options: { install: boolean }): Promise<UnpackedBundle> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'pettracker-eb-build-'));
  const dir = await mkdtemp(path.join(tmpdir(), 'pettracker-eb-app-'));
  const remove = async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const built = await buildBundle({ settings: TEST_SETTINGS, outDir });
    await run('unzip', ['-q', built.zipPath, '-d', dir]);
    let installLog = '';
    if (options.install) {
      const npm = await run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], {
        cwd: dir,
      });
      installLog = npm.stdout + npm.stderr;
    }
    return { built, dir, installLog, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
