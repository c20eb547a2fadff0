#!/usr/bin/env python3
"""Markdown tables from a bench/results/*.json that bench/harness.py wrote.

Usage: python3 bench/report.py bench/results/2026-12-01-abc1234.json
(bench/harness.py prints the same at the end of a run.) States ratios and medians; judges nothing.
"""
import json
import sys

LABELS = {
    "poolgate-jvm": "poolgate (JVM jar)",
    "poolgate-native": "poolgate (native)",
    "quarkus": "plain Quarkus endpoint (reactive PG pool / Redis client)",
    "node": "Node.js fastify + pg.Pool / node-redis",
    "webdis": "Webdis",
    "pgbench": "pgbench direct (simple protocol, no HTTP)",
    "pgbench-pgbouncer": "pgbench via PgBouncer (transaction mode, pool 20)",
    "redis-benchmark": "redis-benchmark (no HTTP)",
}
WORKLOAD_TITLES = {
    "select1": "`SELECT 1`",
    "rows10": "10-row `SELECT` with a parameter (100k-row table)",
    "redis-get": "Redis `GET` of a 100-byte value",
    "pgbench-S": "`pgbench -S` (built-in select-only script, reference only)",
}


def label(name):
    return LABELS.get(name, name)


def num(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def errors_of(rounds):
    non2xx = sum(r.get("non2xx", 0) or 0 for r in rounds)
    sock = {}
    for r in rounds:
        for k, v in (r.get("socket_errors") or {}).items():
            if v:
                sock[k] = sock.get(k, 0) + v
    parts = []
    if non2xx:
        parts.append(f"{non2xx:,} non-2xx")
    parts += [f"{v:,} {k}" for k, v in sock.items()]
    return ", ".join(parts) if parts else "0"


def throughput_table(name, res):
    lines = [f"**{WORKLOAD_TITLES.get(name, name)}**", "",
             "| target | req/s (median) | rounds req/s (other processes' CPU, cores) | p50 ms | p99 ms | errors |",
             "|---|---:|---|---:|---:|---|"]
    for target, r in sorted(res.items(), key=lambda kv: -kv[1]["median"].get("rps", 0)):
        m = r["median"]
        rounds = " / ".join(f"{num(x['rps'])} ({x.get('other_cpu_cores', '?')})" for x in r["rounds"])
        lines.append(f"| {label(target)} | **{num(m.get('rps'))}** | {rounds} | {num(m.get('p50_ms'), 2)} | "
                     f"{num(m.get('p99_ms'), 2)} | {errors_of(r['rounds'])} |")
    return lines


def ratio_table(result):
    lines = ["| work | poolgate build | poolgate req/s | the alternative | its req/s | ratio | "
             "p99 ms poolgate / alternative |", "|---|---|---:|---|---:|---:|---|"]
    any_row = False
    for w in ("select1", "rows10", "redis-get"):
        res = result["workloads"].get(w)
        if not res:
            continue
        ours = [t for t in res if t.startswith("poolgate")]
        others = [t for t in res if not t.startswith("poolgate")]
        for p in ours:
            pm = res[p]["median"]
            for o in others:
                om = res[o]["median"]
                if not om.get("rps"):
                    continue
                any_row = True
                p99 = f"{num(pm.get('p99_ms'), 2)} / {num(om.get('p99_ms'), 2)}" if om.get("p99_ms") is not None \
                    else f"{num(pm.get('p99_ms'), 2)} / –"
                lines.append(f"| {WORKLOAD_TITLES[w]} | {p} | {num(pm['rps'])} | {label(o)} | {num(om['rps'])} | "
                             f"**{pm['rps'] / om['rps']:.2f}×** | {p99} |")
    return lines if any_row else []


def saturation_table(title, res, timeout):
    lines = [f"**{title}** (wrk `--timeout {timeout}s`; medians of the rounds)", "",
             "| clients | target | req/s (all answers) | 2xx/s | p99 ms | answers by status (all rounds) | "
             "503 problem types | socket errors |",
             "|---:|---|---:|---:|---:|---|---|---|"]
    for clients, per_target in res.items():
        for target, r in per_target.items():
            m = r["median"]
            statuses, problems, sock = {}, {}, {}
            for x in r["rounds"]:
                for s, n in (x.get("statuses") or {}).items():
                    statuses[s] = statuses.get(s, 0) + n
                for s, n in (x.get("problems") or {}).items():
                    problems[s] = problems.get(s, 0) + n
                for s, n in (x.get("socket_errors") or {}).items():
                    if n:
                        sock[s] = sock.get(s, 0) + n
            st = ", ".join(f"{s}: {n:,}" for s, n in sorted(statuses.items())) or "–"
            pr = ", ".join(f"{s.replace('urn:poolgate:problem:', '')}: {n:,}" for s, n in problems.items()) or "–"
            so = ", ".join(f"{s}: {n:,}" for s, n in sock.items()) or "0"
            lines.append(f"| {clients} | {label(target)} | {num(m.get('rps'))} | {num(m.get('ok_rps'))} | "
                         f"{num(m.get('p99_ms'), 1)} | {st} | {pr} | {so} |")
    return lines


def node_redis(result):
    pool = result.get("servers", {}).get("node", {}).get("env", {}).get("REDIS_POOL")
    return f"node-redis: a client pool of {pool}" if pool else \
        "except node-redis: one client, which pipelines concurrent commands on its connection"


def render(result):
    m, s, load, v = result["machine"], result["settings"], result["load"], result["versions"]
    out = [f"Run of {result['date']}, commit `{result['commit']}`{' (uncommitted changes)' if result.get('dirty') else ''}, "
           f"{result.get('duration_s', '?')} s. Machine: {m['nproc']} cores ({m.get('cpu_model')}), "
           f"{m['memory_mb']:,} MB, {m.get('os')}, kernel {m.get('kernel')}; load generator on the same machine.",
           "",
           f"Method: wrk `-t{s['wrk_threads']} -c{s['clients']}`, {s['warmup_s']} s warm-up per target and "
           f"workload, then {s['rounds']} interleaved rounds of {s['duration_s']} s (A B C A B C), medians; "
           f"pools of {s['pool']} ({node_redis(result)}).",
           "",
           f"Machine load: `{load.get('uptime_before')}` before, `{load.get('uptime_after')}` after; "
           f"processes other than the harness's used {load.get('other_cpu_cores_whole_run')} cores on average "
           f"during the run (per-round figures in the JSON: `other_cpu_cores`).", ""]
    ratios = ratio_table(result)
    if ratios:
        out += ["Ratios (poolgate ÷ the alternative, medians of the same run):", ""] + ratios + [""]
    for w in ("select1", "rows10", "redis-get", "pgbench-S"):
        if w in result["workloads"]:
            out += throughput_table(w, result["workloads"][w]) + [""]
    for w in ("sat-select1", "sat-redis"):
        if w in result["workloads"]:
            title = {"sat-select1": "Saturation, `SELECT 1`", "sat-redis": "Saturation, Redis `GET`"}[w]
            out += saturation_table(title, result["workloads"][w], s["saturation_wrk_timeout_s"]) + [""]
    mem = result["workloads"].get("memory")
    if mem:
        out += ["**Memory** (RSS 3 s after the pool `main` holds N PostgreSQL connections; medians)", "",
                "| build | 0 connections | 20 | 500 | MB per connection (500 − 20) / 480 |", "|---|---:|---:|---:|---:|"]
        for name, r in mem.items():
            md = r["median_rss_mb"]
            out.append(f"| {label(name)} | {md['0']} MB | {md['20']} MB | {md['500']} MB | {r['mb_per_connection']} |")
        out.append("")
    rate = result["workloads"].get("connect-rate")
    if rate:
        out += ["**Connection creation** (0 → 200: `POST /api/v1/pools/main/scale {\"target\":200}` until "
                "`sizes.total` = 200)", "", "| build | median ms | connections/s | rounds ms |", "|---|---:|---:|---|"]
        for name, r in rate.items():
            shown = "pgbench (PostgreSQL's own connect rate: `-c 200 -j 2`, no pool)" if name == "pgbench" else label(name)
            out.append(f"| {shown} | {num(r['median_ms'], 1)} | {num(r['connections_per_s'])} | "
                       f"{' / '.join(num(x, 1) for x in r['ms'])} |")
        out.append("")
    servers = {k: x for k, x in result.get("servers", {}).items() if "rss_mb_before_load" in x}
    if servers:
        out += ["**HTTP targets** (RSS when ready and after every throughput and saturation run)", "",
                "| target | ready after | RSS before load | RSS after load |", "|---|---:|---:|---:|"]
        for name, x in servers.items():
            ready = f"{x['ready_ms']:,} ms" if x.get("ready_ms") else "–"
            out.append(f"| {label(name)} | {ready} | {x['rss_mb_before_load']} MB | {x.get('rss_mb_after_load', '–')} MB |")
        out.append("")
    keys = ["postgresql", "pgbouncer", "redis-server", "webdis", "wrk", "java", "node", "fastify", "pg",
            "redis (node-redis)", "quarkus"]
    out.append("Versions: " + "; ".join(f"{k} {v[k]}" for k in keys if v.get(k)) + ". Exact commands in the JSON "
               "(`servers`, `commands`).")
    if result.get("aborted"):
        out += ["", f"**The run was aborted:** {result['aborted']}; the tables hold what was measured before."]
    if result.get("flags"):
        out += ["", f"**{len(result['flags'])} problem(s) flagged:**", ""] + [f"- {f}" for f in result["flags"]]
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 bench/report.py bench/results/<file>.json")
    with open(sys.argv[1]) as f:
        print(render(json.load(f)))
