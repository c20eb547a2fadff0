#!/usr/bin/env python3
"""Fault drills for poolgate: throwaway PostgreSQL and Redis, the packaged gateway, a bounded steady
load of SQL reads and writes, Redis commands and session leases, and six faults. One verdict line
per drill; exit code 0 only if every drill passed. Run it through bench/faults.sh (see
bench/README.md), which installs what is missing, builds the jar and cleans up on exit.

Python 3.11 standard library only: raw HTTP/1.1 over asyncio streams, one keep-alive connection
per load worker.
"""
import asyncio
import itertools
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections import Counter


def env(name, default):
    value = os.environ.get(name)
    return type(default)(value) if value not in (None, "") else default


QUICK = env("FAULTS_QUICK", 0) == 1
WORK = os.environ.get("FAULTS_WORKDIR") or sys.exit("FAULTS_WORKDIR is not set (run bench/faults.sh)")
JAR = env("FAULTS_JAR", "target/quarkus-app/quarkus-run.jar")
PG_BIN = env("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin")
DRILLS = env("FAULTS_DRILLS", "1 2 3 4 5 6").split()
WARMUP = env("FAULTS_WARMUP", 3.0 if QUICK else 8.0)         # s of load before the first drill (JIT)
BASELINE = env("FAULTS_BASELINE", 1.0 if QUICK else 2.0)      # s of load before each fault
DOWN = env("FAULTS_DOWN", 1.0 if QUICK else 3.0)              # s a killed server stays down
FREEZE = env("FAULTS_FREEZE", 4.0 if QUICK else 10.0)         # s PostgreSQL stays stopped (SIGSTOP)
RECOVERY_MAX = env("FAULTS_RECOVERY_MAX", 20.0)               # s to wait for first success and a full pool
HOLD = env("FAULTS_HOLD", 1.0 if QUICK else 2.0)              # s of load after recovery
RPS = env("FAULTS_RPS", 150.0)                                # steady load, requests per second in total
CROWDS = [int(n) for n in env("FAULTS_CROWDS", "200 1000" if QUICK else "1000 5000").split()]
HANGUPS = env("FAULTS_HANGUPS", 10)                           # clients hanging up per round (3 rounds)
SLACK = env("FAULTS_LATENCY_SLACK", 0.5)                      # s allowed over the stated bound (client side)

# The gateway's settings for the drills (seconds; passed as -D system properties by Gateway.props)
SIZE = 20
S = dict(acquire=2.0, connect=2.0, validation=1.0, reset=2.0, statement=3.0, grace=0.5, command=2.0,
         drain=5.0)
# README "When a backend fails": acquire-timeout (+ validation-timeout) + work bound + deadline-grace
SQL_BOUND = S["acquire"] + S["validation"] + (S["statement"] + S["grace"]) + S["grace"]
REDIS_BOUND = S["acquire"] + S["validation"] + S["command"] + S["grace"]

DOCUMENTED = {  # (status, problem type) answers the README documents for a backend or load fault
    (503, "pool-unavailable"), (503, "backend-unavailable"), (503, "session-limit"),
    (504, "backend-timeout"), (504, "statement-timeout"), (410, "session-ended"), (422, "redis-error"),
    (503, "shutting-down")}  # a request that arrives after SIGTERM (drill 6) is refused, not started
SUCCESS = {200, 201, 204}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def now():
    return time.monotonic()


def log(msg):
    print(f"  . {msg}", flush=True)


# --------------------------------------------------------------------------------------------- HTTP

