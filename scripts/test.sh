#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run): installs what it needs
# (scripts/bootstrap.sh), restores, builds, runs every suite and ends with one line
# "N passed, N failed, N skipped".
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d /tmp/ctdbinterop-test.XXXXXX)
passed=0 failed=0 skipped=0
started=$SECONDS

step() { printf '\n=== %s (%ss)\n' "$*" $((SECONDS - started)); }

step bootstrap
if ! "$repo/scripts/bootstrap.sh"; then
    echo "bootstrap failed"; echo "0 passed, 1 failed"; exit 1
fi

step build
if ! "$repo/scripts/build.sh"; then
    echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

# Adds up one NUnit assembly's summary line; a run without one counts as a failure.
run_suite() {
    local project=$1 log="$results/$(basename "$1" .csproj).log"
    step "tests: $project"
    dotnet test "$project" -c Release --no-build -nologo >"$log" 2>&1
    local rc=$?
    grep -E '^\s*(Failed|Skipped) ' "$log" | head -50 || true
    local line
    line=$(grep -E 'Failed:\s*[0-9]+, Passed:\s*[0-9]+, Skipped:\s*[0-9]+' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        tail -30 "$log"
        echo "no test summary from $project (exit $rc)"
        failed=$((failed + 1))
        return
    fi
    echo "$line"
    local f p s
    f=$(sed -E 's/.*Failed:\s*([0-9]+).*/\1/' <<<"$line")
    p=$(sed -E 's/.*Passed:\s*([0-9]+).*/\1/' <<<"$line")
    s=$(sed -E 's/.*Skipped:\s*([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
}

# Shell-driven suites print their own "N passed, N failed" line.
run_script_suite() {
    local name=$1; shift
    local log="$results/$name.log"
    step "tests: $name ($*)"
    "$@" >"$log" 2>&1
    local rc=$? line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    grep -E 'FAIL' "$log" | head -20 || true
    if [ -z "$line" ]; then
        tail -30 "$log"; echo "no summary from $name (exit $rc)"; failed=$((failed + 1)); return
    fi
    echo "$line"
    passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
    if [ "$rc" -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed' <<<"$line"; then failed=$((failed + 1)); fi
}

for project in tests/*/*.Tests.csproj; do
    run_suite "$project"
done
for script in tests/*/run.sh; do
    [ -f "$script" ] && run_script_suite "$(basename "$(dirname "$script")")" bash "$script"
done
# Samba's own INTEGRATION tests against clusters running our daemon (the CI subset;
# scripts/samba-suite.sh --list tests/samba-suite/core.list runs the 30 core tests).
run_script_suite samba-suite "$repo/scripts/samba-suite.sh" --ours --list tests/samba-suite/ci.list

step "done; logs in $results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
