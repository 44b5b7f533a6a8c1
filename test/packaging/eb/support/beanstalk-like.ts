import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';

/** A command line split the way the platform's shell would, for the simple commands used here. */
function argv(command: string, where: string): string[] {
  if (/[|&;<>()$`"'\\*?]/.test(command))
    throw new Error(`${where}: expected a plain command, got ${command}`);
  return command.trim().split(/\s+/);
}

/** The `web:` process of the bundle's Procfile: what Beanstalk starts on each instance. */
export async function procfileWeb(dir: string): Promise<string[]> {
  const procfile = await readFile(path.join(dir, 'Procfile'), 'utf8');
  const web = /^web:\s*(.+)$/m.exec(procfile)?.[1];
  if (!web) throw new Error('Procfile has no web process');
  return argv(web, 'Procfile');
}

type ContainerCommands = Record<string, { command: string; leader_only?: boolean }>;

/** Every leader_only container command in the bundle's .ebextensions, in the order Beanstalk runs them. */
export async function leaderOnlyCommands(dir: string): Promise<string[][]> {
  const ebextensions = path.join(dir, '.ebextensions');
  const commands: string[][] = [];
  for (const file of (await readdir(ebextensions)).filter((f) => f.endsWith('.config')).sort()) {
    const config = load(await readFile(path.join(ebextensions, file), 'utf8')) as {
      container_commands?: ContainerCommands;
    };
    const entries = Object.entries(config.container_commands ?? {}).sort(([a], [b]) => a.localeCompare(b));
    for (const [name, c] of entries) if (c.leader_only) commands.push(argv(c.command, `${file} ${name}`));
  }
  return commands;
}

/** The environment properties the bundle sets (aws:elasticbeanstalk:application:environment). */
export async function environmentProperties(dir: string): Promise<Record<string, string>> {
  const config = load(await readFile(path.join(dir, '.ebextensions', '00-environment.config'), 'utf8')) as {
    option_settings: Record<string, Record<string, string>>;
  };
  return { ...config.option_settings['aws:elasticbeanstalk:application:environment'] };
}

/**
 * The bundle's own environment properties with the AWS endpoints swapped for this machine's:
 * the temporary database, the local Redis, the Secrets Manager emulator (still holding the
 * password under the secret name the bundle configures). NODE_ENV=test because no JWKS endpoint
 * exists here: the server signs in with the dev key in DATA_DIR instead. Nothing is inherited from
 * the test process beyond PATH and HOME, as on an instance.
 */
export async function localEnvironment(
  dir: string,
  local: {
    databaseUrl: string;
    redisUrl: string;
    secretsEndpoint: string;
    dataDir: string;
    keyPrefix: string;
  },
): Promise<Record<string, string>> {
  const {
    JWT_JWKS_URL: _jwks,
    JWT_ISSUER: _issuer,
    JWT_AUDIENCE: _audience,
    ...properties
  } = await environmentProperties(dir);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...properties,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATABASE_URL: local.databaseUrl,
    REDIS_URL: local.redisUrl,
    SECRETS_MANAGER_ENDPOINT: local.secretsEndpoint,
    CACHE_KEY_PREFIX: local.keyPrefix,
    DATA_DIR: local.dataDir,
    LOG_LEVEL: 'info',
  };
}
