import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/fixtures.js';

const run = promisify(execFile);

export interface Finding {
  tool: 'redocly' | 'spectral';
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  where: string;
}

/** Both CLIs exit non-zero when they report errors; their JSON report is on stdout either way. */
async function stdoutOf(command: string, args: string[]): Promise<string> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  try {
    return (await run(command, args, { cwd: repoRoot, env, maxBuffer: 32 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    if (stdout?.trim().startsWith('{') || stdout?.trim().startsWith('[')) return stdout;
    throw error;
  }
}

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

/** `redocly lint` with the repository's redocly.yaml (the recommended rules). */
export async function redocly(file: string): Promise<Finding[]> {
  const report = JSON.parse(
    await stdoutOf(bin('redocly'), ['lint', file, '--config', 'redocly.yaml', '--format=json']),
  ) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems.map((p) => ({
    tool: 'redocly',
    rule: p.ruleId,
    severity: p.severity === 'error' ? 'error' : p.severity === 'warn' ? 'warning' : 'info',
    message: p.message,
    where: p.location[0]?.pointer ?? '',
  }));
}

/** `spectral lint` with the repository's .spectral.yaml (extends spectral:oas). */
export async function spectral(file: string): Promise<Finding[]> {
  const results = JSON.parse(
    await stdoutOf(bin('spectral'), ['lint', '-r', '.spectral.yaml', '-f', 'json', '--quiet', file]),
  ) as { code: string; severity: number; message: string; path: (string | number)[] }[];
  return results.map((r) => ({
    tool: 'spectral',
    rule: r.code,
    severity: r.severity === 0 ? 'error' : r.severity === 1 ? 'warning' : 'info',
    message: r.message,
    where: r.path.join('.'),
  }));
}

export const describeFinding = (f: Finding) =>
  `${f.tool} ${f.severity} ${f.rule} at ${f.where}: ${f.message}`;
