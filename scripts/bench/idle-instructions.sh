#!/usr/bin/env bash
# Counts the instructions an idle follower's recovery daemon executes a second, for Samba's C
# daemon and ours (issue 7). CPU time on this VM moves ±10 % between runs; an instruction
# count under valgrind's callgrind does not, so it tells whether a change made the idle
# iteration do less work, and where that work goes.
#
#   scripts/bench/idle-instructions.sh [--short S] [--long S] [--keep DIR] [--lines] [--metrics] BUILD ...
#
#   BUILD     "stock" (Samba's daemon, with this checkout's cluster script) or a checkout of
#             this repository whose out/bin holds the daemon (scripts/build.sh run there)
#   --short, --long  how long the two measured runs last (default 40 and 160 s)
#   --keep    where callgrind's files go (default: a temporary directory, removed at exit)
#   --lines   also count the distinct 64-byte lines of code run a second (callgrind with
#             --dump-instr=yes; scripts/bench/code-lines.py): what a daemon that sleeps between
#             wake-ups fetches again each second (scripts/bench/cold-code-cost.sh prices a line)
#   --metrics also measure every BUILD of ours again with its metrics on (the default install):
#             the difference between its two lines is what publishing the metrics costs a follower
#
# Each BUILD gets a 3-node cluster (its own namespace; metrics off, except on the lines that
# --metrics adds, named BUILD+metrics). Node 1's recovery daemon runs under callgrind; node
# 0's runs natively and so normally wins the lock race (the run stops if node 1 leads: its
# count would not be a follower's). The C daemon is a fork of ctdbd, not a program of its
# own, so there ctdbd itself runs under callgrind and the count is taken from its recovery
# daemon's process. valgrind reports a process's total only when it exits, so node 1's
# daemon is stopped (SIGTERM; ctdbd starts a new one) and measured twice, for --short and
# --long seconds: the difference divided by the difference in time is the steady state,
# without the start-up both runs share. A garbage collection that falls in one run and not
# the other moves the figure by tens of thousands a second either way.
#
# Prints one line per build: instructions a second, the two totals it came from and, with
# --lines, code lines a second (else "-"); the lines' split by object goes to standard error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
short=40 long=160 keep="" lines=no with_metrics=no
builds=()
die() { echo "idle-instructions.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --short) short=${2:?}; shift 2 ;;
        --long) long=${2:?}; shift 2 ;;
        --keep) keep=${2:?}; shift 2 ;;
        --lines) lines=yes; shift ;;
        --metrics) with_metrics=yes; shift ;;
        -h|--help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) builds+=("$1"); shift ;;
    esac
