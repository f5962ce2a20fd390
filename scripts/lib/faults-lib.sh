# shellcheck shell=bash
# Shared pieces of scripts/faults.sh, scripts/soak.sh and scripts/rolling-upgrade.sh:
# bounded ctdb calls, cluster health, leader placement, records written before a fault
# and read back after it, and the fault-injecting helper wrappers.
#
# Callers set FL_REPO and call fl_init NAME first. Every ctdb call goes through fl_ctdb,
# which is bounded; a call killed at its bound is logged in $FL_FDIR/hangs.

FL_ROOT=${CTDBI_CLUSTER_ROOT:-/var/tmp/ctdbinterop/clusters}
FL_FAULT_ROOT=/var/tmp/ctdbinterop/faults
FL_VDB=faults_v.tdb
FL_PDB=faults_p.tdb
FL_KEYS=${FL_KEYS:-8}

fl_log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

fl_init() {
    FL_NAME=$1
    FL_DIR=$FL_ROOT/$FL_NAME
    FL_FDIR=$FL_FAULT_ROOT/$FL_NAME
    FL_NETNS=cti-$FL_NAME
    mkdir -p "$FL_FDIR"
}

fl_cluster() { "$FL_REPO/scripts/cluster.sh" "$@"; }

fl_nodes() { grep -c . "$FL_DIR/nodes" 2>/dev/null || echo 0; }

fl_node_list() { seq 0 $(( $(fl_nodes) - 1 )); }

# fl_ctdb NODE BOUND ARGS...: the real ctdb tool as on NODE, killed after BOUND seconds.
fl_ctdb() {
    local node=$1 bound=$2 rc; shift 2
    CTDB_TEST_MODE=yes CTDB_BASE="$FL_DIR/node.$node" timeout -k 2 "$bound" ctdb "$@" && return 0
    rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "$(date -u +%H:%M:%S) node $node: ctdb $* passed its ${bound}s bound" >>"$FL_FDIR/hangs"
    fi
    return $rc
}

fl_hang_count() { [ -f "$FL_FDIR/hangs" ] && grep -c . "$FL_FDIR/hangs" || echo 0; }

fl_ctdbd_pid() { cat "$FL_DIR/node.$1/run/ctdbd.pid" 2>/dev/null || true; }

fl_recoverd_pid() {
    local p; p=$(fl_ctdbd_pid "$1")
    [ -n "$p" ] || return 0
    pgrep -P "$p" -x ctdb_recoverd 2>/dev/null | head -n 1 || true
}

# "ours" or "stock": which recovery daemon NODE runs now.
fl_daemon_kind() {
    local r; r=$(fl_recoverd_pid "$1")
    [ -n "$r" ] && [ "$(readlink "/proc/$r/exe" 2>/dev/null)" = "$FL_REPO/out/bin/ctdb-recoverd" ] && { echo ours; return; }
    echo stock
}

# The leader as NODE sees it (empty without an answer). Without a leader the tool waits its
# whole control timeout (-T, default 10 s) for a leader broadcast, then says UNKNOWN.
fl_leader_seen_by() { fl_ctdb "$1" 8 -T 3 leader 2>/dev/null | tr -dc '0-9'; }

# The leader every node agrees on, else empty.
fl_leader() {
    local n l seen=""
    for n in $(fl_node_list); do
        l=$(fl_leader_seen_by "$n")
        [ -n "$l" ] || return 0
        [ -z "$seen" ] || [ "$seen" = "$l" ] || return 0
        seen=$l
    done
    echo "$seen"
}

# Healthy: every node answers, sees every node OK, recovery mode NORMAL and the same leader.
fl_healthy() {
    local n out count leaders=""
    count=$(fl_nodes)
    for n in $(fl_node_list); do
        out=$(fl_ctdb "$n" 8 -T 3 status 2>/dev/null) || return 1
        [ "$(grep -c '^pnn:.* OK' <<<"$out")" -eq "$count" ] || return 1
        grep -q '^Recovery mode:NORMAL' <<<"$out" || return 1
        leaders="$leaders $(sed -n 's/^Leader:\([0-9]*\)$/\1/p' <<<"$out")"
    done
    [ "$(tr ' ' '\n' <<<"$leaders" | grep -c .)" -eq "$count" ] || return 1
    [ "$(tr ' ' '\n' <<<"$leaders" | grep . | sort -u | wc -l)" -eq 1 ]
}

