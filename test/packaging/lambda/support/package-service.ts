import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../../shared/config.js';

const run = promisify(execFile);

/** Stand-ins for a stage's SSM parameters: shaped like the real ones, pointing at nothing. */
export const DUMMY_PARAMS = {
  auroraClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:pettracker-prod',
  auroraSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-db-credentials/pettracker-prod-AbCdEf',
  upstashUrl: 'https://pettracker-prod.upstash.io',
  upstashTokenSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:pettracker/prod/upstash-token-GhIjKl',
  modelBucket: 'pettracker-prod-models',
  jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI',
  jwtAudience: '1example23456789',
} as const;

export interface PackagedService {
  /** .serverless/: the CloudFormation template and one zip per function. */
  serverlessDir: string;
  /** What the framework printed (stdout, then stderr): its configuration warnings among it. */
  output: string;
  /** Date.now() just before the framework started and just after it ended: the packaging time lies within. */
  ranBetween: [number, number];
  close(): Promise<void>;
}

// What `serverless package` reads; node_modules is linked, not copied.
const SOURCES = [
  'serverless.yml',
  'package.json',
  'tsconfig.json',
  'functions',
  'shared',
  'migrations',
  'models',
  'tools/serverless',
];

/**
 * `serverless package --stage <stage>` offline, in a copy of the service in a temporary folder, so that
 * it never races another run over the repository's .esbuild/ and .serverless/ folders.
 */
export async function packageService(
  stage: string,
  params: Record<string, string>,
): Promise<PackagedService> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-sls-'));
  for (const entry of SOURCES)
    await cp(path.join(projectRoot, entry), path.join(dir, entry), { recursive: true });
  await symlink(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const cli = path.join(projectRoot, 'node_modules', 'serverless', 'bin', 'serverless.js');
  const args = ['package', '--stage', stage, ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`)];
  const started = Date.now();
  const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      PETTRACKER_ESBUILD_WORK_FOLDER: '.esbuild',
    },
  });
  return {
    serverlessDir: path.join(dir, '.serverless'),
    output: `${stdout}${stderr}`,
    ranBetween: [started, Date.now()],
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Unzips each function's zip into <into>/<name>/, as Lambda unpacks it into /var/task. */
export async function unpackZips(serverlessDir: string, into: string): Promise<Record<string, string>> {
  const dirs: Record<string, string> = {};
  for (const file of (await readdir(serverlessDir)).filter((f) => f.endsWith('.zip'))) {
    const name = path.basename(file, '.zip');
    const target = path.join(into, name);
    await mkdir(target, { recursive: true });
    await run('unzip', ['-q', path.join(serverlessDir, file), '-d', target]);
    dirs[name] = target;
  }
  return dirs;
}
