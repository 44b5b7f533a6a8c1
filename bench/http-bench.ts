import autocannon from 'autocannon';
import { round } from './stats.js';

export interface LoadResult {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** bench:compare: the req/s of each slice this result merges, in round order. */
  slicesPerSec?: number[];
}

export interface LoadCase {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body, or one made per request (e.g. a distinct image for cache misses). */
  body?: Buffer | string | (() => Buffer | string);
  connections: number;
  durationS: number;
}

/** A fixed-concurrency load from this process against a server in another process, on loopback. */
export async function runLoad(c: LoadCase): Promise<LoadResult> {
  const body = c.body;
  const requests =
    typeof body === 'function'
      ? [{ method: c.method, setupRequest: (req: object) => ({ ...req, body: body() }) }]
      : undefined;
  const result = await autocannon({
    url: c.url,
    method: c.method,
    headers: c.headers,
    body: typeof body === 'function' ? undefined : body,
    requests,
    connections: c.connections,
    duration: c.durationS,
  } as autocannon.Options);
  return {
    name: c.name,
    connections: c.connections,
    durationS: c.durationS,
    requests: result.requests.total,
    requestsPerSec: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Sequential requests, one at a time: latency without queueing, for the cache-miss breakdown. */
export async function sequentialLatency(
  url: string,
  init: () => RequestInit,
  count: number,
): Promise<{ p50Ms: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(url, init());
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    samples.push(performance.now() - started);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN), samples };
}
