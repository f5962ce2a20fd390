#!/usr/bin/env bash
# Screens builds of our daemon against each other for idle CPU (issue 7): every round starts
# one 3-node cluster per build at the same time (metrics off, each in its own namespace),
# lets them settle, and reads every daemon's CPU over the same window: the sum of its
# threads' time on a CPU (scripts/bench/thread-cpu.sh), in ms a minute. The builds' order
# rotates from round to round. A screen, not the benchmark: the clusters share the machine,
# so the level is higher than one cluster at a time and moves ±10 % between rounds; what it
# gives is a paired comparison. Claims against the C daemon come from scripts/bench.sh.
#
#   scripts/bench/idle-ab.sh [--rounds N] [--settle S] [--seconds S] BUILD[:VAR=VALUE] ...
#
#   BUILD        a checkout of this repository whose out/bin holds the daemon to screen
#                (scripts/build.sh run there); :VAR=VALUE puts one variable into its
#                daemons' environment (e.g. /work/main:DOTNET_GCgen0size=0x20000)
#   --rounds     rounds (default 4)
#   --settle     seconds between the clusters' start and the window (default 40)
#   --seconds    the window (default 60)
#
# Prints one tab-separated line per daemon (round, build, node, role, ms a minute) and, per
# build, the median and mean over all its daemons and rounds.
set -euo pipefail
# shellcheck source=thread-cpu.sh
source "$(dirname "${BASH_SOURCE[0]}")/thread-cpu.sh"
rounds=4 settle=40 seconds=60
builds=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
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
    [ -x "$dir/scripts/cluster.sh" ] && [ -x "$dir/out/bin/ctdb-recoverd" ] ||
        { echo "idle-ab.sh: $dir is not a built checkout (scripts/cluster.sh, out/bin/ctdb-recoverd)" >&2; exit 2; }
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

printf 'round\tbuild\tnode\trole\tcpu_ms_per_min\n'
order=("${builds[@]}")
for round in $(seq 1 "$rounds"); do
    declare -A name=() pid=() leader=()
    for i in "${!order[@]}"; do
        build=${order[$i]} dir=${order[$i]%%:*} extra=()
        [[ "$build" == *:* ]] && extra=("${build#*:}")
        name[$i]="idle-ab-$$-$round-$i"
        started+=("$dir ${name[$i]}")
        env CTDBI_METRICS=no "${extra[@]}" timeout 180 "$dir/scripts/cluster.sh" start -n 3 --ours --name "${name[$i]}" \
            > "$work/start.$i" 2>&1 || { echo "idle-ab.sh: cluster for $build did not start:" >&2; cat "$work/start.$i" >&2; exit 1; }
    done
    sleep "$settle"
    for i in "${!order[@]}"; do
        dir=${order[$i]%%:*}
        leader[$i]=$(timeout 30 "$dir/scripts/cluster.sh" ctdb --name "${name[$i]}" 0 status 2>/dev/null | sed -n 's/^Leader:\([0-9]*\)$/\1/p')
        for node in 0 1 2; do
            pid[$i,$node]=$(sed -n "s/^node $node: .*recovery daemon pid \([0-9]*\).*/\1/p" "$work/start.$i")
            [ -n "${pid[$i,$node]}" ] || { echo "idle-ab.sh: no daemon pid for node $node of ${order[$i]}" >&2; exit 1; }
        done
    done
    entries=()
    for i in "${!order[@]}"; do
        for node in 0 1 2; do entries+=("b${i}n${node}=${pid[$i,$node]}"); done
    done
    thread_cpu_window "$seconds" "$work/used" "${entries[@]}"
    for i in "${!order[@]}"; do
        for node in 0 1 2; do
            role=other
            if [ "$node" = "${leader[$i]}" ]; then role=leader; fi
            awk -v label="b${i}n${node}" -v r="$round" -v b="${order[$i]}" -v n="$node" -v role="$role" -v elapsed="$THREAD_CPU_ELAPSED_NS" \
                '$1 == label {printf "%s\t%s\t%s\t%s\t%.2f\n", r, b, n, role, $2 / 1e6 * 60e9 / elapsed}' "$work/used"
        done
    done | tee -a "$work/rows.tsv"
    stop_all
    order=("${order[@]:1}" "${order[0]}")
done

echo
printf 'build\tdaemons\tmedian_ms_per_min\tmean_ms_per_min\n'
sort -t $'\t' -k2,2 -k5,5g "$work/rows.tsv" | awk -F '\t' '
    { v[$2, ++n[$2]] = $5; sum[$2] += $5; if (!($2 in seen)) { seen[$2] = 1; names[++k] = $2 } }
    END {
        for (i = 1; i <= k; i++) {
            b = names[i]; c = n[b]
            median = c % 2 ? v[b, (c + 1) / 2] : (v[b, c / 2] + v[b, c / 2 + 1]) / 2
            printf "%s\t%d\t%.2f\t%.2f\n", b, c, median, sum[b] / c
        }
    }'
