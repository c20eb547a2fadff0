#!/usr/bin/env python3
"""poolgate side by side with the alternatives, on this machine, in one run. Started by bench/run.sh
(which installs the servers, builds the artifacts and makes the temporary directory); see bench/README.md.

Starts throwaway PostgreSQL, Redis, PgBouncer and Webdis on loopback ports, then the HTTP targets
(poolgate JVM jar, poolgate native binary when built, the plain Quarkus reference endpoint, the
Node.js baseline), and measures, with wrk on the same machine, interleaved rounds after a warm-up:
  select1, rows10, redis-get          64 clients: throughput, latency percentiles, errors
  pgbench-S                           pgbench's built-in select-only script, direct and via PgBouncer
  sat-select1, sat-redis              1,000 and 5,000 clients: throughput, p99, errors by status
  memory                              poolgate RSS with 0, 20 and 500 pooled connections
  connect-rate                        time for poolgate to open 200 connections
Writes bench/results/<date>-<commit>.json and prints the markdown tables (bench/report.py).
Only the standard library: the machines have no pip packages offline.
"""
import datetime
import glob
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import report  # noqa: E402  (bench/report.py renders the tables)


def env_int(name, default):
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got '{value}'")


def env_list(name, default):
    value = os.environ.get(name, "")
    return [v.strip() for v in value.split(",") if v.strip()] if value else list(default)


WARMUP = env_int("BENCH_WARMUP", 20)
DURATION = env_int("BENCH_DURATION", 10)
ROUNDS = env_int("BENCH_ROUNDS", 3)
CLIENTS = env_int("BENCH_CLIENTS", 64)
THREADS = env_int("BENCH_THREADS", 2)
SAT_CLIENTS = [int(c) for c in env_list("BENCH_SATURATION_CLIENTS", ["1000", "5000"])]
# longer than poolgate's acquire timeout (5 s), shorter than a round: wrk counts a request still
# unanswered at the end of a run nowhere, one unanswered after --timeout as a socket timeout
SAT_TIMEOUT = env_int("BENCH_SATURATION_TIMEOUT", 8)
POOL = env_int("BENCH_POOL", 20)
MEMORY_SIZES = [0, 20, 500]
CONNECT_TARGET = env_int("BENCH_CONNECT_TARGET", 200)
PORT_BASE = env_int("BENCH_PORT_BASE", 25400)
TMP = os.environ.get("BENCH_TMP")
if not TMP or not os.path.isdir(TMP):
    raise SystemExit("BENCH_TMP is not a directory: start the harness with bench/run.sh")
PIDS_FILE = os.path.join(TMP, "pids")
JAVA_OPTS = shlex.split(os.environ.get("BENCH_JAVA_OPTS", ""))

ALL_WORKLOADS = ["select1", "rows10", "redis-get", "pgbench-S", "sat-select1", "sat-redis", "memory", "connect-rate"]
WORKLOAD_ALIASES = {"saturation": ["sat-select1", "sat-redis"], "all": ALL_WORKLOADS,
                    "throughput": ["select1", "rows10", "redis-get"]}

PG_PORT, PGB_PORT, REDIS_PORT, WEBDIS_PORT = PORT_BASE + 32, PORT_BASE + 33, PORT_BASE + 79, PORT_BASE + 80
PORTS = {"quarkus": PORT_BASE + 81, "node": PORT_BASE + 82}
SCRATCH_PORT = PORT_BASE + 99  # the poolgate instances of the memory and connect-rate workloads

REDIS_KEY = "k"
REDIS_VALUE = ("poolgate-bench-" * 7)[:100]  # 100 bytes
ROWS_SQL = "SELECT id, name, score, created_at FROM bench_rows WHERE id >= $1 ORDER BY id LIMIT 10"
TABLE_ROWS = 100_000

IS_ROOT = os.geteuid() == 0


def shown(cmd):
    """A command as a shell line, paths inside the repository relative to its root (where they run)."""
    return shlex.join(cmd).replace(ROOT + "/", "")


def log(message):
    print(message, flush=True)


# ---------------------------------------------------------------- processes


class Proc:
    """A process the harness started, its log file, and how it is stopped."""

    def __init__(self, name, cmd, env=None, cwd=None, user=None, stop_signal=signal.SIGTERM):
        self.name, self.cmd, self.stop_signal = name, cmd, stop_signal
        self.log_path = os.path.join(TMP, "logs", f"{name}.log")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log_file = open(self.log_path, "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        kwargs = {}
        if user and IS_ROOT:
            kwargs.update(user=user, group=user, extra_groups=[])
        self.popen = subprocess.Popen(cmd, env=full_env, cwd=cwd or TMP, stdin=subprocess.DEVNULL,
                                      stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                      **kwargs)
        self.started = time.perf_counter()
        with open(PIDS_FILE, "a") as f:
            f.write(f"{self.popen.pid} {name}\n")
        RUNNING.append(self)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"".join(f.readlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout=30):
        if self.alive():
            try:
                os.kill(self.pid, self.stop_signal)
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait(10)
            except ProcessLookupError:
                pass
        self.log_file.close()
        if self in RUNNING:
            RUNNING.remove(self)


RUNNING = []


def stop_all():
    for proc in reversed(list(RUNNING)):
        try:
            proc.stop()
        except Exception as e:  # keep stopping the others
            log(f"stopping {proc.name}: {e}")
    open(PIDS_FILE, "w").close()


def run(cmd, user=None, check=True, **kw):
    kwargs = {}
    if user and IS_ROOT:
        kwargs.update(user=user, group=user, extra_groups=[])
    return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=TMP, **kwargs, **kw)


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT of a previous run is no owner
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_for(what, check, proc=None, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            raise SystemExit(f"{what}: the process exited with {proc.popen.returncode}; its log:\n{proc.tail()}")
        try:
            if check():
                return
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.05)
    raise SystemExit(f"{what}: not ready after {timeout}s" + (f"; its log:\n{proc.tail()}" if proc else ""))


