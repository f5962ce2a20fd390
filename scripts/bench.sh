#!/usr/bin/env bash
# Side-by-side benchmarks of recovery daemons on fresh local clusters (issue 7).
#
#   scripts/bench.sh [--variants stock,ours] [--nodes 3,5] [--trials N]
#                    [--metrics stop,ban,kill,ipreallocate,recover10k,idle,startup]
#                    [--samples K] [--idle-seconds S] [--idle-settle S] [--out DIR] [--docs FILE]
#                    [--timeline-trial T] [--report-only] [--name-prefix P]
#
#   --variants     daemons to compare, run alternately within every trial (first one is the
#                  baseline of the ratio column): stock = the C daemon, ours = ours on every
#                  node; ours-metrics-off = ours with metrics switched off (CTDBI_METRICS=no)
#   --nodes        cluster sizes (default 3,5)
#   --trials       trials per metric, variant and size (default 10)
#   --metrics      default all. stop/ban/kill = leader failover (`ctdb stop`, `ctdb ban 300`,
#                  SIGKILL of its ctdbd) on a fresh cluster each; ipreallocate, recover10k and idle
#                  share one fresh cluster per trial; startup (fork → first RECD_PING) is taken
#                  from every cluster start of the run
#   --samples      `ctdb ipreallocate` runs per steady trial (default 5)
#   --idle-seconds idle window (default 60)
#   --idle-settle  seconds the quiet cluster is left alone before the idle window (default 60):
#                  a daemon just started is not yet in its idle rhythm
#   --out          raw results directory (default out/bench-results); results.tsv, done.tsv,
#                  bench.log, timelines/, ping logs. Re-running with the same --out resumes:
#                  units listed in done.tsv are skipped; a runs.md written there by hand
#                  (which runs and binaries the results come from) goes into the report
#   --docs         report to write (default docs/benchmarks.md; PNGs next to it)
#   --timeline-trial  trial whose stop (else first failover metric) hand-over is also recorded
#                  as a timeline for the plot (default 1)
#   --report-only  only rewrite the report and plots from --out
#   --name-prefix  cluster names P-<pid>-<n> (default bench; helpers pass their own name)
#
# Each cluster: scripts/cluster.sh start --name bench-<pid>-<n> (own namespace cti-bench-…),
# with the start-up probe preloaded into every ctdbd. Measurement programs:
# scripts/measure-failover-trial.cs (all metrics but startup), scripts/bench/fill-tdb.c and
# scripts/bench/recd-ping-probe.c; scripts/bench/report.py writes the report and plots.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cluster="$repo/scripts/cluster.sh"
trial_src="$repo/scripts/measure-failover-trial.cs"
trial_dir="$repo/out/measure-failover"
tools="$repo/out/bench"

die() { echo "bench.sh: $*" >&2; exit 1; }
usage() { sed -n '2,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

variants=stock,ours nodes_list=3,5 trials=10 metrics=stop,ban,kill,ipreallocate,recover10k,idle,startup
samples=5 idle_seconds=60 idle_settle=60 out="$repo/out/bench-results" docs="$repo/docs/benchmarks.md" report_only=false
timeline_trial=1 name_prefix=bench
while [ $# -gt 0 ]; do
    case "$1" in
        --variants) variants=$2; shift 2 ;;
        --nodes) nodes_list=$2; shift 2 ;;
        --trials) trials=$2; shift 2 ;;
        --metrics) metrics=$2; shift 2 ;;
        --samples) samples=$2; shift 2 ;;
        --idle-seconds) idle_seconds=$2; shift 2 ;;
        --idle-settle) idle_settle=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --docs) docs=$2; shift 2 ;;
        --timeline-trial) timeline_trial=$2; shift 2 ;;
        --report-only) report_only=true; shift ;;
        --name-prefix) name_prefix=$2; shift 2 ;;
        -h|--help) usage ;;
        *) die "unknown option $1" ;;
    esac
