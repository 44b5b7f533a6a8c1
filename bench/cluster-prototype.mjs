/**
 * The alternative issue 10 item 4 weighed against model worker threads, kept to measure it again: the
 * bundled Express runtime as a node:cluster of CLUSTER_SIZE processes sharing one port, each with its
 * own model in its serving thread. Not a product: no restart of a dead process, no shared cache.
 * Usage, in an unpacked and installed Beanstalk bundle (npm run eb:bundle):
 *   CLUSTER_SIZE=2 PORT=8080 node /path/to/bench/cluster-prototype.mjs ./app/server.mjs
 * Measured against `MODEL_WORKERS=2 node app/server.mjs` on RSS: bench/results/workers-vs-cluster.md.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const size = Number(process.env.CLUSTER_SIZE ?? 2);
const server = process.argv[2];
if (!server) throw new Error('usage: cluster-prototype.mjs <path to app/server.mjs>');
if (cluster.isPrimary) {
  for (let i = 0; i < size; i++) cluster.fork({ MODEL_WORKERS: '0' });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
} else {
  await import(pathToFileURL(path.resolve(server)).href);
}
