import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Route } from '../../../support/lambda/api-gateway.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON; each test asserts the shape it reads.
export type Template = { Resources: Record<string, { Type: string; Properties: any; DependsOn?: string[] }> };

export interface PackagedFunction {
  /** The key in serverless.yml, also the zip's name: "save-prediction". */
  name: string;
  logicalId: string;
  /** "functions/predict.handler" */
  handler: string;
  environment: Record<string, string>;
  memorySize: number;
  timeout: number;
}

export async function readTemplate(serverlessDir: string): Promise<Template> {
  const file = path.join(serverlessDir, 'cloudformation-template-update-stack.json');
  return JSON.parse(await readFile(file, 'utf8')) as Template;
}

export function resourcesOfType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function packagedFunctions(template: Template): PackagedFunction[] {
  return resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, { Properties: p }]) => ({
    name: path.basename(p.Code.S3Key as string, '.zip'),
    logicalId,
    handler: p.Handler,
    environment: p.Environment?.Variables ?? {},
    memorySize: p.MemorySize,
    timeout: p.Timeout,
  }));
}

/** The HTTP API's routes as deployed: route key -> integration -> function, and whether JWT-authorized. */
export function templateRoutes(template: Template): Route[] {
  const functions = packagedFunctions(template);
  return resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, { Properties: p }]) => {
    const integrationId = p.Target['Fn::Join'][1][1].Ref as string;
    const integration = template.Resources[integrationId]?.Properties;
    const functionId = integration.IntegrationUri['Fn::GetAtt'][0] as string;
    const fn = functions.find((f) => f.logicalId === functionId);
    if (!fn) throw new Error(`route ${p.RouteKey}: no function ${functionId}`);
    return { routeKey: p.RouteKey, functionName: fn.name, authorizer: p.AuthorizationType === 'JWT' };
  });
}
