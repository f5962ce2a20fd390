#!/usr/bin/env python3
# Writes docs/benchmarks.md and its plots from scripts/bench.sh's raw results (issue 7).
#
#   report.py --results results.tsv --out RESULTS_DIR --docs FILE.md --variants stock,ours
#             [--command TEXT]
#
# Medians, minima and maxima per (nodes, metric, value, variant), the ratio of each variant to
# the first one, the targets at 3 nodes, machine and versions; plots (gnuplot, PNG)
# of the per-trial failover times and of one failover timeline per variant. The raw TSV and
# timelines are copied next to the report (FILE without .md + "/"). A runs.md in RESULTS_DIR
# (which runs, binaries and conditions went into a resumed results directory) is included
# under the command line.
import argparse
import collections
import os
import platform
import shutil
import statistics
import subprocess
import sys

FAILOVER = ["stop", "ban", "kill"]
ORDER = ["stop", "ban", "kill", "ipreallocate", "recover10k", "idle", "startup"]

# metric, value name, target on the compared variant: (absolute limit or None, ratio limit or None)
TARGETS = [
    ("stop", "healthy_ms", 1000, 0.15),
    ("ban", "healthy_ms", 1000, 0.15),
    ("kill", "healthy_ms", 1500, 0.25),
    ("ipreallocate", "ipreallocate_ms", 300, 0.35),
    ("recover10k", "recover10k_ms", None, 1.05),
    ("recover10k", "recover10k_from_notice_ms", None, 1.05),
    ("idle", "rss_kb.leader", 12 * 1024, None),
    ("idle", "rss_kb.other", 12 * 1024, None),
    ("idle", "recd_cpu_ms.leader", None, 1.0),
    ("idle", "recd_cpu_ms.other", None, 1.0),
    ("idle", "ctdbd_cpu_ms.leader", None, 1.0),
    ("idle", "ctdbd_cpu_ms.other", None, 1.0),
]

# Issue 10: idle value, limit on ours − ours-metrics-off (kB) or on their ratio.
METRICS_COST = [
    ("rss_kb.leader", 1024, None),
    ("rss_kb.other", 1024, None),
    ("recd_cpu_ms.leader", None, 1.10),
    ("recd_cpu_ms.other", None, 1.10),
]


def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return [
        ("kernel", platform.release()),
        ("CPU", f"{os.cpu_count()} × {cpu}"),
        ("memory", mem),
        ("ctdb", run("dpkg-query", "-W", "-f=${Version}", "ctdb")),
        (".NET SDK", run("dotnet", "--version")),
        ("gnuplot", run("gnuplot", "--version")),
        ("commit", run("git", "-C", repo, "rev-parse", "--short", "HEAD")),
        ("load average at report time", " ".join(open("/proc/loadavg").read().split()[0:3])),
    ]


def read_results(path):
    rows = []
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == len(header):
                rows.append(dict(zip(header, fields)))
    return rows


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def collect(rows):
    """(nodes, metric, name, variant) -> values of ok rows; plus failure counts."""
    values = collections.defaultdict(list)
    failures = collections.Counter()
    for r in rows:
        key = (int(r["nodes"]), r["metric"], r["name"], r["variant"])
        v = number(r["value"])
        if r["outcome"] == "ok" and v is not None:
            values[key].append(v)
        elif r["name"] not in ("agree_ms",):
            failures[(int(r["nodes"]), r["metric"], r["variant"])] += 1
    return values, failures


