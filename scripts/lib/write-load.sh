#!/usr/bin/env bash
# Steady client load for scripts/rolling-upgrade.sh, meant to run inside the cluster's
# network namespace: round-robin over the nodes, each round writes a new key into the
# volatile database (ctdb writekey) and the persistent one (ctdb pstore), and reads a key
# of three rounds earlier back from the next node (readkey, pfetch). Every call is bounded
# (10 s). One line per call in OPS_LOG:
#   start end op db node key value rc        (times in seconds since the epoch)
# Stops when STOP_FILE exists.
#   write-load.sh CLUSTER_DIR OPS_LOG STOP_FILE [NODES]
set -u
dir=$1 log=$2 stop=$3 nodes=${4:-3}
vdb=faults_v.tdb pdb=faults_p.tdb

call() {
    local op=$1 db=$2 node=$3 key=$4 value=$5 t0 out rc; shift 5
    t0=$EPOCHREALTIME
    out=$(CTDB_TEST_MODE=yes CTDB_BASE="$dir/node.$node" timeout -k 1 10 ctdb "$@" 2>/dev/null)
    rc=$?
    if [ "$op" = r ] && [ $rc -eq 0 ]; then
        value=$out
        [ "$db" = v ] && value=$(sed -n 's/^Data: size:[0-9]* ptr:\[\(.*\)\]$/\1/p' <<<"$out")
        value=${value:--}
    fi
    echo "$t0 $EPOCHREALTIME $op $db $node $key $value $rc" >>"$log"
}

i=0
while [ ! -e "$stop" ]; do
    i=$((i + 1))
    n=$((i % nodes)) r=$(((i + 1) % nodes))
    v="v$i-$RANDOM"
    call w v "$n" "k$i" "$v" writekey "$vdb" "k$i" "$v"
    call w p "$n" "k$i" "$v" pstore "$pdb" "k$i" "$v"
    if [ $i -gt 3 ]; then
        call r v "$r" "k$((i - 3))" - readkey "$vdb" "k$((i - 3))"
        call r p "$r" "k$((i - 3))" - pfetch "$pdb" "k$((i - 3))"
    fi
    sleep 0.1
done
