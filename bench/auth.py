#!/usr/bin/env python3
"""What authentication costs per request: POST /query {"sql": "SELECT 1"} side by side on two JVM
gateways started from the same jar against the same real PostgreSQL, one open
(POOLGATE_AUTH_ENABLED=false), one with keys and an HS256 JWT secret. Rounds alternate:

  open      no credentials, authentication off
  write     Authorization: Bearer <write key>   (hash + constant-time compare + gate + rate check)
  jwt       Authorization: Bearer <HS256 JWT>   (smallrye-jwt verification on every request)
  read      Authorization: Bearer <read key>    (plus the read scope's guard: BEGIN READ ONLY and a
            snapshot before the statement, COMMIT after, and a reset before the connection is lent again)

Each round: wrk -t2 -c32 -d5s (bench/select1.lua), after 45 s of warm-up per gateway. Prints the
median req/s and latency of each, and the ratio to "open"; writes bench/results/auth-<date>.json.

Needs: target/quarkus-app (./mvnw package -DskipTests), wrk, the bench classpath (built here).
Usage: python3 bench/auth.py [ROUNDS]
"""
import base64, datetime, hashlib, hmac, http.client, json, os, re, signal, socket, statistics, subprocess, sys, time

from embedded import ROOT, backends
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
PG_PORT, REDIS_PORT = 55450, 56390
OPEN_PORT, SECURED_PORT = 18090, 18091
WRITE_KEY, READ_KEY = "pgk-bench-write-key-0123456789", "pgk-bench-read-key-0123456789"
JWT_SECRET = "bench-jwt-secret-of-at-least-32-bytes!!"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt():
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": "bench", "scope": "write", "exp": int(time.time()) + 3600}).encode())
    signature = hmac.new(JWT_SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def gateway(port, secured):
    env = dict(os.environ)
    env.update({
        "QUARKUS_HTTP_PORT": str(port),
        "POOLGATE_POOLS_MAIN_NODES_0__URL": f"postgresql://postgres@localhost:{PG_PORT}/postgres",
        "POOLGATE_POOLS_CACHE_NODES_0__URL": f"redis://localhost:{REDIS_PORT}",
        "POOLGATE_POOLS_MAIN_SIZE_MIN": "10", "POOLGATE_POOLS_MAIN_SIZE_MAX": "20",
        "POOLGATE_POOLS_CACHE_SIZE_MIN": "1", "QUARKUS_LOG_LEVEL": "WARN",
    })
    if secured:
        for name, key, scope in (("bench", WRITE_KEY, "write"), ("reader", READ_KEY, "read")):
            env[f"POOLGATE_AUTH_KEYS_{name.upper()}_HASH"] = hashlib.sha256(key.encode()).hexdigest()
            env[f"POOLGATE_AUTH_KEYS_{name.upper()}_SCOPES"] = scope
        env["POOLGATE_AUTH_JWT_SECRET"] = JWT_SECRET
    else:
        env["POOLGATE_AUTH_ENABLED"] = "false"
    jar = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
    proc = subprocess.Popen(["java", "-jar", jar], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):
        try:
            c = http.client.HTTPConnection("localhost", port, timeout=1)
            c.request("GET", "/q/health/ready")
            if c.getresponse().status == 200:
                return proc
        except (ConnectionRefusedError, socket.timeout, http.client.HTTPException, OSError):
            pass
        if proc.poll() is not None:
            raise SystemExit(f"gateway on {port} exited with {proc.returncode}")
        time.sleep(0.01)
    raise SystemExit(f"gateway on {port} not ready")


def wrk(port, token, seconds):
    cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", os.path.join(ROOT, "bench", "select1.lua")]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(cmd + [f"http://localhost:{port}/api/v1/pools/main/query"], capture_output=True, text=True,
                         check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit("wrk saw errors:\n" + out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms)", out)
    p50_ms = float(p50.group(1)) / (1000 if p50.group(2) == "us" else 1)
    return rps, p50_ms


def main():
    back = backends(PG_PORT, REDIS_PORT)
    procs = []
    try:
        procs = [gateway(OPEN_PORT, False), gateway(SECURED_PORT, True)]
        token = jwt()
        cases = {"open": (OPEN_PORT, None), "write": (SECURED_PORT, WRITE_KEY), "jwt": (SECURED_PORT, token),
                 "read": (SECURED_PORT, READ_KEY)}
        for name, (port, credential) in cases.items():
            wrk(port, credential, 45 if name == "open" else 15)  # the same 45 s of JIT warm-up per gateway
        results = {name: [] for name in cases}
        for i in range(ROUNDS):
            for name, (port, credential) in cases.items():
                results[name].append(wrk(port, credential, 5))
                print(f"round {i + 1} {name}: {results[name][-1][0]:.0f} req/s, p50 {results[name][-1][1]:.3f} ms",
                      flush=True)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            p.wait(30)
        back.stdin.close()
        back.wait(30)
    base = statistics.median(r[0] for r in results["open"])
    summary = {name: {"rps": round(statistics.median(r[0] for r in runs)),
                      "p50_ms": round(statistics.median(r[1] for r in runs), 3),
                      "vs_open": round(statistics.median(r[0] for r in runs) / base, 3)}
               for name, runs in results.items()}
    print(json.dumps(summary, indent=2))
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    path = os.path.join(ROOT, "bench", "results", f"auth-{datetime.date.today()}.json")
    with open(path, "w") as f:
        json.dump({"rounds": ROUNDS, "median": summary, "all": results}, f, indent=2)
    print("written", path)


if __name__ == "__main__":
    main()
