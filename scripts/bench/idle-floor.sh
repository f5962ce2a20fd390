#!/usr/bin/env bash
# The floor of the recovery daemon's idle CPU (issue 10): builds scripts/bench/idle-probe (NativeAOT,
# one thread, blocking socket calls) and runs it next to a cluster's recovery daemons, sending every
# second the controls an idle daemon sends (leader schedule at the leader's node, the other schedule
# at one other node): in session 4's rounds, or with --burst all in one write as today's daemon
# sends them. Prints, per node, the CPU time of the probe and of that node's recovery daemon
# over the same window: the sum of their threads' time on a CPU, re-read every second
# (scripts/bench/thread-cpu.sh), as the benchmark's idle rows take it, in ms with two decimals.
#
#   scripts/bench/idle-floor.sh [--name NAME] [--seconds S] [--settle S] [--burst] [--stock|--ours]
#
# Starts its own cluster (scripts/cluster.sh start -n 3 --name NAME, default idle-floor-<pid>) and
# stops it at the end. The probe sends only reads and RECD_PING (never a message), so the cluster's
# own daemons are undisturbed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=thread-cpu.sh
source "$repo/scripts/bench/thread-cpu.sh"
# shellcheck source=idle-cluster.sh
source "$repo/scripts/bench/idle-cluster.sh"
name="idle-floor-$$" seconds=60 settle=60 mode=--stock shape=rounds
while [ $# -gt 0 ]; do
    case "$1" in
        --name) name=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --burst) shape=burst; shift ;;
        --stock|--ours) mode=$1; shift ;;
        *) echo "idle-floor.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] && [ "$seconds" -ge 5 ] || { echo "idle-floor.sh: --seconds must be >= 5" >&2; exit 2; }
[[ "$settle" =~ ^[0-9]+$ ]] && [ "$settle" -ge 20 ] || { echo "idle-floor.sh: --settle must be >= 20" >&2; exit 2; }

probe_dir="$repo/out/idle-probe"
dotnet publish "$repo/scripts/bench/idle-probe/idle-probe.csproj" -c Release -r linux-x64 -nologo -v quiet \
    -clp:ErrorsOnly -o "$probe_dir" >&2
probe="$probe_dir/idle-probe"

cluster="$repo/scripts/cluster.sh"
CTDBI_METRICS=no "$cluster" start -n 3 "$mode" --name "$name" >/dev/null
trap '"$cluster" stop --name "$name" >/dev/null 2>&1 || true' EXIT
dir=$("$cluster" dir --name "$name")
sleep "$settle"  # past the first recovery and into the idle rhythm (as the benchmark's --idle-settle)

leader=$(idle_cluster_leader "$repo" "$name")
other=$(( (leader + 1) % 3 ))
ms() { awk -v ns="$1" 'BEGIN {printf "%.2f", ns / 1e6}'; }
recd() { pgrep -P "$(cat "$dir/node.$1/run/ctdbd.pid")" -x ctdb_recoverd | head -n 1; }

declare -A probe_pid recd_pid
for role in leader other; do
    node=${!role}
    # It outlives the window (whose readings take a little longer than a second each), so its
    # last second is counted and its memory read after.
    "$probe" "$dir/node.$node/run/ctdbd.socket" "$node" 3 "$role" $((seconds + 5)) "$shape" > /dev/null &
    probe_pid[$role]=$!
    recd_pid[$role]=$(recd "$node")
done
sleep 1
used=$(mktemp)
trap 'rm -f "$used"; "$cluster" stop --name "$name" >/dev/null 2>&1 || true' EXIT
thread_cpu_window "$seconds" "$used" "probe_leader=${probe_pid[leader]}" "recd_leader=${recd_pid[leader]}" \
    "probe_other=${probe_pid[other]}" "recd_other=${recd_pid[other]}"
ns() { awk -v label="$1" '$1 == label {print $2}' "$used"; }
printf 'role\tnode\tprobe_cpu_ms\trecd_cpu_ms\tprobe_rss_kb\tseconds\tload\n'
for role in leader other; do
    node=${!role}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$role" "$node" "$(ms "$(ns "probe_$role")")" "$(ms "$(ns "recd_$role")")" \
        "$(awk '/VmRSS/{print $2}' "/proc/${probe_pid[$role]}/status")" "$seconds" "$(cut -d' ' -f1 /proc/loadavg)"
done
wait
