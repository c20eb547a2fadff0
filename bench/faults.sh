#!/usr/bin/env bash
# Fault drills: throwaway PostgreSQL 15 and Redis on loopback, the packaged gateway (JVM, prod
# profile), a steady load and six faults, one verdict line each (bench/README.md, section 4).
# Exit code 0 only if every drill passed. Env: FAULTS_QUICK=1 for a short run, FAULTS_DRILLS="1 3",
# FAULTS_KEEP=1 to keep the work dir (logs, data) — it is kept anyway when a drill fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=${FAULTS_PG_BIN:-/usr/lib/postgresql/15/bin}
missing=()
[ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 (3.11+) is needed" >&2; exit 2; }
command -v java >/dev/null || { echo "a JDK 17+ is needed" >&2; exit 2; }
id postgres >/dev/null 2>&1 || { echo "no 'postgres' user (the postgresql package creates it)" >&2; exit 2; }

export FAULTS_JAR=${FAULTS_JAR:-target/quarkus-app/quarkus-run.jar}
if [ ! -f "$FAULTS_JAR" ]; then
    echo "building $FAULTS_JAR"
    ./mvnw -B -ntp -q package -DskipTests
fi

# 5,000 clients and the gateway's 5,000 sockets, one descriptor each
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

FAULTS_WORKDIR=$(mktemp -d /tmp/poolgate-faults.XXXXXX)
export FAULTS_WORKDIR FAULTS_PG_BIN=$PG_BIN
status=1
cleanup() {
    # only the processes this run started, by the pids it wrote down
    for name in gateway redis; do
        if [ -f "$FAULTS_WORKDIR/$name.pid" ]; then
            pid=$(cat "$FAULTS_WORKDIR/$name.pid")
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if [ -f "$FAULTS_WORKDIR/pg/postmaster.pid" ]; then
        pm=$(head -1 "$FAULTS_WORKDIR/pg/postmaster.pid")
        if kill -0 "$pm" 2>/dev/null; then
            kill -CONT "$pm" $(ps -o pid= --ppid "$pm") 2>/dev/null || true
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$FAULTS_WORKDIR/pg" -m immediate -w stop >/dev/null 2>&1 || true
        fi
    fi
    if [ "$status" = 0 ] && [ "${FAULTS_KEEP:-0}" != 1 ]; then
        rm -rf "$FAULTS_WORKDIR"
    else
        echo "logs and data kept in $FAULTS_WORKDIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
set +e
python3 bench/faults.py
status=$?
set -e
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
