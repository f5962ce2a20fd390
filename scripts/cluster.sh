#!/usr/bin/env bash
# Local CTDB cluster in its own network namespace, built with Samba's own
# tests/local_daemons.sh against the installed Debian ctdbd.
#
#   scripts/cluster.sh start  [-n N] [--stock|--ours] [--name NAME] [--classic] [--mixed K]
#   scripts/cluster.sh stop   [--name NAME]
#   scripts/cluster.sh status [--name NAME]
#   scripts/cluster.sh onnode [--name NAME] NODE CMD...   (run CMD as on node NODE: ctdb, ...)
#   scripts/cluster.sh socket [--name NAME] NODE          (print NODE's ctdbd socket path)
#   scripts/cluster.sh dir    [--name NAME]               (print the cluster directory)
#   scripts/cluster.sh restart-node [--name NAME] [--ours|--stock] NODE
#                                     (restart NODE's ctdbd; default: keep its recovery daemon)
#   scripts/cluster.sh metrics [--name NAME] NODE         (NODE's scrape: our metrics only)
#   scripts/cluster.sh ctdb   [--name NAME] NODE ARGS...  (the ctdb tool against node NODE)
#
# --ours runs our recovery daemon on every node (LD_PRELOAD shim + CTDB_RECOVERD);
# --mixed K runs it on nodes 0..K-1 only. --classic configures no cluster lock.
# Each cluster NAME lives in the namespace cti-NAME and in $CTDBI_CLUSTER_ROOT/NAME,
# so several clusters (tests, benchmarks) can run side by side.
# Every node writes its metrics to node.N/metrics (CTDB_RECOVERD_METRICS_DIR); where
# prometheus-node-exporter is installed, one node_exporter per node serves them on
# 127.0.0.(N+1):9100 inside the namespace (textfile collector only). CTDBI_METRICS=no
# switches metrics off (no files, no node_exporter), e.g. for side-by-side cost comparisons.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${CTDBI_CLUSTER_ROOT:-/var/tmp/ctdbinterop/clusters}
shim="$repo/out/lib/libctdb_recoverd_shim.so"
daemon="$repo/out/bin/ctdb-recoverd"

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
cmd=$1; shift

name=local nodes=3 mode=stock classic=false mixed="" mode_given=false
metrics=${CTDBI_METRICS:-yes}
while [ $# -gt 0 ]; do
    case "$1" in
        -n) nodes=$2; shift 2 ;;
        --name) name=$2; shift 2 ;;
        --stock) mode=stock; mode_given=true; shift ;;
        --ours) mode=ours; mode_given=true; shift ;;
        --mixed) mode=mixed; mixed=$2; shift 2 ;;
        --mixed=*) mode=mixed; mixed=${1#--mixed=}; shift ;;
        --classic) classic=true; shift ;;
        --) shift; break ;;
        -h|--help) usage ;;
        -*) die "unknown option $1" ;;
        *) break ;;
    esac
done