# fl_wait_healthy BOUND: prints the seconds it took; fails after BOUND seconds.
fl_wait_healthy() {
    local bound=$1 start=$SECONDS
    until fl_healthy; do
        [ $((SECONDS - start)) -lt "$bound" ] || { echo $((SECONDS - start)); return 1; }
        sleep 1
    done
    echo $((SECONDS - start))
}

# fl_wait BOUND CMD...: polls CMD every 0.5 s; fails after BOUND seconds.
fl_wait() {
    local bound=$1 start=$SECONDS; shift
    until "$@"; do
        [ $((SECONDS - start)) -lt "$bound" ] || return 1
        sleep 0.5
    done
}

# Tunables for a test cluster: bans short enough to end within a fault's bound. Kept in
# ctdb.tunables too so that restarted nodes get them.
fl_set_tunables() {
    local n
    for n in $(fl_node_list); do
        echo "RecoveryBanPeriod=20" >"$FL_DIR/node.$n/ctdb.tunables"
        fl_ctdb "$n" 10 setvar RecoveryBanPeriod 20 >/dev/null || true
    done
}

fl_attach_databases() {
    fl_ctdb 0 20 attach "$FL_VDB" >/dev/null && fl_ctdb 0 20 attach "$FL_PDB" persistent >/dev/null
}

# fl_write_records TAG [EXCLUDED_NODE]: FL_KEYS keys in the volatile and in the persistent
# database, written from the nodes in turn (not from EXCLUDED_NODE: a restarted ctdbd starts
# with empty volatile databases, so records only it held are lost by design). Only writes
# that were acknowledged go into $FL_FDIR/expected.
fl_write_records() {
    local tag=$1 excluded=${2:-} i n writers=() k v
    for n in $(fl_node_list); do [ "$n" = "$excluded" ] || writers+=("$n"); done
    : >"$FL_FDIR/expected"
    for i in $(seq 1 "$FL_KEYS"); do
        n=${writers[$(( i % ${#writers[@]} ))]}
        k="$tag-k$i"; v="$tag-v$i-$RANDOM"
        fl_ctdb "$n" 10 writekey "$FL_VDB" "$k" "$v" >/dev/null 2>&1 && echo "v $k $v $n" >>"$FL_FDIR/expected"
        fl_ctdb "$n" 10 pstore "$FL_PDB" "$k" "$v" >/dev/null 2>&1 && echo "p $k $v $n" >>"$FL_FDIR/expected"
    done
    [ "$(grep -c . "$FL_FDIR/expected")" -eq $((2 * FL_KEYS)) ]
}

# fl_check_records [LOSSY_NODES]: every expected record, read on every node, has its value.
# A volatile record whose only copy was on a node in LOSSY_NODES (banned or stopped during
# the fault: ctdbd drops an inactive node's volatile data at the next recovery, by design)
# may be missing; it is counted apart. Prints "BAD DESIGN_LOSSES".
fl_check_records() {
    local lossy=" ${1:-} " kind k v writer n got bad=0 design=0
    while read -r kind k v writer; do
        for n in $(fl_node_list); do
            if [ "$kind" = v ]; then
                got=$(fl_ctdb "$n" 10 readkey "$FL_VDB" "$k" 2>/dev/null | sed -n 's/^Data: size:[0-9]* ptr:\[\(.*\)\]$/\1/p')
            else
                got=$(fl_ctdb "$n" 10 pfetch "$FL_PDB" "$k" 2>/dev/null)
            fi
            [ "$got" = "$v" ] && continue
            if [ "$kind" = v ] && [ -z "$got" ] && [[ "$lossy" == *" $writer "* ]]; then
                design=$((design + 1))
                continue
            fi
            bad=$((bad + 1))
            echo "$(date -u +%H:%M:%S) node $n: $kind $k = '$got', expected '$v' (written on node $writer)" >>"$FL_FDIR/lost"
        done
    done <"$FL_FDIR/expected"
    echo "$bad $design"
}

# --- fault-injecting helper wrappers ---------------------------------------------------
# CTDB_RECOVERY_HELPER / CTDB_TAKEOVER_HELPER point at these for the whole run (the
# recovery daemon checks them at start-up). Without a mode file they exec the real helper;
# with one ("crash", "exit1", "hang", "garbage", "slow") they misbehave that many times
# ($kind.left), then work again.
fl_write_wrappers() {
    local kind real
    for kind in recovery takeover; do
        real=/usr/libexec/ctdb/ctdb_${kind}_helper
        cat >"$FL_FDIR/$kind-helper" <<EOF
#!/bin/bash
# Fault-injecting wrapper around $real (scripts/lib/faults-lib.sh).
d=$FL_FDIR kind=$kind
mode=\$(cat "\$d/\$kind.mode" 2>/dev/null); left=\$(cat "\$d/\$kind.left" 2>/dev/null || echo 0)
echo "\$(date -u +%H:%M:%S.%N) \$\$ \${mode:-none} \$left" >>"\$d/\$kind.calls"
if [ -n "\$mode" ] && [ "\$left" -gt 0 ]; then
    echo \$((left - 1)) >"\$d/\$kind.left"
    echo \$\$ >"\$d/\$kind.running"
    case "\$mode" in
        crash) kill -SEGV \$\$ ;;
        exit1) exit 1 ;;
        hang) sleep "\$(cat "\$d/hang-seconds" 2>/dev/null || echo 25)"; exit 1 ;;
        garbage) printf 'not-a-result-%s' "\$RANDOM" >&"\$1"; echo "garbage on stdout"; exit 0 ;;
        slow) sleep 5 ;;
    esac
fi
exec $real "\$@"
EOF
        chmod 0755 "$FL_FDIR/$kind-helper"
        rm -f "$FL_FDIR/$kind.mode" "$FL_FDIR/$kind.left" "$FL_FDIR/$kind.running"
    done
}

