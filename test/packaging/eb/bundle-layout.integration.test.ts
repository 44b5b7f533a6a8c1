import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeploySettings } from '../../../eb-compat/bundle/deploy-settings.js';
import { environmentProperties } from '../../../eb-compat/bundle/environment-properties.js';
import { bodyLimitBytes } from '../../../eb-compat/bundle/generated-files.js';
import { PUBLIC_DIR } from '../../../eb-compat/site.js';
import { projectRoot } from '../../../shared/config.js';
import {
  leaderOnlyCommands,
  procfileWeb,
  environmentProperties as propertiesIn,
} from './support/beanstalk-like.js';
import { TEST_SETTINGS, type UnpackedBundle, unpackedBundle } from './support/built-bundle.js';

type Options = Record<string, Record<string, string | number | boolean>>;

describe('the Beanstalk source bundle', () => {
  let bundle: UnpackedBundle;
  let options: Options;
  let entries: string[];
  beforeAll(async () => {
    bundle = await unpackedBundle({ install: false });
    const config = await readFile(path.join(bundle.dir, '.ebextensions', '01-load-balanced.config'), 'utf8');
    options = (load(config) as { option_settings: Options }).option_settings;
    const listing = await promisify(execFile)('unzip', ['-Z1', bundle.built.zipPath]);
    entries = listing.stdout.split('\n').filter(Boolean);
  }, 120_000);
  afterAll(() => bundle?.remove());

  const read = (file: string) => readFile(path.join(bundle.dir, file), 'utf8');

  it('holds Procfile and .ebextensions at the root of the zip, and no node_modules', async () => {
    expect(entries).toContain('Procfile');
    expect(entries).toContain('.ebextensions/02-migrate.config');
    expect(entries.some((e) => e.includes('node_modules'))).toBe(false);
    for (const file of [
      'app/server.mjs',
      'app/migrate.mjs',
      'app/model-worker.mjs',
      'app/tfjs-backend-wasm-simd.wasm',
    ])
      expect(entries).toContain(file);
    expect(entries).toContain('migrations/0001_create_predictions.sql');
    expect(entries).toContain('models/placeholder/model.json');
    // The try-it page where the bundled server resolves it: eb-compat/public under the bundle's root.
    expect(path.relative(projectRoot, PUBLIC_DIR)).toBe('eb-compat/public');
    for (const file of await readdir(PUBLIC_DIR)) expect(entries).toContain(`eb-compat/public/${file}`);
  });

  it('starts the bundled server from the Procfile and migrates in a leader_only container command', async () => {
    expect(await procfileWeb(bundle.dir)).toEqual(['node', '--enable-source-maps', 'app/server.mjs']);
    expect(await leaderOnlyCommands(bundle.dir)).toEqual([['node', 'app/migrate.mjs']]);
  });

  it('asks for a load-balanced environment: an ALB, two instances at least, /ready as health check', () => {
    expect(options['aws:elasticbeanstalk:environment']).toMatchObject({
      EnvironmentType: 'LoadBalanced',
      LoadBalancerType: 'application',
    });
    expect(Number(options['aws:autoscaling:asg']?.MinSize)).toBeGreaterThanOrEqual(2);
    expect(options['aws:elasticbeanstalk:environment:process:default']?.HealthCheckPath).toBe('/ready');
    expect(options['aws:elasticbeanstalk:command']?.DeploymentPolicy).toBe('RollingWithAdditionalBatch');
  });

  it("raises nginx's 1 MB body limit to what the app reads for an image", async () => {
    const size = /client_max_body_size (\d+)k;/.exec(await read('.platform/nginx/conf.d/pettracker.conf'));
    expect(Number(size?.[1]) * 1024).toBeGreaterThanOrEqual(bodyLimitBytes(TEST_SETTINGS.maxImageBytes));
    expect(bodyLimitBytes(TEST_SETTINGS.maxImageBytes)).toBeGreaterThan(TEST_SETTINGS.maxImageBytes);
  });

  it('is built for the Node.js 22 platform on Amazon Linux 2023, and says so', async () => {
    expect(TEST_SETTINGS.platform).toBe('Node.js 22 running on 64bit Amazon Linux 2023');
    expect(JSON.parse(await read('package.json')).engines).toEqual({ node: '>=22' });
    expect(await read('.ebextensions/00-environment.config')).toContain(
      'eb create --platform "Node.js 22 running on 64bit Amazon Linux 2023"',
    );
    expect(entries).toContain('.platform/nginx/conf.d/elasticbeanstalk/pettracker-errors.conf');
  });

  it('sets the endpoints and the secret names as option settings, never a password', async () => {
    const env = await propertiesIn(bundle.dir);
    expect(env).toMatchObject({
      PORT: '8080',
      STORE: 'pg',
      CACHE: 'redis',
      DATABASE_PASSWORD_SECRET_ID: 'pettracker/test/db-password',
      REDIS_URL: TEST_SETTINGS.redisUrl,
      MIGRATE_ON_START: 'false',
    });
    expect(new URL(env.DATABASE_URL as string).password).toBe('');
    expect(Object.keys(env).filter((k) => /PASSWORD$|TOKEN$/.test(k))).toEqual([]);
  });

  it('installs only sharp on the instance, at the version the tests ran', async () => {
    const pkg = JSON.parse(await read('package.json'));
    const installed = JSON.parse(
      await readFile(path.join(projectRoot, 'node_modules/sharp/package.json'), 'utf8'),
    );
    expect(pkg.dependencies).toEqual({ sharp: installed.version });
    const lock = JSON.parse(await read('package-lock.json'));
    expect(Object.keys(lock.packages)).toContain('node_modules/@img/sharp-linux-arm64');
    expect(lock.packages['node_modules/@img/sharp-linux-x64'].optional).toBe(true);
  });

  it('lists tfjs-node as optional, at the version of the lockfile, with its whole tree optional', async () => {
    const pkg = JSON.parse(await read('package.json'));
    const ours = JSON.parse(await readFile(path.join(projectRoot, 'package-lock.json'), 'utf8'));
    const version = ours.packages['node_modules/@tensorflow/tfjs-node'].version;
    expect(pkg.optionalDependencies).toEqual({ '@tensorflow/tfjs-node': version });
    const lock = JSON.parse(await read('package-lock.json'));
    expect(lock.packages[''].optionalDependencies).toEqual({ '@tensorflow/tfjs-node': version });
    expect(lock.packages['node_modules/@tensorflow/tfjs-node']).toMatchObject({ version, optional: true });
    // Reached only through tfjs-node: npm may drop it with tfjs-node when its install fails.
    expect(lock.packages['node_modules/@tensorflow/tfjs'].optional).toBe(true);
    expect(lock.packages['node_modules/sharp'].optional).toBeUndefined();
  });

  it('configures the Data API store instead when the settings name an Aurora cluster', () => {
    const env = environmentProperties(
      parseDeploySettings({
        ...TEST_SETTINGS,
        store: {
          kind: 'data-api',
          resourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:pettracker',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pettracker-db-AbCdEf',
          database: 'pettracker',
        },
      }),
    );
    expect(env).toMatchObject({ STORE: 'data-api', DATA_API_DATABASE: 'pettracker' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('refuses settings that carry a password instead of naming its secret', () => {
    const withPassword = {
      ...TEST_SETTINGS,
      store: { ...TEST_SETTINGS.store, url: 'postgres://u:hunter2@db:5432/p' },
    };
    expect(() => parseDeploySettings(withPassword)).toThrow(/must not contain the password/);
    const rdsManaged = {
      ...TEST_SETTINGS,
      store: { ...TEST_SETTINGS.store, passwordSecretId: 'rds!db-3f1c' },
    };
    expect(() => parseDeploySettings(rdsManaged)).not.toThrow();
  });
});
