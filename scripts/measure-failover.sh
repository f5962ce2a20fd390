#!/usr/bin/env bash
# Measures how long a local CTDB cluster takes to fail over when its leader goes away.
#
#   scripts/measure-failover.sh [--stock|--ours|--mixed=K] [--classic] [--event stop|ban|kill]
#                               [-n NODES] [--trials N] [--out FILE.tsv] [--ours-leads]
#
#   --stock / --ours / --mixed=K   recovery daemon (as scripts/cluster.sh; default --stock)
#   --classic                      no cluster lock (classic elections)
#   --event stop                   `ctdb stop` on the leader (default)
#           ban                    `ctdb ban 300` on the leader
#           kill                   SIGKILL of the leader's ctdbd
#   -n NODES                       cluster size (default 3)
#   --trials N                     trials (default 10)
#   --ours-leads                   with --mixed=K: before the event, steer leadership onto one
#                                  of our nodes 0..K-1 (stock peers then see our resignation)
#   --out FILE.tsv                 per-trial results (default failover-<mode>-<lock>-<event>.tsv);
#                                  FILE.log next to it gets the trials' diagnostics
#
# Every trial runs on a fresh cluster in its own network namespace (cluster name
# failover-<pid>-<trial>). scripts/measure-failover-trial.cs waits until the cluster is quiet
# (including the re-recovery suppression after the start-up recovery), triggers the event and
# measures from just before it, in ms:
#   agree    every active node has received a LEADER broadcast naming the same new leader
#            (the moment `ctdb leader` on every active node would name it);
#   healthy  every active node is in recovery mode NORMAL and `ctdb writekey` of a record
#            last written on the old leader completes on an active node other than the new
#            leader (polled every 50 ms).
# Every wait is bounded: 60 s per measurement, 300 s per trial.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cluster="$repo/scripts/cluster.sh"
probe_src="$repo/scripts/measure-failover-trial.cs"
probe_dir="$repo/out/measure-failover"

die() { echo "measure-failover.sh: $*" >&2; exit 1; }
usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

mode_opt=(--stock) mode=stock classic=false event=stop nodes=3 trials=10 out="" ours_leads=false
while [ $# -gt 0 ]; do
    case "$1" in
        --stock) mode_opt=(--stock); mode=stock; shift ;;
        --ours) mode_opt=(--ours); mode=ours; shift ;;
        --mixed=*) mode_opt=("--mixed=${1#--mixed=}"); mode="mixed${1#--mixed=}"; shift ;;
        --mixed) [ $# -ge 2 ] || usage; mode_opt=("--mixed=$2"); mode="mixed$2"; shift 2 ;;
        --classic) classic=true; shift ;;
        --event) [ $# -ge 2 ] || usage; event=$2; shift 2 ;;
        --event=*) event=${1#--event=}; shift ;;
        -n) [ $# -ge 2 ] || usage; nodes=$2; shift 2 ;;
        --trials) [ $# -ge 2 ] || usage; trials=$2; shift 2 ;;
        --trials=*) trials=${1#--trials=}; shift ;;
        --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        --out=*) out=${1#--out=}; shift ;;
        --ours-leads) ours_leads=true; shift ;;
        -h|--help) usage ;;
        *) die "unknown option $1" ;;
    esac
done

case "$event" in stop|ban|kill) ;; *) die "--event must be stop, ban or kill" ;; esac
[[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 2 ] || die "-n needs at least 2 nodes"
[[ "$trials" =~ ^[1-9][0-9]*$ ]] || die "--trials must be a positive number"
lock=lock
cluster_opts=("${mode_opt[@]}" -n "$nodes")
if $classic; then lock=classic; cluster_opts+=(--classic); fi
steer=()
if $ours_leads; then
    [[ "$mode" == mixed* ]] || die "--ours-leads needs --mixed=K"
    k=${mode#mixed}
    [ "$k" -ge 1 ] && [ "$k" -lt "$nodes" ] || die "--ours-leads needs 1 <= K < NODES"
    steer=(--leader-among "$(seq -s , 0 $((k - 1)))")
    mode="$mode-oursleads"
fi
[ -n "$out" ] || out="failover-$mode-$lock-$event.tsv"
log="${out%.tsv}.log"

echo "measure-failover: building the trial program" >&2
dotnet build "$probe_src" -nologo -v quiet -clp:ErrorsOnly -o "$probe_dir" >&2 \
    || die "building $probe_src failed"

current=""
cleanup() {
    if [ -n "$current" ]; then
        "$cluster" stop --name "$current" >/dev/null 2>&1 || true
        current=""
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

printf 'trial\trecoverd\tlock\tevent\tnodes\told_leader\tnew_leader\tagree_ms\thealthy_ms\toutcome\n' > "$out"
: > "$log"
echo "measure-failover: $trials trials, $mode, $lock, event $event, $nodes nodes -> $out" >&2
printf '%-6s %-10s %-10s %9s %10s  %s\n' trial old_leader new_leader agree_ms healthy_ms outcome

for trial in $(seq 1 "$trials"); do
    current="failover-$$-$trial" dir=""
    echo "=== trial $trial: cluster $current" >> "$log"
    if ! "$cluster" start --name "$current" "${cluster_opts[@]}" >> "$log" 2>&1; then
        line=$(printf -- '-\t-\t-\t-\tcluster-start-failed')
    else
        dir=$("$cluster" dir --name "$current")
        line=$(timeout 300 dotnet "$probe_dir/measure-failover-trial.dll" \
                   --dir "$dir" --nodes "$nodes" --event "$event" "${steer[@]}" 2>> "$log") \
            || line=$(printf -- '-\t-\t-\t-\ttrial-error')
        [ -n "$line" ] || line=$(printf -- '-\t-\t-\t-\ttrial-error')
    fi
    "$cluster" stop --name "$current" >> "$log" 2>&1 || true
    case "$line" in
        *$'\t'ok) rm -rf "${dir:?}" ;;  # keep the logs of failed trials only
        *) echo "trial $trial: kept cluster directory ${dir:-?} for its logs" >> "$log" ;;
    esac
    current=""
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$trial" "$mode" "$lock" "$event" "$nodes" "$line" >> "$out"
    IFS=$'\t' read -r old new agree healthy outcome <<< "$line"
    printf '%-6s %-10s %-10s %9s %10s  %s\n' "$trial" "$old" "$new" "$agree" "$healthy" "$outcome"
done

# Summary over the trials that completed: median, minimum and maximum of both times.
awk -F '\t' '
    NR > 1 && $10 == "ok" { n++; a[n] = $8; h[n] = $9 }
    NR > 1 { total++ }
    function sort(v, m,   i, j, t) { for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t } }
    function median(v, m) { return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
    END {
        printf "summary: %d of %d trials ok\n", n, total
        if (n == 0) exit
        sort(a, n); sort(h, n)
        printf "  agree_ms    median %8.0f  min %8.0f  max %8.0f\n", median(a, n), a[1], a[n]
        printf "  healthy_ms  median %8.0f  min %8.0f  max %8.0f\n", median(h, n), h[1], h[n]
    }' "$out"
