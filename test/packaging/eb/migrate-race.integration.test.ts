import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../support/services.js';
import { leaderOnlyCommands } from './support/beanstalk-like.js';
import { runInBundle } from './support/bundle-process.js';
import { type BundleStack, bundleStack } from './support/bundle-stack.js';

const available = await postgresAvailable();

/*
 * A second migration that cannot be applied twice (CREATE TABLE without IF NOT EXISTS) and holds
 * its transaction open for a moment, so the three runners really overlap. Added to this test's own
 * copy of the unzipped bundle only.
 */
const PROBE = `CREATE TABLE eb_race_probe (applied_at timestamptz NOT NULL DEFAULT now());
INSERT INTO eb_race_probe DEFAULT VALUES;
SELECT pg_sleep(0.5);
`;

describe.skipIf(!available)(
  "the bundle's migration entry, three runners at once on an empty database",
  () => {
    let stack: BundleStack;
    beforeAll(async () => {
      stack = await bundleStack();
      await writeFile(path.join(stack.bundle.dir, 'migrations', '0999_eb_race_probe.sql'), PROBE);
    }, 240_000);
    afterAll(() => stack?.close());

    it('applies each migration exactly once, and every runner exits 0', async () => {
      const [migrate] = await leaderOnlyCommands(stack.bundle.dir);
      if (!migrate) throw new Error('the bundle has no leader_only migration command');
      const runs = await Promise.all([1, 2, 3].map(() => runInBundle(stack.bundle.dir, migrate, stack.env)));
      for (const run of runs) expect(run.code, run.output).toBe(0);

      const files = (await readdir(path.join(stack.bundle.dir, 'migrations'))).sort();
      const appliedBy = (file: string) =>
        runs.filter((run) => run.output.includes(`applied ${file}\n`)).length;
      for (const file of files) expect(appliedBy(file), file).toBe(1);

      const client = new pg.Client({ connectionString: stack.db.url });
      await client.connect();
      try {
        const versions = await client.query(
          'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version',
        );
        expect(versions.rows).toHaveLength(files.length);
        const probe = await client.query('SELECT count(*)::int AS n FROM eb_race_probe');
        expect(probe.rows[0].n).toBe(1);
      } finally {
        await client.end();
      }
    });
  },
);
