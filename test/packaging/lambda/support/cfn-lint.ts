import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Template } from './template.js';

const run = promisify(execFile);

interface CfnLintMatch {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Location: { Path: (string | number)[] };
}

/**
 * Runs the real cfn-lint (Python; `pip install cfn-lint`, .ci/run installs it when missing) on the
 * template and returns its errors as "E2533 Resources/.../Runtime: message" lines. Warnings are not
 * returned: those left are Serverless Framework's own (W3005, a DependsOn its route resources repeat).
 * Undefined when cfn-lint is not installed, unless CI requires it (PETTRACKER_REQUIRE_SERVICES=1):
 * then the absence is itself a failure, so CI cannot pass by skipping the lint.
 */
export async function cfnLintErrors(template: Template): Promise<string[] | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-cfn-lint-'));
  const file = path.join(dir, 'template.json');
  try {
    await writeFile(file, JSON.stringify(template, null, 2));
    let stdout: string;
    try {
      ({ stdout } = await run('cfn-lint', ['--format', 'json', file], { maxBuffer: 16 * 1024 * 1024 }));
    } catch (error) {
      const failed = error as NodeJS.ErrnoException & { stdout?: string };
      if (failed.code === 'ENOENT') {
        if (process.env.PETTRACKER_REQUIRE_SERVICES === '1') {
          throw new Error('cfn-lint is not installed (pip install cfn-lint), and CI requires it');
        }
        console.warn('cfn-lint is not installed: the template was not linted (pip install cfn-lint)');
        return undefined;
      }
      // cfn-lint exits non-zero whenever it reports anything; its JSON report is still on stdout.
      if (typeof failed.stdout !== 'string' || !failed.stdout.trim().startsWith('[')) throw error;
      stdout = failed.stdout;
    }
    const matches = JSON.parse(stdout) as CfnLintMatch[];
    return matches
      .filter((m) => m.Level === 'Error')
      .map((m) => `${m.Rule.Id} ${m.Location.Path.join('/')}: ${m.Message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