def fmt(v):
    return "–" if v is None else (f"{v:.0f}" if abs(v) >= 10 else f"{v:.1f}")


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def write_plots(values, rows, variants, out_dir, docs_dir, stem):
    plots = []
    gp = shutil.which("gnuplot")
    if gp is None:
        return plots
    data_dir = os.path.join(out_dir, "plot")
    os.makedirs(data_dir, exist_ok=True)
    node_counts = sorted({int(r["nodes"]) for r in rows if r["metric"] in FAILOVER})
    series = []
    for n in node_counts:
        for event in FAILOVER:
            for variant in variants:
                points = sorted(
                    (int(r["trial"]), number(r["value"]))
                    for r in rows
                    if int(r["nodes"]) == n and r["metric"] == event and r["variant"] == variant
                    and r["name"] == "healthy_ms" and r["outcome"] == "ok" and number(r["value"]) is not None)
                if not points:
                    continue
                path = os.path.join(data_dir, f"failover-{n}-{event}-{variant}.dat")
                with open(path, "w") as f:
                    for trial, ms in points:
                        f.write(f"{trial} {ms / 1000:.3f}\n")
                series.append((n, event, variant, path))
    if series:
        png = os.path.join(docs_dir, f"{stem}-failover.png")
        script = [
            "set terminal png size 1100,%d" % (420 * len(node_counts)),
            f"set output '{png}'",
            "set multiplot layout %d,1" % len(node_counts),
            "set logscale y", "set grid", "set key outside right",
            "set xlabel 'trial'", "set ylabel 'until healthy (s, log scale)'", "set xtics 1",
        ]
        styles = {"stop": 7, "ban": 5, "kill": 9}
        dashes = {"stop": 1, "ban": 2, "kill": 3}
        colours = ["#c0392b", "#2471a3", "#229954", "#7d3c98"]
        for n in node_counts:
            parts = []
            for (sn, event, variant, path) in series:
                if sn != n:
                    continue
                colour = colours[variants.index(variant) % len(colours)]
                parts.append(f"'{path}' using 1:2 with linespoints pt {styles[event]} dt {dashes[event]} lc rgb '{colour}' title '{variant} {event}'")
            script.append(f"set title '{n} nodes: failover, event to healthy, per trial'")
            script.append("plot " + ", ".join(parts))
        script.append("unset multiplot")
        subprocess.run([gp], input="\n".join(script), text=True, check=False, capture_output=True)
        if os.path.exists(png):
            plots.append(("Per-trial failover times (event → healthy)", os.path.basename(png)))

    timelines = []
    tl_dir = os.path.join(out_dir, "timelines")
    if os.path.isdir(tl_dir):
        for variant in variants:
            for name in sorted(os.listdir(tl_dir)):
                if name.startswith(variant + "-") and name[len(variant) + 1:].split("-")[0].isdigit():
                    timelines.append((variant, os.path.join(tl_dir, name), name[:-4]))
                    break
    if timelines:
        png = os.path.join(docs_dir, f"{stem}-timeline.png")
        script = [
            "set terminal png size 1100,%d" % (300 * len(timelines)),
            f"set output '{png}'",
            "set multiplot layout %d,1" % len(timelines),
            "set grid x", "set xlabel 'ms after the event'", "unset key",
            "set ytics ('event/agree/healthy' -1, 'node 0' 0, 'node 1' 1, 'node 2' 2, 'node 3' 3, 'node 4' 4)",
            "set yrange [-1.8:4.8]", "set offsets 0, graph 0.05, 0, 0",
        ]
        for (variant, path, label) in timelines:
            dat = os.path.join(data_dir, f"timeline-{label}.dat")
            with open(path) as src, open(dat, "w") as dst:
                for i, line in enumerate(src):
                    ms, node, what = line.rstrip("\n").split("\t")
                    short = what.replace("recmode ", "").replace("LEADER ", "L=")
                    # Alternate label heights so neighbours do not overwrite each other.
                    dst.write(f'{ms} {node} "{short}" {0.22 + 0.22 * (i % 3)}\n')
            script.append(f"set title '{label}: LEADER broadcasts received and recovery-mode changes'")
            script.append(f"plot '{dat}' using 1:2 with points pt 7 ps 1.2, '' using 1:($2+$4):3 with labels font ',8'")
        script.append("unset multiplot")
        subprocess.run([gp], input="\n".join(script), text=True, check=False, capture_output=True)
        if os.path.exists(png):
            plots.append(("One failover timeline per variant (`ctdb stop` on the leader)", os.path.basename(png)))
    return plots


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--variants", required=True)
    parser.add_argument("--command", default="scripts/bench.sh")
    args = parser.parse_args()

    variants = args.variants.split(",")
    base = variants[0]
    rows = read_results(args.results)
    values, failures = collect(rows)
    docs_dir = os.path.dirname(os.path.abspath(args.docs))
    stem = os.path.splitext(os.path.basename(args.docs))[0]
    raw_dir = os.path.join(docs_dir, stem)
    os.makedirs(raw_dir, exist_ok=True)
    # Nothing to copy when the report is written next to its own results directory.
    if os.path.abspath(raw_dir) != os.path.abspath(args.out):
        shutil.copy(args.results, os.path.join(raw_dir, "results.tsv"))
    tl_src = os.path.join(args.out, "timelines")
    if os.path.isdir(tl_src) and os.path.abspath(raw_dir) != os.path.abspath(args.out):
        for name in os.listdir(tl_src):
            shutil.copy(os.path.join(tl_src, name), os.path.join(raw_dir, "timeline-" + name))

    def stats(key):
        v = values.get(key)
        return (len(v), statistics.median(v), min(v), max(v)) if v else (0, None, None, None)

    lines = []
    lines.append("# Benchmarks: our recovery daemon against the stock C daemon")
    lines.append("")
    lines.append("Generated by `scripts/bench.sh` (method: section *Method*). Every trial starts fresh")
    lines.append("local clusters (own network namespaces) and runs the variants alternately, so both")
    lines.append("daemons see the same machine state. Times in ms unless stated; *ratio* = variant ÷ "
                 f"`{base}` (medians).")
    lines.append("")
    lines.append(f"Command: `{args.command}`")
    lines.append("")
    # A report assembled from several resumed runs says which ones in runs.md next to the results.
    runs = os.path.join(args.out, "runs.md")
    if os.path.exists(runs):
        with open(runs) as f:
            lines.extend(f.read().rstrip("\n").split("\n"))
        lines.append("")

    # Targets.
    compared = [v for v in variants if v != base]
    if compared and any(k[0] == 3 for k in values):
        target = compared[0]
        lines.append(f"## Targets (3 nodes, medians, `{target}` against `{base}`)")
        lines.append("")
        lines.append(f"| metric | value | {base} | {target} | ratio | target | met |")
        lines.append("| --- | --- | ---: | ---: | ---: | --- | --- |")
        for metric, name, limit, max_ratio in TARGETS:
            _, b, _, _ = stats((3, metric, name, base))
            n, t, _, _ = stats((3, metric, name, target))
            if n == 0:
                continue
            r = ratio(t, b)
            goals, met = [], True
            if limit is not None:
                goals.append(f"≤ {limit / 1024:.0f} MB" if name.startswith("rss") else f"≤ {limit} ms")
                met &= t <= limit
            if max_ratio is not None:
                goals.append(f"≤ {max_ratio:g} × {base}")
                met &= r is not None and r <= max_ratio
            lines.append(f"| {metric} | {name} | {fmt(b)} | {fmt(t)} | {fmt(r) if r is None else f'{r:.2f}'} | {' and '.join(goals)} | {'yes' if met else '**no**'} |")
        lines.append("")

    # Issue 10: the exporter's idle cost, when both ours and ours-metrics-off ran.
    if "ours" in variants and "ours-metrics-off" in variants and any(k[0] == 3 and k[1] == "idle" for k in values):
        lines.append("## Metrics cost (3 nodes, medians, `ours` against `ours-metrics-off`)")
        lines.append("")
        lines.append("| value | ours-metrics-off | ours | difference | ratio | target | met |")
        lines.append("| --- | ---: | ---: | ---: | ---: | --- | --- |")
        for name, limit_kb, max_ratio in METRICS_COST:
            n_off, off, _, _ = stats((3, "idle", name, "ours-metrics-off"))
            n_on, on, _, _ = stats((3, "idle", name, "ours"))
            if n_off == 0 or n_on == 0:
                continue
            r = ratio(on, off)
            if limit_kb is not None:
                goal, met = f"≤ +{limit_kb / 1024:.0f} MB", on - off <= limit_kb
            else:
                goal, met = f"≤ {max_ratio:g} × ours-metrics-off", r is not None and r <= max_ratio
            lines.append(f"| {name} | {fmt(off)} | {fmt(on)} | {fmt(on - off)} | {fmt(r) if r is None else f'{r:.2f}'} | {goal} | {'yes' if met else '**no**'} |")
        lines.append("")

    # Full table.
    lines.append("## All results")
    lines.append("")
    header = "| nodes | metric | value | " + " | ".join(f"{v}: n, median (min–max)" for v in variants)
    header += " | " + " | ".join(f"ratio {v}" for v in compared) + " |"
    lines.append(header)
    lines.append("| " + " | ".join(["---"] * (3 + len(variants) + len(compared))) + " |")
    keys = sorted({(k[0], k[1], k[2]) for k in values}, key=lambda k: (k[0], ORDER.index(k[1]) if k[1] in ORDER else 99, k[2]))
    for (n, metric, name) in keys:
        if name == "records":
            continue
        cells = []
        medians = {}
        for v in variants:
            count, med, lo, hi = stats((n, metric, name, v))
            medians[v] = med
            cells.append("–" if count == 0 else f"{count}, {fmt(med)} ({fmt(lo)}–{fmt(hi)})")
        ratios = []
        for v in compared:
            r = ratio(medians[v], medians[base])
            ratios.append("–" if r is None else f"{r:.2f}")
        lines.append(f"| {n} | {metric} | {name} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines.append("")
    if failures:
        lines.append("Failed or incomplete trials (not in the medians): " + ", ".join(
            f"{v} {m} at {n} nodes: {c}" for (n, m, v), c in sorted(failures.items())) + ".")
        lines.append("")
    idle_window = sorted({r["name"] for r in rows if r["metric"] == "idle"})
    if idle_window:
        lines.append("Idle rows: CPU in ms a minute of the recovery daemon (`recd_cpu_ms`) and of its ctdbd")
        lines.append("(`ctdbd_cpu_ms`) over the idle window, exact (the threads' schedstat run time); the same")
        lines.append("in 10 ms ticks of utime + stime (`*_ticks_ms`), as runs before session 9 measured it;")
        lines.append("RSS/PSS (kB) of the recovery daemon at the window's end; `.leader` = the leader node,")
        lines.append("`.other` = every other node (one value per node and trial).")
        lines.append("")

    plots = write_plots(values, rows, variants, args.out, docs_dir, stem)
    if plots:
        lines.append("## Plots")
        lines.append("")
        for title, png in plots:
            lines.append(f"{title}:")
            lines.append("")
            lines.append(f"![{title}]({png})")
            lines.append("")

    lines.append("## Machine and versions")
    lines.append("")
    for k, v in machine():
        lines.append(f"* {k}: {v}")
    lines.append("")
    lines.append(f"Raw results: `{os.path.relpath(raw_dir, docs_dir)}/results.tsv` (one row per value: variant, nodes,")
    lines.append("metric, trial, value name, value, outcome) and the timelines next to it.")
    lines.append("")

    method = os.path.join(os.path.dirname(os.path.abspath(__file__)), "method.md")
    if os.path.exists(method):
        with open(method) as f:
            lines.append(f.read().rstrip("\n"))
            lines.append("")
    notes = os.path.join(os.path.dirname(os.path.abspath(args.docs)), stem + "-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            lines.append(f.read().rstrip("\n"))
            lines.append("")

    with open(args.docs, "w") as f:
        f.write("\n".join(lines))
    print(f"report: {args.docs}", file=sys.stderr)


if __name__ == "__main__":
    main()
