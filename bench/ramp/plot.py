#!/usr/bin/env python3
"""Plots the ramp scenario (bench/ramp/ramp.sh) as an SVG, or prints its summary table.

    plot.py summary.json autoscaled.csv fixed-min.csv fixed-max.csv out.svg
    plot.py --table summary.json
"""
import csv
import json
import sys

MODES = ["autoscaled", "fixed-min", "fixed-max"]
COLORS = {"autoscaled": "#2563eb", "fixed-min": "#ea580c", "fixed-max": "#16a34a", "clients": "#94a3b8"}


def table(summary):
    print("| mode | p50 latency | p99 latency | errors | requests | connections held (mean) | max |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        s = summary[mode]
        print(f"| {mode} | {s['latencyP50Ms']:.1f} ms | {s['latencyP99Ms']:.1f} ms | {s['errors']} | "
              f"{s['requests']:,} | {s['connectionsAvg']:.1f} | {s['connectionsMax']} |")


def read(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def panel(y0, height, width, title, series, xmax, unit, log=False):
    """One chart: series is [(label, color, dash, [(x, y)])]."""
    import math
    left, right = 70, width - 20
    top, bottom = y0 + 48, y0 + height - 30
    values = [y for _, _, _, pts in series for _, y in pts]
    ymax = max(values + [1])
    if log:
        ymin = max(0.5, min([v for v in values if v > 0] + [1]))
        lo, hi = math.log10(ymin), math.log10(ymax * 1.2)
        ys = lambda v: bottom - (bottom - top) * ((math.log10(max(v, ymin)) - lo) / max(hi - lo, 1e-9))
        ticks = [10 ** e for e in range(int(math.floor(lo)), int(math.ceil(hi)) + 1)]
    else:
        nice = next(m * 10 ** e for e in range(0, 7) for m in (1, 2, 5) if m * 10 ** e >= ymax)
        ys = lambda v: bottom - (bottom - top) * v / nice
        ticks = [nice * f for f in (0, 0.25, 0.5, 0.75, 1)]
    xs = lambda x: left + (right - left) * x / xmax
    out = [f'<text x="{left}" y="{y0 + 18}" font-size="15" font-weight="600">{title}</text>']
    for t in ticks:
        if top - 1 <= ys(t) <= bottom + 1:
            out.append(f'<line x1="{left}" x2="{right}" y1="{ys(t):.1f}" y2="{ys(t):.1f}" stroke="#e5e7eb"/>')
            out.append(f'<text x="{left - 6}" y="{ys(t) + 4:.1f}" font-size="11" text-anchor="end" fill="#475569">'
                       f'{t:g}{unit}</text>')
    for s in range(0, int(xmax) + 1, 30):
        out.append(f'<text x="{xs(s):.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" fill="#475569">'
                   f'{s}s</text>')
    legend_x = left
    for label, color, dash, pts in series:
        d = " ".join(f"{'M' if i == 0 else 'L'}{xs(x):.1f},{ys(y):.1f}" for i, (x, y) in enumerate(pts))
        dashing = 'stroke-dasharray="5 4"' if dash else ""
        out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="2" {dashing}/>')
        out.append(f'<rect x="{legend_x}" y="{y0 + 30}" width="14" height="3" fill="{color}"/>'
                   f'<text x="{legend_x + 18}" y="{y0 + 35}" font-size="12">{label}</text>')
        legend_x += 30 + 7 * len(label)
    return out


def plot(summary, paths, svg_path):
    runs = dict(zip(MODES, (read(p) for p in paths)))
    xmax = max(r["second"] for rows in runs.values() for r in rows)
    width, h = 1200, 280
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{3 * h + 60}" '
             f'font-family="system-ui, sans-serif"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="20" y="24" font-size="17" font-weight="700">poolgate ramp scenario, {summary["date"]} '
             f'(commit {summary["commit"]}): {summary["ramp"]}</text>']
    conns = [("clients", COLORS["clients"], True, [(r["second"], r["clients"]) for r in runs["autoscaled"]])]
    for mode in MODES:
        conns.append((f"{mode} connections", COLORS[mode], False, [(r["second"], r["total"]) for r in runs[mode]]))
    parts += panel(40, h, width, "Connections held (and concurrent clients)", conns, xmax, "")
    lat = [(mode, COLORS[mode], False, [(r["second"], r["latency_p99_ms"]) for r in runs[mode]]) for mode in MODES]
    parts += panel(40 + h, h, width, "p99 request latency per second (log scale)", lat, xmax, " ms", log=True)
    rps = [(mode, COLORS[mode], False, [(r["second"], r["requests"]) for r in runs[mode]]) for mode in MODES]
    parts += panel(40 + 2 * h, h, width, "Requests completed per second", rps, xmax, "")
    parts.append("</svg>")
    with open(svg_path, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(json.load(open(sys.argv[2])))
    else:
        plot(json.load(open(sys.argv[1])), sys.argv[2:5], sys.argv[5])
