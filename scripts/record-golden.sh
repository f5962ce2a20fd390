#!/usr/bin/env bash
# Records real ctdbd 4.22.6 packets for the wire codec's golden tests.
#
# Starts a 3-node local ctdb cluster (Samba's tests/local_daemons.sh, test mode) inside a
# private network namespace on 127.0.0.x, then captures packets three ways with
# tests/tools/GoldenRecorder:
#   * proxy:   a `ctdb` tool run is pointed (CTDB_SOCKET) at a recording Unix-socket proxy
#              that relays to a node's real socket and logs every packet both ways;
#   * control: hand-built controls the tool never sends (GET_ALL_TUNABLES, RECD_PING, ...);
#   * listen:  registers srvids and logs the messages ctdbd delivers (leader broadcasts;
#              in phase 2, without a cluster lock, the election after the leader stops).
# Finally it stops the cluster and deletes the namespace. Every wait is bounded.
#
# usage: scripts/record-golden.sh [output-dir]   (default: tests/CtdbInterop.Bindings.Tests/GoldenData)
# Needs root (network namespace) and scripts/bootstrap.sh's packages.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${1:-$REPO/tests/CtdbInterop.Bindings.Tests/GoldenData}")
NS=cti-codec-golden
WORK=$(mktemp -d /tmp/cti-codec-golden.XXXXXX)
CLUSTER="$WORK/cluster"

