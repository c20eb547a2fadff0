#!/usr/bin/env python3
"""Where the CPU of one request goes: reads async-profiler's collapsed stacks (one 'frame;frame;... N'
line per distinct stack, N samples of 1 ms of CPU) and charges every sample of a Java thread to the
innermost frame that belongs to a known component (the pool, the JSON writer, RESTEasy, Netty...),
so a java.util.HashMap call made by RESTEasy counts as RESTEasy. Prints microseconds of CPU per
request for each component, side by side for several profiles, with the difference to the last one.

    bench/profile/components.py NAME=FILE=REQUESTS ... [--top COMPONENT]

--top COMPONENT lists that component's innermost frames instead (what in it costs the most).
"""
import collections, sys

# (component, substring of a frame) in order of precedence for one frame; the innermost match wins
COMPONENTS = [
    ("kernel: socket write", "FileDispatcherImpl.write0"), ("kernel: socket read", "SocketDispatcher.read0"),
    ("kernel: epoll", "EPoll.wait"),
    ("security (Quarkus HTTP auth, poolgate security)", "io/quarkus/security"),
    ("security (Quarkus HTTP auth, poolgate security)", "HttpSecurityRecorder"),
    ("security (Quarkus HTTP auth, poolgate security)", "HttpAuthorizer"),
    ("security (Quarkus HTTP auth, poolgate security)", "HttpAuthenticator"),
    ("security (Quarkus HTTP auth, poolgate security)", "io/quarkus/vertx/http/runtime/security"),
    ("security (Quarkus HTTP auth, poolgate security)", "io/poolgate/security"),
    ("poolgate pool, topology", "io/poolgate/pool"), ("poolgate pool, topology", "io/poolgate/topology"),
    ("poolgate api (LeasedCall, owners, bodies)", "io/poolgate/api"),
    ("poolgate postgres (statements, JSON rows)", "io/poolgate/postgres"),
    ("poolgate redis", "io/poolgate/redis"), ("poolgate observe (meters)", "io/poolgate/observe"),
    ("reference endpoint's own code", "io/poolgate/bench"),
    ("micrometer", "io/micrometer"),
    ("vertx pg client", "io/vertx/pgclient"), ("vertx pg client", "io/vertx/sqlclient"),
    ("vertx redis client", "io/vertx/redis"),
    ("RESTEasy Reactive", "org/jboss/resteasy"), ("RESTEasy Reactive", "io/quarkus/resteasy"),
    ("jackson", "com/fasterxml"),
    ("mutiny", "io/smallrye/mutiny"), ("context propagation", "io/smallrye/context"),
    ("arc (CDI, request context)", "io/quarkus/arc"), ("arc (CDI, request context)", "_Bean_"),
    ("arc (CDI, request context)", "_ClientProxy"),
    ("vertx web (router)", "io/vertx/ext/web"), ("quarkus vertx-http", "io/quarkus/vertx/http"),
    ("quarkus vertx core", "io/quarkus/vertx/core"),
    ("vertx http", "io/vertx/core/http"), ("vertx core, net", "io/vertx/core"),
    ("netty codecs", "io/netty/handler"), ("netty", "io/netty"),
    # perf samples of native processes (bench/profile.sh writes them as Thread.run;DSO;SYMBOL)
    ("native image GC", "com/oracle/svm/core/genscavenge"), ("native image runtime", "com/oracle/svm"),
    ("native image runtime", "jdk/graal"), ("native image runtime", "org/graalvm"),
    ("kernel (perf: all of it)", "[kernel.kallsyms]"), ("libc (malloc, printf...)", "libc.so"),
    ("jansson (JSON)", "libjansson"), ("libevent", "libevent"), ("hiredis", "libhiredis"),
    ("webdis's own code", "webdis"),
]


def component(frames):
    for frame in reversed(frames):
        for name, part in COMPONENTS:
            if part in frame:
                return name, frame
    return "other (JDK, VM)", frames[-1]


def load(path, top=None):
    counts = collections.Counter()
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            if "java/lang/Thread.run" not in frames[:3]:
                name, frame = "not a Java thread (JIT, GC)", frames[-1]
            else:
                name, frame = component(frames)
            if top is None:
                counts[name] += int(n)
            elif name == top:
                counts[frame.split("/")[-1]] += int(n)
    return counts


def main(argv):
    top = None
    if "--top" in argv:
        i = argv.index("--top")
        top = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    profiles = []
    for spec in argv:
        name, path, requests = spec.split("=")
        profiles.append((name, load(path, top), int(requests)))
    if not profiles:
        sys.exit(__doc__)
    per = [{k: v * 1000.0 / req for k, v in c.items()} for _, c, req in profiles]  # samples are ms
    keys = sorted(set().union(*per), key=lambda k: -max(p.get(k, 0) for p in per))
    width = max(len(k) for k in keys + ["TOTAL"]) if keys else 10
    head = "".join(f" {name:>12}" for name, _, _ in profiles)
    diff = len(per) > 1
    print(f"{'us of CPU per request':<{width}}{head}" + (f" {'first-last':>11}" if diff else ""))
    rows = [("TOTAL", [sum(p.values()) for p in per])] + [(k, [p.get(k, 0) for p in per]) for k in keys]
    for k, values in rows[: (26 if top else None)]:
        cells = "".join(f" {v:12.2f}" for v in values)
        print(f"{k:<{width}}{cells}" + (f" {values[0] - values[-1]:+11.2f}" if diff else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
