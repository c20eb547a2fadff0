#!/bin/bash
# bench/profile.sh WORKLOAD [APPDIR...] : where the CPU of one request goes, poolgate next to the plain
# Quarkus reference endpoint, from async-profiler's CPU samples in warmed-up processes.
#   WORKLOAD: select1 (POST .../main/query {"sql":"SELECT 1"} against GET /select1) or redis-get
#             (POST .../cache/command ["GET","k"] against GET /redis/k; the key k must exist)
#   APPDIR:   poolgate quarkus-app directories or native executables (default target/quarkus-app);
#             the reference is always measured last (bench/reference-quarkus, built if missing)
# Each process is started in turn on port 18080, warmed PROFILE_WARMUP s (90) with wrk -t2 -c64, then
# profiled for PROFILE_DURATION s (30) of the same load (async-profiler 4.1 from Maven Central, loaded
# into the running JVM with bench/profile/Attach.java, 1 ms CPU interval). The collapsed stacks and
# the component table (bench/profile/components.py: microseconds of CPU per request by the innermost
# known frame) go to PROFILE_OUT (/tmp/poolgate-profile). Backends as for bench/ab.sh: AB_PG_URL and
# AB_REDIS_URL must be running; pools of 20. Open a .collapsed file with any flame-graph tool.
# A native executable is sampled by `perf record` (flat: no call stacks), each sample charged to its
# own function's component. PROFILE_BARE=1 also measures bench/profile/BareVertx.java (a bare Vert.x HTTP server on the same Vert.x
# clients: what the JVM's HTTP stack alone costs); PROFILE_WEBDIS=1 (redis-get) also measures Webdis
# (2 threads x 10 connections, as in bench/run.sh; sampled by perf: kernel, libc, jansson, ...);
# PROFILE_REFERENCE_NATIVE=path also measures the reference built as a native executable (built with
# -Dquarkus.native.enabled=true; keep its symbols for perf: -H:-DeleteLocalSymbols, see bench/README).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
workload=$1; shift
apps=("$@"); [ ${#apps[@]} -gt 0 ] || apps=("$ROOT/target/quarkus-app")
warm=${PROFILE_WARMUP:-90}; dur=${PROFILE_DURATION:-30}
out=${PROFILE_OUT:-/tmp/poolgate-profile}; mkdir -p "$out"
pg=${AB_PG_URL:-postgresql://postgres@127.0.0.1:35433/postgres}
redis=${AB_REDIS_URL:-redis://127.0.0.1:36379}
case "$workload" in
  select1) lua="$BENCH/select1.lua"; path=/api/v1/pools/main/query; ref_path=/select1 ;;
  redis-get) lua="$BENCH/profile/redis-get.lua"; path=/api/v1/pools/cache/command; ref_path=/redis/k ;;
  *) echo "unknown workload $workload (select1, redis-get)" >&2; exit 2 ;;
esac

# async-profiler: the jar on Maven Central carries the native library for each platform
case "$(uname -m)" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) echo "no async-profiler for $(uname -m)" >&2; exit 2 ;; esac
lib="$ROOT/target/async-profiler/$arch/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  "$ROOT/mvnw" -q -B -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 \
    -DoutputDirectory="$ROOT/target/async-profiler"
  (cd "$ROOT/target/async-profiler" && unzip -oq async-profiler-4.1.jar "$arch/*")
fi
ref="$BENCH/reference-quarkus/target/quarkus-app/quarkus-run.jar"
[ -f "$ref" ] || "$ROOT/mvnw" -q -B -ntp -f "$BENCH/reference-quarkus/pom.xml" package -DskipTests

