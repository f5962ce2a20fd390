# Sourced by the idle scripts (idle-floor.sh, idle-ab.sh): the CPU processes use over a
# window, exact, as the benchmark takes it (scripts/measure-failover-trial.cs, ThreadCpuClock).
#
#   thread_cpu_window SECONDS OUT LABEL=PID...
#
# Re-reads every thread's time on a CPU (/proc/PID/task/*/schedstat, ns) each second for
# SECONDS seconds. A thread that exits takes its time with it (ours retires start-up
# thread-pool workers), so time is summed per thread from one reading to the next, and a
# thread born inside the window counts from zero. Writes "LABEL NS RUNS" per process to OUT
# and sets THREAD_CPU_ELAPSED_NS to the window's actual length. RUNS is how many times its
# threads were put on a CPU (schedstat's third field): each wake-up from a sleep, and each
# return after being preempted. Together they say whether a change made a daemon wake less
# often or made its wake-ups cheaper (the notes, *Session 12*: the two trade off).
thread_cpu_window() {
    local seconds=$1 out=$2 tick entry stat tid ns runs start_ns
    shift 2
    local samples
    samples=$(mktemp)
    start_ns=$(date +%s%N)
    for tick in $(seq 0 "$seconds"); do
        for entry in "$@"; do
            for stat in /proc/"${entry#*=}"/task/*/schedstat; do
                tid=${stat%/schedstat}; tid=${tid##*/}
                read -r ns _ runs < "$stat" 2>/dev/null && echo "$tick ${entry%%=*} $tid $ns $runs"
            done
        done
        if [ "$tick" -lt "$seconds" ]; then sleep 1; fi
    done > "$samples"
    THREAD_CPU_ELAPSED_NS=$(( $(date +%s%N) - start_ns ))
    awk -v labels="${*%%=*}" '
        BEGIN { n = split(labels, names, " "); for (i = 1; i <= n; i++) { used[names[i]] = 0; ran[names[i]] = 0 } }
        {
            key = $2 SUBSEP $3
            if (key in last) {
                if ($4 > last[key]) used[$2] += $4 - last[key]
                if ($5 > runs[key]) ran[$2] += $5 - runs[key]
            } else if ($1 > 0) { used[$2] += $4; ran[$2] += $5 }
            last[key] = $4; runs[key] = $5
        }
        END { for (i = 1; i <= n; i++) printf "%s %d %d\n", names[i], used[names[i]], ran[names[i]] }' "$samples" > "$out"
    rm -f "$samples"
}