[[ "$name" =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "bad cluster name '$name'"
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || die "bad node count '$nodes'"
netns="cti-$name"
dir="$root/$name"

samba_ctdb() { "$repo/scripts/bootstrap.sh" 2>/dev/null | tail -n 1; }

# Runs Samba's local_daemons.sh inside the namespace, from the ctdb source dir
# (its bin/ of symlinks is how the scripts find the installed helpers).
local_daemons() {
    local ctdb_dir; ctdb_dir=$(samba_ctdb)/ctdb
    (cd "$ctdb_dir" && CTDB_TEST_MODE=yes ip netns exec "$netns" tests/local_daemons.sh "$dir" "$@")
}

node_pid() { cat "$dir/node.$1/run/ctdbd.pid" 2>/dev/null || true; }

recoverd_pid() {
    local p; p=$(node_pid "$1")
    [ -n "$p" ] || return 0
    pgrep -P "$p" -x ctdb_recoverd 2>/dev/null | head -n 1 || true
}

node_count() { [ -f "$dir/nodes" ] && grep -c . "$dir/nodes" || echo 0; }

node_address() { sed -n "$(( $1 + 1 ))p" "$dir/nodes"; }

exporter_bin() { command -v prometheus-node-exporter 2>/dev/null || command -v node_exporter 2>/dev/null || true; }

# One node_exporter per node on the node's own address, serving node.N/metrics only.
start_exporters() {
    local bin n addr; bin=$(exporter_bin)
    [ -n "$bin" ] || { echo "cluster.sh: prometheus-node-exporter not installed; metrics only as files" >&2; return 0; }
    for n in $(seq 0 $(( $(node_count) - 1 ))); do
        addr=$(node_address "$n")
        ip netns exec "$netns" "$bin" --web.listen-address="$addr:9100" \
            --collector.disable-defaults --collector.textfile \
            --collector.textfile.directory="$dir/node.$n/metrics" \
            >"$dir/node.$n/node_exporter.log" 2>&1 </dev/null &
        echo $! > "$dir/node.$n/node_exporter.pid"
    done
}

stop_exporters() {
    local f p
    for f in "$dir"/node.*/node_exporter.pid; do
        [ -f "$f" ] || continue
        p=$(cat "$f"); rm -f "$f"
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
}

# NODE's scrape over HTTP inside the namespace (the file itself without node_exporter).
metrics() {
    local n=$1 addr bin
    [ -d "$dir/node.$n" ] || die "no node $n in cluster '$name'"
    addr=$(node_address "$n"); bin=$(exporter_bin)
    if [ -n "$bin" ] && [ -f "$dir/node.$n/node_exporter.pid" ]; then
        ip netns exec "$netns" curl -sf --max-time 5 "http://$addr:9100/metrics" | grep -E '^(# (HELP|TYPE) )?ctdb_recoverd_' || true
    else
        cat "$dir/node.$n/metrics/ctdb_recoverd.prom"
    fi
}

healthy() {
    local out
    out=$(local_daemons onnode 0 ctdb status 2>/dev/null) || return 1
    [ "$(grep -c '^pnn:.* OK' <<<"$out")" -eq "$(node_count)" ] || return 1
    grep -q '^Recovery mode:NORMAL' <<<"$out" || return 1
    grep -Eq '^Leader:[0-9]+$' <<<"$out"
}

start() {
    if ip netns list 2>/dev/null | grep -qw "$netns"; then
        die "cluster '$name' already exists (scripts/cluster.sh stop --name $name)"
    fi
    if [ "$mode" != stock ]; then
        [ -x "$daemon" ] && [ -f "$shim" ] || die "our recovery daemon is not built yet ($daemon, $shim): run scripts/build.sh first"
    fi
    if [ "$mode" = mixed ]; then
        [[ "$mixed" =~ ^[0-9]+$ ]] && [ "$mixed" -le "$nodes" ] || die "--mixed K needs 0 <= K <= $nodes"
    fi
    samba_ctdb >/dev/null
    ip netns add "$netns"
    ip netns exec "$netns" ip link set lo up
    rm -rf "$dir"
    mkdir -p "$dir"
    local setup_opts=(-n "$nodes")
    $classic && setup_opts+=(-C "cluster lock")
    local_daemons setup "${setup_opts[@]}" >/dev/null
    local n
    for n in $(seq 0 $((nodes - 1))); do mkdir -p "$dir/node.$n/metrics"; done
    echo "$mode" > "$dir/mode"
    local ours=none
    case "$mode" in
        ours) ours=all ;;
        mixed) [ "$mixed" -gt 0 ] && ours=$(seq -s ' ' 0 $((mixed - 1))) ;;
    esac
    CTDBI_METRICS=$metrics CTDBI_OURS_NODES="$ours" CTDBI_SHIM="$shim" CTDBI_DAEMON="$daemon" \
        VALGRIND="$repo/scripts/lib/ctdbd-launcher.sh" local_daemons start all >/dev/null
    local deadline=$((SECONDS + 90))
    until healthy; do
        [ $SECONDS -lt $deadline ] || { status >&2 || true; die "cluster '$name' not healthy after 90 s"; }
        sleep 0.5
    done
    [ "$metrics" = yes ] && start_exporters
    echo "cluster '$name' started: $nodes nodes ($mode) in namespace $netns, directory $dir"
    status
}

