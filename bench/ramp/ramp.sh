#!/usr/bin/env bash
# The ramp scenario of the scaler (issue 9): a load ramp 10 -> 200 -> 10 concurrent HTTP clients of a
# 20 ms query over ~3 minutes, run three times against the packaged gateway: autoscaling on
# (min 10, max 100), autoscaling off at min (a fixed pool of 10) and off at max (a fixed pool of
# 100). Every second of each run goes to bench/results/ramp-<date>-<mode>.csv; the summaries to
# bench/results/ramp-<date>.json, and a plot of all three to bench/results/ramp-<date>.png.
#
#   bench/ramp/ramp.sh                 # ~10 minutes
#   RAMP_SECONDS=60 bench/ramp/ramp.sh  # a quick look
#
# Needs: a JDK, Node.js (no npm packages), python3, Debian's postgresql and redis-server (installed
# here if missing), and Chromium for the PNG (skipped, SVG only, without it).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
seconds=${RAMP_SECONDS:-180}
peak=${RAMP_PEAK:-200}
base=${RAMP_BASE:-10}
date=$(date -u +%Y-%m-%d)
out="$top/bench/results"
mkdir -p "$out"

need() { command -v "$1" >/dev/null 2>&1; }
if ! [ -x /usr/lib/postgresql/15/bin/postgres ] || ! need redis-server; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server; }
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -ntp -q package -DskipTests

work=$(mktemp -d /tmp/poolgate-ramp.XXXXXX)
chmod 777 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -d "$work/pg" ] && su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $work/pg -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); redis_port=$(free_port); http_port=$(free_port)

mkdir "$work/pg" && chown postgres "$work/pg"
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $work/pg -A trust -U postgres" >/dev/null
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $work/pg -l $work/pg.log -w -o '-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c fsync=off' start" >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$work/redis.log" 2>&1 &
pids+=($!)

common=(-Dquarkus.http.port="$http_port" -Dpoolgate.auth.enabled=false
  "-Dpoolgate.pools.main.nodes[0].url=postgresql://postgres@127.0.0.1:$pg_port/postgres"
  "-Dpoolgate.pools.cache.nodes[0].url=redis://127.0.0.1:$redis_port"
  -Dpoolgate.pools.cache.size.min=2 -Dpoolgate.pools.main.acquire-timeout=10s
  -Dpoolgate.pools.main.max-waiters=1000 -Dpoolgate.pools.main.reuse.idle-timeout=10s)
declare -A modes
modes[autoscaled]="-Dpoolgate.pools.main.size.min=10 -Dpoolgate.pools.main.size.max=100 \
 -Dpoolgate.pools.main.autoscaling.enabled=true -Dpoolgate.pools.main.autoscaling.sample-interval=1s \
 -Dpoolgate.pools.main.autoscaling.cooldown=3s -Dpoolgate.pools.main.autoscaling.scale-up-threshold=0.8 \
 -Dpoolgate.pools.main.autoscaling.scale-down-threshold=0.4 -Dpoolgate.pools.main.autoscaling.scale-up-increment=10 \
 -Dpoolgate.pools.main.autoscaling.scale-down-increment=15 -Dpoolgate.pools.main.autoscaling.sustain=2s \
 -Dpoolgate.pools.main.autoscaling.policies.waiters.scale-up-threshold=5 \
 -Dpoolgate.pools.main.autoscaling.policies.waiters.scale-down-threshold=1 \
 -Dpoolgate.pools.main.autoscaling.policies.waiters.scale-up-increment=20 \
 -Dpoolgate.pools.main.autoscaling.policies.waiters.scale-down-increment=10 \
 -Dpoolgate.pools.main.autoscaling.policies.waiters.sustain=1s"
modes[fixed-min]="-Dpoolgate.pools.main.size.min=10 -Dpoolgate.pools.main.size.max=10"
modes[fixed-max]="-Dpoolgate.pools.main.size.min=100 -Dpoolgate.pools.main.size.max=100"

summaries=()
for mode in autoscaled fixed-min fixed-max; do
  echo "== $mode: ${modes[$mode]}" | tr -s ' '
  # shellcheck disable=SC2086
  java -Xmx512m "${common[@]}" ${modes[$mode]} -jar target/quarkus-app/quarkus-run.jar > "$work/gateway-$mode.log" 2>&1 &
  gw=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  # warm the JIT a little so the first seconds of the ramp are not the compiler's
  node bench/ramp/ramp.mjs --url "http://127.0.0.1:$http_port" --seconds 15 --base 4 --peak 4 \
    --out "$work/warmup.csv" > /dev/null
  summary=$(node bench/ramp/ramp.mjs --url "http://127.0.0.1:$http_port" --seconds "$seconds" --base "$base" \
    --peak "$peak" --out "$out/ramp-$date-$mode.csv")
  echo "   $summary"
  summaries+=("\"$mode\": $summary")
  kill "$gw"; wait "$gw" 2>/dev/null || true
done

{
  echo "{\"date\": \"$date\", \"commit\": \"$(git rev-parse --short HEAD)\", \"machine\": \"$(nproc) cores, $(uptime | sed 's/.*load/load/')\","
  echo "\"ramp\": \"$base -> $peak -> $base clients over ${seconds}s of SELECT pg_sleep(0.02)\","
  (IFS=,; echo "${summaries[*]}")
  echo "}"
} > "$out/ramp-$date.json"
python3 bench/ramp/plot.py "$out/ramp-$date.json" "$out/ramp-$date-"{autoscaled,fixed-min,fixed-max}.csv "$out/ramp-$date.svg"
if command -v chromium >/dev/null 2>&1; then
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$work/chromium" --hide-scrollbars --window-size=1200,900 \
    --screenshot="$out/ramp-$date.png" "file://$out/ramp-$date.svg" >/dev/null 2>&1 || true
fi
echo "== results: $out/ramp-$date.json, .svg, .png and the three CSVs"
python3 bench/ramp/plot.py --table "$out/ramp-$date.json"
