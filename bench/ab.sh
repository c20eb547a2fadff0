#!/bin/bash
# bench/ab.sh LUA PATH ROUNDS APPDIR... : a quick A/B of gateway builds, one at a time, in turn.
# Each round starts every build (a quarkus-app directory) on port 18080, warms it 15 s with
# `wrk -t2 -c64 -s LUA`, measures 15 s, and prints req/s and the gateway's CPU per request
# (user+system from /proc/PID/stat: less sensitive to a noisy host than req/s alone).
# Backends: AB_PG_URL (postgresql://postgres@127.0.0.1:35433/postgres) and AB_REDIS_URL
# (redis://127.0.0.1:36379) must be running; pools of 20. Extra -D options: AB_JAVA_OPTS.
# Use it to decide what to try; the side-by-side figures in bench/README.md come from bench/run.sh.
#   bench/ab.sh bench/select1.lua /api/v1/pools/main/query 3 /tmp/old/quarkus-app target/quarkus-app
set -euo pipefail
lua=$1; path=$2; rounds=$3; shift 3
pg=${AB_PG_URL:-postgresql://postgres@127.0.0.1:35433/postgres}
redis=${AB_REDIS_URL:-redis://127.0.0.1:36379}
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for r in $(seq 1 "$rounds"); do
  for app in "$@"; do
    # shellcheck disable=SC2086
    java -Dquarkus.http.port=18080 -Dpoolgate.auth.enabled=false \
      "-Dpoolgate.pools.main.nodes[0].url=$pg" "-Dpoolgate.pools.cache.nodes[0].url=$redis" \
      -Dpoolgate.pools.main.size.min=20 -Dpoolgate.pools.main.size.max=20 \
      -Dpoolgate.pools.cache.size.min=20 -Dpoolgate.pools.cache.size.max=20 ${AB_JAVA_OPTS:-} \
      -jar "$app/quarkus-run.jar" > /tmp/ab-gateway.log 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do sleep 0.5; curl -sf localhost:18080/q/health/ready >/dev/null && break; done
    wrk -t2 -c64 -d15s -s "$lua" "http://127.0.0.1:18080$path" > /dev/null
    c0=$(cpu $pid)
    out=$(wrk -t2 -c64 -d15s -s "$lua" "http://127.0.0.1:18080$path")
    c1=$(cpu $pid)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "round $r $app rps=$rps cpu_us_per_req=$(python3 -c "print(round(($c1-$c0)*10000/$n,1))")"
    kill $pid; wait $pid 2>/dev/null || true
  done
done