done
[[ "$name_prefix" =~ ^[A-Za-z0-9_-]{1,20}$ ]] || die "bad --name-prefix '$name_prefix'"
[[ "$trials" =~ ^[1-9][0-9]*$ ]] || die "--trials must be a positive number"
[[ "$samples" =~ ^[1-9][0-9]*$ ]] || die "--samples must be a positive number"
[[ "$idle_seconds" =~ ^[1-9][0-9]*$ ]] || die "--idle-seconds must be a positive number"
[[ "$idle_settle" =~ ^[0-9]+$ ]] || die "--idle-settle must be a number of seconds"
IFS=, read -r -a variant_arr <<< "$variants"
IFS=, read -r -a nodes_arr <<< "$nodes_list"
IFS=, read -r -a metric_arr <<< "$metrics"
for m in "${metric_arr[@]}"; do
    case "$m" in stop|ban|kill|ipreallocate|recover10k|idle|startup) ;; *) die "unknown metric $m" ;; esac
done
for n in "${nodes_arr[@]}"; do [[ "$n" =~ ^[2-9]$ ]] || die "bad node count $n"; done

# Variant → cluster.sh options and environment for the daemons.
variant_setup() {
    case "$1" in
        stock) variant_opts=(--stock); variant_env=() ;;
        ours) variant_opts=(--ours); variant_env=(CTDBI_METRICS=yes) ;;
        ours-metrics-off) variant_opts=(--ours); variant_env=(CTDBI_METRICS=no) ;;
        *) die "unknown variant $1 (stock, ours, ours-metrics-off)" ;;
    esac
}
for v in "${variant_arr[@]}"; do variant_setup "$v"; done

mkdir -p "$out/timelines" "$out/pings"
out=$(cd "$out" && pwd)  # absolute: the ctdbds write their probe logs from another directory
results="$out/results.tsv" done_file="$out/done.tsv" log="$out/bench.log"
[ -f "$results" ] || printf 'variant\tnodes\tmetric\ttrial\tname\tvalue\toutcome\n' > "$results"
touch "$done_file" "$log"

report() {
    python3 "$repo/scripts/bench/report.py" --results "$results" --out "$out" --docs "$docs" \
        --variants "$variants" --command "scripts/bench.sh --variants $variants --nodes $nodes_list --trials $trials --metrics $metrics --samples $samples --idle-seconds $idle_seconds --idle-settle $idle_settle"
}
if $report_only; then report; exit 0; fi

"$repo/scripts/bootstrap.sh" >/dev/null
[ -x "$repo/out/bin/ctdb-recoverd" ] || die "our daemon is not built: run scripts/build.sh first"
echo "bench: building the measurement programs" >&2
mkdir -p "$tools"
cc -std=gnu11 -Wall -Wextra -Werror -O2 -fPIC -shared -o "$tools/recd-ping-probe.so" \
    "$repo/scripts/bench/recd-ping-probe.c" -ldl || die "building the start-up probe failed"
cc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$tools/fill-tdb" "$repo/scripts/bench/fill-tdb.c" -ltdb \
    || die "building fill-tdb failed"
# The trial program is rebuilt only when its source is newer (a build takes minutes on a busy machine).
if [ ! -f "$trial_dir/measure-failover-trial.dll" ] || [ "$trial_src" -nt "$trial_dir/measure-failover-trial.dll" ]; then
    dotnet build "$trial_src" -nologo -v quiet -clp:ErrorsOnly -o "$trial_dir" >&2 || die "building $trial_src failed"
fi

current="" seq_no=0
cleanup() {
    if [ -n "$current" ]; then "$cluster" stop --name "$current" >> "$log" 2>&1 || true; current=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; }
is_done() { grep -qxF "$1" "$done_file"; }

