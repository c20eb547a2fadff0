#!/usr/bin/env bash
# poolgate side by side with a plain Quarkus endpoint, Node.js, Webdis, PgBouncer, pgbench and
# redis-benchmark, on this machine, in one command (documented in bench/README.md):
#
#   bench/run.sh                                   # everything, default durations (~30-40 min)
#   BENCH_WARMUP=2 BENCH_DURATION=3 BENCH_ROUNDS=1 bench/run.sh          # a quick smoke run
#   BENCH_WORKLOADS=select1,redis-get BENCH_TARGETS=poolgate-jvm,quarkus,webdis bench/run.sh
#
# 1. installs what is missing (Debian: postgresql, redis-server, redis-tools, pgbouncer, webdis, wrk);
# 2. builds what is missing or older than its sources: poolgate's jar (target/quarkus-app), the
#    reference endpoint's jar (bench/reference-quarkus), the Node baseline's node_modules (npm ci);
#    the native binary target/*-runner is measured when it exists (it is never built here);
# 3. runs bench/harness.py in a temporary directory: it starts throwaway servers on loopback and
#    non-default ports (never the system services), measures, writes bench/results/<date>-<commit>.json
#    and prints the markdown tables; every server it started is stopped at the end, on failure and
#    on Ctrl-C (and this script's trap stops whatever is left).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
cd "$ROOT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------- 1. packages
missing=()
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
[ -n "$pg_bin" ] && [ -x "$pg_bin/postgres" ] && [ -x "$pg_bin/pgbench" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null || missing+=(redis-tools)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v webdis >/dev/null || missing+=(webdis)
command -v wrk >/dev/null || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  # Debian starts a package's service when it is installed unless policy-rc.d says no: the harness
  # runs its own instances, so the system services are kept from starting (and never used)
  policy=/usr/sbin/policy-rc.d
  added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    added_policy=1
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$added_policy" ] && as_root rm -f "$policy"
fi
command -v node >/dev/null || { echo "Node.js 20+ is needed (node is not on PATH)" >&2; exit 1; }
command -v java >/dev/null || { echo "a JDK 17+ is needed (java is not on PATH)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

# ---------------------------------------------------------------- 2. builds
# stale: the artifact is missing or a source is newer (BENCH_SKIP_BUILD=1 measures what is there)
stale() { # artifact, sources...
  local artifact="$1"; shift
  [ ! -e "$artifact" ] || [ -n "$(find "$@" -newer "$artifact" -type f -print -quit 2>/dev/null)" ]
}
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  if [ -z "${BENCH_POOLGATE_JAR:-}" ] && stale target/quarkus-app/quarkus-run.jar pom.xml src/main; then
    say "building poolgate: ./mvnw -B -ntp -q package -DskipTests"
    ./mvnw -B -ntp -q package -DskipTests
  fi
  ref="$BENCH/reference-quarkus"
  if stale "$ref/target/quarkus-app/quarkus-run.jar" "$ref/pom.xml" "$ref/src"; then
    say "building the plain Quarkus reference endpoint: ./mvnw -f bench/reference-quarkus/pom.xml package"
    ./mvnw -B -ntp -q -f "$ref/pom.xml" package -DskipTests
  fi
  node_dir="$BENCH/baseline-node"
  if stale "$node_dir/node_modules/.package-lock.json" "$node_dir/package-lock.json"; then
    say "installing the Node baseline's packages: npm ci"
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# ---------------------------------------------------------------- 3. the run
# 5,000 concurrent clients need file descriptors on both sides
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: ulimit -n is $(ulimit -n); the 5,000-client runs need about 11,000 descriptors" >&2
fi

BENCH_TMP="$(mktemp -d /tmp/poolgate-bench.XXXXXX)"
chmod 755 "$BENCH_TMP"   # PostgreSQL and PgBouncer run as the user 'postgres' when this runs as root
export BENCH_TMP
: > "$BENCH_TMP/pids"
harness_pid=""

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ -n "$harness_pid" ] && kill -0 "$harness_pid" 2>/dev/null; then
    kill -TERM "$harness_pid" 2>/dev/null || true
    wait "$harness_pid" 2>/dev/null || true
  fi
  # whatever the harness did not stop (it empties the list when it has stopped everything)
  if [ -s "$BENCH_TMP/pids" ]; then
    while read -r pid name; do
      if kill -0 "$pid" 2>/dev/null; then
        echo "stopping $name ($pid)" >&2
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done < "$BENCH_TMP/pids"
    sleep 2
    while read -r pid name; do
      kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    done < "$BENCH_TMP/pids"
  fi
  if [ "${BENCH_KEEP_TMP:-}" = 1 ] || [ "$code" -ne 0 ]; then
    # the servers' logs stay for a look; the throwaway data (~100 MB of PostgreSQL) goes
    [ "${BENCH_KEEP_TMP:-}" = 1 ] || rm -rf "$BENCH_TMP/pg" "$BENCH_TMP/redis"
    echo "logs kept in $BENCH_TMP/logs" >&2
  else
    rm -rf "$BENCH_TMP"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$BENCH/harness.py" &
harness_pid=$!
wait "$harness_pid"
