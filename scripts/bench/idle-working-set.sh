#!/usr/bin/env bash
# Measures how much memory an idle recovery daemon touches each second (issue 7): for every
# daemon of a 3-node cluster per build, the kernel's accessed bits are cleared
# (/proc/PID/clear_refs), and after --interval seconds /proc/PID/smaps says, mapping by
# mapping, how many KB were referenced since. Code spread over many pages, or data spread
# over many cache lines and pages, costs a daemon that sleeps between iterations more than
# its instruction count says; this shows how much of each it touches.
#
#   scripts/bench/idle-working-set.sh [--settle S] [--interval S] [--samples N] BUILD ...
#
#   BUILD       "stock" (Samba's daemon, with this checkout's cluster script) or a checkout
#               of this repository whose out/bin holds the daemon (scripts/build.sh run there)
#   --settle    seconds between the cluster's start and the first sample (default 40)
#   --interval  seconds between clearing and reading (default 1)
#   --samples   samples per daemon; the report gives their mean (default 5)
#
# Prints one tab-separated line per build, node and mapping: the mapping is the file's name
# and permissions ("ctdb-recoverd r-xp": our code; "ctdbd r-xp": the C daemon's, which is a
# fork of ctdbd) or [anon], [heap], [stack]. Then one line per build and node: the total
# without the shared libraries every process maps (libc, libm, the dynamic loader): their
# pages are also marked referenced when other processes unmap them (ctdbd's forks that
# exit), so their numbers say little about the daemon. For the C daemon the same holds for
# ctdbd's code and Samba's libraries, which those forks share: its figures are upper bounds.
# Ours are not inflated that way: nothing else maps our binary, and our helpers are spawned
# (posix_spawn shares no page tables to unmap later).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=idle-cluster.sh
source "$here/scripts/bench/idle-cluster.sh"
settle=40 interval=1 samples=5
builds=()
die() { echo "idle-working-set.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --settle) settle=${2:?}; shift 2 ;;
        --interval) interval=${2:?}; shift 2 ;;
        --samples) samples=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) builds+=("$1"); shift ;;
    esac
done
[[ "$settle" =~ ^[0-9]+$ ]] && [ "$settle" -le 3600 ] || die "--settle must be 0-3600"
[[ "$interval" =~ ^[1-9][0-9]*$ ]] && [ "$interval" -le 60 ] || die "--interval must be 1-60"
[[ "$samples" =~ ^[1-9][0-9]*$ ]] && [ "$samples" -le 100 ] || die "--samples must be 1-100"
[ ${#builds[@]} -gt 0 ] || die "name at least one build (stock or a checkout)"
for b in "${builds[@]}"; do
    [[ "$b" =~ [[:space:]] ]] && die "'$b': no blanks in a build's path"
    if [ "$b" != stock ]; then
        [ -x "$b/scripts/cluster.sh" ] && [ -x "$b/out/bin/ctdb-recoverd" ] || die "$b is not a built checkout (run scripts/build.sh there)"
    fi
done

work=$(mktemp -d /tmp/idle-working-set.XXXXXX)
cluster="" checkout=""
cleanup() {
    [ -n "$cluster" ] && timeout 120 "$checkout/scripts/cluster.sh" stop --name "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Referenced KB by mapping of one process, summed into FILE (mapping<TAB>kb lines).
read_referenced() {
    awk '
        /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "[anon]"); sub(/.*\//, "", name); mapping = name " " $2; next }
        $1 == "Referenced:" && $2 > 0 { kb[mapping] += $2 }
        END { for (m in kb) printf "%s\t%d\n", m, kb[m] }
    ' "/proc/$1/smaps" >> "$2"
}

printf 'build\tnode\trole\tmapping\tkb_per_interval\n'
n=0
for build in "${builds[@]}"; do
    n=$((n + 1))
    checkout=$build mode=--ours
    if [ "$build" = stock ]; then checkout=$here mode=--stock; fi
    cluster="iws$$-$n"
    CTDBI_METRICS=no timeout 180 "$checkout/scripts/cluster.sh" start -n 3 $mode --name "$cluster" > "$work/start" 2>&1 \
        || { cat "$work/start" >&2; die "the cluster for $build did not start"; }
    sleep "$settle"
    leader=$(idle_cluster_leader "$checkout" "$cluster")
    declare -A pid=()
    for node in 0 1 2; do
        pid[$node]=$(idle_daemon_pid "$work/start" "$node")
        [ -n "${pid[$node]}" ] || die "no daemon pid for node $node of $build"
        : > "$work/ref.$node"
    done
    for _ in $(seq 1 "$samples"); do
        for node in 0 1 2; do echo 1 > "/proc/${pid[$node]}/clear_refs" || die "cannot clear node $node's accessed bits (daemon gone?)"; done
        sleep "$interval"
        for node in 0 1 2; do read_referenced "${pid[$node]}" "$work/ref.$node"; done
    done
    for node in 0 1 2; do
        role=other
        if [ "$node" = "$leader" ]; then role=leader; fi
        awk -F '\t' -v b="$build" -v n="$node" -v r="$role" -v s="$samples" '
            { kb[$1] += $2 }
            END {
                for (m in kb) { printf "%s\t%s\t%s\t%s\t%.0f\n", b, n, r, m, kb[m] / s | "sort -t \"\t\" -k5,5nr"
                    if (m !~ /^(libc\.so|libm\.so|ld-linux)/) own += kb[m] }
                close("sort -t \"\t\" -k5,5nr")
                printf "%s\t%s\t%s\twithout shared libraries\t%.0f\n", b, n, r, own / s
            }' "$work/ref.$node"
    done
    unset pid
    timeout 120 "$checkout/scripts/cluster.sh" stop --name "$cluster" >/dev/null 2>&1 || true
    cluster=""
done
