import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateHandler } from '../../functions/runtime/migrate-function.js';
import { type LambdaServices, startLambdaServices } from '../support/lambda/lambda-services.js';
import { lambdaContext } from '../support/lambda/lambda-target.js';

let services: LambdaServices;
let dataDir: string;
let migrate: MigrateHandler;
let cloudFormation: Server;
let responseUrl: string;
const responses: Record<string, unknown>[] = [];
const headersSeen: Record<string, string | string[] | undefined>[] = [];

/** CloudFormation's side of a custom resource: the pre-signed URL the function PUTs its outcome to. */
beforeAll(async () => {
  services = await startLambdaServices();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-migrate-'));
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...services.env });
  ({ handler: migrate } = await import('../../functions/migrate.js'));
  cloudFormation = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      headersSeen.push(req.headers);
      responses.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => cloudFormation.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}/cfn-response?X-Amz-Signature=x`;
});
afterAll(async () => {
  cloudFormation?.close();
  await services?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const cfnEvent = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  ResponseURL: responseUrl,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/pettracker-prod/abc',
  RequestId: `req-${responses.length}`,
  LogicalResourceId: 'DatabaseMigrations',
  ResourceType: 'Custom::DatabaseMigrations',
  ResourceProperties: { DeployId: String(Date.now()) },
});

/*
 * The shape CloudFormation sends (AWS docs, "Custom resource request objects", and events logged by a
 * deployed stack): every property of the template's resource arrives as a string in
 * ResourceProperties, ServiceToken among them; Update and Delete carry the PhysicalResourceId the
 * function answered on Create; Update also carries OldResourceProperties. A rollback is an Update
 * whose ResourceProperties are the previous deploy's and OldResourceProperties the failed deploy's.
 */
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:pettracker-prod-migrate';
const properties = (deployId: string) => ({
  ServiceToken: SERVICE_TOKEN,
  ServiceTimeout: '600',
  DeployId: deployId,
});
const recorded = (
  RequestType: 'Create' | 'Update' | 'Delete',
  deployId: string,
  previousDeployId?: string,
) => ({
  RequestType,
  ServiceToken: SERVICE_TOKEN,
  ResponseURL: responseUrl,
  StackId:
    'arn:aws:cloudformation:us-east-1:123456789012:stack/pettracker-prod/5b2e8e10-2b1a-11f1-9f4c-0a1b2c3d4e5f',
  RequestId: `6f1c2d3e-${String(responses.length).padStart(4, '0')}-4a5b-8c9d-0e1f2a3b4c5d`,
  LogicalResourceId: 'DatabaseMigrations',
  ResourceType: 'Custom::DatabaseMigrations',
  ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'pettracker-schema-migrations' }),
  ResourceProperties: properties(deployId),
  ...(previousDeployId === undefined ? {} : { OldResourceProperties: properties(previousDeployId) }),
});

describe('migrate function', () => {
  it('applies each pending migration exactly once, also when two deploys race', async () => {
    const [a, b] = await Promise.all([
      migrate({}, lambdaContext('migrate', 300)),
      migrate({}, lambdaContext('migrate', 300)),
    ]);
    expect([...(a?.applied ?? []), ...(b?.applied ?? [])]).toEqual(['0001_create_predictions.sql']);
    const again = await migrate({}, lambdaContext('migrate', 300));
    expect(again).toEqual({ applied: [], alreadyApplied: ['0001_create_predictions.sql'] });
  });

  it('reports SUCCESS to CloudFormation on a deploy, with an empty Content-Type as the signed URL needs', async () => {
    await migrate(cfnEvent('Update'), lambdaContext('migrate', 300));
    expect(responses.at(-1)).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'pettracker-schema-migrations',
      LogicalResourceId: 'DatabaseMigrations',
      Data: { applied: 'none', alreadyApplied: '1' },
    });
    expect(headersSeen.at(-1)?.['content-type']).toBe('');
  });

  it('waits for Aurora to resume instead of failing the deploy', async () => {
    services.dataApi.faults.failFor(1_500, 'DatabaseResumingException');
    await migrate(cfnEvent('Create'), lambdaContext('migrate', 300));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('reports FAILED with the reason when the migration cannot run, so the deploy rolls back', async () => {
    services.dataApi.faults.failNext(1, 'ForbiddenException');
    await migrate(cfnEvent('Update'), lambdaContext('migrate', 300));
    expect(responses.at(-1)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^Migration failed: /),
    });
  });

  it('does nothing on Delete: the schema outlives the stack', async () => {
    const before = services.dataApi.requestCount();
    await migrate(cfnEvent('Delete'), lambdaContext('migrate', 300));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect(services.dataApi.requestCount()).toBe(before);
  });

  describe('CloudFormation lifecycle with recorded-shape events', () => {
    // Serverless v3 fills DeployId with the packaging time in epoch ms: each deploy's is larger.
    const [first, second, third] = ['1795000000000', '1795000600000', '1795001200000'];

    it('Create migrates and answers SUCCESS', async () => {
      const before = services.dataApi.requestCount();
      await migrate(recorded('Create', first), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', Data: { rollback: 'false' } });
      expect(services.dataApi.requestCount()).toBeGreaterThan(before);
    });

    it('a forward Update migrates: a failing migration answers FAILED, so the deploy rolls back', async () => {
      services.dataApi.faults.failNext(1, 'ForbiddenException');
      await migrate(recorded('Update', second, first), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: 'pettracker-schema-migrations',
      });
    });

    it('the rollback Update answers SUCCESS without touching the database, even one that would fail', async () => {
      services.dataApi.faults.failNext(1, 'ForbiddenException');
      const before = services.dataApi.requestCount();
      await migrate(recorded('Update', first, second), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'pettracker-schema-migrations',
        Data: { applied: 'none', rollback: 'true' },
      });
      expect(services.dataApi.requestCount()).toBe(before);
      // The armed fault is still there: the next forward deploy is the one that meets it.
      await migrate(recorded('Update', third, first), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({ Status: 'FAILED' });
      await migrate(recorded('Update', third, first), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', Data: { rollback: 'false' } });
    });

    it('Delete answers SUCCESS without touching the database', async () => {
      const before = services.dataApi.requestCount();
      await migrate(recorded('Delete', third), lambdaContext('migrate', 300));
      expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
      expect(services.dataApi.requestCount()).toBe(before);
    });
  });
});
