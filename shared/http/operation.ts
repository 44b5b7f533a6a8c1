import type { z } from 'zod';
import type { Core } from '../core.js';
import type { Caller, VerifiedClaims } from '../ports/identity.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** What a runtime hands the shared dispatcher, whatever its transport. */
export interface OperationRequest {
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** A token's claims the transport verified (API Gateway's authorizer, where trusted). */
  claims?: VerifiedClaims | undefined;
}

export interface OperationResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type BodyKind = { kind: 'json'; schema: z.ZodType } | { kind: 'image' } | { kind: 'none' };

export interface HandlerInput<Q, P, B> {
  core: Core;
  caller: Caller | undefined;
  query: Q;
  params: P;
  body: B;
  headers: OperationRequest['headers'];
}

/** One endpoint of the API: the single source the runtimes, the OpenAPI document and the tests derive from. */
export interface Operation<Q = unknown, P = unknown, B = unknown> {
  id: string;
  method: HttpMethod;
  /** OpenAPI-style template: /predictions/{id} */
  path: string;
  summary: string;
  auth: boolean;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body: BodyKind;
  /** Success status and schema; errors share ErrorBody. */
  response: { status: number; schema: z.ZodType | null };
  /** Error codes this operation may answer with, for the contract document. */
  errors: readonly number[];
  handle(input: HandlerInput<Q, P, B>): Promise<OperationResult>;
}

/** Keeps each entry's types for its handler, then erases them for the table. */
export function defineOperation<Q, P, B>(op: Operation<Q, P, B>): Operation {
  return op as unknown as Operation;
}
