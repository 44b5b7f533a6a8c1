import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

const serverlessYml = readFileSync(path.join(repoRoot, 'serverless.yml'), 'utf8');
const lambdaDoc = readFileSync(path.join(repoRoot, 'docs', 'deploy-lambda.md'), 'utf8');

/** `${param:name, ssm:/pettracker/${sls:stage}/ssm-name}`: a value with no default, so a deploy needs it. */
const required = [
  ...serverlessYml.matchAll(/\$\{param:(\w+), ssm:\/pettracker\/\$\{sls:stage\}\/([\w-]+)\}/g),
].map(([, param, ssm]) => ({ param: param as string, ssm: ssm as string }));

describe('docs/deploy-lambda.md', () => {
  it('lists every parameter serverless.yml requires, by --param name and SSM name, each with an example', () => {
    expect(required.length).toBe(7);
    for (const { param, ssm } of required) {
      const row = lambdaDoc.split('\n').find((line) => line.startsWith(`| \`${param}\``));
      expect(row, param).toBeDefined();
      expect(row).toContain(`/pettracker/<stage>/${ssm}`);
      // The example column holds a value, not a placeholder.
      expect(row?.split('|')[3]?.trim(), param).toMatch(/`[^`<>]+`/);
      expect(lambdaDoc, param).toContain(`--param="${param}=`);
    }
  });

  it('names the region serverless.yml deploys to unless --region says otherwise', () => {
    const region = serverlessYml.match(/region: \$\{opt:region, '([\w-]+)'\}/)?.[1];
    expect(region).toBeDefined();
    expect(lambdaDoc).toContain(`\`${region}\` unless \`--region\``);
    expect(lambdaDoc).toMatch(/npx serverless deploy --stage prod --region [\w-]+/);
  });
});
