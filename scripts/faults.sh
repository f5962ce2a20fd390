#!/usr/bin/env bash
# Fault matrix on a real local 3-node cluster (issue 8, part 1).
#
#   scripts/faults.sh [--ours|--stock|--mixed=K] [--leader ours|stock|any] [--only F1,F2]
#                     [--out FILE] [--name NAME] [--keep] [--list]
#   scripts/faults.sh --attach --name NAME --only F   (run against a cluster started elsewhere,
#                                                      e.g. by the NUnit tests, after --prepare)
#   scripts/faults.sh --prepare --name NAME           (write the helper wrappers; prints the
#                                                      environment to start the cluster with)
#
# For every fault: wait until the cluster is healthy, put the leader on a node running the
# daemon named by --leader (mixed clusters; default ours), write records into a volatile
# and a persistent database, inject the fault, then require the cluster healthy again
# within the fault's bound, every record readable with its value on every node, and no
# ctdb call past its bound. Prints one Markdown table row per fault (appended to --out)
# and exits non-zero if any fault failed.
set -uo pipefail
# One brace group: bash reads it whole before running, so editing the file mid-run is safe.
{

FL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/faults-lib.sh
. "$FL_REPO/scripts/lib/faults-lib.sh"
# shellcheck source=lib/fault-cases.sh
. "$FL_REPO/scripts/lib/fault-cases.sh"

mode=--ours leader=ours only="" out="" name="" keep=false attach=false prepare=false
while [ $# -gt 0 ]; do
    case "$1" in
        --ours|--stock) mode=$1; shift ;;
        --mixed=*) mode=$1; shift ;;
        --mixed) mode=--mixed=$2; shift 2 ;;
        --leader) leader=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --name) name=$2; shift 2 ;;
        --keep) keep=true; shift ;;
        --attach) attach=true; shift ;;
        --prepare) prepare=true; shift ;;
        --list) printf '%s\n' "${FAULTS[@]}"; exit 0 ;;
        *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
case "$mode" in --ours|--stock) [ "$leader" = ours ] && leader=any ;; esac
[ "$mode" = --stock ] && leader=any

selected=("${FAULTS[@]}")
if [ -n "$only" ]; then
    IFS=, read -r -a selected <<<"$only"
    for f in "${selected[@]}"; do
        declare -F "fault_$f" >/dev/null || { echo "faults.sh: unknown fault '$f' (--list)" >&2; exit 2; }
    done
fi

name=${name:-faults-${mode#--}-$$}
name=${name//=/}
fl_init "$name"

if $prepare; then
    fl_write_wrappers
    echo "CTDBI_RECOVERY_HELPER=$FL_FDIR/recovery-helper"
    echo "CTDBI_TAKEOVER_HELPER=$FL_FDIR/takeover-helper"
    exit 0
fi

if ! $attach; then
    fl_write_wrappers
    rm -f "$FL_FDIR/hangs" "$FL_FDIR/lost" "$FL_FDIR"/*.calls
    fl_helper_env
    "$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1
    fl_log "starting cluster $name (${mode#--})"
    "$FL_REPO/scripts/cluster.sh" start --name "$name" -n 3 "$mode" >/dev/null \
        || { echo "faults.sh: cluster $name did not start" >&2; exit 1; }
    trap '$keep || "$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1' EXIT
fi
fl_set_tunables
fl_attach_databases || { echo "faults.sh: could not attach the test databases" >&2; exit 1; }

cluster_label() {
    local kinds="" n
    for n in $(fl_node_list); do kinds="$kinds$(fl_daemon_kind "$n" | cut -c1)"; done
    echo "${mode#--} ($kinds)"
}

passed=0 failed=0
run_fault() {
    local f=$1 tag healthy_after hangs_before hangs lost design ok=true why="" lkind
    FC_OBS="" FC_EXPECTED="" FC_BOUND=60 FC_LOSSY=""
    fc_restore_all
    if ! fl_wait_healthy 120 >/dev/null; then
        why="not healthy before the fault"; ok=false
    elif ! fl_place_leader "$leader"; then
        why="could not make a $leader node the leader"; ok=false
    fi
    FC_L=$(fl_leader); FC_L=${FC_L:-0}
    FC_V=$(fl_other_node "$FC_L")
    lkind=$(fl_daemon_kind "$FC_L")
    tag="$f-$RANDOM"
    if $ok && ! fl_write_records "$tag" "$FC_V"; then why="could not write the records"; ok=false; fi
    hangs_before=$(fl_hang_count)
    if $ok; then
        fl_log "fault $f: leader $FC_L ($lkind), victim $FC_V"
        "fault_$f" || { ok=false; why="fault check failed"; }
        healthy_after=$(fl_wait_healthy "$FC_BOUND") || { ok=false; why="${why:+$why; }not healthy within ${FC_BOUND} s"; }
        fc_restore_all
        fl_wait_healthy 60 >/dev/null || true
        read -r lost design < <(fl_check_records "$FC_LOSSY")
        local by_design=""
        [ "${design:-0}" -gt 0 ] && by_design=" ($design empty volatile reads of records held by banned/stopped nodes, by design)"
        [ "$lost" -eq 0 ] || { ok=false; why="${why:+$why; }$lost record reads missing or wrong"; }
        hangs=$(( $(fl_hang_count) - hangs_before ))
        [ "$hangs" -eq 0 ] || { ok=false; why="${why:+$why; }$hangs ctdb calls passed their bound"; }
        FC_OBS="$FC_OBS; healthy after ${healthy_after} s; $(( 2 * FL_KEYS )) records x $(fl_nodes) nodes read back, $lost bad$by_design; $hangs hung calls"
    fi
    local verdict=PASS
    $ok || verdict="FAIL${why:+ ($why)}"
    $ok && passed=$((passed + 1)) || failed=$((failed + 1))
    local row="| $f | $(cluster_label), leader $FC_L $lkind | $FC_EXPECTED | $FC_OBS | ${FC_BOUND} s | $verdict |"
    echo "$row"
    [ -n "$out" ] && echo "$row" >>"$out"
    fl_log "fault $f: $verdict"
}

for f in "${selected[@]}"; do run_fault "$f"; done
fl_log "$passed passed, $failed failed (cluster $name; hangs: $FL_FDIR/hangs, lost reads: $FL_FDIR/lost)"
[ "$failed" -eq 0 ]
exit
}
