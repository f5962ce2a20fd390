#!/usr/bin/env bash
# CI smoke of scripts/bench.sh (issue 7): one trial of the stock daemon and ours, 3 nodes,
# the stop failover and the steady-state metrics with short windows, into a scratch
# directory (docs/benchmarks.md is not touched), then one short round of the idle screen
# (scripts/bench/idle-ab.sh), side by side and apart, a short instruction and code-line count
# (scripts/bench/idle-instructions.sh --lines), one working-set sample
# (scripts/bench/idle-working-set.sh) and a short pricing of a cold code line
# (scripts/bench/cold-code-cost.sh). Prints "N passed, N failed". ~9 min.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d /var/tmp/bench-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() {
    if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

timeout 600 "$repo/scripts/bench.sh" --variants stock,ours --nodes 3 --trials 1 \
    --metrics stop,ipreallocate,recover10k,idle,startup --samples 2 --idle-seconds 5 --idle-settle 0 \
    --out "$work/results" --docs "$work/docs/benchmarks.md" > "$work/run.log" 2>&1
status=$?
results="$work/results/results.tsv"
row() { awk -F '\t' -v v="$1" -v m="$2" -v n="$3" '$1 == v && $3 == m && $5 == n && $7 == "ok" && $6 != "-"' "$results" | wc -l; }

check "bench.sh exits 0" "[ $status -eq 0 ]"
for v in stock ours; do
    check "$v: stop reaches healthy" "[ \$(row $v stop healthy_ms) -ge 1 ]"
    check "$v: ipreallocate measured twice" "[ \$(row $v ipreallocate ipreallocate_ms) -eq 2 ]"
    check "$v: recover10k measured, 10000 records after it" "[ \$(row $v recover10k recover10k_ms) -eq 1 ] && [ \$(row $v recover10k records) -eq 1 ]"
    check "$v: recover10k also measured from the leader's notice" "[ \$(row $v recover10k recover10k_from_notice_ms) -eq 1 ]"
    check "$v: idle CPU and memory of every node" "[ \$(row $v idle rss_kb.leader) -eq 1 ] && [ \$(row $v idle rss_kb.other) -eq 2 ]"
    check "$v: idle CPU exact and in ticks" "[ \$(row $v idle recd_cpu_ms.other) -eq 2 ] && [ \$(row $v idle recd_ticks_ms.other) -eq 2 ] && [ \$(row $v idle ctdbd_cpu_ms.leader) -eq 1 ]"
    check "$v: start-up of every daemon" "[ \$(row $v startup startup_ms) -ge 3 ]"
done
check "report written with the ratio column" "grep -q 'ratio ours' '$work/docs/benchmarks.md'"
check "failover plot written" "[ -s '$work/docs/benchmarks-failover.png' ]"
check "timeline plot written" "[ -s '$work/docs/benchmarks-timeline.png' ]"
names=$(sed -n 's/^=== .*: cluster \(bench-[0-9]*-[0-9]*\) .*/\1/p' "$work/results/bench.log" | sort -u)
check "clusters were started and none is left" "[ -n \"\$names\" ] && ! ip netns list | grep -qwF -f <(sed 's/^/cti-/' <<< \"\$names\")"

# The idle screen: this checkout against itself with a variable in its daemons' environment,
# side by side; then the C daemon and this checkout, one cluster at a time.
ab_rows() { awk -F '\t' -v b="$1" '$2 == b && $4 ~ /^(leader|other)$/ && $5 + 0 > 0 && $6 + 0 > 0' "$2" | wc -l; }
ab_leaders() { awk -F '\t' '$4 == "leader"' "$1" | wc -l; }
ab_summaries() { awk -F '\t' 'NF == 5 && $2 == 3 && $3 + 0 > 0 && $5 + 0 > 0' "$1" | wc -l; }
timeout 300 "$repo/scripts/bench/idle-ab.sh" --rounds 1 --settle 10 --seconds 3 "$repo" "$repo:DOTNET_GCgen0size=20000" \
    > "$work/ab.out" 2> "$work/ab.err"
ab_status=$?
check "idle-ab.sh exits 0" "[ $ab_status -eq 0 ]"
check "idle-ab.sh: CPU and runs of every daemon of both builds, one leader each" \
    "[ \$(ab_rows '$repo' '$work/ab.out') -eq 3 ] && [ \$(ab_rows '$repo:DOTNET_GCgen0size=20000' '$work/ab.out') -eq 3 ] && [ \$(ab_leaders '$work/ab.out') -eq 2 ]"
check "idle-ab.sh: a summary line per build" "[ \$(ab_summaries '$work/ab.out') -eq 2 ]"
timeout 300 "$repo/scripts/bench/idle-ab.sh" --apart --rounds 1 --settle 10 --seconds 3 stock "$repo" \
    > "$work/apart.out" 2> "$work/apart.err"