stop() {
    if [ -d "$dir" ]; then
        stop_exporters
        local_daemons stop all >/dev/null 2>&1 || true
        local n p deadline
        for n in $(seq 0 $(( $(node_count) - 1 ))); do
            p=$(node_pid "$n")
            [ -n "$p" ] || continue
            deadline=$((SECONDS + 20))
            while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
            if kill -0 "$p" 2>/dev/null; then
                echo "cluster.sh: ctdbd $p of node $n did not stop; killing it" >&2
                kill -KILL "$p" 2>/dev/null || true
            fi
        done
    fi
    ip netns delete "$netns" 2>/dev/null || true
    echo "cluster '$name' stopped"
}

status() {
    [ -d "$dir" ] || die "no cluster '$name'"
    local_daemons onnode 0 ctdb status || true
    local n p r exe
    for n in $(seq 0 $(( $(node_count) - 1 ))); do
        p=$(node_pid "$n"); r=$(recoverd_pid "$n")
        exe=""; [ -n "$r" ] && exe=$(readlink "/proc/$r/exe" 2>/dev/null || true)
        printf 'node %s: ctdbd pid %s, recovery daemon pid %s (%s)\n' "$n" "${p:-none}" "${r:-none}" "${exe:-?}"
    done
}

# Stops one node's ctdbd (bounded, SIGKILL as a last resort) and starts it again with our
# recovery daemon or the stock one: rolling upgrades and fault tests switch nodes this way.
restart_node() {
    local n=$1 p r ours
    [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -lt "$(node_count)" ] || die "no node '$n' in cluster '$name'"
    if ! $mode_given; then
        r=$(recoverd_pid "$n"); mode=stock
        [ -n "$r" ] && [ "$(readlink "/proc/$r/exe" 2>/dev/null)" = "$daemon" ] && mode=ours
    fi
    p=$(node_pid "$n")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        # What "local_daemons.sh stop" runs, but bounded (a paused ctdbd never answers).
        CTDB_TEST_MODE=yes CTDB_BASE="$dir/node.$n" timeout 20 ctdb shutdown >/dev/null 2>&1 || true
        local deadline=$((SECONDS + 20))
        while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
        kill -0 "$p" 2>/dev/null && { kill -KILL "$p" 2>/dev/null || true; sleep 0.5; }
    fi
    ours=none; [ "$mode" = ours ] && ours=$n
    CTDBI_METRICS=$metrics CTDBI_OURS_NODES="$ours" CTDBI_SHIM="$shim" CTDBI_DAEMON="$daemon" \
        VALGRIND="$repo/scripts/lib/ctdbd-launcher.sh" local_daemons start "$n" >/dev/null
    echo "node $n restarted ($mode)"
}

case "$cmd" in
    start) start ;;
    restart-node) [ $# -eq 1 ] || usage; restart_node "$1" ;;
    stop) stop ;;
    status) status ;;
    onnode) [ $# -ge 2 ] || usage; local_daemons onnode "$@" ;;
    socket) [ $# -eq 1 ] || usage; echo "$dir/node.$1/run/ctdbd.socket" ;;
    dir) echo "$dir" ;;
    metrics) [ $# -eq 1 ] || usage; metrics "$1" ;;
    ctdb) [ $# -ge 2 ] || usage; n=$1; shift; local_daemons onnode "$n" ctdb "$@" ;;
    *) usage ;;
esac