log() { printf 'record-golden: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (network namespace)"
CTDB_SRC="$(bash "$REPO/scripts/bootstrap.sh")/ctdb"
[ -x "$CTDB_SRC/tests/local_daemons.sh" ] || die "no local_daemons.sh under $CTDB_SRC"

in_ns() { ip netns exec "$NS" env CTDB_TEST_MODE=yes "$@"; }
daemons() { (cd "$CTDB_SRC" && in_ns timeout 120 tests/local_daemons.sh "$CLUSTER" "$@"); }
node_socket() { printf '%s/node.%s/run/ctdbd.socket' "$CLUSTER" "$1"; }

cleanup() {
    set +e
    if ip netns list | grep -qw "$NS"; then
        [ -d "$CLUSTER" ] && daemons stop all >/dev/null 2>&1
        # Anything still alive in the namespace was started by this script.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -z "$(ip netns pids "$NS")" ] && break
            sleep 1
        done
        for pid in $(ip netns pids "$NS"); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

ip netns list | grep -qw "$NS" && die "namespace $NS already exists (another run?)"
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up

log "building GoldenRecorder"
dotnet build -nologo -v q -c Release -o "$WORK/recorder" "$REPO/tests/tools/GoldenRecorder/GoldenRecorder.csproj" >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; die "recorder build failed"; }
recorder() { in_ns dotnet "$WORK/recorder/GoldenRecorder.dll" "$@"; }

# Record into the work directory; the output folder is replaced only after a complete run.
CAPTURES="$WORK/captures"
mkdir -p "$CAPTURES"

# Public addresses on loopback inside the namespace (test mode never plumbs them).
printf '127.0.100.1/24 lo\n127.0.100.2/24 lo\n127.0.100.3/24 lo\n' >"$WORK/public_addresses"

# wait_healthy N: bounded wait until node 0 reports N nodes OK, recovery NORMAL and a leader.
wait_healthy() {
    local want=$1 out=""
    for _ in $(seq 1 60); do
        out=$(daemons onnode 0 ctdb status 2>&1 || true)
        if [ "$(grep -c ' OK' <<<"$out")" -ge "$want" ] && grep -q 'Recovery mode:NORMAL' <<<"$out" \
            && grep -Eq '^Leader:[0-9]+$' <<<"$out"; then
            return 0
        fi
        sleep 2
    done
    printf '%s\n' "$out" >&2
    die "cluster did not become healthy in 120 s"
}

start_cluster() {
    rm -rf "$CLUSTER"
    daemons setup -n 3 -P "$WORK/public_addresses" "$@" >/dev/null
    daemons start all >/dev/null
    wait_healthy 3
}

stop_cluster() {
    daemons stop all >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do
        [ -z "$(ip netns pids "$NS")" ] && return 0
        sleep 1
    done
    die "cluster did not stop in 20 s"
}

# capture NAME NODE ctdb-args...: one `ctdb` tool run through the recording proxy.
capture() {
    local name=$1 node=$2
    shift 2
    local sock="$WORK/proxy.sock" ready="$WORK/proxy.ready"
    rm -f "$ready"
    recorder proxy "$sock" "$(node_socket "$node")" "$CAPTURES/$name.capture" 30 >"$ready" &
    local proxy=$!
    for _ in $(seq 1 100); do
        grep -q listening "$ready" 2>/dev/null && break
        sleep 0.1
    done
    grep -q listening "$ready" || die "proxy for $name did not start"
    local status=0
    in_ns CTDB_BASE="$CLUSTER/node.$node" CTDB_SOCKET="$sock" timeout 30 ctdb "$@" >"$WORK/tool.out" 2>&1 || status=$?
    wait "$proxy" || die "proxy for $name failed"
    [ -s "$CAPTURES/$name.capture" ] || die "nothing recorded for $name (did ctdb ignore CTDB_SOCKET?)"
    {
        printf '# node %s: ctdb %s (exit %s)\n' "$node" "$*" "$status"
        sed 's/^/# | /' "$WORK/tool.out"
    } >>"$CAPTURES/$name.capture"
    log "recorded $name: ctdb $*"
}

# control NAME NODE spec...: hand-built controls sent to a node's socket.
control() {
    local name=$1 node=$2
    shift 2
    recorder control "$(node_socket "$node")" "$CAPTURES/$name.capture" "$@" || die "control capture $name failed"
    printf '# node %s\n' "$node" >>"$CAPTURES/$name.capture"
    log "recorded $name: $*"
}

CUR=0xF0000001
LEADER_SRVID=0xF101000000000000
ELECTION_SRVID=0xF100000000000000

log "phase 1: 3 nodes with a cluster lock"
start_cluster
daemons onnode 0 ctdb attach golden_volatile.tdb >/dev/null
daemons onnode 0 ctdb attach golden_persistent.tdb persistent >/dev/null

capture pnn 0 pnn
capture getpid 0 getpid
capture status 0 status
capture nodestatus 1 nodestatus
capture getcapabilities 0 getcapabilities
capture getreclock 0 getreclock
capture reloadnodes 0 reloadnodes
capture getdbmap 0 getdbmap
capture ip 0 ip
capture ip-all 0 ip all
capture ifaces 0 ifaces
capture runstate 0 runstate
capture getdebug 0 getdebug
capture listvars 0 listvars
capture leader 0 leader
capture ipreallocate 0 ipreallocate
capture ban 0 -n 2 ban 3
capture unban 0 -n 2 unban
wait_healthy 3

control getrecmode 0 "$CUR:15"
control setrecmode-normal 0 "$CUR:16:0:0:00000000"
control getalltunables 0 "$CUR:53"
control recdping 0 "$CUR:87"
# 0.0125 s as an IEEE-754 double, little endian.
control reclocklatency 0 "$CUR:98:0:0:9a9999999999893f"
# pnn 0 (the target itself, so ctdbd ignores it), new 0, old 2.
control modifyflags 0 "$CUR:52:0:0:000000000000000002000000"
control getpublicips-available 1 "$CUR:90:0x10000"
control getpublicips-all 1 "$CUR:90:0"
control getnodemap 2 "$CUR:91"
control getnodesfile 2 "$CUR:140"
control srvid-register-deregister 0 "$CUR:23:0:$LEADER_SRVID" "$CUR:24:0:$LEADER_SRVID"
control error-disconnected 0 "99:35"

recorder listen "$(node_socket 1)" "$CAPTURES/leader-broadcast.capture" 3 "$LEADER_SRVID" >/dev/null \
    || die "listen capture failed"
grep -q '^s2c 3[0-9a-f]000000.\{24\}05000000' "$CAPTURES/leader-broadcast.capture" \
    || die "no REQ_MESSAGE arrived for the leader srvid in 3 s"
log "recorded leader-broadcast"

stop_cluster

log "phase 2: 3 nodes without a cluster lock, leader stops, election messages"
start_cluster -C "cluster lock"
leader=$(daemons onnode 0 ctdb leader 2>/dev/null | tail -n 1)
[[ "$leader" =~ ^[0-2]$ ]] || die "no leader PNN: '$leader'"
watcher=$(( (leader + 1) % 3 ))
recorder listen "$(node_socket "$watcher")" "$CAPTURES/election.capture" 20 "$ELECTION_SRVID" "$LEADER_SRVID" >"$WORK/listen.ready" &
listener=$!
for _ in $(seq 1 100); do
    grep -q registered "$WORK/listen.ready" 2>/dev/null && break
    sleep 0.1
done
sleep 1
daemons onnode "$leader" ctdb shutdown >/dev/null 2>&1 || true
wait "$listener" || die "election listener failed"
printf '# node %s; leader %s was shut down after registering\n' "$watcher" "$leader" >>"$CAPTURES/election.capture"
grep -q "^s2c .\{64\}00000000000000f1" "$CAPTURES/election.capture" \
    || die "no election message arrived within 20 s"
log "recorded election (watcher $watcher, old leader $leader)"

capture status-one-down "$watcher" status
control error-to-stopped-node "$watcher" "$leader:35"

stop_cluster

{
    printf 'ctdb %s\n' "$(dpkg-query -W -f='${Version}' ctdb)"
    printf 'dotnet %s\n' "$(dotnet --version)"
    printf 'kernel %s\n' "$(uname -r)"
    printf 'recorded %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$CAPTURES/VERSIONS"
mkdir -p "$OUT"
rm -f "$OUT"/*.capture "$OUT"/VERSIONS
cp "$CAPTURES"/* "$OUT"/
log "done: $(ls "$OUT"/*.capture | wc -l) captures in $OUT"