cpu() { awk '{print $14+$15, $14, $15}' "/proc/$1/stat"; }
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
profile() { # name, lua or "", path, command...
  local name=$1 script=$2 target=$3; shift 3
  local jvm=1; [ "$1" = java ] || jvm=""
  "$@" > "$out/$name.log" 2>&1 &
  pid=$!
  # ready: poolgate's readiness probe answers 200; the reference has no probes (404 once it listens)
  for _ in $(seq 1 60); do
    sleep 0.5
    case "$(curl -s -o /dev/null -w '%{http_code}' localhost:18080/q/health/ready)" in 000) ;; 200|404) break ;; *) [ -n "$jvm" ] || break ;; esac
  done
  wrk -t2 -c64 -d"${warm}s" ${script:+-s "$script"} "http://127.0.0.1:18080$target" > /dev/null
  local perf_pid=""
  if [ -n "$jvm" ]; then
    java "$BENCH/profile/Attach.java" "$pid" "$lib" "start,event=cpu,interval=1ms"
  else # a native process: perf's flat samples (no call stacks: native images have no frame pointers)
    perf record -q -F 1000 -p "$pid" -o "$out/$name.perf.data" -- sleep "$dur" 2> "$out/$name.perf.log" &
    perf_pid=$!
  fi
  local c0; c0=$(cpu $pid)
  local result; result=$(wrk -t2 -c64 -d"${dur}s" ${script:+-s "$script"} "http://127.0.0.1:18080$target")
  local c1; c1=$(cpu $pid)
  if [ -n "$jvm" ]; then
    java "$BENCH/profile/Attach.java" "$pid" "$lib" "stop,file=$out/$name.collapsed,collapsed"
  else
    wait "$perf_pid"
    # as collapsed stacks, Thread.run;DSO;SYMBOL N, a native image's symbols qualified from the classes
    # it was built from (the builder's JDK and SVM, the *-native-image-source-jar next to the binary)
    local gvm=${GRAALVM_HOME:-$(ls -d "$HOME"/.cache/native-toolchain-*/work/gvm 2>/dev/null | tail -1)}
    perf report -i "$out/$name.perf.data" --stdio --no-children -g none --sort dso,sym -F sample,dso,sym 2>/dev/null \
      | python3 "$BENCH/profile/native_symbols.py" ${gvm:+"$gvm/lib/modules" "$gvm/lib/svm"} \
          $(ls -d "$(dirname "$1")"/*-native-image-source-jar 2>/dev/null) > "$out/$name.collapsed"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  local n; n=$(echo "$result" | awk '/requests in/ {print $1}')
  echo "$name: $(echo "$result" | awk '/Requests\/sec/ {print $2}') req/s, $(python3 -c "print(round((${c1%% *}-${c0%% *})*10000/$n,1))") us CPU per request (/proc; user, kernel: $(python3 -c "a='$c0'.split(); b='$c1'.split(); print(', '.join(str(round((int(y)-int(x))*10000/$n,1)) for x, y in zip(a[1:], b[1:])))"))$(echo "$result" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' | sed 's/^/, /')"
  specs+=("$name=$out/$name.collapsed=$n")
}
specs=()
i=0
for app in "${apps[@]}"; do
  i=$((i + 1))
  props=(-Dquarkus.http.port=18080 -Dpoolgate.auth.enabled=false
    "-Dpoolgate.pools.main.nodes[0].url=$pg" "-Dpoolgate.pools.cache.nodes[0].url=$redis"
    -Dpoolgate.pools.main.size.min=20 -Dpoolgate.pools.main.size.max=20
    -Dpoolgate.pools.cache.size.min=20 -Dpoolgate.pools.cache.size.max=20)
  if [ -f "$app" ] && [ -x "$app" ]; then # a native executable (target/*-runner)
    profile "poolgate-$i" "$lua" "$path" "$app" "${props[@]}"
  else
    profile "poolgate-$i" "$lua" "$path" java "${props[@]}" -jar "$app/quarkus-run.jar"
  fi
done
if [ -n "${PROFILE_BARE:-}" ]; then
  case "$workload" in select1) bare_path=/select1 ;; redis-get) bare_path=/redis/k ;; esac
  [ -d "$BENCH/reference-quarkus/target/quarkus-app/lib/main" ]
  profile bare "" "$bare_path" java -cp "$BENCH/reference-quarkus/target/quarkus-app/lib/main/*" \
    "$BENCH/profile/BareVertx.java" 18080 "$pg" "$redis"
fi
if [ -n "${PROFILE_WEBDIS:-}" ] && [ "$workload" = redis-get ]; then
  redis_hostport=${redis#redis://}
  printf '{"redis_host":"%s","redis_port":%s,"redis_auth":null,"http_host":"127.0.0.1","http_port":18080,"threads":2,"pool_size":10,"daemonize":false,"database":0,"verbosity":1,"logfile":"%s"}\n' \
    "${redis_hostport%:*}" "${redis_hostport##*:}" "$out/webdis-own.log" > "$out/webdis.json"
  profile webdis "" /GET/k webdis "$out/webdis.json"
fi
pg_hostport=${pg#*@}; pg_user=${pg#postgresql://}; pg_user=${pg_user%%@*}
ref_props=(-Dquarkus.http.port=18080 "-Dquarkus.datasource.reactive.url=postgresql://$pg_hostport"
  "-Dquarkus.datasource.username=$pg_user" "-Dquarkus.redis.hosts=$redis")
if [ -n "${PROFILE_REFERENCE_NATIVE:-}" ]; then # the reference built as a native executable
  profile reference-native "" "$ref_path" "$PROFILE_REFERENCE_NATIVE" "${ref_props[@]}"
fi
profile reference "" "$ref_path" java "${ref_props[@]}" -jar "$ref"
python3 "$BENCH/profile/components.py" "${specs[@]}" | tee "$out/components-$workload.txt"
