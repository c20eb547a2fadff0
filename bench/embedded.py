"""The embedded PostgreSQL and Redis the Python benchmarks (auth.py, startup.py) run against: the
same servers the tests use, started by src/bench/java/io/poolgate/bench/Backends.java."""
import os, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True, cwd=ROOT)


def backends(pg_port, redis_port):
    """Starts the servers on the given ports; returns the process once they are ready (stop it with
    its stdin closed or a signal)."""
    cp_file = os.path.join(ROOT, "target", "bench.classpath")
    sh("./mvnw -q -B -ntp -Pbench test-compile dependency:build-classpath "
       f"-Dmdep.includeScope=test -Dmdep.outputFile={cp_file}")
    cp = ":".join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"),
                   open(cp_file).read().strip()])
    proc = subprocess.Popen(["java", "-cp", cp, "io.poolgate.bench.Backends", str(pg_port), str(redis_port)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith("READY"):
            return proc
    raise SystemExit("backends did not start")
