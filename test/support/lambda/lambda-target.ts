import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import type { HttpApiEvent, HttpApiResult, LambdaContext } from '../../../functions/runtime/api-gateway.js';
import { type DevKeys, mintDevToken } from '../../../shared/adapters/identity/dev-keys.js';
import type { ContractTarget } from '../../contract/api-contract.js';
import type { GatewayRequest } from './api-gateway.js';

export type Handler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

/** A Lambda context as the runtime builds it: a fresh request id and the time left before `timeoutS`. */
export function lambdaContext(functionName: string, timeoutS = 29): LambdaContext {
  const deadline = Date.now() + timeoutS * 1000;
  return { awsRequestId: randomUUID(), functionName, getRemainingTimeInMillis: () => deadline - Date.now() };
}

/**
 * The conformance cases answered by API Gateway's JWT authorizer, not by a function: on AWS its 401 is
 * {"message":"Unauthorized"} without x-request-id, which the document's ErrorBody does not describe.
 */
export const AUTHORIZER_ANSWERS = ['save without a token'] as const;

export interface TokenSettings {
  keys: DevKeys;
  issuer: string;
  audience: string;
}

/**
 * The contract suite's view of what answers `request` with tokens from the dev key: the Lambda
 * functions behind the simulated API Gateway, or the pipeline itself (test/contract/pipeline-target.ts).
 */
export function lambdaTarget(
  request: GatewayRequest,
  tokens: TokenSettings,
  maxImageBytes: number,
): ContractTarget {
  return {
    maxImageBytes,
    request: (method, path, init) => request(method, path, init),
    token: (user, options) =>
      mintDevToken(tokens.keys, user, {
        issuer: tokens.issuer,
        audience: options?.audience ?? tokens.audience,
        expiresIn: options?.expiresIn ?? '1h',
      }),
    async forgedToken(user) {
      const { privateKey } = await generateKeyPair('ES256');
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(user)
        .setIssuer(tokens.issuer)
        .setAudience(tokens.audience)
        .setExpirationTime('1h')
        .sign(privateKey);
    },
  };
}
