#!/usr/bin/env bash
# CI smoke of the fuzz harness (docs/fuzzing.md), 1-2.5 min with the build (load-dependent):
#  1. every committed input (tests/fuzz/corpus, tests/fuzz/regressions: earlier crashes) is
#     replayed once through an uninstrumented build: one test each;
#  2. 60 s of afl-fuzz on the corpus: one test, plus one failure per crash or hang it saves.
# Prints `N passed, N failed` last; exit status 0 only when nothing failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
SMOKE_SECONDS=${SMOKE_SECONDS:-60}

passed=0 failed=0
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
    exit
}

if ! fuzz_build; then
    fuzz_log "build failed"
    failed=1
    finish
fi

# 1. Replay: the harness prints one CRASH line per failing input and a count at the end.
replay_log="$FUZZ_WORK/smoke-replay.log"
dotnet "$FUZZ_PLAIN/CtdbInterop.Fuzz.dll" replay "$FUZZ_CORPUS" "$FUZZ_REGRESSIONS" >"$replay_log" 2>&1
total=$(sed -n 's/^replayed \([0-9]*\) input(s), \([0-9]*\) crash(es)$/\1/p' "$replay_log")
crashes=$(sed -n 's/^replayed \([0-9]*\) input(s), \([0-9]*\) crash(es)$/\2/p' "$replay_log")
if [ -z "$total" ]; then
    cat "$replay_log" >&2
    failed=$((failed + 1))
else
    grep '^CRASH' "$replay_log" >&2 || true
    passed=$((passed + total - crashes))
    failed=$((failed + crashes))
    echo "replay: $total inputs, $crashes crashed"
fi

# 2. A short afl-fuzz run; its own -V ends it, the timeout only guards a wedged run.
out="$FUZZ_WORK/smoke"
rm -rf "$out"
timeout $((SMOKE_SECONDS + 60)) bash -c "$(declare -f fuzz_afl); FUZZ_DOTNET='$FUZZ_DOTNET' FUZZ_AFL='$FUZZ_AFL' fuzz_afl -i '$FUZZ_CORPUS' -o '$out' -V $SMOKE_SECONDS" \
    >"$out.log" 2>&1
status=$?
stats="$out/default"
execs=$(fuzz_stat "$stats" execs_done)
afl_crashes=$(fuzz_stat "$stats" saved_crashes)
afl_hangs=$(fuzz_stat "$stats" saved_hangs)
if [ $status -ne 0 ] || [ -z "$execs" ]; then
    tail -20 "$out.log" >&2
    fuzz_log "afl-fuzz ended with status $status"
    failed=$((failed + 1))
else
    echo "afl-fuzz: ${execs} execs, $(fuzz_stat "$stats" execs_per_sec) execs/s, $(fuzz_stat "$stats" edges_found) edges, ${afl_crashes} crashes, ${afl_hangs} hangs"
    if [ "$afl_crashes" = 0 ] && [ "$afl_hangs" = 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + afl_crashes + afl_hangs))
        dotnet "$FUZZ_PLAIN/CtdbInterop.Fuzz.dll" replay "$stats/crashes" "$stats/hangs" >&2 || true
    fi
fi
finish