# Starts a fresh cluster for variant $1 with $2 nodes; sets $current and $dir. The probe log
# of its ctdbds goes to pings/<unit>.log (start-up metric).
start_cluster() {
    local variant=$1 n=$2 unit=$3
    variant_setup "$variant"
    seq_no=$((seq_no + 1))
    current="$name_prefix-$$-$seq_no"
    local ping_log="$out/pings/$unit.log"
    rm -f "$ping_log"
    echo "=== $unit: cluster $current ($variant, $n nodes)" >> "$log"
    if ! env "${variant_env[@]}" CTDBI_EXTRA_PRELOAD="$tools/recd-ping-probe.so" CTDBI_BENCH_PING_LOG="$ping_log" \
            "$cluster" start --name "$current" "${variant_opts[@]}" -n "$n" >> "$log" 2>&1; then
        "$cluster" stop --name "$current" >> "$log" 2>&1 || true
        current=""
        return 1
    fi
    dir=$("$cluster" dir --name "$current")
}

stop_cluster() {
    local ok=$1
    "$cluster" stop --name "$current" >> "$log" 2>&1 || true
    if $ok; then rm -rf "${dir:?}"; else echo "kept cluster directory $dir for its logs" >> "$log"; fi
    current=""
}

# Start-up: fork → first RECD_PING of every recovery daemon of the cluster's first start.
record_startup() {
    local variant=$1 n=$2 trial=$3 unit=$4
    [[ ",$metrics," == *",startup,"* ]] || return 0
    awk '$1 == "fork" && !($2 in f) { f[$2] = $3 } $1 == "ping" && !($2 in p) { p[$2] = $3 }
         END { for (pid in p) if (pid in f) printf "%.1f\n", (p[pid] - f[pid]) / 1e6 }' \
        "$out/pings/$unit.log" 2>/dev/null | sort -n | head -n "$n" | while read -r ms; do
        record "$variant" "$n" startup "$trial" startup_ms "$ms" ok
    done || true  # no probe log: no start-up values, not a failed run
}

run_failover() {
    local variant=$1 n=$2 event=$3 trial=$4
    local unit="$variant-$n-$event-$trial"
    is_done "$unit" && return 0
    local line timeline_opts=()
    if [ "$trial" -eq "$timeline_trial" ] && [ "$event" = "$timeline_event" ]; then
        timeline_opts=(--timeline "$out/timelines/$variant-$n-$event.tsv")
    fi
    if start_cluster "$variant" "$n" "$unit"; then
        line=$(timeout 300 dotnet "$trial_dir/measure-failover-trial.dll" --dir "$dir" --nodes "$n" \
                   --event "$event" "${timeline_opts[@]}" 2>> "$log") || line=$(printf -- '-\t-\t-\t-\ttrial-error')
        [ -n "$line" ] || line=$(printf -- '-\t-\t-\t-\ttrial-error')
        record_startup "$variant" "$n" "$trial" "$unit"
        IFS=$'\t' read -r old new agree healthy outcome <<< "$line"
        stop_cluster "$([ "$outcome" = ok ] && echo true || echo false)"
    else
        old=- new=- agree=- healthy=- outcome=cluster-start-failed
    fi
    record "$variant" "$n" "$event" "$trial" agree_ms "$agree" "$outcome"
    record "$variant" "$n" "$event" "$trial" healthy_ms "$healthy" "$outcome"
    printf '%-16s %-4s %-6s trial %-3s old %-2s new %-2s agree %6s healthy %6s  %s\n' \
        "$variant" "$n" "$event" "$trial" "$old" "$new" "$agree" "$healthy" "$outcome" >&2
    echo "$unit" >> "$done_file"
}

