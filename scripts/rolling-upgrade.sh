#!/usr/bin/env bash
# Rolling upgrade under a write load (issue 8, part 3).
#
#   scripts/rolling-upgrade.sh [--out FILE] [--settle S] [--only upgrade|baseline]
#   scripts/rolling-upgrade.sh --summarize faults-ru-upgrade-PID   (a finished run's row again)
#
# upgrade:  a 3-node stock cluster under scripts/lib/write-load.sh (run inside the cluster's
#           namespace) has each ctdbd restarted with our recovery daemon, node by node, then
#           each restarted with the stock one again.
# baseline: the same six node-by-node restarts of an all-stock cluster (stock -> stock).
# After each restart the cluster must be healthy again (bounded, 90 s), then the load runs
# S more seconds (default 10). Every acknowledged write is read back at the end. Results
# (failed and slow calls, split into calls to the restarting node and to the others; lost
# writes) are printed as Markdown rows and appended to FILE.
set -uo pipefail
# One brace group: bash reads it whole before running, so editing the file mid-run is safe.
{

FL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/faults-lib.sh
. "$FL_REPO/scripts/lib/faults-lib.sh"

out="" settle=10 only="" again=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --summarize) again=$2; shift 2 ;;   # NAME of an earlier run: its row again
        *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done

SLOW_MS=1000

# run_scenario LABEL DAEMON_UP DAEMON_DOWN: restart nodes 0..2 with DAEMON_UP, then with DAEMON_DOWN.
run_scenario() {
    local label=$1 up=$2 down=$3 name n step kind
    name="faults-ru-$label-$$"
    fl_init "$name"
    rm -f "$FL_FDIR"/{ops,restarts,stop,hangs,readback}
    "$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1
    fl_log "$label: starting stock cluster $name"
    "$FL_REPO/scripts/cluster.sh" start --name "$name" -n 3 --stock >/dev/null || { fl_log "cluster did not start"; return 1; }
    fl_attach_databases || { fl_log "attach failed"; return 1; }
    ip netns exec "$FL_NETNS" bash "$FL_REPO/scripts/lib/write-load.sh" "$FL_DIR" "$FL_FDIR/ops" "$FL_FDIR/stop" 3 &
    local load=$!
    sleep "$settle"
    for step in "$up" "$down"; do
        for n in 0 1 2; do
            echo "start $n $EPOCHREALTIME $step" >>"$FL_FDIR/restarts"
            timeout 90 "$FL_REPO/scripts/cluster.sh" restart-node --name "$name" "--$step" "$n" >/dev/null 2>&1 \
                || fl_log "$label: restart of node $n failed"
            local took; took=$(fl_wait_healthy 90) || fl_log "$label: not healthy 90 s after restarting node $n"
            kind=$(fl_daemon_kind "$n")
            echo "end $n $EPOCHREALTIME $kind" >>"$FL_FDIR/restarts"
            fl_log "$label: node $n now runs $kind (healthy after $took s)"
            sleep "$settle"
        done
    done
    touch "$FL_FDIR/stop"
    local deadline=$((SECONDS + 30))
    while kill -0 "$load" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    kill "$load" 2>/dev/null; wait "$load" 2>/dev/null
    # Read every acknowledged write back (from node 0; volatile records move there).
    local op db node key value rc got
    while read -r _ _ op db node key value rc; do
        [ "$op" = w ] && [ "$rc" = 0 ] || continue
        if [ "$db" = v ]; then
            got=$(fl_ctdb 0 10 readkey "$FL_VDB" "$key" 2>/dev/null | sed -n 's/^Data: size:[0-9]* ptr:\[\(.*\)\]$/\1/p')
        else
            got=$(fl_ctdb 0 10 pfetch "$FL_PDB" "$key" 2>/dev/null)
        fi
        echo "$db $key $value ${got:--}" >>"$FL_FDIR/readback"
    done <"$FL_FDIR/ops"
    "$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1
    summarize "$label" "$up -> $down"
}

# One Markdown row from the ops log, the restart windows and the read-back. A volatile
# record lives on the node that last wrote or read it (readkey migrates it); when that
# node's ctdbd restarts later (or was already shutting down when it acknowledged the
# write), losing the record is CTDB's design, so those are counted apart. Persistent records must all survive.
summarize() {
    awk -v label="$1" -v switch="$2" -v slow="$SLOW_MS" '
        FILENAME ~ /restarts$/ {
            if ($1 == "start") { ws[++nw] = $3; wn[nw] = $2 } else { we[nw] = $3 }
            next
        }
        FILENAME ~ /ops$/ {
            t0 = $1; t1 = $2; op = $3; db = $4; node = $5; key = $6; rc = $8
            restarting = 0
            for (i = 1; i <= nw; i++) if (wn[i] == node && t1 >= ws[i] && t0 <= we[i] + 5) restarting = 1
            calls++; lat = (t1 - t0) * 1000
            if (rc == 124 || rc == 137) hangs++
            if (lat > maxlat) maxlat = lat
            if (restarting) { rcalls++; if (rc != 0) rfail++; else if (lat > slow) rslow++ }
            else { ocalls++; if (rc != 0) { ofail++ } else if (lat > slow) oslow++ }
            if (db == "v" && rc == 0 && (op == "w" || (op == "r" && $7 != "-"))) { holder[key] = node; held[key] = t1 }
            next
        }
        {
            db = $1; key = $2; want = $3; got = $4
            if (db == "p") { pw++; if (got != want) plost++; next }
            vw++
            if (got == want) next
            moved = 0
            for (i = 1; i <= nw; i++) if (wn[i] == holder[key] && we[i] > held[key]) moved = 1
            if (moved) vdesign++; else vlost++
        }
        END {
            printf "| %s | %s | %d | %d / %d | %d / %d | %d / %d | %d | %d / %d lost | %d / %d lost (+%d lost with their node'"'"'s restart, by design) | %.0f ms |\n",
                label, switch, calls, rfail, rcalls, ofail, ocalls, oslow, ocalls, hangs, plost, pw, vlost, vw, vdesign, maxlat
        }' "$FL_FDIR/restarts" "$FL_FDIR/ops" "$FL_FDIR/readback" | tee -a "${out:-/dev/null}"
}

if [ -n "$again" ]; then
    fl_init "$again"
    case "$again" in *-upgrade-*) summarize upgrade "ours -> stock" ;; *) summarize baseline "stock -> stock" ;; esac
    exit 0
fi
echo "| run | restarts | calls | failed / calls to the restarting node | failed / calls to other nodes | slow (> ${SLOW_MS} ms) / calls to other nodes | calls past bound | persistent writes | volatile writes | slowest call |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
[ -z "$only" ] || [ "$only" = upgrade ] && run_scenario upgrade ours stock
[ -z "$only" ] || [ "$only" = baseline ] && run_scenario baseline stock stock
exit 0
exit
}
