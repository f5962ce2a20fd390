#!/usr/bin/env bash
# Soak (issue 8, part 5): random faults from the matrix on one 3-node cluster for a given
# time, each followed by the matrix's invariant checks (healthy with a single leader after
# settling, every record written before the fault read back with its value on every node,
# no ctdb call past its bound).
#
#   scripts/soak.sh [--duration SECONDS] [--ours|--mixed=K] [--faults F1,F2,...] [--out FILE]
#
# Every fault's row goes to the log ($CTDBI_SOAK_LOG or /var/tmp/ctdbinterop/faults/soak-PID.log);
# the summary (per fault: runs, violations) is printed at the end and appended to FILE.
set -uo pipefail
# One brace group: bash reads it whole before running, so editing the file mid-run is safe.
{

FL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/faults-lib.sh
. "$FL_REPO/scripts/lib/faults-lib.sh"
# shellcheck source=lib/fault-cases.sh
. "$FL_REPO/scripts/lib/fault-cases.sh"

duration=3600 mode=--ours faults="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration=$2; shift 2 ;;
        --ours) mode=$1; shift ;;
        --mixed=*) mode=$1; shift ;;
        --faults) faults=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
pool=("${FAULTS[@]}")
[ -n "$faults" ] && IFS=, read -r -a pool <<<"$faults"

name="faults-soak-$$"
fl_init "$name"
log=${CTDBI_SOAK_LOG:-$FL_FAULT_ROOT/soak-$$.log}
faults_sh="$FL_REPO/scripts/faults.sh"
while IFS= read -r line; do export "${line?}"; done < <("$faults_sh" --prepare --name "$name")
"$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1
trap '"$FL_REPO/scripts/cluster.sh" stop --name "$name" >/dev/null 2>&1' EXIT
"$FL_REPO/scripts/cluster.sh" start --name "$name" -n 3 "$mode" >/dev/null || { echo "soak: cluster did not start" >&2; exit 1; }

echo "soak: $duration s of random faults (${pool[*]}) on $name (${mode#--}); log $log" | tee -a "$log"
declare -A runs=() bad=()
start=$SECONDS total=0 violations=0
while [ $((SECONDS - start)) -lt "$duration" ]; do
    f=${pool[$((RANDOM % ${#pool[@]}))]}
    row=$(timeout 600 "$faults_sh" --attach --name "$name" "$mode" --leader any --only "$f" 2>>"$log" | grep "^| $f |")
    [ -n "$row" ] || row="| $f | ? | ? | no result (faults.sh timed out or crashed) | ? | FAIL |"
    echo "$(date -u +%H:%M:%S) $row" >>"$log"
    total=$((total + 1)); runs[$f]=$(( ${runs[$f]:-0} + 1 ))
    if [[ "$row" != *"| PASS |" ]]; then
        violations=$((violations + 1)); bad[$f]=$(( ${bad[$f]:-0} + 1 ))
    fi
done

{
    echo "Soak: $(( SECONDS - start )) s, ${mode#--} cluster, $total faults, $violations violations (log $log)"
    echo
    echo "| fault | runs | violations |"
    echo "| --- | --- | --- |"
    for f in $(printf '%s\n' "${!runs[@]}" | sort); do echo "| $f | ${runs[$f]} | ${bad[$f]:-0} |"; done
} | tee -a "$log" "${out:-/dev/null}"
[ "$violations" -eq 0 ]
exit
}
