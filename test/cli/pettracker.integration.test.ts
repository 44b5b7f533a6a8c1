import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictOutput } from '../../shared/use-cases/predict.js';
import {
  hasTestdata,
  mobilenetExport,
  mobilenetTeachableMetadata,
  petsDir,
  placeholderDir,
  testdataDir,
} from '../support/fixtures.js';
import { makeJpeg, makePng } from '../support/images.js';
import { runCli } from '../support/run-cli.js';
import { freePort } from '../support/spawn-server.js';
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

/** The table's lines, up to the blank line before the errors. */
function tableLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('IMAGE'));
  const rest = lines.slice(start + 1);
  const end = rest.indexOf('');
  return end === -1 ? rest : rest.slice(0, end);
}

/**
 * The table's rows as [image, verdict, species, rank, breed, confidence], cut where the header's
 * columns start (exact up to --top 9: wider right-aligned columns would start left of their header).
 */
function tableRows(stdout: string): string[][] {
  const header = stdout.split('\n').find((line) => line.startsWith('IMAGE')) as string;
  const starts = ['IMAGE', 'VERDICT', 'SPECIES', '#', 'BREED', 'CONFIDENCE'].map((h) => header.indexOf(h));
  return tableLines(stdout).map((line) => starts.map((at, i) => line.slice(at, starts[i + 1]).trim()));
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
      expect(tableRows(run.stdout).map((row) => row[4])).toEqual(['beagle', 'pug, pug-dog']);
    } finally {
      await rm(modelDir, { recursive: true, force: true });
    }
  });

  it.runIf(hasTestdata)(
    'shows every answer of the bundled model: its verdict and species, not-a-pet and unsure included',
    async () => {
      // The pets and, of the photos of other things, a golf cart: the table must hold what --json says.
      const photos = [
        ...(await readdir(petsDir)).filter((f) => f.endsWith('.jpg')).map((f) => path.join(petsDir, f)),
        path.join(testdataDir, 'not-pets', 'n03445924_golfcart.jpg'),
      ];
      const env = { DATA_DIR: tmp, MODEL_URI: 'models/pets-mobilenet-v1' };
      const [table, json] = await Promise.all([
        runCli(['predict', ...photos], env),
        runCli(['predict', '--json', ...photos], env),
      ]);
      expect(table.code).toBe(0);
      const answers = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { file: string; result: PredictOutput });
      const rows = tableRows(table.stdout);
      const firstRows = rows.filter((row) => row[0] !== '');
      expect(firstRows.map((row) => row[0])).toEqual(photos);
      for (const [i, { result }] of answers.entries()) {
        const [, verdict, species, rank, breed, confidence] = firstRows[i] as string[];
        expect({ verdict, species }).toEqual({ verdict: result.verdict, species: result.species ?? '-' });
        const top = result.predictions[0];
        if (top)
          expect([rank, breed, confidence]).toEqual([
            '1',
            top.breed,
            `${(top.confidence * 100).toFixed(1)}%`,
          ]);
        else expect([rank, breed, confidence]).toEqual(['', '', '']);
      }
      const count = (verdict: string) => answers.filter((a) => a.result.verdict === verdict).length;
      expect(rows).toHaveLength(answers.reduce((n, a) => n + Math.max(1, a.result.predictions.length), 0));
      expect(firstRows.filter((row) => row[1] === 'not-a-pet')).toHaveLength(count('not-a-pet'));
      expect(firstRows.filter((row) => row[1] === 'unsure')).toHaveLength(count('unsure'));
      expect(answers.at(-1)?.result.verdict).toBe('not-a-pet');
    },
  );

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

    it('lists the files the API refuses under the table, which they leave as it was, and exits 1', async () => {
      const notes = path.join(tmp, 'notes.txt');
      const missing = path.join(tmp, 'gone.jpg'); // no longer than the photo's name: same IMAGE width
      await writeFile(notes, 'not a photo');
      const alone = await runCli(['predict', '--api', app.url, images[0] as string]);
      const run = await runCli(['predict', '--api', app.url, notes, images[0] as string, missing]);
      expect(run.code).toBe(1);
      const rows = tableRows(run.stdout);
      expect(rows).toHaveLength(5);
      expect(rows[0]).toEqual([notes, 'error', '', '', '', '']);
      expect(rows[4]).toEqual([missing, 'error', '', '', '', '']);
      // The photo's rows are those it gets alone: no error message widened a column.
      expect(tableLines(run.stdout).slice(1, 4)).toEqual(tableLines(alone.stdout));
      const errors = run.stdout
        .slice(run.stdout.indexOf('\n\nerrors:\n') + 10)
        .trimEnd()
        .split('\n');
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^  ${notes}: UNSUPPORTED_MEDIA_TYPE The body is not a JPEG`)),
        expect.stringMatching(new RegExp(`^  ${missing}: ENOENT `)),
      ]);
    });
  });

  it('names the URL and the cause when the API cannot be reached', async () => {
    const port = await freePort();
    const run = await runCli(['predict', '--api', `http://127.0.0.1:${port}`, images[0] as string]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `pettracker predict: cannot reach the API at http://127.0.0.1:${port}/predict?topK=3: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
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

  it('refuses a lifetime of 0 or less, or longer than the API accepts, and says why', async () => {
    const refusals = {
      '0s': '"0s" would mint a token that is already expired.',
      '-1h': '"-1h" would mint a token that is already expired.',
      '25h':
        '"25h" is 90000 s: the API refuses tokens living longer than 86400 s (JWT_MAX_LIFETIME_SECONDS).',
      soon: '"soon" is not a lifetime',
    };
    for (const [lifetime, message] of Object.entries(refusals)) {
      const run = await runCli(['token', 'carol', '--', lifetime], { DATA_DIR: tmp });
      expect(run.code, lifetime).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(message);
    }
    const longer = await runCli(['token', 'carol', '25h'], {
      DATA_DIR: tmp,
      JWT_MAX_LIFETIME_SECONDS: '90000',
    });
    expect(longer.code).toBe(0);
    const { exp = 0, iat = 0 } = decodeJwt(longer.stdout.trim());
    expect(exp - iat).toBe(90_000);
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
