# Shared by tests/fuzz/run.sh and scripts/fuzz.sh: builds the harness twice (plain, for replaying
# inputs; instrumented, for afl-fuzz) and sets afl-fuzz's environment. Sourced, not run.
FUZZ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ_PROJECT="$FUZZ_ROOT/tests/fuzz/CtdbInterop.Fuzz/CtdbInterop.Fuzz.csproj"
FUZZ_CORPUS="$FUZZ_ROOT/tests/fuzz/corpus"
FUZZ_REGRESSIONS="$FUZZ_ROOT/tests/fuzz/regressions"
FUZZ_GOLDEN="$FUZZ_ROOT/tests/CtdbInterop.Bindings.Tests/GoldenData"
# Not under /tmp or /var/tmp: afl-cmin refuses to work there.
FUZZ_WORK=${FUZZ_WORK:-/var/cache/ctdbinterop/fuzz/$(echo "$FUZZ_ROOT" | tr / _)}
FUZZ_PLAIN="$FUZZ_WORK/plain"
FUZZ_AFL="$FUZZ_WORK/afl"
FUZZ_DOTNET=$(readlink -f "$(command -v dotnet)")

# afl-fuzz runs `dotnet harness.dll`, which is no afl-instrumented ELF; the CPUs are shared and
# their governor is not ours to change; crashes are managed exceptions, not core dumps.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_AUTORESUME=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

fuzz_log() { printf 'fuzz: %s\n' "$*" >&2; }

# Builds the harness into $FUZZ_PLAIN and an instrumented copy into $FUZZ_AFL.
fuzz_build() {
    command -v afl-fuzz >/dev/null || { fuzz_log "afl-fuzz missing: run scripts/bootstrap.sh"; return 1; }
    mkdir -p "$FUZZ_WORK"
    dotnet build "$FUZZ_PROJECT" -c Release -o "$FUZZ_PLAIN" -nologo -v q >"$FUZZ_WORK/build.log" 2>&1 \
        || { cat "$FUZZ_WORK/build.log" >&2; return 1; }
    rm -rf "$FUZZ_AFL"
    cp -r "$FUZZ_PLAIN" "$FUZZ_AFL"
    dotnet "$FUZZ_PLAIN/CtdbInterop.Fuzz.dll" instrument "$FUZZ_AFL/CtdbInterop.Bindings.dll" >&2
}

# afl-fuzz [OPTIONS...] with the harness as its target; replaces the (sub)shell, so run it
# with & or in a subshell: the PID is then afl-fuzz's own.
fuzz_afl() {
    exec afl-fuzz -t 10000 -m none "$@" -- "$FUZZ_DOTNET" "$FUZZ_AFL/CtdbInterop.Fuzz.dll"
}

# Value of one field of an afl-fuzz instance's fuzzer_stats.
fuzz_stat() { awk -v k="$2" '$1 == k { print $3 }' "$1/fuzzer_stats" 2>/dev/null; }
