#!/usr/bin/env bash
# Long fuzzing run of the wire codec and the client's packet reader (docs/fuzzing.md).
#   scripts/fuzz.sh run [--seconds N] [--instances K] [--out DIR]
#       builds the harness, starts K afl-fuzz instances (one -M, the rest -S) on the committed
#       corpus, each stopping after N seconds (default 7200, 2 instances), waits for them and
#       prints the totals. Run it in the background for long runs; `stats` works meanwhile.
#   scripts/fuzz.sh stats [--out DIR]    totals over the instances (execs, execs/s, edges, crashes)
#   scripts/fuzz.sh cmin [--out DIR]     rewrites tests/fuzz/corpus: afl-cmin over the seeds from the
#                                        golden captures plus the queues of a run in DIR, if any
#   scripts/fuzz.sh replay PATH...       runs saved inputs (e.g. a run's crashes/) once each
set -euo pipefail
. "$(dirname "$0")/../tests/fuzz/lib.sh"

cmd=${1:-run}
shift || true
seconds=7200 instances=2 out="$FUZZ_WORK/run"
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) seconds=$2; shift 2 ;;
        --instances) instances=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) break ;;
    esac
done

stats() {
    local execs=0 rate=0 crashes=0 hangs=0 edges=0 corpus=0 d
    for d in "$out"/*/; do
        [ -f "$d/fuzzer_stats" ] || continue
        execs=$((execs + $(fuzz_stat "$d" execs_done)))
        rate=$(awk -v a="$rate" -v b="$(fuzz_stat "$d" execs_per_sec)" 'BEGIN { printf "%.1f", a + b }')
        crashes=$((crashes + $(fuzz_stat "$d" saved_crashes)))
        hangs=$((hangs + $(fuzz_stat "$d" saved_hangs)))
        e=$(fuzz_stat "$d" edges_found); [ "$e" -gt "$edges" ] && edges=$e
        corpus=$((corpus + $(fuzz_stat "$d" corpus_count)))
        printf '%s: execs %s, execs/s %s, edges %s, corpus %s, crashes %s, hangs %s, stability %s, run time %s s\n' \
            "$(basename "$d")" "$(fuzz_stat "$d" execs_done)" "$(fuzz_stat "$d" execs_per_sec)" \
            "$(fuzz_stat "$d" edges_found)" "$(fuzz_stat "$d" corpus_count)" "$(fuzz_stat "$d" saved_crashes)" \
            "$(fuzz_stat "$d" saved_hangs)" "$(fuzz_stat "$d" stability)" "$(fuzz_stat "$d" run_time)"
    done
    printf 'total: execs %s, execs/s %s, edges (max of instances) %s, crashes %s, hangs %s\n' \
        "$execs" "$rate" "$edges" "$crashes" "$hangs"
}

case $cmd in
    run)
        fuzz_build
        mkdir -p "$out"
        pids=()
        for i in $(seq 1 "$instances"); do
            if [ "$i" = 1 ]; then role=(-M main); else role=(-S "secondary$i"); fi
            fuzz_afl -i "$FUZZ_CORPUS" -o "$out" "${role[@]}" -V "$seconds" >"$out/${role[1]}.log" 2>&1 &
            pids+=($!)
            fuzz_log "afl-fuzz ${role[*]} pid $! (log $out/${role[1]}.log)"
        done
        # afl-fuzz stops itself after -V seconds; the bound here only guards a wedged instance.
        deadline=$((SECONDS + seconds + 600))
        for pid in "${pids[@]}"; do
            while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 10; done
            kill -0 "$pid" 2>/dev/null && kill "$pid"
            wait "$pid" || true
        done
        stats
        ;;
    stats) stats ;;
    cmin)
        fuzz_build
        rm -rf "$FUZZ_WORK/cmin-in" "$FUZZ_WORK/cmin-out"
        dotnet "$FUZZ_PLAIN/CtdbInterop.Fuzz.dll" seed "$FUZZ_GOLDEN" "$FUZZ_WORK/cmin-in" >&2
        for q in "$out"/*/queue; do
            [ -d "$q" ] && find "$q" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$FUZZ_WORK/cmin-in/" \;
        done
        afl-cmin -i "$FUZZ_WORK/cmin-in" -o "$FUZZ_WORK/cmin-out" -t 10000 -m none -- \
            "$FUZZ_DOTNET" "$FUZZ_AFL/CtdbInterop.Fuzz.dll" >"$FUZZ_WORK/cmin.log" 2>&1 \
            || { tail -20 "$FUZZ_WORK/cmin.log" >&2; exit 1; }
        rm -rf "$FUZZ_CORPUS"
        mkdir -p "$FUZZ_CORPUS"
        n=0
        for f in $(ls "$FUZZ_WORK/cmin-out" | sort); do
            cp "$FUZZ_WORK/cmin-out/$f" "$FUZZ_CORPUS/$(printf 'input-%04d' $n)"
            n=$((n + 1))
        done
        fuzz_log "$n inputs in $FUZZ_CORPUS"
        ;;
    replay)
        fuzz_build
        dotnet "$FUZZ_PLAIN/CtdbInterop.Fuzz.dll" replay "$@"
        ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
