#!/usr/bin/env bash
# The recovery daemons' idle CPU with nanosecond resolution (issue 7): `perf stat -e task-clock`
# on every recovery daemon of the named clusters at once, over the same window. The benchmark's
# idle rows count CPU in 10 ms ticks (utime + stime), which is coarse at 10-60 ms a minute;
# this gives ms per minute to a tenth, for comparing builds or daemons side by side.
#
#   scripts/bench/idle-taskclock.sh [--seconds S] [--ctdbd] CLUSTER...
#
# CLUSTER: a running cluster's name (scripts/cluster.sh start --name CLUSTER ...), stock or ours.
# Prints one line per node: cluster/node, the daemon's PID, its CPU in ms per minute; with
# --ctdbd, a second line per node for that node's ctdbd (the ctdbd idle target).
# Needs perf (Debian package linux-perf); read-only, it stops nothing.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=60
with_ctdbd=false
clusters=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --ctdbd) with_ctdbd=true; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "idle-taskclock.sh: unknown option $1" >&2; exit 2 ;;
        *) clusters+=("$1"); shift ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] && [ "$seconds" -le 3600 ] || { echo "idle-taskclock.sh: --seconds must be 1-3600" >&2; exit 2; }
[ ${#clusters[@]} -gt 0 ] || { echo "idle-taskclock.sh: name at least one cluster" >&2; exit 2; }
command -v perf >/dev/null || { echo "idle-taskclock.sh: perf not found (apt-get install linux-perf)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
labels=() pids=()
for cluster in "${clusters[@]}"; do
    dir=$("$repo/scripts/cluster.sh" dir --name "$cluster")
    for node_dir in "$dir"/node.*; do
        pidfile="$node_dir/run/ctdbd.pid"
        [ -s "$pidfile" ] || continue
        ctdbd=$(cat "$pidfile")
        # The recovery daemon is ctdbd's child: ours is ctdb-recoverd, stock is ctdbd's own fork.
        daemon=$(pgrep -P "$ctdbd" -f 'ctdb-recoverd|ctdb_recoverd' | head -n 1 || true)
        [ -n "$daemon" ] || { echo "idle-taskclock.sh: no recovery daemon under ctdbd $ctdbd ($cluster)" >&2; continue; }
        labels+=("$cluster/${node_dir##*.}") pids+=("$daemon")
        if $with_ctdbd; then
            labels+=("$cluster/${node_dir##*.}/ctdbd") pids+=("$ctdbd")
        fi
    done
done
[ ${#pids[@]} -gt 0 ] || { echo "idle-taskclock.sh: no recovery daemons found" >&2; exit 1; }

for i in "${!pids[@]}"; do
    timeout $((seconds + 30)) perf stat -x, -e task-clock -p "${pids[$i]}" -o "$work/$i" -- sleep "$seconds" &
done
wait

for i in "${!pids[@]}"; do
    ms=$(awk -F, -v s="$seconds" '/task-clock/ { printf "%.1f", $1 * 60 / s }' "$work/$i")
    printf '%-16s pid %-8s %8s ms/min\n' "${labels[$i]}" "${pids[$i]}" "${ms:-?}"
done