class Http:
    """One keep-alive HTTP/1.1 connection; reconnects after a failure."""

    def __init__(self, port, timeout=30.0):
        self.port, self.timeout, self.r, self.w = port, timeout, None, None

    async def connect(self):
        self.r, self.w = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 22)

    def close(self, reset=False):
        if self.w is not None:
            if reset:
                sock = self.w.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.w.transport.abort() if reset else self.w.close()
        self.r = self.w = None

    def send(self, method, path, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.w.write(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(data)}\r\n\r\n".encode() + data)

    async def request(self, method, path, body=None):
        """(status, or conn-refused / conn-closed / client-timeout; the parsed JSON body or None)."""
        try:
            if self.w is None:
                await asyncio.wait_for(self.connect(), self.timeout)
            self.send(method, path, body)
            status, headers, raw = await asyncio.wait_for(self.read(), self.timeout)
            if headers.get("connection", "").lower() == "close":
                self.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as e:
            self.close()
            kind = "client-timeout" if isinstance(e, asyncio.TimeoutError) else \
                "conn-refused" if isinstance(e, ConnectionRefusedError) else "conn-closed"
            return kind, {"detail": f"{type(e).__name__}: {e}"}
        try:
            return status, (json.loads(raw) if raw else None)
        except ValueError:
            return status, None

    async def read(self):
        line = await self.r.readline()
        if not line:
            raise ConnectionResetError("closed before the status line")
        status = int(line.split()[1])
        headers = {}
        while (h := await self.r.readline()) not in (b"\r\n", b"\n", b""):
            k, _, v = h.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            raw = await self.r.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            raw = b""
            while (size := int((await self.r.readline()).split(b";")[0], 16)) > 0:
                raw += await self.r.readexactly(size)
                await self.r.readline()
            while (await self.r.readline()) not in (b"\r\n", b"\n", b""):
                pass
        elif status in (204, 304) or status < 200:
            raw = b""
        else:
            raw = await self.r.read()
            self.close()
        return status, headers, raw


def label(status, body):
    if status in SUCCESS or not isinstance(status, int):
        return str(status)
    kind = body.get("type", "").rsplit(":", 1)[-1] if isinstance(body, dict) else ""
    reason = body.get("reason") if isinstance(body, dict) else None
    return f"{status} {kind or '(no problem type)'}" + (f":{reason}" if reason else "")


# ----------------------------------------------------------------------------------------- servers

def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


class Postgres:
    def __init__(self):
        self.port, self.data, self.logfile = free_port(), f"{WORK}/pg", f"{WORK}/postgres.log"

    def as_postgres(self, *cmd):
        return ["runuser", "-u", "postgres", "--", *cmd]

    def init(self):
        os.makedirs(self.data)
        os.chmod(WORK, 0o755)
        os.chown(self.data, *pwd_ids("postgres"))
        run(self.as_postgres(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"))
        open(self.logfile, "a").close()
        os.chown(self.logfile, *pwd_ids("postgres"))

    def start(self):
        # a killed postmaster stays a zombie until init reaps it (here ~1.5 s), and PostgreSQL takes
        # a zombie's pid in postmaster.pid for a running server
        if os.path.exists(f"{self.data}/postmaster.pid"):
            pm, deadline = self.postmaster(), now() + 30
            while os.path.exists(f"/proc/{pm}") and now() < deadline:
                time.sleep(0.05)
        opts = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data} "
                "-c max_connections=200 -c log_min_messages=warning")
        run(self.as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.logfile, "-o", opts, "-w", "-t", "60",
                             "start"), start_new_session=True)

    def postmaster(self):
        with open(f"{self.data}/postmaster.pid") as f:
            return int(f.readline())

    def processes(self):
        """The postmaster and its children (the backends and auxiliary processes)."""
        pm = self.postmaster()
        return [pm] + children(pm)

    def signal_all(self, sig):
        pm = self.postmaster()
        os.kill(pm, signal.SIGSTOP)  # no fork while the children are listed
        procs = [pm] + children(pm)
        for pid in procs[1:] + ([pm] if sig != signal.SIGSTOP else []):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        return len(procs)

    def cont(self):
        for pid in self.processes()[::-1]:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def alive(self):
        try:
            os.kill(self.postmaster(), 0)
            return True
        except (OSError, ValueError):
            return False

    def stop(self):
        if self.alive():
            self.cont()
            run(self.as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"), check=False)

    def psql(self, sql):
        out = run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-AtX",
                   "-v", "ON_ERROR_STOP=1", "-c", sql], timeout=30)
        return out.stdout.strip()

    def log_size(self):
        return os.path.getsize(self.logfile)

    def log_since(self, offset):
        with open(self.logfile, errors="replace") as f:
            f.seek(offset)
            return f.read()


def pwd_ids(user):
    import pwd
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid


def children(ppid):
    kids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == ppid:
                    kids.append(int(name))
            except OSError:
                pass
    return kids


class Redis:
    def __init__(self):
        self.port, self.proc, self.dir = free_port(), None, f"{WORK}/redis"
        os.makedirs(self.dir, exist_ok=True)

    def start(self):
        # appendfsync always: a SET is in the append-only file before it is acknowledged, so an
        # acknowledged write must survive kill -9 (checked like the SQL writes)
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir, "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no",
             "--logfile", f"{WORK}/redis.log"], stdin=subprocess.DEVNULL, start_new_session=True)
        pidfile(self.proc.pid, "redis")
        deadline = now() + 30
        while now() < deadline:
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING within 30 s")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def cli(self, *args):
        out = run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args], check=False, timeout=30)
        return out.stdout.strip()

    def keys(self, pattern):
        return set(self.cli("--scan", "--pattern", pattern).split())


def pidfile(pid, name):
    with open(f"{WORK}/{name}.pid", "w") as f:
        f.write(str(pid))


