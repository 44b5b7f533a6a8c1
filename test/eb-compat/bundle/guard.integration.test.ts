import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../eb-compat/bundle/build-bundle.js';
import {
  assertNoDatabaseInEnvironment,
  DatabaseInEnvironmentError,
  findDatabaseDeclarations,
} from '../../../eb-compat/bundle/guard.js';
import { projectRoot } from '../../../shared/config.js';
import {
  TEST_SETTINGS,
  type UnpackedBundle,
  unpackedBundle,
} from '../../packaging/eb/support/built-bundle.js';

const RDS_RESOURCE_YAML = `Resources:
  ProductDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      MasterUserPassword: !Ref DbPassword
`;
const RDS_CLUSTER_JSON = JSON.stringify({ Resources: { Aurora: { Type: 'AWS::RDS::DBCluster' } } });
const RDS_OPTIONS_MAP =
  'option_settings:\n  aws:rds:dbinstance:\n    DBEngine: postgres\n    DBDeletionPolicy: Snapshot\n';
const RDS_OPTIONS_LIST = `option_settings:
  - namespace: aws:rds:dbinstance
    option_name: DBEngine
    value: postgres
`;
const ENV_MANIFEST =
  'AWSConfigurationTemplateVersion: 1.1.0.0\nOptionSettings:\n  aws:rds:dbinstance:\n    DBEngine: postgres\n';

describe('the guard against a database inside the environment', () => {
  let bundle: UnpackedBundle;
  let scratch: string;
  beforeAll(async () => {
    bundle = await unpackedBundle({ install: false });
    scratch = await mkdtemp(path.join(tmpdir(), 'pettracker-eb-guard-'));
  }, 120_000);
  afterAll(async () => {
    await bundle?.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A copy of the real, unzipped bundle with one file added. */
  async function withFile(file: string, content: string): Promise<string> {
    const dir = await mkdtemp(path.join(scratch, 'bundle-'));
    await cp(bundle.dir, dir, { recursive: true });
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
    return dir;
  }

  it('passes the bundle as built, whose option settings name an external endpoint and secret', async () => {
    expect(await findDatabaseDeclarations(bundle.dir)).toEqual([]);
  });

  it.each([
    ['an AWS::RDS::DBInstance resource (YAML, with !Ref)', '.ebextensions/03-db.config', RDS_RESOURCE_YAML],
    ['an AWS::RDS::DBCluster resource (JSON)', '.ebextensions/db.config', RDS_CLUSTER_JSON],
    ['aws:rds:dbinstance option settings (map form)', '.ebextensions/db.config', RDS_OPTIONS_MAP],
    ['aws:rds:dbinstance option settings (list form)', '.ebextensions/db.config', RDS_OPTIONS_LIST],
    ['aws:rds:dbinstance in an environment manifest', 'env.yaml', ENV_MANIFEST],
    ['a config it cannot parse', '.ebextensions/broken.config', 'option_settings: [unclosed\n'],
  ])('rejects a bundle with %s injected, saying why', async (_what, file, content) => {
    const dir = await withFile(file, content);
    const failure = await assertNoDatabaseInEnvironment(dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseInEnvironmentError);
    const message = (failure as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/deleted with it/);
    expect(message).toMatch(/must outlive every environment/);
  });

  it('passes Data API ARNs and CloudFormation short forms that create no database', async () => {
    const dir = await withFile(
      '.ebextensions/03-extra.config',
      [
        'option_settings:',
        '  aws:elasticbeanstalk:application:environment:',
        '    DATA_API_RESOURCE_ARN: arn:aws:rds:eu-west-1:123456789012:cluster:pettracker',
        'Resources:',
        '  Alarm:',
        '    Type: AWS::CloudWatch::Alarm',
        '    Properties:',
        '      AlarmActions: [!Ref AWSEBLoadBalancer]',
      ].join('\n'),
    );
    expect(await findDatabaseDeclarations(dir)).toEqual([]);
  });

  it('makes the bundle script refuse to write a bundle when its sources declare a database', async () => {
    const beanstalkDir = path.join(scratch, 'beanstalk-sources');
    await cp(path.join(projectRoot, 'eb-compat', 'beanstalk'), beanstalkDir, { recursive: true });
    await writeFile(path.join(beanstalkDir, '.ebextensions', '03-db.config'), RDS_RESOURCE_YAML);
    const outDir = path.join(scratch, 'out');
    await expect(buildBundle({ settings: TEST_SETTINGS, outDir, beanstalkDir })).rejects.toThrow(
      DatabaseInEnvironmentError,
    );
    expect((await readdir(outDir)).filter((f) => f.endsWith('.zip'))).toEqual([]);
  });
});
