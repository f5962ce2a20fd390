#!/usr/bin/env bash
# Runs Samba's own ctdb/tests/INTEGRATION tests (from the 4.22.6 tarball, with
# tests/run_tests.sh and local daemons) inside a network namespace of their own.
#
#   scripts/samba-suite.sh [--ours|--stock|--mixed=K] [--list FILE] [--out FILE] [TEST...]
#
# TEST is a path below tests/INTEGRATION (e.g. simple/cluster.001.stop_leader_yield.sh);
# --list reads them from a file ('#' comments allowed; "all" = every test). Writes a
# result table (name, result, seconds) as Markdown to --out (default: stdout only) and
# ends with "N passed, N failed".
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=stock mixed=0 list="" out="" tests=()
while [ $# -gt 0 ]; do
    case "$1" in
        --ours) mode=ours; shift ;;
        --stock) mode=stock; shift ;;
        --mixed=*) mode=mixed; mixed=${1#--mixed=}; shift ;;
        --list) list=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
        -*) echo "samba-suite.sh: unknown option $1" >&2; exit 2 ;;
        *) tests+=("$1"); shift ;;
    esac
done

ctdb_dir=$("$repo/scripts/bootstrap.sh" | tail -n 1)/ctdb
if [ -n "$list" ]; then
    if [ "$(grep -v '^#' "$list" | xargs)" = all ]; then
        mapfile -t -O "${#tests[@]}" tests < <(cd "$ctdb_dir/tests/INTEGRATION" && ls -1 */*.sh | sort)
    else
        mapfile -t -O "${#tests[@]}" tests < <(grep -Ev '^\s*(#|$)' "$list")
    fi
fi
[ ${#tests[@]} -gt 0 ] || { echo "samba-suite.sh: no tests given" >&2; exit 2; }

case "$mode" in
    ours) ours=all ;;
    mixed) ours=$(seq -s ' ' 0 $((mixed - 1)) 2>/dev/null) ; [ -n "$ours" ] || ours=none ;;
    *) ours=none ;;
esac
if [ "$ours" != none ]; then
    [ -x "$repo/out/bin/ctdb-recoverd" ] && [ -f "$repo/out/lib/libctdb_recoverd_shim.so" ] ||
        { echo "samba-suite.sh: run scripts/build.sh first (no out/bin/ctdb-recoverd)" >&2; exit 2; }
fi

netns="cti-suite-$$"
state=$(mktemp -d /var/tmp/ctdbinterop-suite.XXXXXX)
logs="$state/logs"; mkdir -p "$logs"
cleanup() { ip netns delete "$netns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$netns"
ip netns exec "$netns" ip link set lo up

label=$mode; [ "$mode" = mixed ] && label="mixed=$mixed"
table="| test | result | seconds |\n| --- | --- | --- |\n"
passed=0 failed=0
for t in "${tests[@]}"; do
    log="$logs/$(echo "$t" | tr '/' '_').log"
    start=$SECONDS
    (cd "$ctdb_dir" && CTDBI_OURS_NODES="$ours" CTDBI_SHIM="$repo/out/lib/libctdb_recoverd_shim.so" \
        CTDBI_DAEMON="$repo/out/bin/ctdb-recoverd" VALGRIND="$repo/scripts/lib/ctdbd-launcher.sh" \
        ip netns exec "$netns" ./tests/run_tests.sh -T 600 -V "$state/run" -C -L "tests/INTEGRATION/$t") >"$log" 2>&1
    rc=$?
    secs=$((SECONDS - start))
    if [ $rc -eq 0 ] && grep -q "^ PASSED " "$log"; then
        result=pass; passed=$((passed + 1))
    else
        result=FAIL; failed=$((failed + 1))
    fi
    printf '%-4s %4ss  %s\n' "$result" "$secs" "$t"
    table+="| $t | $result | $secs |\n"
done

if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"
    {
        echo "# Samba INTEGRATION tests, recovery daemon: $label"
        echo
        echo "ctdb $(dpkg-query -W -f='${Version}' ctdb), run $(date -u +%Y-%m-%dT%H:%MZ) by \`scripts/samba-suite.sh --$label${list:+ --list $list}\`."
        echo
        printf '%b' "$table"
        echo
        echo "$passed passed, $failed failed"
    } > "$out"
fi
echo "logs: $logs"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