done
[ ${#builds[@]} -gt 0 ] || die "name at least one build (stock or a checkout)"
[[ "$short" =~ ^[0-9]+$ && "$long" =~ ^[0-9]+$ && "$long" -gt "$short" ]] || die "--long must be more seconds than --short"
for b in "${builds[@]}"; do
    if [ "$b" != stock ]; then
        [ -x "$b/out/bin/ctdb-recoverd" ] && [ -f "$b/out/lib/libctdb_recoverd_shim.so" ] \
            || die "$b has no daemon built (run scripts/build.sh there)"
    fi
done
command -v callgrind_control >/dev/null || die "valgrind is not installed (scripts/bootstrap.sh installs it)"

work=$(mktemp -d /tmp/idle-instructions.XXXXXX)
out=${keep:-$work/callgrind}
mkdir -p "$out"
cluster="" repo=$here run_env=()
cleanup() {
    [ -n "$cluster" ] && "$repo/scripts/cluster.sh" stop --name "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Where node 1 goes under callgrind. For the C daemon that is its ctdbd, through the
# launcher's command prefix. Ours is exec'd by ctdbd from the cluster script's own out/bin,
# so it gets a throw-away copy of the scripts whose out/bin holds a wrapper that starts node
# 1's daemon under callgrind; no checkout is touched. Sets repo and run_env.
prepare() {
    local build=$1 vg dump_instr=""
    [ "$lines" = yes ] && dump_instr=" --dump-instr=yes"
    vg="valgrind --tool=callgrind --vgdb=no$dump_instr --log-file=$out/$2.%p.log --callgrind-out-file=$out/$2.%p"
    if [ "$build" = stock ]; then
        repo=$here
        run_env=(CTDBI_CTDBD_PREFIX="$vg" CTDBI_PREFIX_NODES=1)
        return
    fi
    repo=$work/repo run_env=()
    rm -rf "$repo"
    mkdir -p "$repo/out/bin" "$repo/out/lib"
    cp -r "$here/scripts" "$repo/scripts"
    ln -s "$build/out/lib/libctdb_recoverd_shim.so" "$repo/out/lib/libctdb_recoverd_shim.so"
    printf '#!/bin/sh\n# node 1 under callgrind, the others as they are\ncase "$CTDB_BASE" in */node.1) exec %s %q ;; esac\nexec %q\n' \
        "$vg" "$build/out/bin/ctdb-recoverd" "$build/out/bin/ctdb-recoverd" > "$repo/out/bin/ctdb-recoverd"
    chmod +x "$repo/out/bin/ctdb-recoverd"
}

# Node 1's recovery daemon: ctdbd's child that is the C daemon or runs ours.
daemon_pid() {
    local dir=$1 parent p
    parent=$(cat "$dir/node.1/run/ctdbd.pid" 2>/dev/null) || return 0
    for p in $(pgrep -P "$parent" 2>/dev/null); do
        if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ctdb_recoverd ] || grep -qa 'ctdb-recoverd' "/proc/$p/cmdline" 2>/dev/null; then
            echo "$p"; return 0
        fi
    done
}

# Node 1's next recovery daemon: one whose pid is not GONE, within 90 s (ctdbd checks for
# a missing one every few seconds and starts another).
next_daemon() {
    local dir=$1 gone=$2 p i
    for i in $(seq 1 90); do
        p=$(daemon_pid "$dir")
        if [ -n "$p" ] && [ "$p" != "$gone" ]; then echo "$p"; return 0; fi
        sleep 1
    done
    die "ctdbd did not start a recovery daemon on node 1 within 90 s"
}

# Where callgrind writes the counts of the daemon PID of the build TAG.
callgrind_file() { echo "$out/$1.$2"; }

# Lets node 1's daemon PID run SECONDS, stops it and prints its total instruction count.
measured_run() {
    local tag=$1 seconds=$2 pid=$3 i file total
    sleep "$seconds"
    kill -TERM "$pid"
    for i in $(seq 1 60); do [ -d "/proc/$pid" ] || break; sleep 1; done
    [ -d "/proc/$pid" ] && die "node 1's recovery daemon (pid $pid) did not exit within 60 s of SIGTERM"
    file=$(callgrind_file "$tag" "$pid")
    for i in $(seq 1 10); do [ -s "$file" ] && break; sleep 1; done
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$file" 2>/dev/null || true)
    [[ "$total" =~ ^[0-9]+$ ]] || die "no instruction total in $file"
    echo "$total"
}

# What is measured: each build with metrics off and, with --metrics, each of ours again with them on.
runs=()
for b in "${builds[@]}"; do
    runs+=("$b")
    [ "$with_metrics" = yes ] && [ "$b" != stock ] && runs+=("$b+metrics")
done

printf 'build\tinstructions_per_s\tshort_s\tshort_total\tlong_s\tlong_total\tcode_lines_per_s\n'
n=0
for run in "${runs[@]}"; do
    n=$((n + 1))
    build=${run%+metrics} metrics=no
    [ "$run" != "$build" ] && metrics=yes
    tag="b$n"
    prepare "$build" "$tag"
    cluster="ii$$-$n"
    mode=--ours; [ "$build" = stock ] && mode=--stock
    env CTDBI_METRICS=$metrics "${run_env[@]}" "$repo/scripts/cluster.sh" start $mode --name "$cluster" -n 3 >/dev/null
    dir=$("$repo/scripts/cluster.sh" dir --name "$cluster")
    # The count is a follower's: node 1 must not lead.
    leader=$("$repo/scripts/cluster.sh" ctdb --name "$cluster" 0 leader 2>/dev/null | tail -n 1 || true)
    [ "$leader" != 1 ] || die "node 1 leads in $build's cluster; its count would not be a follower's"
    # Both measured daemons are restarts of a follower's, so their start-ups match.
    first=$(next_daemon "$dir" "")
    kill -TERM "$first"
    p=$(next_daemon "$dir" "$first")
    short_file=$(callgrind_file "$tag" "$p")
    a=$(measured_run "$tag" "$short" "$p")
    p=$(next_daemon "$dir" "$p")
    long_file=$(callgrind_file "$tag" "$p")
    b=$(measured_run "$tag" "$long" "$p")
    code_lines=-
    if [ "$lines" = yes ]; then
        python3 "$here/scripts/bench/code-lines.py" "$short_file" "$long_file" "$((long - short))" > "$work/lines"
        code_lines=$(head -n 1 "$work/lines")
        awk -v build="$run" 'NR > 1 { print "# " build ": " $0 }' "$work/lines" >&2
    fi
    printf '%s\t%d\t%d\t%d\t%d\t%d\t%s\n' "$run" $(( (b - a) / (long - short) )) "$short" "$a" "$long" "$b" "$code_lines"
    "$repo/scripts/cluster.sh" stop --name "$cluster" >/dev/null 2>&1 || true
    cluster=""
done
[ -n "$keep" ] && echo "callgrind files in $keep (callgrind_annotate FILE)" >&2
exit 0
