#!/bin/bash
# RSS of one server and all its child processes, once ready and after 40 concurrent cache misses
# (40 photos of ../shared/testdata/pets), on PostgreSQL and Redis. Run it in an unpacked, installed
# Beanstalk bundle (npm run eb:bundle), so that no TypeScript loader inflates the figures:
#   workers-vs-cluster-rss.sh threads 18312 MODEL_WORKERS=2 node app/server.mjs
#   workers-vs-cluster-rss.sh cluster 18313 CLUSTER_SIZE=2 node .../bench/cluster-prototype.mjs app/server.mjs
# Needs a migrated database: DATABASE_URL (default postgres://root@127.0.0.1:5432/workers_mem, created
# with createdb) and MODEL_URI if the bundle's model is not the one to measure.
LABEL=$1; P=$2; shift 2
PETS=${PETTRACKER_TESTDATA:-../shared/testdata}/pets
DB=${DATABASE_URL:-postgres://root@127.0.0.1:5432/workers_mem}
env PORT=$P STORE=pg DATABASE_URL=$DB MIGRATE_ON_START=true REDIS_URL=redis://127.0.0.1:6379 \
  CACHE_KEY_PREFIX=rss$RANDOM: LOG_LEVEL=warn "$@" > /tmp/workers-vs-cluster-$LABEL.log 2>&1 &
PID=$!
tree_mb() {
  local total=0
  for p in $PID $(pgrep -P $PID) $(for c in $(pgrep -P $PID); do pgrep -P $c; done); do
    r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); total=$((total + ${r:-0}))
  done
  echo $((total / 1024))
}
for _ in $(seq 1 240); do curl -sf localhost:$P/ready >/dev/null && break; sleep 0.5; done
sleep 1
READY=$(tree_mb)
( for f in $(ls $PETS/*.jpg | head -40); do
    curl -s --data-binary @$f -H "content-type: image/jpeg" localhost:$P/predict > /dev/null &
  done; wait )
echo "$LABEL ready_rss_mb=$READY after_40_misses_rss_mb=$(tree_mb) processes=$((1 + $(pgrep -P $PID | wc -l)))"
kill -TERM $PID; wait $PID; echo "exit=$?"
