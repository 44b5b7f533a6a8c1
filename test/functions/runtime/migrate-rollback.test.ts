import { describe, expect, it } from 'vitest';
import type { CustomResourceEvent } from '../../../functions/runtime/custom-resource.js';
import { isRollbackUpdate } from '../../../functions/runtime/migrate-rollback.js';

// The rollback rule on its own; the migrate function's CloudFormation lifecycle is in
// test/functions/migrate.integration.test.ts.

const rollbackCase = (
  RequestType: CustomResourceEvent['RequestType'],
  DeployId?: unknown,
  OldDeployId?: unknown,
): CustomResourceEvent => ({
  RequestType,
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/pettracker-prod/abc',
  RequestId: 'r',
  LogicalResourceId: 'DatabaseMigrations',
  PhysicalResourceId: 'pettracker-schema-migrations',
  ResourceProperties: { ServiceToken: 'arn', DeployId },
  ...(OldDeployId === undefined
    ? {}
    : { OldResourceProperties: { ServiceToken: 'arn', DeployId: OldDeployId } }),
});

describe('isRollbackUpdate', () => {
  it('is true for an Update back to an older deploy', () => {
    expect(isRollbackUpdate(rollbackCase('Update', '1795000000000', '1795000600000'))).toBe(true);
    // Numeric, not text, order: 999 < 1000.
    expect(isRollbackUpdate(rollbackCase('Update', '999', '1000'))).toBe(true);
  });

  it('is false for a forward Update, an Update with the same deploy, a Create and a Delete', () => {
    expect(isRollbackUpdate(rollbackCase('Update', '1795000600000', '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', '1000', '999'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', '1795000000000', '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Create', '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Delete', '1', '2'))).toBe(false);
  });

  it('migrates (is false) when either deploy id is missing or not a timestamp', () => {
    expect(isRollbackUpdate(rollbackCase('Update', '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', undefined, '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', 'abc', '1795000000000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', '1e3', '2000'))).toBe(false);
    expect(isRollbackUpdate(rollbackCase('Update', 17, 18))).toBe(false);
  });
});
