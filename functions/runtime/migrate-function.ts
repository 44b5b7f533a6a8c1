import { loadConfig } from '../../shared/config.js';
import type { MigrationRunResult } from '../../shared/migrations/run-migrations.js';
import { createLogger } from '../../shared/observability/logger.js';
import type { LambdaContext } from './api-gateway.js';
import {
  type CustomResourceEvent,
  isCustomResourceEvent,
  sendCustomResourceResponse,
} from './custom-resource.js';
import { migrateDatabase } from './migrate-database.js';
import { isRollbackUpdate } from './migrate-rollback.js';

// Kept back from the function's own timeout to report FAILED to CloudFormation rather than be killed
// silently (CloudFormation would then wait for the custom resource's ServiceTimeout).
const REPORT_MARGIN_MS = 10_000;
const PHYSICAL_ID = 'pettracker-schema-migrations';

export type MigrateHandler = (
  event: unknown,
  context: LambdaContext,
) => Promise<MigrationRunResult | undefined>;

/**
 * Invoked directly (`serverless invoke -f migrate`, npm run dev:lambda), it answers what it applied.
 * As the stack's custom resource it runs on every deploy's Create/Update, before the API functions are
 * updated (they depend on it), and reports to CloudFormation: a failed migration fails and rolls back
 * the deploy. The Update that rolls a failed deploy back answers SUCCESS without migrating: migrations
 * only move forward (the previous release runs on the newer schema), and a migration failing again
 * would leave the stack in UPDATE_ROLLBACK_FAILED. Delete does nothing: the database is owned outside
 * the stack and outlives it.
 */
export function migrateFunction(): MigrateHandler {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  return async (event, context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS;
    if (!isCustomResourceEvent(event)) return migrateDatabase(config, logger, deadline);
    await answerCloudFormation(event, async () => {
      if (event.RequestType === 'Delete') return { Reason: 'Nothing to do: the schema outlives the stack.' };
      if (isRollbackUpdate(event)) {
        logger.info(
          {
            deployId: event.ResourceProperties?.DeployId,
            failedDeployId: event.OldResourceProperties?.DeployId,
          },
          'rollback: migrations not run',
        );
        return {
          Reason: 'Rollback: migrations only move forward; the schema stays as it is.',
          Data: { applied: 'none', alreadyApplied: 'not checked', rollback: 'true' },
        };
      }
      const result = await migrateDatabase(config, logger, deadline);
      return {
        Data: {
          applied: result.applied.join(',') || 'none',
          alreadyApplied: String(result.alreadyApplied.length),
          rollback: 'false',
        },
      };
    }).catch((error: unknown) => logger.error({ err: error }, 'could not report to CloudFormation'));
    return undefined;
  };

  async function answerCloudFormation(
    event: CustomResourceEvent,
    work: () => Promise<{ Reason?: string; Data?: Record<string, string> }>,
  ): Promise<void> {
    const PhysicalResourceId = event.PhysicalResourceId ?? PHYSICAL_ID;
    try {
      const outcome = await work();
      await sendCustomResourceResponse(event, { Status: 'SUCCESS', PhysicalResourceId, ...outcome });
    } catch (error) {
      logger.error({ err: error, requestType: event.RequestType }, 'migration failed');
      const Reason = `Migration failed: ${error instanceof Error ? error.message : String(error)}`;
      await sendCustomResourceResponse(event, { Status: 'FAILED', PhysicalResourceId, Reason });
    }
  }
}
