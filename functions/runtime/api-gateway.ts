import type { PipelineRequest, PipelineResponse } from '../../shared/http/pipeline.js';

/**
 * The parts of API Gateway's HTTP API payload format 2.0 and of the Lambda context this runtime reads
 * (the shapes of @types/aws-lambda, which the project does not depend on for a handful of fields).
 */
export interface HttpApiEvent {
  version: '2.0';
  /** "POST /predictions", or "$default" for the catch-all route. */
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  /** Lower-cased names; repeated headers joined with commas. */
  headers: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    /** Present on routes with a JWT authorizer, after API Gateway validated the token. */
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean>; scopes?: string[] | null } };
  };
  /** Absent when there is none; serverless-offline sends null. */
  body?: string | null;
  isBase64Encoded: boolean;
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

/**
 * API Gateway v2 event -> the pipeline's transport-neutral request, with what the invocation knows:
 * its deadline, its ids and, with `trustClaims`, the claims of the token API Gateway's JWT authorizer
 * verified (JWT_TRUST_AUTHORIZER_CLAIMS, set by serverless.yml: no JWKS fetch per cold start, and
 * Cognito access tokens, which carry client_id and no aud, are accepted). Without it, or without
 * claims (a route deployed without the authorizer), the token is verified in-process, as on Express.
 * serverless-offline fills the same field from any token without verifying it: it must run untrusting.
 */
export function toPipelineRequest(
  event: HttpApiEvent,
  context: LambdaContext,
  trustClaims = false,
): PipelineRequest {
  const body = event.body
    ? // HTTP APIs base64-encode every body that is not text (images, multipart) and say so.
      Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    query: event.rawQueryString ?? '',
    headers: { ...event.headers },
    body,
    transportId: event.requestContext?.requestId,
    properties: { awsRequestId: context.awsRequestId },
    claims: trustClaims ? event.requestContext?.authorizer?.jwt?.claims : undefined,
    deadline: Date.now() + context.getRemainingTimeInMillis(),
  };
}

/** The pipeline's answer -> API Gateway v2's structured response (text as it is, bytes as base64). */
export function toHttpApiResult(response: PipelineResponse): HttpApiResult {
  const { status: statusCode, headers, body } = response;
  if (Buffer.isBuffer(body))
    return { statusCode, headers, body: body.toString('base64'), isBase64Encoded: true };
  return { statusCode, headers, body: body ?? '', isBase64Encoded: false };
}