class Gateway:
    def __init__(self, pg, redis):
        self.port, self.pg, self.redis, self.proc = free_port(), pg, redis, None
        self.logfile = f"{WORK}/gateway.log"

    def props(self):
        ms = lambda key: f"{S[key]:g}s" if S[key] == int(S[key]) else f"{S[key] * 1000:.0f}ms"
        pool = {"size.min": SIZE, "size.max": SIZE, "acquire-timeout": ms("acquire"), "connect-timeout": ms("connect"),
                "validation-timeout": ms("validation"), "reset-timeout": ms("reset"), "deadline-grace": ms("grace"),
                "reuse.validate-after-idle": "1s", "health.interval": "500ms", "health.timeout": "1s",
                "health.max-latency": "1s", "health.failure-threshold": 2, "health.recovery-threshold": 2,
                "health.open-wait": "500ms", "health.max-open-wait": "2s"}
        p = {"quarkus.profile": "prod", "quarkus.http.host": "127.0.0.1", "quarkus.http.port": self.port,
             "poolgate.drain-timeout": ms("drain"),
             # the drills are about backends, not credentials (an open gateway logs one WARN saying so)
             "poolgate.auth.enabled": "false",
             "poolgate.pools.main.nodes[0].url": f"postgresql://postgres@127.0.0.1:{self.pg.port}/postgres",
             "poolgate.pools.main.statement-timeout": ms("statement"),
             "poolgate.pools.cache.nodes[0].url": f"redis://127.0.0.1:{self.redis.port}",
             "poolgate.pools.cache.command-timeout": ms("command")}
        for pool_name in ("main", "cache"):
            p.update({f"poolgate.pools.{pool_name}.{k}": v for k, v in pool.items()})
        return [f"-D{k}={v}" for k, v in p.items()]

    def start(self):
        out = open(self.logfile, "a")
        self.proc = subprocess.Popen(["java", "-Xmx1g", *self.props(), "-jar", JAR], stdout=out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        pidfile(self.proc.pid, "gateway")
        deadline = now() + 90
        while now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the gateway exited with {self.proc.returncode}; see {self.logfile}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), 1) as s:
                    s.sendall(b"GET /q/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the gateway was not ready within 90 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_size(self):
        return os.path.getsize(self.logfile)

    def log_since(self, offset):
        with open(self.logfile, errors="replace") as f:
            f.seek(offset)
            return f.read()


# -------------------------------------------------------------------------------------------- load

class Record:
    """Everything the load and the drill sent, and what must or must not be in the databases."""

    def __init__(self):
        self.results = []           # (family, t_sent, t_done, status, label)
        self.acked_sql, self.acked_redis = set(), set()
        self.absent_sql = set()     # ids the gateway said were not written, or never committed
        self.ids = itertools.count(int(time.time() * 1000) % 10**9 * 1000)
        self.samples = {}           # one detail per kind of error answer, for the log

    def add(self, family, t0, status, body):
        lab = label(status, body)
        self.results.append((family, t0, now(), status, lab))
        if lab not in self.samples and status not in SUCCESS:
            self.samples[lab] = body.get("detail", "") if isinstance(body, dict) else repr(body)


class Load:
    """A steady, bounded load: SQL reads and writes, Redis SET/GET and session-lease transactions,
    each worker paced to its share of FAULTS_RPS on its own keep-alive connection."""

    def __init__(self, gw, rec, sql=8, redis=4, leases=2):
        self.gw, self.rec, self.stop_at = gw, rec, None
        self.stopping = asyncio.Event()
        self.workers = [self.sql] * sql + [self.redis] * redis + [self.lease] * leases
        self.rate = RPS / len(self.workers)

    def start(self):
        self.tasks = [asyncio.create_task(w(i)) for i, w in enumerate(self.workers)]

    async def stop(self):
        self.stopping.set()
        await asyncio.gather(*self.tasks)

    async def pace(self, state):
        state[0] = max(state[0] + 1 / self.rate, now())
        await asyncio.sleep(max(0.0, state[0] - now()))

    async def call(self, http, family, method, path, body=None):
        t0 = now()
        status, answer = await http.request(method, path, body)
        self.rec.add(family, t0, status, answer)
        return status, answer

    async def sql(self, i):
        http, state = Http(self.gw.port), [now()]
        while not self.stopping.is_set():
            await self.pace(state)
            n = next(self.rec.ids)
            if n % 5 < 2:
                status, answer = await self.call(http, "sql", "POST", "/api/v1/pools/main/query",
                                                 {"sql": "INSERT INTO drill_writes (id) VALUES ($1)", "params": [n]})
                if status == 200:
                    self.rec.acked_sql.add(n)
                elif isinstance(answer, dict) and answer.get("mayHaveWritten") is False:
                    self.rec.absent_sql.add(n)
            else:
                await self.call(http, "sql", "POST", "/api/v1/pools/main/query",
                                {"sql": "SELECT id FROM drill_writes WHERE id = $1", "params": [n - 7],
                                 "readOnly": n % 2 == 0})
        http.close()

    async def redis(self, i):
        http, state, last = Http(self.gw.port), [now()], None
        while not self.stopping.is_set():
            await self.pace(state)
            n = next(self.rec.ids)
            if last is None or n % 2:
                status, _ = await self.call(http, "redis", "POST", "/api/v1/pools/cache/command",
                                            ["SET", f"drill:w:{n}", "1"])
                if status == 200:
                    self.rec.acked_redis.add(f"drill:w:{n}")
                    last = n
            else:
                await self.call(http, "redis", "POST", "/api/v1/pools/cache/command", ["GET", f"drill:w:{last}"])
        http.close()

    async def lease(self, i):
        http, state = Http(self.gw.port), [now()]
        while not self.stopping.is_set():
            await self.pace(state)
            await lease_transaction(http, self.rec, self.call, commit=True)
        http.close()


async def lease_transaction(http, rec, call, commit):
    """Open a lease, BEGIN, two INSERTs, then COMMIT and close it (commit=True), or leave it open
    with the transaction uncommitted (commit=False: returns the lease id)."""
    status, answer = await call(http, "lease", "POST", "/api/v1/pools/main/sessions", {"idleTimeout": "30s"})
    if status != 201:
        return None, []
    sid = answer["id"]
    ids = [next(rec.ids), next(rec.ids)]
    steps = [{"sql": "BEGIN"}] + [{"sql": "INSERT INTO drill_writes (id) VALUES ($1)", "params": [n]} for n in ids]
    ok = True
    for step in steps:
        status, _ = await call(http, "lease", "POST", f"/api/v1/sessions/{sid}/query", step)
        if status != 200:
            ok = False
            break
    if not commit:
        rec.absent_sql.update(ids)
        return (sid if ok else None), ids
    if ok:
        status, answer = await call(http, "lease", "POST", f"/api/v1/sessions/{sid}/query", {"sql": "COMMIT"})
        if status == 200:
            rec.acked_sql.update(ids)
        elif isinstance(answer, dict) and answer.get("mayHaveWritten") is False:
            rec.absent_sql.update(ids)
    else:
        rec.absent_sql.update(ids)  # COMMIT never sent: the transaction must have been rolled back
    await call(http, "lease", "DELETE", f"/api/v1/sessions/{sid}")
    return sid, ids


class Poller:
    """Reads GET /api/v1/pools/{main,cache} every 100 ms."""

    def __init__(self, gw):
        self.gw, self.samples, self.stopping = gw, [], asyncio.Event()

    def start(self):
        self.task = asyncio.create_task(self.loop())

    async def loop(self):
        http = Http(self.gw.port, timeout=5)
        while not self.stopping.is_set():
            for pool in ("main", "cache"):
                status, body = await http.request("GET", f"/api/v1/pools/{pool}")
                if status == 200:
                    s = body["sizes"]
                    self.samples.append((now(), pool, s["inUse"] + s["idle"], s["inUse"], body.get("leases", 0)))
            await asyncio.sleep(0.1)
        http.close()

    async def stop(self):
        self.stopping.set()
        await self.task

    def full_after(self, pool, t):
        return next((ts - t for ts, p, ready, *_ in self.samples if p == pool and ts >= t and ready >= SIZE), None)


# ------------------------------------------------------------------------------------------ drills

class Drill:
    """One fault under the steady load: phases, figures and the verdict."""

    def __init__(self, h, number, title, family, pool):
        self.h, self.number, self.title, self.family, self.pool = h, number, title, family, pool
        self.rec = h.rec
        self.t_fault = self.t_recover = None
        self.extra, self.failures, self.expect_refused = [], [], False
        self.gateway_pid = h.gw.proc.pid

    async def start(self):
        await self.h.steady()
        self.first_result = len(self.rec.results)
        self.pg_log, self.gw_log = self.h.pg.log_size(), self.h.gw.log_size()
        self.load, self.poller = Load(self.h.gw, self.rec), Poller(self.h.gw)
        self.load.start()
        self.poller.start()
        self.lag = Lag()
        self.lag.start()
        await asyncio.sleep(BASELINE)
        self.t_fault = now()

    def recovered(self):
        self.t_recover = now()

    def first_success(self):
        done = [t1 for fam, t0, t1, status, _ in self.rec.results[self.first_result:]
                if fam == self.family and status == 200 and t0 >= self.t_recover]
        return min(done) - self.t_recover if done else None

    async def settle(self):
        """Load goes on until the first success and a full pool after recovery, then HOLD more."""
        deadline = now() + RECOVERY_MAX
        while now() < deadline and (self.first_success() is None
                                    or self.poller.full_after(self.pool, self.t_recover) is None):
            await asyncio.sleep(0.1)
        await asyncio.sleep(HOLD)

    async def finish(self, restart=None):
        await self.load.stop()
        await self.poller.stop()
        self.lag.task.cancel()
        results = self.rec.results[self.first_result:]
        with open(f"{WORK}/requests-drill{self.number}.csv", "w") as f:  # for a closer look (kept on failure)
            f.write("family,sent_s,latency_s,answer\n")
            f.writelines(f"{r[0]},{r[1] - self.t_fault:.3f},{r[2] - r[1]:.3f},{r[4]}\n" for r in results)
        phases = {"before": Counter(), "during": Counter(), "after": Counter()}
        undocumented, unexpected, over, max_lat = Counter(), Counter(), Counter(), {"sql": 0.0, "redis": 0.0}
        for fam, t0, t1, status, lab in results:
            # during: outstanding at some time between the fault and the recovery
            phase = "before" if t1 < self.t_fault else "after" if self.t_recover is not None and t0 >= self.t_recover \
                else "during"
            phases[phase][lab] += 1
            bound_family = "redis" if fam == "redis" else "sql"
            if isinstance(status, int):
                max_lat[bound_family] = max(max_lat[bound_family], t1 - t0)
                if t1 - t0 > (REDIS_BOUND if bound_family == "redis" else SQL_BOUND) + SLACK:
                    over[f"{fam} {lab}"] += 1
            if status in SUCCESS:
                continue
            ptype = lab.split(" ", 1)[-1].split(":")[0]
            if isinstance(status, int) and status >= 500 and (status, ptype) not in DOCUMENTED:
                undocumented[lab] += 1
            elif (status, ptype) not in DOCUMENTED and not (self.expect_refused and status in ("conn-refused", "conn-closed")):
                unexpected[lab] += 1
        answers = " | ".join(f"{p} " + (" ".join(f"{k}×{v}" for k, v in c.most_common()) or "-")
                             for p, c in phases.items() if c or p != "before")
        lost_sql, lost_redis, phantom, leak = await self.check_data()
        first = self.first_success() if self.t_recover is not None else None
        full = self.poller.full_after(self.pool, self.t_recover) if self.t_recover is not None else None
        recovery = f"first success {secs(first)}, full pool {secs(full)} after recovery"
        if self.expect_refused:
            recovery = "first success and full pool n/a (the gateway was stopped"
            if restart:
                t0 = now()
                await restart()
                recovery += f"; restarted for the next drills, ready in {now() - t0:.2f}s"
            recovery += ")"
        restarted = "n/a (stopped by the drill)" if self.expect_refused else \
            ("no" if self.h.gw.proc.pid == self.gateway_pid and self.h.gw.proc.poll() is None else "YES")
        n_acked = len(self.rec.acked_sql) + len(self.rec.acked_redis)
        figures = [
            f"answers: {answers}",
            f"max latency SQL {max_lat['sql']:.2f}s/bound {SQL_BOUND:.1f}s, Redis {max_lat['redis']:.2f}s/bound "
            f"{REDIS_BOUND:.1f}s (this client's loop lag up to {self.lag.max:.2f}s), over the bound "
            + (f"{sum(over.values())} of {len(results)}: {fmt(over)}" if over else "none"),
            f"acked writes lost {lost_sql + lost_redis} of {n_acked} (sql {lost_sql}, redis {lost_redis}), "
            f"said-unwritten present {phantom}",
            "undocumented 5xx " + (fmt(undocumented) or "0") + ", other unexpected " + (fmt(unexpected) or "0"),
            f"leaked {leak}",
        ] + self.extra + [
            recovery, f"gateway restarted {restarted}"]
        if max_lat["sql"] > SQL_BOUND + SLACK or max_lat["redis"] > REDIS_BOUND + SLACK:
            self.failures.append("latency over the bound")
        if lost_sql or lost_redis:
            self.failures.append("acknowledged writes lost")
        if phantom:
            self.failures.append("writes said unwritten are present")
        if undocumented:
            self.failures.append("undocumented 5xx (" + fmt(undocumented) + ")")
        if unexpected:
            self.failures.append("unexpected answers (" + fmt(unexpected) + ")")
        if leak.startswith("YES"):
            self.failures.append("connections leaked")
        if self.t_recover is not None and not self.expect_refused and (first is None or full is None):
            self.failures.append("no recovery within FAULTS_RECOVERY_MAX")
        if restarted == "YES":
            self.failures.append("gateway restarted")
        verdict = "FAIL" if self.failures else "PASS"
        line = f"[{verdict}] drill {self.number} {self.title}: " + "; ".join(figures)
        if self.failures:
            line += " — FAILED: " + ", ".join(self.failures)
        print(line, flush=True)
        for lab, detail in self.rec.samples.items():
            log(f"e.g. {lab}: {detail[:300]}")
        self.rec.samples.clear()
        self.h.verdicts.append(line)
        return not self.failures

    async def check_data(self):
        """Acknowledged writes missing, writes said unwritten but present, and leaked connections."""
        present = set(map(int, (await asyncio.to_thread(self.h.pg.psql, "SELECT id FROM drill_writes")).split()))
        lost_sql = len(self.rec.acked_sql - present)
        phantom = len(self.rec.absent_sql & present)
        lost_redis = len(self.rec.acked_redis - await asyncio.to_thread(self.h.redis.keys, "drill:w:*"))
        return lost_sql, lost_redis, phantom, await self.leaks()

    async def leaks(self):
        """In use in the gateway (both pools, and leases) and what PostgreSQL has for it, once the load
        has stopped: waits up to 5 s for connections to come back."""
        sql = ("SELECT count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state LIKE 'idle in%'), "
               "count(*) FROM pg_stat_activity WHERE application_name = 'poolgate'")
        deadline = now() + 5
        while True:
            active, idle_tx, backends = map(int, (await asyncio.to_thread(self.h.pg.psql, sql)).split("|"))
            redis_clients = len((await asyncio.to_thread(self.h.redis.cli, "CLIENT", "LIST")).splitlines()) - 1
            if self.expect_refused:
                gw = "gateway stopped"
                ok = active == idle_tx == backends == redis_clients == 0
            else:
                http = Http(self.h.gw.port, timeout=5)
                main = (await http.request("GET", "/api/v1/pools/main"))[1]
                cache = (await http.request("GET", "/api/v1/pools/cache"))[1]
                http.close()
                used = (main["sizes"]["inUse"], main["leases"], cache["sizes"]["inUse"])
                gw = f"in use main {used[0]} (leases {used[1]}), cache {used[2]}"
                # the pool's connections plus the health probe's own one
                ok = used == (0, 0, 0) and active == idle_tx == 0 and backends <= main["sizes"]["total"] + 1 \
                    and redis_clients <= cache["sizes"]["total"] + 1
            if not ok and now() > deadline:
                rows = await asyncio.to_thread(self.h.pg.psql, (
                    "SELECT pid, state, backend_start::time(0), state_change::time(0), left(query, 50) FROM "
                    "pg_stat_activity WHERE application_name = 'poolgate' ORDER BY backend_start"))
                log("leak? pg_stat_activity of the gateway: " + rows.replace("\n", " / "))
                if not self.expect_refused:
                    http = Http(self.h.gw.port, timeout=5)
                    conns = (await http.request("GET", "/api/v1/pools/main/sessions"))[1]
                    http.close()
                    log("leak? the gateway's connections of pool main: " + json.dumps(conns)[:3000])
            if ok or now() > deadline:
                return ("no" if ok else "YES") + f" ({gw}; pg_stat_activity active {active}, idle in transaction " \
                                                  f"{idle_tx}, backends {backends}; Redis clients {redis_clients})"
            await asyncio.sleep(0.2)


def fmt(counter):
    return " ".join(f"{k}×{v}" for k, v in counter.most_common())


def secs(value):
    return "never" if value is None else f"{value:.2f}s"


async def drill_kill_pg(h):
    d = Drill(h, 1, f"kill -9 PostgreSQL (postmaster and backends), down {DOWN:g}s, restart", "sql", "main")
    await d.start()
    n = h.pg.signal_all(signal.SIGKILL)
    d.extra.append(f"killed {n} processes")
    await asyncio.sleep(DOWN)
    await asyncio.to_thread(h.pg.start)
    d.recovered()
    await d.settle()
    return await d.finish()


async def drill_kill_redis(h):
    d = Drill(h, 2, f"kill -9 Redis, down {DOWN:g}s, restart", "redis", "cache")
    await d.start()
    h.redis.kill9()
    await asyncio.sleep(DOWN)
    await asyncio.to_thread(h.redis.start)
    d.recovered()
    await d.settle()
    return await d.finish()


async def drill_freeze_pg(h):
    d = Drill(h, 3, f"SIGSTOP PostgreSQL (postmaster and backends) {FREEZE:g}s, SIGCONT", "sql", "main")
    await d.start()
    n = h.pg.signal_all(signal.SIGSTOP)
    d.extra.append(f"stopped {n} processes")
    await asyncio.sleep(FREEZE)
    h.pg.cont()
    d.recovered()
    await d.settle()
    return await d.finish()


async def drill_hangups(h):
    d = Drill(h, 4, f"clients hanging up mid pg_sleep(30) ({HANGUPS} at a time, 3 rounds, after 0.5s)", "sql",
              "main")
    await d.start()
    left_after, gone = [], []
    for round_no in range(3):
        clients = [Http(h.gw.port) for _ in range(HANGUPS)]
        await asyncio.gather(*(c.connect() for c in clients))
        for c in clients:
            c.send("POST", "/api/v1/pools/main/query", {"sql": "SELECT pg_sleep(30) AS hangup_drill"})
        await asyncio.sleep(0.5)
        running = int(await asyncio.to_thread(h.pg.psql, HANGUP_SQL))
        for k, c in enumerate(clients):
            c.close(reset=k % 2 == 1)  # half close with FIN, half with RST
        t_hang = now()
        # statement-timeout (3 s) would end them from 3 s after they started: look well before that
        while (left := int(await asyncio.to_thread(h.pg.psql, HANGUP_SQL))) and now() - t_hang < 1.5:
            await asyncio.sleep(0.05)
        left_after.append(left)
        gone.append((now() - t_hang, running))
        await asyncio.sleep(0.5)
    d.recovered()
    d.extra.append(f"pg_sleep running before hang-up {min(r for _, r in gone)}-{max(r for _, r in gone)} per round, "
                   f"left 1.5s after hang-up {sum(left_after)} (all gone within "
                   f"{max(g for g, _ in gone) * 1000:.0f} ms)")
    if sum(left_after) or min(r for _, r in gone) == 0:
        d.failures.append("pg_sleep left running after the clients hung up" if sum(left_after)
                          else "no pg_sleep was running: the drill proved nothing")
    await d.settle()
    return await d.finish()


HANGUP_SQL = ("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%hangup_drill%' "
              "AND pid <> pg_backend_pid()")


async def crowd(port, n, base):
    """n clients at once, each on its own connection: a short read then a unique write. Runs in a
    process of its own (`faults.py crowd PORT N BASE`), so the steady load's latencies, measured in
    the main process, are not those of an event loop juggling thousands of sockets."""
    rec, connect_times, lag = Record(), [], Lag()
    rec.ids = itertools.count(base)

    async def client():
        http = Http(port, timeout=60)
        t0 = now()
        try:
            await asyncio.wait_for(http.connect(), 60)
        except (OSError, asyncio.TimeoutError):
            rec.add("crowd", t0, "connect-failed", None)
            return
        connect_times.append(now() - t0)
        for body in ({"sql": "SELECT pg_sleep(0.01) AS crowd", "readOnly": True},
                     {"sql": "INSERT INTO drill_writes (id) VALUES ($1)", "params": [next(rec.ids)]}):
            t1 = now()
            status, answer = await http.request("POST", "/api/v1/pools/main/query", body)
            rec.add("crowd", t1, status, answer)
            if "params" in body and status == 200:
                rec.acked_sql.add(body["params"][0])
            elif "params" in body and isinstance(answer, dict) and answer.get("mayHaveWritten") is False:
                rec.absent_sql.add(body["params"][0])
        http.close()

    lag.start()
    await asyncio.gather(*(client() for _ in range(n)))
    print(json.dumps({"results": [[status, lab, t1 - t0] for _, t0, t1, status, lab in rec.results],
                      "acked": sorted(rec.acked_sql), "absent": sorted(rec.absent_sql), "samples": rec.samples,
                      "max_connect": max(connect_times, default=0.0), "lag": lag.max}))


class Lag:
    """How late this process's event loop wakes up (its own share of the measured latencies)."""

    def __init__(self):
        self.max = 0.0

    def start(self):
        self.task = asyncio.create_task(self.loop())

    async def loop(self):
        while True:
            t = now()
            await asyncio.sleep(0.05)
            self.max = max(self.max, now() - t - 0.05)


async def drill_crowds(h):
    d = Drill(h, 5, "crowds of " + " and ".join(f"{n:,}" for n in CROWDS) + f" concurrent clients on a pool of {SIZE}",
              "sql", "main")
    await d.start()
    for k, n in enumerate(CROWDS):
        t0 = now()
        proc = await asyncio.create_subprocess_exec(sys.executable, os.path.abspath(__file__), "crowd",
                                                    str(h.gw.port), str(n), str(9 * 10**14 + k * 10**8),
                                                    stdout=subprocess.PIPE)
        out = json.loads((await proc.communicate())[0])
        took = now() - t0
        h.rec.acked_sql.update(out["acked"])
        h.rec.absent_sql.update(out["absent"])
        for lab, detail in out["samples"].items():
            h.rec.samples.setdefault(lab, detail)
        c = Counter(lab for _, lab, _ in out["results"])
        for status, lab, _ in out["results"]:  # counted with the drill's answers (latency: below)
            h.rec.results.append(("crowd", t0, t0, status, lab))
        others = sum(v for k_, v in c.items() if not (k_ == "200" or k_.startswith("503 pool-unavailable")))
        lat = max((x for *_, x in out["results"]), default=0)
        d.extra.append(f"{n:,} clients in {took:.1f}s: {fmt(c)}; their max latency {lat:.2f}s (client side, own "
                       f"loop lag up to {out['lag']:.2f}s), max connect {out['max_connect']:.2f}s")
        if others:
            d.failures.append(f"{n} clients: answers other than 200 and 503 pool-unavailable")
        await asyncio.sleep(1)
    d.recovered()
    await d.settle()
    return await d.finish()


async def drill_sigterm(h, more_follow):
    d = Drill(h, 6, "SIGTERM of the gateway under load with open leases", "sql", "main")
    d.expect_refused = True
    await d.start()
    http = Http(h.gw.port)
    leases, open_ids = [], set()
    for _ in range(3):
        sid, ids = await lease_transaction(http, h.rec, d.load.call, commit=False)
        leases.append(sid)
        open_ids.update(ids)
    async def in_flight():
        t0 = now()
        status, body = await Http(h.gw.port).request("POST", "/api/v1/pools/main/query",
                                                     {"sql": "SELECT pg_sleep(1.5) AS inflight_drill"})
        h.rec.add("sql", t0, status, body)
        return status

    tasks = [asyncio.create_task(in_flight()) for _ in range(5)]
    await asyncio.sleep(0.3)
    d.t_fault = now()
    h.gw.proc.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(h.gw.proc.wait, S["drain"] + 20)
    stop_time = now() - d.t_fault
    answers = [await t for t in tasks]
    await asyncio.sleep(1)  # the load meets a stopped gateway
    d.recovered()
    log_tail = h.gw.log_since(d.gw_log)
    errors = [line for line in log_tail.splitlines() if " ERROR " in line]
    warns = Counter(line.split("]")[0].split("[")[-1].rsplit(".", 1)[-1] + ": "
                    + line.split(") ", 1)[-1].split(":")[0][:50] for line in log_tail.splitlines() if " WARN " in line)
    pg_eof = h.pg.log_since(d.pg_log).count("unexpected EOF on client connection")
    present = set(map(int, (await asyncio.to_thread(h.pg.psql, "SELECT id FROM drill_writes")).split()))
    inflight_ok = answers.count(200)
    d.extra.append(f"{sum(1 for s in leases if s)} open leases with an uncommitted INSERT: rows left "
                   f"{len(open_ids & present)}; in-flight pg_sleep(1.5) answered 200 {inflight_ok} of {len(answers)}; "
                   f"stopped in {stop_time:.2f}s (drain-timeout {S['drain']:g}s), exit code {code}; gateway log after "
                   f"SIGTERM: ERROR {len(errors)}, WARN {sum(warns.values())}{' (' + fmt(warns) + ')' if warns else ''}; PostgreSQL 'unexpected EOF' {pg_eof}")
    if open_ids & present or sum(1 for s in leases if s) < 3:
        d.failures.append("open leases not rolled back" if open_ids & present else "could not open the leases")
    if inflight_ok < len(answers):
        d.failures.append("in-flight requests did not finish")
    if errors:
        d.failures.append("ERROR in the gateway log: " + errors[0][:200])
    if pg_eof:
        d.failures.append("connections dropped without a clean close")
    return await d.finish(restart=(lambda: asyncio.to_thread(h.gw.start)) if more_follow else None)


class Harness:
    def __init__(self):
        self.pg, self.redis = Postgres(), Redis()
        self.gw = Gateway(self.pg, self.redis)
        self.rec, self.verdicts = Record(), []

    def up(self):
        log(f"workdir {WORK}")
        self.pg.init()
        self.pg.start()
        self.pg.psql("CREATE TABLE drill_writes (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())")
        self.redis.start()
        log(f"PostgreSQL 15 on 127.0.0.1:{self.pg.port}, Redis on 127.0.0.1:{self.redis.port} "
            f"(appendfsync always)")
        self.gw.start()
        log(f"gateway (JVM, prod profile) on 127.0.0.1:{self.gw.port}, pid {self.gw.proc.pid}; settings: "
            + " ".join(a[2:].replace("poolgate.pools.", "") for a in self.gw.props() if "url" not in a))
        log(f"bounds (README formula): SQL {SQL_BOUND:g}s, Redis {REDIS_BOUND:g}s, +{SLACK:g}s client slack; "
            f"steady load {RPS:g} req/s (8 SQL, 4 Redis, 2 lease workers)")

    async def steady(self):
        """Before a drill: both pools full and every node healthy (up to 30 s)."""
        http, deadline = Http(self.gw.port, timeout=5), now() + 30
        while now() < deadline:
            states = [(await http.request("GET", f"/api/v1/pools/{p}"))[1] for p in ("main", "cache")]
            if all(s and s["sizes"]["inUse"] + s["sizes"]["idle"] >= SIZE and all(n["healthy"] for n in s["nodes"])
                   for s in states):
                break
            await asyncio.sleep(0.2)
        else:
            log("pools not full and healthy 30 s before the drill; starting anyway")
        http.close()

    def down(self):
        self.gw.stop()
        self.redis.stop()
        self.pg.stop()


async def main():
    h = Harness()
    ok = True
    try:
        await asyncio.to_thread(h.up)
        load = Load(h.gw, Record())
        load.start()
        await asyncio.sleep(WARMUP)
        await load.stop()
        log(f"warmed up: {WARMUP:g}s of the steady load")
        drills = {"1": drill_kill_pg, "2": drill_kill_redis, "3": drill_freeze_pg, "4": drill_hangups,
                  "5": drill_crowds}
        for i, number in enumerate(DRILLS):
            log(f"load before drill {number}: {os.getloadavg()[0]:.2f} (1-min load average)")
            if number == "6":
                ok &= await drill_sigterm(h, more_follow=i < len(DRILLS) - 1)
            else:
                ok &= await drills[number](h)
    finally:
        await asyncio.to_thread(h.down)
    print(f"{'ALL PASSED' if ok else 'SOME FAILED'}: {sum(v.startswith('[PASS]') for v in h.verdicts)} of "
          f"{len(h.verdicts)} drills passed; load average during the run "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__" and sys.argv[1:2] == ["crowd"]:
    asyncio.run(crowd(*map(int, sys.argv[2:5])))
elif __name__ == "__main__":
    def terminated(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