def http_call(port, method, path, body=None, timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        c.request(method, path, body, headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


# ---------------------------------------------------------------- CPU of everything else


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is state (field 3); ppid field 4; utime 14, stime 15, cutime 16, cstime 17
    return int(fields[1]), sum(int(x) for x in fields[11:15])


def cpu_sample():
    """(seconds, machine busy jiffies, jiffies of this harness and everything it started)."""
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    busy = sum(cpu) - cpu[3] - cpu[4]  # all but idle and iowait
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)], times[int(entry)] = _proc_stat(entry)
            except (OSError, ValueError, IndexError):
                pass
    me = os.getpid()
    ours = 0
    for pid, jiffies in times.items():
        p, depth = pid, 0
        while p and p != me and depth < 64:
            p, depth = parents.get(p, 0), depth + 1
        if p == me:
            ours += jiffies
    return time.monotonic(), busy, ours


def foreign_cores(before, after):
    """Cores used on average between two samples by processes the harness did not start."""
    seconds = after[0] - before[0]
    if seconds <= 0:
        return 0.0
    other = (after[1] - before[1]) - (after[2] - before[2])
    return round(max(0.0, other / CLK_TCK / seconds), 2)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


# ---------------------------------------------------------------- backends


def pg_bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                        key=lambda p: int(re.search(r"/(\d+)/bin", p).group(1)))
    if not candidates:
        raise SystemExit("PostgreSQL is not installed (Debian package 'postgresql'): run bench/run.sh")
    return os.path.dirname(candidates[-1])


PG_BIN = pg_bindir()


def psql(sql, port=PG_PORT):
    return run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                str(port), "-U", "postgres", "-d", "postgres", "-At", "-c", sql]).stdout.strip()


