import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SCHEMA, load, Type } from 'js-yaml';

export interface DatabaseDeclaration {
  /** Path relative to the bundle root. */
  file: string;
  /** What was found, e.g. `Resources.Db.Type = AWS::RDS::DBInstance`. */
  finding: string;
}

/** Thrown by the bundle build (and used by tests) when the bundle would create a database. */
export class DatabaseInEnvironmentError extends Error {
  override name = 'DatabaseInEnvironmentError';
  readonly code = 'DATABASE_IN_ENVIRONMENT';
  constructor(readonly declarations: DatabaseDeclaration[]) {
    super(
      [
        'The bundle declares a database inside the Beanstalk environment:',
        ...declarations.map((d) => `  ${d.file}: ${d.finding}`),
        'A database created by an environment is deleted with it (eb terminate, a rebuild, the old side',
        "of a blue/green swap), and pettracker's data must outlive every environment. Create the",
        'database outside (its own stack or by hand, deletion protection on) and pass its endpoint in',
        'the deploy settings: README, "Deploy to Elastic Beanstalk".',
      ].join('\n'),
    );
  }
}

// CloudFormation short forms (!Ref, !GetAtt, ...) become { '!Ref': value } instead of a parse error.
const anyTag = (['scalar', 'sequence', 'mapping'] as const).map(
  (kind) => new Type('!', { kind, multi: true, construct: (data, tag) => ({ [tag]: data }) }),
);
const schema = DEFAULT_SCHEMA.extend(anyTag);

const RDS_TYPE = /^\s*AWS::RDS::/i;
const RDS_NAMESPACE = /^\s*aws:rds:dbinstance\s*$/i;
// The logical id Beanstalk gives the database it creates from aws:rds:dbinstance settings.
const EB_RDS_RESOURCE = /^AWSEBRDS/i;

function walk(value: unknown, at: string, found: string[]): void {
  if (typeof value === 'string') {
    if (RDS_TYPE.test(value)) found.push(`${at} = ${value.trim()}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, `${at}[${i}]`, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const here = at ? `${at}.${key}` : key;
    if (RDS_NAMESPACE.test(key)) found.push(`option settings in namespace ${key.trim()}`);
    else if (EB_RDS_RESOURCE.test(key)) found.push(`${here}: the environment's own RDS resource`);
    else if (/^namespace$/i.test(key) && typeof child === 'string' && RDS_NAMESPACE.test(child))
      found.push(`${here} = ${child.trim()}`);
    walk(child, here, found);
  }
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(root, rel)));
    else files.push(rel);
  }
  return files;
}

/**
 * Every place a source bundle can tell Beanstalk to create a database: .ebextensions (YAML or
 * JSON; every file, not only *.config, in case one is renamed), an environment manifest (env.yaml)
 * and saved configurations. A file that cannot be parsed counts as a finding: it could hide one.
 */
export async function findDatabaseDeclarations(bundleDir: string): Promise<DatabaseDeclaration[]> {
  const candidates = [
    ...(await filesUnder(bundleDir, '.ebextensions')),
    ...(await filesUnder(bundleDir, '.elasticbeanstalk')).filter((f) => /\.ya?ml$/.test(f)),
    ...(await readdir(bundleDir)).filter((f) => /^env\.ya?ml$/.test(f)),
  ];
  const declarations: DatabaseDeclaration[] = [];
  for (const file of candidates) {
    let parsed: unknown;
    try {
      parsed = load(await readFile(path.join(bundleDir, file), 'utf8'), { schema, filename: file });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      declarations.push({ file, finding: `cannot be parsed (${reason}), so it cannot be checked` });
      continue;
    }
    const found: string[] = [];
    walk(parsed, '', found);
    for (const finding of found) declarations.push({ file, finding });
  }
  return declarations;
}

export async function assertNoDatabaseInEnvironment(bundleDir: string): Promise<void> {
  const declarations = await findDatabaseDeclarations(bundleDir);
  if (declarations.length > 0) throw new DatabaseInEnvironmentError(declarations);
}