run_steady() {
    local variant=$1 n=$2 trial=$3
    local unit="$variant-$n-steady-$trial"
    is_done "$unit" && return 0
    local ok=true kind name value rest
    if ! start_cluster "$variant" "$n" "$unit"; then
        record "$variant" "$n" steady "$trial" - - cluster-start-failed
        echo "$unit" >> "$done_file"
        return 0
    fi
    record_startup "$variant" "$n" "$trial" "$unit"
    for kind in idle ipreallocate recover10k; do
        [[ ",$metrics," == *",$kind,"* ]] || continue
        local output
        output=$(timeout $((400 + idle_settle + idle_seconds)) dotnet "$trial_dir/measure-failover-trial.dll" --dir "$dir" --nodes "$n" --event "$kind" \
                     --samples "$samples" --idle-seconds "$idle_seconds" --idle-settle "$idle_settle" --fill-tool "$tools/fill-tdb" 2>> "$log") || {
            ok=false; record "$variant" "$n" "$kind" "$trial" - - trial-error; continue; }
        while IFS=$'\t' read -r name value rest; do
            case "$name" in
                idle)  # node role recd_cpu_ms ctdbd_cpu_ms rss_kb pss_kb recd_ticks_ms ctdbd_ticks_ms
                    IFS=$'\t' read -r role recd ctdbd rss pss recd_ticks ctdbd_ticks <<< "$rest"
                    record "$variant" "$n" idle "$trial" "recd_cpu_ms.$role" "$recd" ok
                    record "$variant" "$n" idle "$trial" "ctdbd_cpu_ms.$role" "$ctdbd" ok
                    record "$variant" "$n" idle "$trial" "rss_kb.$role" "$rss" ok
                    record "$variant" "$n" idle "$trial" "pss_kb.$role" "$pss" ok
                    record "$variant" "$n" idle "$trial" "recd_ticks_ms.$role" "$recd_ticks" ok
                    record "$variant" "$n" idle "$trial" "ctdbd_ticks_ms.$role" "$ctdbd_ticks" ok ;;
                ipreallocate_ms|recover10k_ms|recover10k_notice_ms|recover10k_from_notice_ms)
                    record "$variant" "$n" "$kind" "$trial" "$name" "$value" "$([ "$value" = - ] && echo failed || echo ok)" ;;
                records)
                    record "$variant" "$n" "$kind" "$trial" records "$value" "$([ "$value" = 10000 ] && echo ok || echo wrong-count)" ;;
            esac
        done <<< "$output"
        printf '%-16s %-4s %-12s trial %-3s %s\n' "$variant" "$n" "$kind" "$trial" "$(echo "$output" | tr '\t\n' ' ;')" >&2
    done
    stop_cluster "$ok"
    echo "$unit" >> "$done_file"
}

failover_events=() steady=false
for m in "${metric_arr[@]}"; do
    case "$m" in
        stop|ban|kill) failover_events+=("$m") ;;
        ipreallocate|recover10k|idle) steady=true ;;
    esac
done
timeline_event=stop
[[ " ${failover_events[*]} " == *" stop "* ]] || timeline_event=${failover_events[0]:-none}
# Start-up alone still needs clusters: the steady unit starts them.
[[ ",$metrics," == *",startup,"* ]] && [ ${#failover_events[@]} -eq 0 ] && steady=true

echo "bench: variants $variants, nodes $nodes_list, $trials trials, metrics $metrics -> $out" >&2
for n in "${nodes_arr[@]}"; do
    for trial in $(seq 1 "$trials"); do
        # Alternate which variant goes first, so drift on the shared machine spreads evenly.
        order=("${variant_arr[@]}")
        if [ $((trial % 2)) -eq 0 ]; then
            order=(); for ((i = ${#variant_arr[@]} - 1; i >= 0; i--)); do order+=("${variant_arr[$i]}"); done
        fi
        for event in "${failover_events[@]}"; do
            for v in "${order[@]}"; do run_failover "$v" "$n" "$event" "$trial"; done
        done
        if $steady; then
            for v in "${order[@]}"; do run_steady "$v" "$n" "$trial"; done
        fi
    done
done

report
echo "bench: done; raw results $results, report $docs" >&2