fl_helper_env() {
    export CTDBI_RECOVERY_HELPER="$FL_FDIR/recovery-helper" CTDBI_TAKEOVER_HELPER="$FL_FDIR/takeover-helper"
}

# fl_helper_fault KIND MODE TIMES
fl_helper_fault() {
    rm -f "$FL_FDIR/$1.running"
    echo "$3" >"$FL_FDIR/$1.left"
    echo "$2" >"$FL_FDIR/$1.mode"
}

fl_helper_clear() { rm -f "$FL_FDIR/$1.mode" "$FL_FDIR/$1.left"; }

fl_helper_calls() { [ -f "$FL_FDIR/$1.calls" ] && grep -c . "$FL_FDIR/$1.calls" || echo 0; }

# fl_place_leader ours|stock|any: makes a node running that daemon the leader (turning the
# leader role off elsewhere until it leads, then on again).
fl_place_leader() {
    local want=$1 l n cands=()
    [ "$want" = any ] && return 0
    for n in $(fl_node_list); do [ "$(fl_daemon_kind "$n")" = "$want" ] && cands+=("$n"); done
    [ ${#cands[@]} -gt 0 ] || return 1
    l=$(fl_leader)
    [ -n "$l" ] && [ "$(fl_daemon_kind "$l")" = "$want" ] && return 0
    for n in $(fl_node_list); do
        [ "$(fl_daemon_kind "$n")" = "$want" ] || fl_ctdb "$n" 10 setleaderrole off >/dev/null 2>&1 || true
    done
    fl_wait 40 fl_leader_is "$want"
    local rc=$?
    for n in $(fl_node_list); do fl_ctdb "$n" 10 setleaderrole on >/dev/null 2>&1 || true; done
    [ $rc -eq 0 ] && fl_wait_healthy 60 >/dev/null && fl_leader_is "$want"
}

fl_leader_is() { local l; l=$(fl_leader); [ -n "$l" ] && [ "$(fl_daemon_kind "$l")" = "$1" ]; }

# A node other than NODE (the next one up).
fl_other_node() { echo $(( ($1 + 1) % $(fl_nodes) )); }
