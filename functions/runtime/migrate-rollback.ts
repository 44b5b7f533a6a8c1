import type { CustomResourceEvent } from './custom-resource.js';

const DEPLOY_ID = /^\d{1,16}$/;

/**
 * Whether CloudFormation sent this Update to roll a failed deploy back. CloudFormation does not say so
 * in the event: a rollback is an Update like any other, carrying the previous deploy's properties in
 * ResourceProperties and the failed deploy's in OldResourceProperties. What tells them apart is the
 * direction of time. serverless.yml sets DeployId to `${sls:instanceId}`, which Serverless Framework
 * v3 (and its fork osls) fills with the packaging time in epoch milliseconds, so a forward deploy
 * always raises it and a rollback always lowers it.
 *
 * Not a stack-status lookup (DescribeStacks answering UPDATE_ROLLBACK_IN_PROGRESS): that would need
 * another SDK client and IAM permission in the function, and a throttled call would then decide
 * whether the schema moves. When either id is missing or not a timestamp (a template edited by hand),
 * the answer is "not a rollback": migrating is the safe side, since a migration applied once is skipped.
 * The one case it misreads is re-deploying an older package (`deploy --package` of an earlier build):
 * that is treated as the rollback it effectively is, and its migrations are already applied.
 */
export function isRollbackUpdate(event: CustomResourceEvent): boolean {
  if (event.RequestType !== 'Update') return false;
  const target = deployId(event.ResourceProperties);
  const failed = deployId(event.OldResourceProperties);
  return target !== undefined && failed !== undefined && target < failed;
}

function deployId(properties: Record<string, unknown> | undefined): number | undefined {
  const value = properties?.DeployId;
  return typeof value === 'string' && DEPLOY_ID.test(value) ? Number(value) : undefined;
}
