import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What CloudFormation sends a custom resource's function (only the fields used here). */
export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties?: Record<string, unknown>;
  /** Update only: the properties before this update (on a rollback, those of the failed deploy). */
  OldResourceProperties?: Record<string, unknown>;
}

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

export function isCustomResourceEvent(event: unknown): event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | null;
  return (
    typeof e?.RequestType === 'string' && typeof e.ResponseURL === 'string' && typeof e.StackId === 'string'
  );
}

/**
 * PUTs the outcome to the pre-signed S3 URL CloudFormation waits on. The Content-Type must be empty:
 * it is part of what the URL's signature covers (as in AWS's own cfn-response module). Until this
 * arrives the stack operation waits, up to the resource's ServiceTimeout.
 */
export function sendCustomResourceResponse(
  event: CustomResourceEvent,
  response: CustomResourceResponse,
): Promise<void> {
  const body = JSON.stringify({
    ...response,
    // CloudFormation limits Reason; a migration error's message is what the operator needs to see.
    Reason: response.Reason?.slice(0, 3500),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
  });
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 10_000,
    });
    req.on('response', (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 300) reject(new Error(`ResponseURL answered ${res.statusCode}`));
      else res.on('end', resolve);
    });
    req.on('timeout', () => req.destroy(new Error('ResponseURL timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
