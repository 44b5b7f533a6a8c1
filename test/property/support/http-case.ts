import fc from 'fast-check';

/** One generated request, transport-neutral: Express gets it over HTTP, Lambda as an API Gateway event. */
export interface HttpCase {
  method: string;
  /** Path and query string exactly as the client sends them (already percent-encoded). */
  url: string;
  /** Header names in lower case; values a real HTTP client can send. */
  headers: Record<string, string>;
  body?: Buffer;
  /** Lambda: through the simulated API Gateway (its JWT authorizer first), or straight to the function. */
  viaGateway: boolean;
  /** What the generator meant to build, for the failure report ("multipart:unterminated-part"). */
  kind: string;
}

export interface CaseResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text ('' when there is none). */
  text: string;
}

/** A compact description, so fast-check's counterexample stays readable with a 100 KB body in it. */
export function describeCase(c: HttpCase): string {
  const body =
    c.body === undefined
      ? 'none'
      : `${c.body.length} bytes ${JSON.stringify(c.body.subarray(0, 160).toString('latin1'))}${c.body.length > 160 ? '…' : ''}`;
  const headers = Object.entries(c.headers)
    .map(([k, v]) => `${k}: ${JSON.stringify(v.length > 120 ? `${v.slice(0, 120)}…(${v.length})` : v)}`)
    .join('; ');
  return `[${c.kind}] ${c.method} ${c.url.length > 300 ? `${c.url.slice(0, 300)}…` : c.url}${c.viaGateway ? '' : ' (direct)'} {${headers}} body ${body}`;
}

/** Gives the generated case fast-check's toString hook, so reports print describeCase. */
export function withDescription(c: HttpCase): HttpCase {
  Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
  return c;
}
