#!/usr/bin/env bash
# What a code cache line costs a daemon that wakes once a second on this machine (issue 7, idle
# CPU). Builds a probe (scripts/bench/cold-code/generate.py) that sleeps a second between runs
# of a chain of functions, one 64-byte code line each, visited in a shuffled order, and runs one
# copy per chain length side by side: each copy is a file of its own, so no copy warms another's
# lines. Reads every copy's CPU over the same window (scripts/bench/thread-cpu.sh) and prints,
# per length, ms a minute, the CPU of one wake-up above the empty chain's (µs) and that extra
# divided by the lines (ns a line). A flat ns-a-line column means each wake-up fetches every
# line afresh: what the idle daemons pay for each distinct line of code they run a second.
#
#   scripts/bench/cold-code-cost.sh [--seconds S] [--lines N,N,...]
#
#   --seconds   the window (default 60; the copies run 10 s longer, they start first)
#   --lines     chain lengths, the first one the baseline (default 0,1000,2000,4000,8000)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=thread-cpu.sh
source "$here/thread-cpu.sh"
seconds=60 lengths=0,1000,2000,4000,8000
die() { echo "cold-code-cost.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=${2:?}; shift 2 ;;
        --lines) lengths=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1" ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 5 ] && [ "$seconds" -le 3600 ] || die "--seconds must be 5-3600"
[[ "$lengths" =~ ^[0-9]+(,[0-9]+)+$ ]] || die "--lines wants two or more numbers, comma-separated"
IFS=, read -r -a sizes <<< "$lengths"
longest=0
for n in "${sizes[@]}"; do [ "$n" -gt "$longest" ] && longest=$n; done
[ "$longest" -le 65536 ] || die "--lines: at most 65536"
command -v cc >/dev/null || die "no C compiler (apt-get install gcc)"

work=$(mktemp -d /tmp/cold-code-cost.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "${p#*=}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$here/cold-code/generate.py" "$((longest + 1))" > "$work/probe.c"
cc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$work/probe" "$work/probe.c"
for n in "${sizes[@]}"; do
    cp "$work/probe" "$work/probe-$n"
    "$work/probe-$n" "$n" "$((seconds + 10))" &
    pids+=("$n=$!")
done
sleep 5
thread_cpu_window "$seconds" "$work/cpu" "${pids[@]}"
elapsed_s=$(awk -v ns="$THREAD_CPU_ELAPSED_NS" 'BEGIN { print ns / 1e9 }')

# Per wake-up: the CPU divided by the seconds of the window (one run a second).
printf 'lines\tms_a_minute\tus_a_wakeup_above_%s\tns_a_line\n' "${sizes[0]}"
awk -v s="$elapsed_s" -v base="${sizes[0]}" '
    { cpu[$1] = $2; order[NR] = $1 }
    END {
        for (i = 1; i <= NR; i++) {
            n = order[i]; extra = (cpu[n] - cpu[base]) / s / 1000
            printf "%s\t%.2f\t%.1f\t%s\n", n, cpu[n] / 1e6 * 60 / s, extra,
                (n > base ? sprintf("%.0f", extra * 1000 / (n - base)) : "-")
        }
    }' "$work/cpu"
