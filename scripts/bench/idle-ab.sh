#!/usr/bin/env bash
# Screens builds of our daemon against each other for idle CPU (issue 7): every round starts
# one 3-node cluster per build (metrics off, each in its own namespace), lets it settle, and
# reads every daemon's CPU over a window: the sum of its threads' time on a CPU
# (scripts/bench/thread-cpu.sh), in ms a minute, and how often its threads were put on a
# CPU, a second. The builds' order rotates from round to round. By default the clusters run
# side by side and share one window: a paired comparison, but the level is higher than one
# cluster at a time and moves ±10 % between rounds. With --apart each cluster runs alone,
# in turn, as the benchmark runs them. A screen, not the benchmark: claims against the C
# daemon come from scripts/bench.sh.
#
#   scripts/bench/idle-ab.sh [--rounds N] [--settle S] [--seconds S] [--apart] BUILD[:VAR=VALUE] ...
#
#   BUILD        a checkout of this repository whose out/bin holds the daemon to screen
#                (scripts/build.sh run there), or "stock": Samba's own recovery daemon, in a
#                cluster started by this script's checkout; :VAR=VALUE puts one variable into
#                its daemons' environment (e.g. /work/main:DOTNET_GCgen0size=20000: the
#                runtime reads such numbers as bare hex digits and ignores one with 0x)
#   --rounds     rounds (default 4)
#   --settle     seconds between a cluster's start and its window (default 40)
#   --seconds    the window (default 60)
#   --apart      one cluster at a time (default: all of a round's clusters at once)
#
# Prints one tab-separated line per daemon (round, build, node, role, ms a minute, runs a
# second) and, per build, the median and mean CPU and the median runs over all its daemons
# and rounds.
set -euo pipefail
# shellcheck source=thread-cpu.sh
source "$(dirname "${BASH_SOURCE[0]}")/thread-cpu.sh"
# shellcheck source=idle-cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/idle-cluster.sh"
rounds=4 settle=40 seconds=60 apart=no
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builds=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --apart) apart=yes; shift ;;
        -*) echo "idle-ab.sh: unknown option $1" >&2; exit 2 ;;
        *) builds+=("$1"); shift ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] && [ "$rounds" -le 100 ] || { echo "idle-ab.sh: --rounds must be 1-100" >&2; exit 2; }
[[ "$settle" =~ ^[0-9]+$ ]] && [ "$settle" -ge 10 ] && [ "$settle" -le 3600 ] || { echo "idle-ab.sh: --settle must be 10-3600" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] && [ "$seconds" -le 3600 ] || { echo "idle-ab.sh: --seconds must be 1-3600" >&2; exit 2; }
[ ${#builds[@]} -ge 1 ] || { echo "idle-ab.sh: name at least one build" >&2; exit 2; }
for build in "${builds[@]}"; do
    # Cluster names and the report's columns take builds as words: no blanks in them.
    [[ "$build" =~ [[:space:]] ]] && { echo "idle-ab.sh: '$build': no blanks in a build's path or variable" >&2; exit 2; }
    dir=${build%%:*}
    if [ "$dir" = stock ]; then
        # The C daemon runs inside ctdbd: only this checkout's cluster script is needed.
        [ -x "$here/scripts/cluster.sh" ] || { echo "idle-ab.sh: $here/scripts/cluster.sh is missing" >&2; exit 2; }
    else
        [ -x "$dir/scripts/cluster.sh" ] && [ -x "$dir/out/bin/ctdb-recoverd" ] ||
            { echo "idle-ab.sh: $dir is not a built checkout (scripts/cluster.sh, out/bin/ctdb-recoverd)" >&2; exit 2; }
    fi
    if [[ "$build" == *:* ]] && ! [[ "${build#*:}" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]]; then
        echo "idle-ab.sh: $build: expected BUILD:VAR=VALUE" >&2; exit 2
    fi
done

work=$(mktemp -d /var/tmp/idle-ab.XXXXXX)
started=()
stop_all() {
    for entry in "${started[@]}"; do
        timeout 120 "${entry%% *}/scripts/cluster.sh" stop --name "${entry#* }" >/dev/null 2>&1 || true
    done
    started=()
}
trap 'stop_all; rm -rf "$work"' EXIT

printf 'round\tbuild\tnode\trole\tcpu_ms_per_min\truns_per_s\n'

# Starts the clusters of the builds at the given places in $order, lets them settle, reads
# their daemons over one window, prints their rows and stops them.
screen_clusters() {
    local i node build dir role entries=() daemon
    declare -A name=() pid=() leader=() checkout=()
    for i in "$@"; do
        build=${order[$i]} dir=${order[$i]%%:*} daemon=(--ours) extra=()
        [[ "$build" == *:* ]] && extra=("${build#*:}")
        if [ "$dir" = stock ]; then dir=$here daemon=(); fi
        checkout[$i]=$dir
        name[$i]="idle-ab-$$-$round-$i"
        started+=("$dir ${name[$i]}")
        env CTDBI_METRICS=no "${extra[@]}" timeout 180 "$dir/scripts/cluster.sh" start -n 3 "${daemon[@]}" --name "${name[$i]}" \
            > "$work/start.$i" 2>&1 || { echo "idle-ab.sh: cluster for $build did not start:" >&2; cat "$work/start.$i" >&2; exit 1; }
    done
    sleep "$settle"
    for i in "$@"; do
        leader[$i]=$(idle_cluster_leader "${checkout[$i]}" "${name[$i]}")
        for node in 0 1 2; do
            pid[$i,$node]=$(idle_daemon_pid "$work/start.$i" "$node")
            [ -n "${pid[$i,$node]}" ] || { echo "idle-ab.sh: no daemon pid for node $node of ${order[$i]}" >&2; exit 1; }
            entries+=("b${i}n${node}=${pid[$i,$node]}")
        done
    done
    thread_cpu_window "$seconds" "$work/used" "${entries[@]}"
    for i in "$@"; do
        for node in 0 1 2; do
            role=other
            if [ "$node" = "${leader[$i]}" ]; then role=leader; fi
            awk -v label="b${i}n${node}" -v r="$round" -v b="${order[$i]}" -v n="$node" -v role="$role" -v elapsed="$THREAD_CPU_ELAPSED_NS" \
                '$1 == label {printf "%s\t%s\t%s\t%s\t%.2f\t%.1f\n", r, b, n, role, $2 / 1e6 * 60e9 / elapsed, $3 * 1e9 / elapsed}' "$work/used"
        done
    done | tee -a "$work/rows.tsv"
    stop_all
}

order=("${builds[@]}")
for round in $(seq 1 "$rounds"); do
    if [ "$apart" = yes ]; then
        for i in "${!order[@]}"; do screen_clusters "$i"; done
    else
        screen_clusters "${!order[@]}"
    fi
    order=("${order[@]:1}" "${order[0]}")
done

echo
printf 'build\tdaemons\tmedian_ms_per_min\tmean_ms_per_min\tmedian_runs_per_s\n'
median() { sort -g | awk '{ v[++n] = $1 } END { printf "%.2f", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
for build in "${builds[@]}"; do
    rows=$(awk -F '\t' -v b="$build" '$2 == b' "$work/rows.tsv")
    [ -n "$rows" ] || continue
    printf '%s\t%d\t%s\t%s\t%s\n' "$build" "$(wc -l <<< "$rows")" "$(cut -f5 <<< "$rows" | median)" \
        "$(awk -F '\t' '{ s += $5 } END { printf "%.2f", s / NR }' <<< "$rows")" "$(cut -f6 <<< "$rows" | median)"
done