apart_status=$?
check "idle-ab.sh --apart with the C daemon exits 0" "[ $apart_status -eq 0 ]"
check "idle-ab.sh --apart: CPU and runs of every daemon, the C daemon's and ours" \
    "[ \$(ab_rows stock '$work/apart.out') -eq 3 ] && [ \$(ab_rows '$repo' '$work/apart.out') -eq 3 ] && [ \$(ab_leaders '$work/apart.out') -eq 2 ]"
check "idle-ab.sh --apart: a summary line per build" "[ \$(ab_summaries '$work/apart.out') -eq 2 ]"
check "idle-ab.sh: no cluster left" "! ip netns list | grep -q 'cti-idle-ab-'"

# The instruction and code-line counts under callgrind, the C daemon's and this checkout's,
# short runs.
ii_rows() { awk -F '\t' -v b="$1" '$1 == b && $2 ~ /^-?[0-9]+$/ && $4 + 0 > 0 && $6 + 0 > 0 && $7 + 0 > 0' "$2" | wc -l; }
timeout 420 "$repo/scripts/bench/idle-instructions.sh" --lines --short 5 --long 15 stock "$repo" \
    > "$work/ii.out" 2> "$work/ii.err"
ii_status=$?
check "idle-instructions.sh exits 0" "[ $ii_status -eq 0 ]"
check "idle-instructions.sh: counts for the C daemon and for ours" \
    "[ \$(ii_rows stock '$work/ii.out') -eq 1 ] && [ \$(ii_rows '$repo' '$work/ii.out') -eq 1 ]"
check "idle-instructions.sh: our code lines split by object, the C daemon's too" \
    "grep -q '^# $repo: [0-9]' '$work/ii.err' && grep -q '^# stock: [0-9]*[[:space:]]/usr/sbin/ctdbd' '$work/ii.err'"
check "idle-instructions.sh --help: the usage and nothing of the script" \
    "'$repo/scripts/bench/idle-instructions.sh' --help | grep -q -- '--lines' && ! '$repo/scripts/bench/idle-instructions.sh' --help | grep -q '^set '"
check "idle-instructions.sh: no cluster left" "! ip netns list | grep -q 'cti-ii[0-9]'"

# The memory an idle daemon touches a second, the C daemon's and this checkout's, one sample.
ws_total() { awk -F '\t' -v b="$1" '$1 == b && $4 == "without shared libraries" && $5 + 0 > 0' "$2" | wc -l; }
ws_code() { awk -F '\t' -v b="$1" '$1 == b && $4 == "ctdb-recoverd r-xp" && $5 + 0 > 0' "$2" | wc -l; }
timeout 300 "$repo/scripts/bench/idle-working-set.sh" --settle 10 --samples 1 stock "$repo" \
    > "$work/ws.out" 2> "$work/ws.err"
ws_status=$?
check "idle-working-set.sh exits 0" "[ $ws_status -eq 0 ]"
check "idle-working-set.sh: a total for every daemon, the C daemon's and ours" \
    "[ \$(ws_total stock '$work/ws.out') -eq 3 ] && [ \$(ws_total '$repo' '$work/ws.out') -eq 3 ]"
check "idle-working-set.sh: our code is among what our daemons touched" "[ \$(ws_code '$repo' '$work/ws.out') -eq 3 ]"
check "idle-working-set.sh: no cluster left" "! ip netns list | grep -q 'cti-iws[0-9]'"

# What a cold code line costs here: two chain lengths, a short window.
timeout 120 "$repo/scripts/bench/cold-code-cost.sh" --seconds 5 --lines 0,2000 > "$work/cold.out" 2> "$work/cold.err"
cold_status=$?
check "cold-code-cost.sh exits 0" "[ $cold_status -eq 0 ]"
check "cold-code-cost.sh: a price a line for the longer chain" \
    "awk -F '\t' '\$1 == 2000 && \$4 + 0 > 0' '$work/cold.out' | grep -q ."
check "cold-code-cost.sh --help: the usage and nothing of the script" \
    "'$repo/scripts/bench/cold-code-cost.sh' --help | grep -q -- '--seconds' && ! '$repo/scripts/bench/cold-code-cost.sh' --help | grep -q '^set '"
check "cold-code-cost.sh: no probe left running" "! pgrep -f 'cold-code-cost\\.[A-Za-z0-9]*/probe-' >/dev/null"

if [ "$failed" -gt 0 ]; then
    tail -n 40 "$work/run.log"
    cat "$work/ab.out" "$work/ab.err" "$work/apart.out" "$work/apart.err" "$work/ii.out" "$work/ii.err" "$work/ws.out" "$work/ws.err" \
        "$work/cold.out" "$work/cold.err"
fi
echo "$passed passed, $failed failed"