def start_postgres():
    data = os.path.join(TMP, "pg")
    os.makedirs(data)
    if IS_ROOT:
        shutil.chown(data, "postgres", "postgres")
    run([os.path.join(PG_BIN, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C"], user="postgres")
    settings = {
        "listen_addresses": "127.0.0.1", "port": PG_PORT, "unix_socket_directories": "",
        # 500 pooled poolgate connections (memory workload) next to every other target's 20
        "max_connections": 1000, "shared_buffers": "256MB",
        # throwaway data: no durability
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "log_min_messages": "warning", "logging_collector": "off",
    }
    cmd = [os.path.join(PG_BIN, "postgres"), "-D", data]
    for k, v in settings.items():
        cmd += ["-c", f"{k}={v}"]
    proc = Proc("postgres", cmd, user="postgres", stop_signal=signal.SIGINT)
    wait_for("PostgreSQL", lambda: run([os.path.join(PG_BIN, "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                        str(PG_PORT)], check=False).returncode == 0, proc, timeout=60)
    psql("CREATE TABLE bench_rows (id integer PRIMARY KEY, name text NOT NULL, score integer NOT NULL, "
         "created_at timestamptz NOT NULL)")
    psql(f"INSERT INTO bench_rows SELECT i, 'item-' || md5(i::text), (i * 7919) % 1000, "
         f"timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, {TABLE_ROWS}) i")
    psql("VACUUM ANALYZE bench_rows")
    run([os.path.join(PG_BIN, "pgbench"), "-i", "-q", "-s", "1", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U",
         "postgres", "postgres"])
    return {"proc": proc, "cmd": cmd}


def start_redis():
    d = os.path.join(TMP, "redis")
    os.makedirs(d)
    cmd = ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--protected-mode", "no",
           "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", d]
    proc = Proc("redis", cmd)
    cli = ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT)]
    wait_for("Redis", lambda: run(cli + ["PING"], check=False).stdout.strip() == "PONG", proc, timeout=30)
    run(cli + ["SET", REDIS_KEY, REDIS_VALUE])
    return {"proc": proc, "cmd": cmd}


def start_pgbouncer():
    d = os.path.join(TMP, "pgbouncer")
    os.makedirs(d)
    with open(os.path.join(d, "userlist.txt"), "w") as f:
        f.write('"postgres" ""\n')
    ini = os.path.join(d, "pgbouncer.ini")
    with open(ini, "w") as f:
        f.write(f"""[databases]
postgres = host=127.0.0.1 port={PG_PORT} dbname=postgres user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {PGB_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {d}/userlist.txt
pool_mode = transaction
default_pool_size = {POOL}
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits
pidfile = {d}/pgbouncer.pid
admin_users = postgres
log_connections = 0
log_disconnections = 0
""")
    if IS_ROOT:
        for name in os.listdir(d):
            shutil.chown(os.path.join(d, name), "postgres", "postgres")
        shutil.chown(d, "postgres", "postgres")
    cmd = ["pgbouncer", ini]
    proc = Proc("pgbouncer", cmd, user="postgres", stop_signal=signal.SIGINT)
    wait_for("PgBouncer", lambda: run([os.path.join(PG_BIN, "psql"), "-X", "-h", "127.0.0.1", "-p", str(PGB_PORT),
                                       "-U", "postgres", "-d", "postgres", "-At", "-c", "SELECT 1"],
                                      check=False).stdout.strip() == "1", proc, timeout=30)
    return {"proc": proc, "cmd": cmd, "config": open(ini).read()}


def start_webdis():
    conf = os.path.join(TMP, "webdis.json")
    with open(conf, "w") as f:
        json.dump({"redis_host": "127.0.0.1", "redis_port": REDIS_PORT, "redis_auth": None,
                   "http_host": "127.0.0.1", "http_port": WEBDIS_PORT,
                   # two worker threads of 10 Redis connections each: a pool of 20
                   "threads": 2, "pool_size": POOL // 2,
                   "daemonize": False, "database": 0, "acl": [{"disabled": ["DEBUG"]}],
                   "verbosity": 1, "logfile": os.path.join(TMP, "logs", "webdis-own.log")}, f, indent=1)
    cmd = ["webdis", conf]
    proc = Proc("webdis", cmd)
    wait_for("Webdis", lambda: http_call(WEBDIS_PORT, "GET", "/GET/" + REDIS_KEY)[0] == 200, proc, timeout=30)
    return {"proc": proc, "cmd": cmd, "config": open(conf).read()}


# ---------------------------------------------------------------- HTTP targets


def poolgate_env(port, main_size, cache_size, max_size=None):
    main_min, main_initial = main_size
    env = {
        "QUARKUS_HTTP_HOST": "127.0.0.1", "QUARKUS_HTTP_PORT": str(port),
        "POOLGATE_POOLS_MAIN_NODES_0__URL": f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres",
        "POOLGATE_POOLS_MAIN_SIZE_MIN": str(main_min), "POOLGATE_POOLS_MAIN_SIZE_INITIAL": str(main_initial),
        "POOLGATE_POOLS_MAIN_SIZE_MAX": str(max_size if max_size is not None else max(main_min, POOL)),
        "POOLGATE_POOLS_CACHE_NODES_0__URL": f"redis://127.0.0.1:{REDIS_PORT}",
        "POOLGATE_POOLS_CACHE_SIZE_MIN": str(cache_size), "POOLGATE_POOLS_CACHE_SIZE_INITIAL": str(cache_size),
        "POOLGATE_POOLS_CACHE_SIZE_MAX": str(max(cache_size, POOL)),
        # the alternatives have no authentication either; its cost is measured on its own (bench/auth.py)
        "POOLGATE_AUTH_ENABLED": "false",
    }
    return env


def poolgate_artifacts():
    """name -> command prefix, for every poolgate build to measure."""
    found = {}
    jar = os.environ.get("BENCH_POOLGATE_JAR") or os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
    if os.path.exists(jar):
        found["poolgate-jvm"] = ["java"] + JAVA_OPTS + ["-jar", jar]
    native = os.environ.get("BENCH_POOLGATE_NATIVE") or next(iter(sorted(glob.glob(os.path.join(ROOT, "target", "*-runner")))), None)
    if native and os.path.exists(native):
        found["poolgate-native"] = [native]
    for extra in env_list("BENCH_POOLGATE_EXTRA", []):
        name, _, path = extra.partition("=")
        if not path or not os.path.exists(path):
            raise SystemExit(f"BENCH_POOLGATE_EXTRA: '{extra}' is not NAME=PATH to a jar or binary that exists")
        found[name] = ["java"] + JAVA_OPTS + ["-jar", path] if path.endswith(".jar") else [path]
    return found


class Target:
    """An HTTP target: how to start it and the request of each workload."""

    def __init__(self, name, kind, cmd, env, port, requests):
        self.name, self.kind, self.cmd, self.env, self.port, self.requests = name, kind, cmd, env, port, requests
        self.proc = None
        self.ready_ms = None

    def start(self):
        self.proc = Proc(self.name, self.cmd, env=self.env, cwd=ROOT)
        path = "/q/health/ready" if self.kind == "poolgate" else self.requests["redis-get"][1]
        wait_for(self.name, lambda: http_call(self.port, "GET", path)[0] == 200, self.proc, timeout=120)
        self.ready_ms = round((time.perf_counter() - self.proc.started) * 1000)


POOLGATE_REQUESTS = {
    "select1": ("POST", "/api/v1/pools/main/query", '{"sql":"SELECT 1"}'),
    "rows10": ("POST", "/api/v1/pools/main/query", json.dumps({"sql": ROWS_SQL, "params": ["{id}"]})
               .replace('"{id}"', "{id}")),
    "redis-get": ("POST", "/api/v1/pools/cache/command", json.dumps(["GET", REDIS_KEY])),
}
PLAIN_REQUESTS = {
    "select1": ("GET", "/select1", ""),
    "rows10": ("GET", "/rows?from={id}", ""),
    "redis-get": ("GET", "/redis/" + REDIS_KEY, ""),
}
WEBDIS_REQUESTS = {"redis-get": ("GET", "/GET/" + REDIS_KEY, "")}


def make_targets(wanted):
    targets = []
    port = PORT_BASE + 83
    for name, cmd in poolgate_artifacts().items():
        if name in wanted:
            targets.append(Target(name, "poolgate", cmd, poolgate_env(port, (POOL, POOL), POOL), port,
                                  POOLGATE_REQUESTS))
        port += 1
    if "quarkus" in wanted:
        jar = os.path.join(HERE, "reference-quarkus", "target", "quarkus-app", "quarkus-run.jar")
        if not os.path.exists(jar):
            raise SystemExit(f"{jar} is missing: run bench/run.sh (it builds it)")
        targets.append(Target("quarkus", "reference", ["java"] + JAVA_OPTS + ["-jar", jar], {
            "QUARKUS_HTTP_HOST": "127.0.0.1", "QUARKUS_HTTP_PORT": str(PORTS["quarkus"]),
            "QUARKUS_DATASOURCE_REACTIVE_URL": f"postgresql://127.0.0.1:{PG_PORT}/postgres",
            "QUARKUS_REDIS_HOSTS": f"redis://127.0.0.1:{REDIS_PORT}"}, PORTS["quarkus"], PLAIN_REQUESTS))
    if "node" in wanted:
        node_env = {"PORT": str(PORTS["node"]), "PG_URL": f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres",
                    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}"}
        if os.environ.get("BENCH_NODE_REDIS_POOL"):
            node_env["REDIS_POOL"] = os.environ["BENCH_NODE_REDIS_POOL"]
        targets.append(Target("node", "baseline", ["node", os.path.join(HERE, "baseline-node", "server.js")],
                              node_env, PORTS["node"], PLAIN_REQUESTS))
    return targets


def check_answers(target):
    """Each target answers each workload's request correctly before anything is measured."""
    for workload, (method, path, body) in target.requests.items():
        path, body = path.replace("{id}", "500"), body.replace("{id}", "500") if body else None
        status, data = http_call(target.port, method, path, body)
        text = data.decode(errors="replace")
        if status != 200:
            raise SystemExit(f"{target.name} {workload}: {method} {path} answered {status}: {text[:300]}")
        doc = json.loads(text)
        if workload == "select1":
            ok = list(doc["rows"][0].values()) == [1] if target.kind == "poolgate" else doc == {"value": 1}
        elif workload == "rows10":
            rows = doc["rows"] if isinstance(doc, dict) else doc
            ok = len(rows) == 10 and all((r["id"] if isinstance(r, dict) else r[0]) == 500 + i
                                         for i, r in enumerate(rows))
        else:
            ok = REDIS_VALUE in text
        if not ok:
            raise SystemExit(f"{target.name} {workload}: unexpected answer to {method} {path}: {text[:300]}")
    if target.kind == "poolgate":
        status, data = http_call(target.port, "GET", "/api/v1/pools/main")
        pool = json.loads(data)
        if f":{PG_PORT}/" not in pool["nodes"][0]["url"] or pool["sizes"]["max"] != POOL:
            raise SystemExit(f"{target.name}: the pool 'main' is not configured as asked: {data[:400]}")


# ---------------------------------------------------------------- load generators


FLAGS = []
COMMANDS = {}


def flag(message):
    FLAGS.append(message)
    log("  !!! " + message)


def wrk(target, workload, seconds, clients, counting=False, timeout=None):
    method, path, body = target.requests[workload]
    cmd = ["wrk", f"-t{THREADS}", f"-c{clients}", f"-d{seconds}s"]
    if timeout:
        cmd.append(f"--timeout={timeout}s")
    cmd += ["-s", "bench/wrk.lua", f"http://127.0.0.1:{target.port}", "--", method, path, body,
            "1" if counting else "0"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, cwd=ROOT)
    match = re.search(r"^WRKJSON (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not match:
        if target.proc is not None and not target.proc.alive():
            raise TargetGone(target.name)
        raise SystemExit(f"wrk failed ({out.returncode}) against {target.name}:\n{out.stdout}\n{out.stderr}")
    r = json.loads(match.group(1))
    secs = r["duration_us"] / 1e6
    e = r["errors"]
    result = {
        "rps": round(r["requests"] / secs, 1),
        "ok_rps": round((r["requests"] - e["status"]) / secs, 1),
        "p50_ms": r["latency_us"]["p50"] / 1000, "p90_ms": r["latency_us"]["p90"] / 1000,
        "p99_ms": r["latency_us"]["p99"] / 1000, "p999_ms": r["latency_us"]["p999"] / 1000,
        "max_ms": r["latency_us"]["max"] / 1000, "mean_ms": round(r["latency_us"]["mean"] / 1000, 3),
        "requests": r["requests"], "non2xx": e["status"],
        "socket_errors": {k: e[k] for k in ("connect", "read", "write", "timeout")},
    }
    if counting:
        result["statuses"] = r["statuses"]
        result["problems"] = r["problems"]
    return result, cmd


def pgbench(port, script, seconds, clients):
    cmd = [os.path.join(PG_BIN, "pgbench"), "-n", "-M", "simple", "-c", str(clients), "-j", str(THREADS), "-T",
           str(seconds), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    cmd += ["-S"] if script == "builtin:select-only" else ["-f", script]
    cmd.append("postgres")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    if out.returncode != 0 or not tps:
        raise SystemExit(f"pgbench failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    return {"rps": float(tps.group(1)), "ok_rps": float(tps.group(1)),
            "mean_ms": float(latency.group(1)) if latency else None,
            "non2xx": int(failed.group(1)) if failed else 0, "socket_errors": {}}, cmd


def redis_benchmark(seconds, clients, expected_rps):
    n = max(10_000, int(expected_rps * seconds))
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "-c", str(clients), "-n", str(n), "--csv",
           "GET", REDIS_KEY]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds * 10 + 120)
    rows = [line for line in out.stdout.splitlines() if line.startswith('"GET')]
    header = [line for line in out.stdout.splitlines() if line.startswith('"test"')]
    if out.returncode != 0 or not rows or not header:
        raise SystemExit(f"redis-benchmark failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    names = [h.strip('"') for h in header[0].split(",")]
    values = dict(zip(names, [v.strip('"') for v in rows[-1].split(",")]))
    result = {"rps": float(values["rps"]), "ok_rps": float(values["rps"]), "non2xx": 0, "socket_errors": {}}
    for key, name in (("mean_ms", "avg_latency_ms"), ("p50_ms", "p50_latency_ms"), ("p99_ms", "p99_latency_ms"),
                      ("max_ms", "max_latency_ms")):
        if name in values:
            result[key] = float(values[name])
    return result, cmd


class Reference:
    """A load generator that talks to a server directly (pgbench, redis-benchmark): a target without HTTP."""

    def __init__(self, name, runner):
        self.name, self.runner, self.kind = name, runner, "reference-tool"


def write_pgbench_scripts():
    s1 = os.path.join(TMP, "select1.sql")
    with open(s1, "w") as f:
        f.write("SELECT 1;\n")
    rows = os.path.join(TMP, "rows10.sql")
    with open(rows, "w") as f:
        f.write("\\set from random(1, 99991)\n" + ROWS_SQL.replace("$1", ":from") + ";\n")
    return {"select1": s1, "rows10": rows}


# ---------------------------------------------------------------- workloads


def medians(rounds):
    keys = [k for k in rounds[0] if isinstance(rounds[0][k], (int, float)) and rounds[0][k] is not None]
    out = {}
    for k in keys:
        values = [r[k] for r in rounds if isinstance(r.get(k), (int, float))]
        if values:
            out[k] = round(statistics.median(values), 3)
    return out


def check_errors(workload, name, result, allowed_statuses=()):
    if result.get("requests") == 0:
        flag(f"{workload} / {name}: not one answer in the whole run")
    sock = {k: v for k, v in result.get("socket_errors", {}).items() if v}
    if sock:
        flag(f"{workload} / {name}: socket errors {sock}")
    if result.get("non2xx"):
        statuses = result.get("statuses")
        if statuses is None:
            flag(f"{workload} / {name}: {result['non2xx']} non-2xx answers")
        else:
            bad = {s: n for s, n in statuses.items() if not (200 <= int(s) < 300) and int(s) not in allowed_statuses}
            if bad:
                flag(f"{workload} / {name}: answers not allowed here, by status: {bad}")


def judge(workload, p, r, poolgate_only_503):
    """Any error fails a run at 64 clients; under saturation poolgate may answer only 503s (documented:
    wait queue full, acquire timeout), and the others' errors are reported, not flagged."""
    if not poolgate_only_503:
        check_errors(workload, p.name, r)
    elif p.kind == "poolgate":
        check_errors(workload, p.name, r, (503,))
    elif r.get("requests") == 0:
        log(f"  (reported, not flagged: not poolgate) {p.name}: not one answer in the whole run")
    if p.kind == "poolgate":
        undocumented = {k: n for k, n in (r.get("problems") or {}).items() if k not in DOCUMENTED_503}
        if undocumented:
            flag(f"{workload} / {p.name}: 503s of a problem type the README does not document: {undocumented}")


# the README's 503s: no connection (wait queue full, acquire timeout, cannot connect), session lease limit
DOCUMENTED_503 = {"urn:poolgate:problem:pool-unavailable", "urn:poolgate:problem:backend-unavailable",
                  "urn:poolgate:problem:session-limit"}


class TargetGone(Exception):
    """An HTTP target's process is no longer running."""


def gone(p):
    """Whether p's process has exited; flagged once, with how it ended and its log's last lines."""
    proc = getattr(p, "proc", None)
    if proc is None or proc.alive():
        return False
    if not getattr(p, "gone_flagged", False):
        p.gone_flagged = True
        code = proc.popen.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        flag(f"{p.name} is no longer running ({how}; 143 = SIGTERM, 130 = SIGINT on the JVM): left out of "
             f"everything after this. Its log ends:\n{proc.tail(8)}")
        DEAD.append(p.name)
    return True


DEAD = []


def interleaved(workload, participants, run_one, warmup_one, poolgate_only_503=False, note=None, warmup_s=None):
    """Warm every participant up, then ROUNDS rounds A B C A B C; medians. A target whose process
    has exited is flagged and left out; the others go on."""
    log(f"\n== {workload}" + (f" ({note})" if note else ""))
    results = {p.name: {"rounds": []} for p in participants}

    def attempt(p, call):
        if gone(p):
            return None
        try:
            return call()
        except TargetGone:
            gone(p)
            return None

    for p in participants:
        if WARMUP > 0 and warmup_one:
            seconds = warmup_s or (WARMUP if p.kind != "reference-tool" else min(WARMUP, 3))
            log(f"  warm-up {p.name} {seconds}s")
            out = attempt(p, lambda: warmup_one(p, seconds))
            if out:
                judge(workload + " warm-up", p, out[0], poolgate_only_503)
                p.last_rps = out[0]["rps"]
    for i in range(ROUNDS):
        for p in participants:
            before = cpu_sample()
            out = attempt(p, lambda: run_one(p))
            if not out:
                continue
            r, cmd = out
            after = cpu_sample()
            r["other_cpu_cores"] = foreign_cores(before, after)
            r["loadavg"] = loadavg()[0]
            results[p.name]["rounds"].append(r)
            results[p.name]["command"] = shown(cmd)
            COMMANDS.setdefault(f"{workload} / {p.name}", shown(cmd))
            judge(workload, p, r, poolgate_only_503)
            extra = ""
            if r.get("statuses") is not None:
                extra = f" statuses={r['statuses']} socket={ {k: v for k, v in r['socket_errors'].items() if v} }"
            p99 = f" p99={r['p99_ms']:.2f}ms" if r.get("p99_ms") is not None else ""
            log(f"  round {i + 1} {p.name}: {r['rps']:,.0f} req/s (2xx {r['ok_rps']:,.0f}){p99} "
                f"other-cpu={r['other_cpu_cores']}{extra}")
    for name in list(results):
        if results[name]["rounds"]:
            results[name]["median"] = medians(results[name]["rounds"])
        else:
            del results[name]
    return results


def throughput_workload(workload, targets, references):
    participants = [t for t in targets if workload in t.requests] + references
    if not participants:
        return None

    def run_one(p):
        return p.runner(DURATION) if p.kind == "reference-tool" else wrk(p, workload, DURATION, CLIENTS)

    def warm(p, seconds):
        return p.runner(seconds) if p.kind == "reference-tool" else wrk(p, workload, seconds, CLIENTS)

    return interleaved(workload, participants, run_one, warm, note=f"{CLIENTS} clients")


def saturation_workload(workload, base, targets):
    participants = [t for t in targets if base in t.requests]
    if not participants:
        return None
    out = {}
    for clients in SAT_CLIENTS:
        def run_one(p, clients=clients):
            return wrk(p, base, DURATION, clients, counting=True, timeout=SAT_TIMEOUT)

        def warm(p, seconds, clients=clients):
            return wrk(p, base, seconds, clients, counting=True, timeout=SAT_TIMEOUT)
        out[str(clients)] = interleaved(f"{workload} c={clients}", participants, run_one, warm,
                                        poolgate_only_503=True, warmup_s=min(WARMUP, 5), note=f"{base}, {clients} clients, "
                                        f"wrk --timeout {SAT_TIMEOUT}s")
    return out


def scratch_poolgate(cmd, env, name):
    """A poolgate of its own on the scratch port, started, ready; the caller stops it."""
    if not port_free(SCRATCH_PORT):
        raise SystemExit(f"port {SCRATCH_PORT} (the scratch poolgate's) is taken")
    proc = Proc(name, cmd, env=env, cwd=ROOT)
    wait_for(name, lambda: http_call(SCRATCH_PORT, "GET", "/q/health/ready")[0] == 200, proc, timeout=120)
    return proc


def pool_sizes(pool="main", connection=None):
    if connection is None:
        status, data = http_call(SCRATCH_PORT, "GET", f"/api/v1/pools/{pool}")
    else:
        connection.request("GET", f"/api/v1/pools/{pool}")
        response = connection.getresponse()
        status, data = response.status, response.read()
    if status != 200:
        raise ValueError(f"status {status}")
    return json.loads(data)


def memory_workload(artifacts):
    log("\n== memory (RSS of poolgate with 0, 20 and 500 pooled PostgreSQL connections, Redis pool empty)")
    out = {}
    for name, cmd in artifacts.items():
        runs = {str(n): [] for n in MEMORY_SIZES}
        for i in range(ROUNDS):
            for n in MEMORY_SIZES:
                env = poolgate_env(SCRATCH_PORT, (n, n), 0, max_size=max(n, POOL))
                proc = scratch_poolgate(cmd, env, f"{name}-mem{n}")
                try:
                    wait_for(f"{name} pool of {n}", lambda: (lambda s: s["sizes"]["total"] == n and
                                                            s["sizes"]["connecting"] == 0)(pool_sizes()),
                             proc, timeout=120)
                    time.sleep(3)
                    rss = round(rss_mb(proc.pid), 1)
                finally:
                    proc.stop()
                runs[str(n)].append(rss)
                log(f"  round {i + 1} {name} {n} connections: RSS {rss} MB")
        med = {k: round(statistics.median(v), 1) for k, v in runs.items()}
        lo, hi = str(MEMORY_SIZES[1]), str(MEMORY_SIZES[2])
        per = (med[hi] - med[lo]) / (MEMORY_SIZES[2] - MEMORY_SIZES[1])
        out[name] = {"command": shown(cmd), "rss_mb": runs, "median_rss_mb": med, "mb_per_connection": round(per, 3),
                     "env": "POOLGATE_POOLS_MAIN_SIZE_MIN = _INITIAL = _MAX = N, POOLGATE_POOLS_CACHE_SIZE_MIN=0",
                     "settle_seconds": 3}
        log(f"  {name}: median RSS {med} MB -> {per:.3f} MB per connection")
    return out


def connect_rate_workload(artifacts):
    log(f"\n== connect-rate (0 -> {CONNECT_TARGET} connections: POST /api/v1/pools/main/scale)")
    out = {}
    for name, cmd in artifacts.items():
        times = []
        for i in range(ROUNDS):
            env = poolgate_env(SCRATCH_PORT, (0, 0), 0, max_size=CONNECT_TARGET)
            proc = scratch_poolgate(cmd, env, f"{name}-connect")
            try:
                before = pool_sizes()["sizes"]
                if before["total"] != 0:
                    raise SystemExit(f"{name}: the pool 'main' has {before['total']} connections before scaling")
                body = json.dumps({"target": CONNECT_TARGET})
                poll = http.client.HTTPConnection("127.0.0.1", SCRATCH_PORT, timeout=10)
                poll.connect()
                start = time.perf_counter()
                poll.request("POST", "/api/v1/pools/main/scale", body, {"Content-Type": "application/json"})
                answer = poll.getresponse()
                data = answer.read()
                if answer.status != 200:
                    raise SystemExit(f"{name}: scale answered {answer.status}: {data[:300]}")
                while True:
                    s = pool_sizes(connection=poll)
                    if s["sizes"]["total"] >= CONNECT_TARGET and s["sizes"]["connecting"] == 0:
                        break
                    if time.perf_counter() - start > 60:
                        raise SystemExit(f"{name}: {CONNECT_TARGET} connections not open after 60 s: {s['sizes']}")
                    time.sleep(0.005)
                ms = (time.perf_counter() - start) * 1000
                poll.close()
                failures = s["counters"].get("createFailures", 0)
                if failures:
                    flag(f"connect-rate / {name}: {failures} connection attempts failed")
            finally:
                proc.stop()
            times.append(round(ms, 1))
            log(f"  round {i + 1} {name}: {CONNECT_TARGET} connections in {ms:.1f} ms")
        med = statistics.median(times)
        out[name] = {"command": shown(cmd), "ms": times, "median_ms": med, "connections_per_s": round(CONNECT_TARGET / med * 1000),
                     "poll": "GET /api/v1/pools/main every 5 ms (one keep-alive connection) until sizes.total = target "
                             "and connecting = 0"}
    if "pgbench" in env_list("BENCH_TARGETS", ["pgbench"]):
        times = []
        cmd = [os.path.join(PG_BIN, "pgbench"), "-n", "-c", str(CONNECT_TARGET), "-j", str(THREADS), "-t", "1",
               "-f", os.path.join(TMP, "select1.sql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
               "postgres"]
        for i in range(ROUNDS):
            r = run(cmd)
            ms = float(re.search(r"initial connection time = ([\d.]+) ms", r.stdout).group(1))
            times.append(round(ms, 1))
            log(f"  round {i + 1} pgbench: {CONNECT_TARGET} connections in {ms:.1f} ms (its initial connection time)")
        med = statistics.median(times)
        out["pgbench"] = {"command": shown(cmd), "ms": times, "median_ms": med,
                          "connections_per_s": round(CONNECT_TARGET / med * 1000),
                          "what": f"pgbench's 'initial connection time' for {CONNECT_TARGET} clients on "
                                  f"{THREADS} threads: PostgreSQL's own connection rate, no pool"}
    return out


# ---------------------------------------------------------------- versions, machine


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return None


def machine():
    info = {"nproc": os.cpu_count()}
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        info["cpu_model"] = m.group(1).strip() if m else None
    with open("/proc/meminfo") as f:
        info["memory_mb"] = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) // 1024
    info["kernel"] = os.uname().release
    try:
        with open("/etc/os-release") as f:
            info["os"] = re.search(r'PRETTY_NAME="(.*)"', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    info["ulimit_n"] = subprocess.run(["bash", "-c", "ulimit -n"], capture_output=True, text=True).stdout.strip()
    return info


def npm_version(package):
    try:
        with open(os.path.join(HERE, "baseline-node", "node_modules", package, "package.json")) as f:
            return json.load(f)["version"]
    except OSError:
        return None


def dpkg_version(package):
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def git(*args):
    out = subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True)
    return out.stdout.strip()


def versions(artifacts):
    pom = open(os.path.join(ROOT, "pom.xml")).read()
    v = {
        "postgresql": first_line([os.path.join(PG_BIN, "postgres"), "--version"]),
        "pgbench": first_line([os.path.join(PG_BIN, "pgbench"), "--version"]),
        "pgbouncer": first_line(["pgbouncer", "--version"]),
        "redis-server": first_line(["redis-server", "--version"]),
        "redis-benchmark": first_line(["redis-benchmark", "--version"]),
        "webdis": dpkg_version("webdis"),
        "wrk": first_line(["wrk", "-v"]),
        "java": first_line(["java", "-version"]),
        "node": first_line(["node", "--version"]),
        "fastify": npm_version("fastify"), "pg": npm_version("pg"), "redis (node-redis)": npm_version("redis"),
        "@redis/client": npm_version("@redis/client"),
        "quarkus": re.search(r"<quarkus.platform.version>(.*?)</", pom).group(1),
        "poolgate": re.search(r"<artifactId>poolgate</artifactId>\s*<version>(.*?)</", pom).group(1),
    }
    for name, cmd in artifacts.items():
        path = cmd[-1]
        v[f"{name} artifact"] = {"path": os.path.relpath(path, ROOT) if path.startswith(ROOT) else path,
                                 "built": datetime.datetime.fromtimestamp(os.path.getmtime(path)).isoformat(
                                     timespec="seconds")}
    return v


# ---------------------------------------------------------------- main


def selected_workloads():
    out = []
    for w in env_list("BENCH_WORKLOADS", ALL_WORKLOADS):
        for x in WORKLOAD_ALIASES.get(w, [w]):
            if x not in ALL_WORKLOADS:
                raise SystemExit(f"BENCH_WORKLOADS: unknown workload '{w}'; known: {', '.join(ALL_WORKLOADS)}, "
                                 f"or {', '.join(WORKLOAD_ALIASES)}")
            if x not in out:
                out.append(x)
    return out


def main():
    workloads = selected_workloads()
    artifacts_all = poolgate_artifacts()
    known_targets = list(artifacts_all) + ["quarkus", "node", "webdis", "pgbench", "pgbench-pgbouncer",
                                            "redis-benchmark"]
    targets_wanted = env_list("BENCH_TARGETS", known_targets)
    for t in targets_wanted:
        if t not in known_targets:
            raise SystemExit(f"BENCH_TARGETS: unknown or unavailable target '{t}'; available: {', '.join(known_targets)}")
    artifacts = {k: v for k, v in artifacts_all.items() if k in targets_wanted}
    if not artifacts_all:
        raise SystemExit("no poolgate build found: ./mvnw -B -ntp -q package -DskipTests (bench/run.sh does it)")

    ports = [PG_PORT, PGB_PORT, REDIS_PORT, WEBDIS_PORT, SCRATCH_PORT, PORTS["quarkus"], PORTS["node"]] + \
        [PORT_BASE + 83 + i for i in range(len(artifacts_all))]
    taken = [p for p in ports if not port_free(p)]
    if taken:
        raise SystemExit(f"ports {taken} are taken: another run? pick others with BENCH_PORT_BASE")

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    started = datetime.datetime.now()
    log(f"poolgate bench: commit {commit}{' (dirty tree)' if dirty else ''}; workloads {', '.join(workloads)}; "
        f"targets {', '.join(targets_wanted)}")
    log(f"warm-up {WARMUP}s, rounds {ROUNDS} x {DURATION}s, wrk -t{THREADS} -c{CLIENTS}; temp dir {TMP}")
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    cpu_start = cpu_sample()

    result = {"date": started.isoformat(timespec="seconds"), "commit": commit, "dirty": dirty,
              "settings": {"warmup_s": WARMUP, "duration_s": DURATION, "rounds": ROUNDS, "clients": CLIENTS,
                           "wrk_threads": THREADS, "saturation_clients": SAT_CLIENTS,
                           "saturation_wrk_timeout_s": SAT_TIMEOUT, "pool": POOL, "workloads": workloads,
                           "targets": targets_wanted},
              "machine": machine(), "versions": versions(artifacts), "load": {"uptime_before": uptime_before},
              "servers": {}, "workloads": {}, "flags": FLAGS}

    log("starting PostgreSQL, Redis, PgBouncer, Webdis")
    pg = start_postgres()
    redis = start_redis()
    servers = {"postgresql": pg, "redis": redis}
    if "pgbench-pgbouncer" in targets_wanted:
        servers["pgbouncer"] = start_pgbouncer()
    http_targets = make_targets(targets_wanted)
    if "webdis" in targets_wanted:
        servers["webdis"] = start_webdis()
        wd = Target("webdis", "webdis", servers["webdis"]["cmd"], {}, WEBDIS_PORT, WEBDIS_REQUESTS)
        wd.proc = servers["webdis"]["proc"]
        http_targets.append(wd)
    for name, s in servers.items():
        result["servers"][name] = {"command": shown(s["cmd"])}
        if "config" in s:
            result["servers"][name]["config"] = s["config"]

    throughput = [w for w in workloads if w in ("select1", "rows10", "redis-get", "sat-select1", "sat-redis")]
    if throughput:
        for t in http_targets:
            if t.proc is None:
                log(f"starting {t.name}")
                t.start()
            check_answers(t)
            result["servers"][t.name] = {"command": shown(t.cmd), "env": t.env, "port": t.port,
                                         "requests": {w: " ".join(x for x in r if x) for w, r in t.requests.items()},
                                         "ready_ms": t.ready_ms, "rss_mb_before_load": round(rss_mb(t.proc.pid), 1)}

    scripts = write_pgbench_scripts()
    refs = {w: [] for w in ("select1", "rows10", "redis-get", "pgbench-S")}
    for name, port in (("pgbench", PG_PORT), ("pgbench-pgbouncer", PGB_PORT)):
        if name in targets_wanted:
            for w in ("select1", "rows10"):
                refs[w].append(Reference(name, lambda s, port=port, w=w: pgbench(port, scripts[w], s, CLIENTS)))
            refs["pgbench-S"].append(Reference(name, lambda s, port=port: pgbench(port, "builtin:select-only", s,
                                                                                   CLIENTS)))
    if "redis-benchmark" in targets_wanted:
        rb = Reference("redis-benchmark", None)
        rb.last_rps = 50_000
        rb.runner = lambda s, rb=rb: redis_benchmark(s, CLIENTS, rb.last_rps)
        refs["redis-get"].append(rb)

    try:
        for w in workloads:
            if w in ("select1", "rows10", "redis-get"):
                res = throughput_workload(w, http_targets, refs[w])
            elif w == "pgbench-S":
                res = interleaved(w, refs[w], lambda p: p.runner(DURATION), lambda p, s: p.runner(s),
                                  note=f"pgbench -S, simple protocol, {CLIENTS} clients") if refs[w] else None
            elif w == "sat-select1":
                res = saturation_workload(w, "select1", [t for t in http_targets if t.name != "webdis"])
            elif w == "sat-redis":
                res = saturation_workload(w, "redis-get", http_targets)
            else:
                continue
            if res:
                result["workloads"][w] = res
        if throughput:
            for t in http_targets:
                if not gone(t):
                    result["servers"][t.name]["rss_mb_after_load"] = round(rss_mb(t.proc.pid), 1)
        for t in http_targets:
            if t.name != "webdis" and t.proc is not None:
                t.proc.stop()
        if "memory" in workloads and artifacts:
            result["workloads"]["memory"] = memory_workload(artifacts)
        if "connect-rate" in workloads and artifacts:
            result["workloads"]["connect-rate"] = connect_rate_workload(artifacts)
    except BaseException as e:
        # what was measured is kept: the result is written, marked as aborted, and the run fails
        result["aborted"] = f"{type(e).__name__}: {e}"
        aborted = e
    else:
        aborted = None
    finally:
        cpu_end = cpu_sample()
        result["load"]["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        result["load"]["other_cpu_cores_whole_run"] = foreign_cores(cpu_start, cpu_end)
        result["duration_s"] = round((datetime.datetime.now() - started).total_seconds())
        stop_all()

    result["commands"] = COMMANDS
    result["pgbench_scripts"] = {os.path.basename(path): open(path).read() for path in scripts.values()}
    result["targets_gone"] = DEAD
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    suffix = "-dirty" if dirty else ""
    suffix += "-aborted" if aborted is not None else ""
    out_path = os.environ.get("BENCH_RESULT") or os.path.join(
        HERE, "results", f"{started.date().isoformat()}-{commit}{suffix}.json")
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    log("\n" + report.render(result))
    log(f"\nwritten {os.path.relpath(out_path, ROOT)}")
    if aborted is not None:
        log(f"\n!!! the run was aborted ({result['aborted']}); what was measured before is in the file above")
        raise aborted
    if FLAGS:
        log(f"\n!!! {len(FLAGS)} problem(s) flagged during the run:")
        for message in FLAGS:
            log("!!!   " + message)
        return 2
    return 0


def on_term(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    try:
        code = main()
    except KeyboardInterrupt:
        log("\ninterrupted: stopping every server")
        code = 130
    finally:
        stop_all()
    sys.exit(code)
