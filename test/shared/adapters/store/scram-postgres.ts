/**
 * A private, throwaway PostgreSQL cluster that really checks passwords (SCRAM-SHA-256), for the
 * rotation tests. The shared server on 127.0.0.1:5432 trusts every local connection (its pg_hba.conf
 * says `trust`, and editing it would change the machine for everyone), so a wrong password would go
 * unnoticed there. initdb + pg_ctl from the installed server binaries; as root they must run as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../../support/spawn-server.js';

const run = promisify(execFile);
const SUPERUSER_PASSWORD = 'scram-test-superuser';

export interface ScramPostgres {
  port: number;
  /** postgres://<user>@127.0.0.1:<port>/<database>, without a password. */
  urlFor(user: string, database: string): string;
  /** Runs SQL as the superuser (who authenticates with a password too). */
  admin(sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export async function startScramPostgres(binDir: string): Promise<ScramPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'pettracker-scram-'));
  const asRoot = userInfo().uid === 0;
  const pgUser = asRoot ? await uidGid('postgres') : undefined;
  const exec = (bin: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(binDir, bin), ...args])
      : run(join(binDir, bin), args);
  await writeFile(join(dir, 'pw'), SUPERUSER_PASSWORD);
  if (pgUser) {
    await chown(dir, pgUser.uid, pgUser.gid);
    await chown(join(dir, 'pw'), pgUser.uid, pgUser.gid);
  }
  const data = join(dir, 'data');
  await exec('initdb', [
    '-D',
    data,
    '--auth=scram-sha-256',
    '--username=postgres',
    `--pwfile=${join(dir, 'pw')}`,
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  await exec('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', options, 'start']);
  return {
    port,
    urlFor: (user, database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    async admin(sql) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        password: SUPERUSER_PASSWORD,
      });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function uidGid(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
