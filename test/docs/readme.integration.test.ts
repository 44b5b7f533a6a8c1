import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, mintDevToken } from '../../shared/adapters/identity/dev-keys.js';
import { hasTestdata, repoRoot, testdataDir } from '../support/fixtures.js';
import { freePort } from '../support/spawn-server.js';
import { type ShellBlock, shellBlocks } from './shell-blocks.js';

const blocks = shellBlocks(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
const toRun = blocks.filter((b) => !b.skip);

/** A fresh clone: the tracked files only, beside a `shared/testdata` as in the project's workspace. */
async function freshClone(into: string): Promise<string> {
  const clone = path.join(into, 'pettracker');
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0');
  for (const file of files.filter((f) => f && existsSync(path.join(repoRoot, f)))) {
    await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
    await copyFile(path.join(repoRoot, file), path.join(clone, file));
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  await mkdir(path.join(into, 'shared'));
  await symlink(testdataDir, path.join(into, 'shared', 'testdata'), 'dir');
  return clone;
}

/** One shell, as a reader pastes the blocks one after another; it stops at the first command that fails. */
function script(run: ShellBlock[]): string {
  const parts = run.map((b, i) => `printf '\\n@@block ${i}\\n'\n${b.code}`);
  return ['set -eo pipefail', ...parts, "printf '\\n@@done\\n'"].join('\n');
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runShell(source: string, cwd: string, env: NodeJS.ProcessEnv, limitMs: number): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', source], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // The wait for /ready loops for ever if the server never answers: bounded here.
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether any process of the group is still alive (signal 0 only asks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends every process of `npm start`'s group (npm, sh, tsx, node), not only npm: SIGTERM, then SIGKILL
 * what is left after 10 s. The tree's stdout is this process's pipe, so a server left behind would
 * outlive the run (seen: one draining into a closed pipe, owned by init).
 */
async function endGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && groupAlive(pgid); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/** The output of each block, cut at the markers the script prints between them. */
function outputs(stdout: string): string[] {
  return stdout
    .split(/\n@@block \d+\n/)
    .slice(1)
    .map((o) => o.replace(/\n@@done\n$/, '').trim());
}

describe.runIf(hasTestdata)("the README's shell blocks, pasted into a shell on a fresh clone", () => {
  let tmp: string;
  let clone: string;
  let server: ChildProcess;
  let serverOutput = '';
  let port: number;
  let run: Finished;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pettracker-readme-'));
    clone = await freshClone(tmp);
    port = await freePort();
    // What a new machine has: no service settings, only a PATH and a home.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', PORT: String(port) };
    server = spawn('npm', ['start'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server.stdout?.on('data', (d) => {
      serverOutput += d;
    });
    server.stderr?.on('data', (d) => {
      serverOutput += d;
    });
    // npm install in the clone would write into this repository's node_modules, linked there.
    const unsafe = toRun.filter((b) => /\bnpm\s+(install|i|ci|test|start)\b/.test(b.code));
    run = unsafe.length
      ? { code: null, stdout: '', stderr: `not run: README.md:${unsafe.map((b) => b.line)} install or start` }
      : await runShell(script(toRun), clone, env, 240_000);
  }, 300_000);

  afterAll(async () => {
    if (server?.pid) await endGroup(server.pid);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 20_000);

  it('has one block it does not run, the set-up, whose npm start the test runs on a free PORT', () => {
    expect(blocks.filter((b) => b.skip).map((b) => b.code)).toEqual([
      expect.stringMatching(/^npm install && npm start .*PORT=\d+ npm start/),
    ]);
    expect(toRun.length).toBeGreaterThanOrEqual(5);
  });

  it('runs every other block to the end: no command fails', () => {
    const failed = toRun[outputs(run.stdout).length - 1];
    expect(
      { code: run.code, done: run.stdout.includes('\n@@done\n') },
      `stopped in the block at README.md:${failed?.line}\n${run.stdout}\n${run.stderr}\nserver:\n${serverOutput}`,
    ).toEqual({ code: 0, done: true });
    expect(serverOutput).toContain(`"port":${port}`);
  });

  it('answers what the README says: ready, a breed, not-a-pet, a save carrying the answer, a list, a get, a delete', async () => {
    const [ready, predicted, nothing, saved, listAndDelete] = outputs(run.stdout) as string[];
    expect(JSON.parse(ready as string)).toMatchObject({ status: 'ready' });

    const answer = JSON.parse(predicted as string);
    const photo = readFileSync(path.join(testdataDir, 'pets', 'pug_16.jpg'));
    expect(answer.imageSha256).toBe(createHash('sha256').update(photo).digest('hex'));
    expect(answer.predictions).toHaveLength(3);
    expect(['breed', 'unsure']).toContain(answer.verdict);
    expect(answer.species).toBe('dog');

    expect(JSON.parse(nothing as string)).toMatchObject({
      verdict: 'not-a-pet',
      predictions: [],
      species: null,
    });

    const row = JSON.parse(saved as string);
    expect(row).toMatchObject({
      breed: answer.predictions[0].breed,
      confidence: answer.predictions[0].confidence,
      imageSha256: answer.imageSha256,
      modelVersion: answer.model.version,
      source: 'model',
    });
    // The answer's items as they are, species included.
    expect(row.topK).toEqual(answer.predictions);

    const [list, got, status] = (listAndDelete as string).split('\n');
    expect(JSON.parse(list as string).items.map((i: { id: string }) => i.id)).toEqual([row.id]);
    expect(JSON.parse(got as string)).toEqual(row);
    expect(status).toBe('204');
    // The delete took: alice's history is empty again.
    const keys = await loadOrCreateDevKeys(path.join(clone, '.data', 'dev-jwt-key.json'));
    const token = await mintDevToken(keys, 'alice', { issuer: 'pettracker-dev', audience: 'pettracker' });
    const after = await fetch(`http://127.0.0.1:${port}/predictions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await after.json()).toMatchObject({ items: [] });
  });
});
