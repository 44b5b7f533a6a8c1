import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasTestdata,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  placeholderDir,
} from '../support/fixtures.js';
import { makeJpeg, makePng } from '../support/images.js';
import { runCli } from '../support/run-cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let tmp: string;
let images: string[];
let labels: string[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-cli-'));
  images = [path.join(tmp, 'first.jpg'), path.join(tmp, 'second.png')];
  await writeFile(images[0] as string, await makeJpeg(320, 240));
  await writeFile(images[1] as string, await makePng(96, 96));
  labels = JSON.parse(await readFile(path.join(placeholderDir, 'metadata.json'), 'utf8')).labels;
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** The table's rows: [image, rank, breed, confidence], from two or more spaces between cells. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('IMAGE'));
  return lines
    .slice(start + 1)
    .filter(Boolean)
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('pettracker predict', () => {
  it('prints a table with the top breeds of each image from the local model', async () => {
    const run = await runCli(['predict', ...images], { DATA_DIR: tmp });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^model pettracker-placeholder placeholder-1 \(untrained/);
    const rows = tableRows(run.stdout);
    expect(rows).toHaveLength(6);
    expect(rows[0]?.[0]).toBe(images[0]);
    expect(rows[3]?.[0]).toBe(images[1]);
    for (const row of rows) {
      expect(labels).toContain(row.at(-2));
      expect(row.at(-1)).toMatch(/^\d+\.\d%$/);
    }
  });

  it.runIf(hasTestdata)('names the breed in a real photo with MobileNet', async () => {
    const modelDir = await mobilenetExport(await mobilenetTeachableMetadata());
    try {
      const photos = ['beagle_10.jpg', 'pug_16.jpg'].map((name) => path.join(petsDir, name));
      const run = await runCli(['predict', '--model', modelDir, '--top', '1', ...photos], { DATA_DIR: tmp });
      expect(run.code).toBe(0);
      expect(tableRows(run.stdout).map((row) => row[2])).toEqual(['beagle', 'pug, pug-dog']);
    } finally {
      await rm(modelDir, { recursive: true, force: true });
    }
  });

  describe('against a running API', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app?.close());

    it('asks the API and prints the same kind of table, or JSON lines', async () => {
      const table = await runCli(['predict', '--api', app.url, '--top', '2', ...images]);
      expect(table.code).toBe(0);
      expect(tableRows(table.stdout)).toHaveLength(4);
      const json = await runCli(['predict', '--api', app.url, '--json', images[0] as string]);
      const [line] = json.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(line).toMatchObject({ file: images[0], result: { cached: true, model: { untrained: true } } });
    });

    it('reports a file the API refuses with its error code and exits 1', async () => {
      const notes = path.join(tmp, 'notes.txt');
      await writeFile(notes, 'not a photo');
      const run = await runCli(['predict', '--api', app.url, notes, images[0] as string]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('error UNSUPPORTED_MEDIA_TYPE');
      expect(tableRows(run.stdout)).toHaveLength(4);
    });
  });
});

describe('pettracker token', () => {
  it('prints a JWT that the API accepts', async () => {
    const dataDir = await mkdtemp(path.join(tmp, 'data-'));
    const run = await runCli(['token', 'cli-user'], { DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The server on the same data directory shares the dev signing key.
    const app = await startTestApp({ DATA_DIR: dataDir });
    try {
      const list = await fetch(`${app.url}/predictions`, { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
      const refused = await fetch(`${app.url}/predictions`, {
        headers: { authorization: `Bearer ${token}x` },
      });
      expect(refused.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('mints nothing when a JWKS identity provider is configured', async () => {
    const run = await runCli(['token', 'cli-user'], {
      DATA_DIR: tmp,
      JWT_JWKS_URL: 'https://idp.example.test/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example.test/',
      JWT_AUDIENCE: 'pettracker',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('identity provider');
  });
});

describe('pettracker migrate', () => {
  it('applies the migrations once to the configured database', async () => {
    const env = { DATA_DIR: await mkdtemp(path.join(tmp, 'migrate-')) };
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^applied 0001_create_predictions\.sql\nPGlite .*: 1 applied, 0 already applied/,
    );
    const second = await runCli(['migrate'], env);
    expect(second.stdout).toMatch(/: 0 applied, 1 already applied/);
  });
});

describe('the command line itself', () => {
  it('exits 2 with the usage on an unknown command (through npx and the package bin)', async () => {
    const run = await runCli(['frobnicate'], {}, 'npx');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
    expect(run.stderr).toContain('Usage: pettracker <command>');
  });

  it('exits 2 with the usage on an unknown option or a missing argument', async () => {
    for (const args of [['predict', '--bogus', 'x.jpg'], ['predict'], ['token'], ['model', 'fetch']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage:');
    }
  });
});
