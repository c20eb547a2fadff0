#!/usr/bin/env python3
"""Native executable vs JVM jar, side by side against the same real PostgreSQL and Redis.

For each mode, RUNS times (alternating modes so machine noise hits both alike):
  ready_ms      process start -> first 200 from /q/health/ready (pool warm-up initial=2)
  rss_idle_mb   resident memory 2 s after ready
  rss_10k_mb    resident memory after 10,000 sequential POST /query SELECT 1 (keep-alive)
  rps_64        requests/s of POST /query SELECT 1 with wrk, 64 connections, 10 s
and the artifact's size. Prints medians, and writes them to bench/results/startup-<date>.json.

Needs: target/*-runner (./mvnw package -Dnative), target/quarkus-app (./mvnw package), wrk
(apt-get install -y wrk), and the bench classpath (this script builds it).
Usage: python3 bench/startup.py [RUNS]
"""
import datetime, glob, http.client, json, os, re, shutil, signal, socket, statistics, subprocess, sys, time

from embedded import ROOT, backends
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PG_PORT, REDIS_PORT, HTTP_PORT = 55440, 56380, 18080
BODY = b'{"sql": "SELECT 1"}'


def env():
    e = dict(os.environ)
    e.update({
        "QUARKUS_HTTP_PORT": str(HTTP_PORT),
        "POOLGATE_POOLS_MAIN_NODES_0__URL": f"postgresql://postgres@localhost:{PG_PORT}/postgres",
        "POOLGATE_POOLS_CACHE_NODES_0__URL": f"redis://localhost:{REDIS_PORT}",
        "POOLGATE_POOLS_MAIN_SIZE_MIN": "2", "POOLGATE_POOLS_MAIN_SIZE_INITIAL": "2",
        "POOLGATE_POOLS_MAIN_SIZE_MAX": "20", "POOLGATE_AUTH_ENABLED": "false",
        "POOLGATE_POOLS_CACHE_SIZE_MIN": "2", "POOLGATE_POOLS_CACHE_SIZE_INITIAL": "2",
        "QUARKUS_LOG_LEVEL": "WARN",
    })
    return e


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def ready_ms(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    while True:
        try:
            c = http.client.HTTPConnection("localhost", HTTP_PORT, timeout=1)
            c.request("GET", "/q/health/ready")
            if c.getresponse().status == 200:
                return proc, (time.perf_counter() - start) * 1000
        except (ConnectionRefusedError, socket.timeout, http.client.HTTPException, OSError):
            pass
        if proc.poll() is not None:
            raise SystemExit(f"{cmd} exited with {proc.returncode}")
        time.sleep(0.002)


def requests(n):
    c = http.client.HTTPConnection("localhost", HTTP_PORT)
    for _ in range(n):
        c.request("POST", "/api/v1/pools/main/query", BODY, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit(f"query answered {r.status}")


def wrk_rps():
    script = os.path.join(ROOT, "bench", "select1.lua")
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "-s", script,
                          f"http://localhost:{HTTP_PORT}/api/v1/pools/main/query"],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit("wrk saw errors:\n" + out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def one_run(cmd):
    proc, ready = ready_ms(cmd)
    try:
        time.sleep(2)
        idle = rss_mb(proc.pid)
        requests(10_000)
        after = rss_mb(proc.pid)
        rps = wrk_rps()
        return {"ready_ms": ready, "rss_idle_mb": idle, "rss_10k_mb": after, "rps_64": rps}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    runner = sorted(glob.glob(os.path.join(ROOT, "target", "*-runner")))
    jar = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
    if not runner or not os.path.exists(jar):
        raise SystemExit("build both first: ./mvnw package -DskipTests && ./mvnw package -Dnative -DskipTests")
    modes = {"native": [runner[0]], "jvm": ["java", "-jar", jar]}
    sizes = {"native": os.path.getsize(runner[0]) / 1e6,
             "jvm": sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.dirname(jar))
                        for f in fs) / 1e6}
    back = backends(PG_PORT, REDIS_PORT)
    results = {m: [] for m in modes}
    try:
        for i in range(RUNS):
            for mode, cmd in modes.items():
                results[mode].append(one_run(cmd))
                print(f"run {i + 1} {mode}: {results[mode][-1]}", flush=True)
    finally:
        back.stdin.close()
        back.wait(30)
    summary = {}
    for mode, runs in results.items():
        summary[mode] = {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0]}
        summary[mode]["size_mb"] = round(sizes[mode], 1)
    print(json.dumps(summary, indent=2))
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    path = os.path.join(ROOT, "bench", "results", f"startup-{datetime.date.today()}.json")
    with open(path, "w") as f:
        json.dump({"runs": RUNS, "median": summary, "all": results}, f, indent=2)
    print("written", path)


if __name__ == "__main__":
    main()
