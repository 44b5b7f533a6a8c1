import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateHandler } from '../../functions/runtime/migrate-function.js';
import { type LambdaServices, startLambdaServices } from './support/lambda-services.js';
import { lambdaContext } from './support/lambda-target.js';

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
});
