import { describe, expect, it } from 'vitest';
import { tableRoutes } from '../../../support/lambda/table-routes.js';
import { cfnLintErrors } from './cfn-lint.js';
import { DUMMY_PARAMS } from './package-service.js';
import { packagedFunctions, resourcesOfType, type Template, templateRoutes } from './template.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function statements(template: Template): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, role]) =>
    (role.Properties.Policies ?? []).flatMap(
      (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
    ),
  );
}
const list = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
const resourcesFor = (template: Template, service: string) =>
  statements(template)
    .filter((s) => list(s.Action).some((a) => a.startsWith(`${service}:`)))
    .flatMap((s) => list(s.Resource));

/**
 * What the packaged CloudFormation template must (and must not) hold. `packagedBetween`: the clock
 * before and after `serverless package` ran.
 */
export function templateSuite(get: () => Template, packagedBetween: () => [number, number]): void {
  describe('the packaged CloudFormation template', () => {
    it('creates no database: no AWS::RDS resource at all', () => {
      expect(Object.values(get().Resources).filter((r) => r.Type.startsWith('AWS::RDS::'))).toEqual([]);
    });

    it('holds no secret value: secrets are named by ARN, and no password or token appears', () => {
      for (const fn of packagedFunctions(get())) {
        for (const [name, value] of Object.entries(fn.environment)) {
          expect(name).not.toMatch(/PASSWORD|^DATABASE_URL$|_TOKEN$/);
          if (/SECRET/.test(name)) expect(value).toMatch(/^arn:aws:secretsmanager:/);
        }
      }
      expect(JSON.stringify(get())).not.toMatch(/password|SecretString/i);
    });

    it('scopes every rds-data, secretsmanager and s3 permission to the named ARNs, never *', () => {
      expect(resourcesFor(get(), 'rds-data')).toEqual([DUMMY_PARAMS.auroraClusterArn]);
      expect(resourcesFor(get(), 'secretsmanager')).toEqual([
        DUMMY_PARAMS.auroraSecretArn,
        DUMMY_PARAMS.upstashTokenSecretArn,
      ]);
      expect(resourcesFor(get(), 's3')).toEqual([
        `arn:aws:s3:::${DUMMY_PARAMS.modelBucket}/models/current/*`,
      ]);
      const actions = statements(get()).flatMap((s) => list(s.Action));
      expect(actions.filter((a) => /^(rds-data|secretsmanager|s3):\*$|^\*$/.test(a))).toEqual([]);
    });

    it('routes each operation to its function, with the JWT authorizer on every /predictions route only', () => {
      const byKey = (a: { routeKey: string }, b: { routeKey: string }) =>
        a.routeKey.localeCompare(b.routeKey);
      const routes = templateRoutes(get()).sort(byKey);
      expect(routes).toEqual(tableRoutes().sort(byKey));
      for (const route of routes) expect(route.authorizer).toBe(route.routeKey.includes('/predictions'));
      const authorizers = resourcesOfType(get(), 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]?.[1].Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: DUMMY_PARAMS.jwtIssuer, Audience: [DUMMY_PARAMS.jwtAudience] },
      });
    });

    it('takes binary bodies: an HTTP API with payload 2.0 (base64 bodies), no REST API needing BinaryMediaTypes', () => {
      expect(resourcesOfType(get(), 'AWS::ApiGateway::RestApi')).toEqual([]);
      expect(resourcesOfType(get(), 'AWS::ApiGatewayV2::Api')[0]?.[1].Properties.ProtocolType).toBe('HTTP');
      const integrations = resourcesOfType(get(), 'AWS::ApiGatewayV2::Integration');
      expect(integrations.map(([, i]) => i.Properties.PayloadFormatVersion)).toEqual(
        integrations.map(() => '2.0'),
      );
    });

    it('throttles the API and POST /predict, keeps logs 90 days in prod, runs Node.js 22', () => {
      expect(resourcesOfType(get(), 'AWS::ApiGatewayV2::Stage')[0]?.[1].Properties).toMatchObject({
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        RouteSettings: { 'POST /predict': { ThrottlingRateLimit: 30, ThrottlingBurstLimit: 60 } },
      });
      for (const [, group] of resourcesOfType(get(), 'AWS::Logs::LogGroup'))
        expect(group.Properties.RetentionInDays).toBe(90);
      for (const [, fn] of resourcesOfType(get(), 'AWS::Lambda::Function')) {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['x86_64'] });
      }
    });

    it('migrates once per deploy, before the API functions are updated', () => {
      const migrations = get().Resources.DatabaseMigrations;
      expect(migrations?.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': ['MigrateLambdaFunction', 'Arn'] });
      // The migrate function tells a rollback from a deploy by this id's order (migrate-rollback.ts):
      // it must be the packaging time in epoch ms, which is what Serverless v3's sls:instanceId is.
      expect(migrations?.Properties.DeployId).toMatch(/^\d{13}$/);
      const [before, after] = packagedBetween();
      expect(Number(migrations?.Properties.DeployId)).toBeGreaterThanOrEqual(before);
      expect(Number(migrations?.Properties.DeployId)).toBeLessThanOrEqual(after);
      for (const fn of packagedFunctions(get()).filter((f) => !['migrate', 'not-found'].includes(f.name))) {
        expect(get().Resources[fn.logicalId]?.DependsOn).toContain('DatabaseMigrations');
      }
    });

    it('passes cfn-lint without an error (deprecated runtimes such as nodejs20.x are E2533)', async () => {
      const errors = await cfnLintErrors(get());
      if (errors === undefined) return; // not installed, and CI does not require it: said on the console
      expect(errors).toEqual([]);
    }, 120_000);
  });
}
