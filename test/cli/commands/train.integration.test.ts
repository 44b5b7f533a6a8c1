import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderDir } from '../../support/fixtures.js';
import { runCli, UNPRIVILEGED } from '../../support/run-cli.js';
import {
  NOT_UTF8_SHOWN,
  UNUSABLE,
  writeMixedFolder,
  writePhotos,
  writeUnusablePhotos,
} from '../../support/unusable-photos.js';

let tmp: string;

/** The tiny placeholder as backbone keeps a run to seconds; what is tested is which photos get in. */
const trainArgs = (data: string, out: string) => [
  'train',
  data,
  '--base',
  placeholderDir,
  '--out',
  out,
  '--cache-dir',
  path.join(tmp, 'cache'),
  '--epochs',
  '5',
  '--quantize',
  'never',
];

/** name (relative to `data`) -> code, from the stderr lines that name skipped photos. */
function skippedOf(stderr: string, data: string): Record<string, string> {
  const lines = stderr.split('\n').filter((line) => line.startsWith('skipped '));
  return Object.fromEntries(
    lines.map((line) => {
      const match = /^skipped (.+): .+ \(([A-Z_]+)\)$/.exec(line);
      if (!match?.[1] || !match[2]) throw new Error(`not a skipped line: ${line}`);
      return [path.relative(data, match[1]), match[2]];
    }),
  );
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-train-cli-'));
  await chmod(tmp, 0o777); // the runs may be nobody's (UNPRIVILEGED): they write the model and cache here
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('pettracker train on a folder with files it cannot use', () => {
  it('names each unusable photo and why on stderr, counts them, and trains on the rest, a non-UTF-8 name included', async () => {
    const data = path.join(tmp, 'mixed');
    await writeMixedFolder(data, 3);
    const out = path.join(tmp, 'mixed-model');

    // --fine-tune asked of a backbone that has nothing to fine-tune: the head alone, and it says why.
    const run = await runCli([...trainArgs(data, out), '--fine-tune', '2'], {}, 'node', UNPRIVILEGED);
    expect(run.code, run.stderr).toBe(0);
    expect(skippedOf(run.stderr, data)).toEqual(
      Object.fromEntries(Object.entries(UNUSABLE).map(([name, code]) => [`Beagle/${name}`, code])),
    );
    expect(run.stderr).not.toContain(NOT_UTF8_SHOWN);
    expect(run.stderr).toContain(
      `skipped ${path.join(data, 'Beagle', 'empty.png')}: empty file (EMPTY_BODY)`,
    );
    expect(run.stderr).toContain(
      `skipped ${path.join(data, 'Beagle', 'locked.jpg')}: permission denied (EACCES)`,
    );
    expect(run.stdout).toContain('7 photos used, 6 skipped (named on stderr)');
    // What was chosen and on what: the placeholder backbone has no ImageNet classifier, so no gate
    // (test/cli/train/run.integration.test.ts trains MobileNet without --not-pets); the unsure level
    // from the validation photos, here short of its aim.
    expect(run.stdout).toContain('no pet gate: the backbone has no ImageNet classifier');
    expect(run.stdout).toContain(
      'the backbone is frozen, the head alone was trained: the backbone has no conv 1x1 -> batch norm -> ReLU6 under its pooling',
    );
    expect(run.stdout).toMatch(/^calibration: temperature [\d.]+ \(ECE .*\); unsure below 0\.\d+: /m);

    const metadata = JSON.parse(await readFile(path.join(out, 'metadata.json'), 'utf8'));
    expect(metadata.labels).toEqual(['Sphynx', 'Beagle']);
    expect(metadata.provenance.data).toMatchObject({ labelsFrom: 'folders', photos: 7, skippedPhotos: 6 });
  }, 120_000);

  it('fails, naming the breed, when every photo of a breed is unusable', async () => {
    const data = path.join(tmp, 'one-breed-unusable');
    await writePhotos(path.join(data, 'Beagle'), 3, 3);
    await writeUnusablePhotos(path.join(data, 'Pug'));
    const out = path.join(tmp, 'unusable-model');

    const run = await runCli(trainArgs(data, out), {}, 'node', UNPRIVILEGED);
    expect(run.code).toBe(1);
    expect(Object.keys(skippedOf(run.stderr, data)).sort()).toEqual(
      Object.keys(UNUSABLE)
        .map((name) => `Pug/${name}`)
        .sort(),
    );
    expect(run.stderr).toMatch(/^pettracker train: no usable photo of Pug: every one was skipped/m);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('pettracker train --fine-tune', () => {
  it('takes a whole number of epochs, 0 for the head alone, and refuses anything else before reading a photo', async () => {
    for (const bad of ['-1', '1.5', 'four', '']) {
      const run = await runCli([
        ...trainArgs(path.join(tmp, 'nowhere'), path.join(tmp, 'never')),
        `--fine-tune=${bad}`,
      ]);
      expect(run.code, `${bad}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('--fine-tune takes a whole number of epochs (0: the head alone).');
    }
  });
});
