#!/usr/bin/env bash
# Deterministic multi-node simulation of the recovery daemon (tests/CtdbInterop.Simulation):
#   scripts/simulate.sh --seeds N [--nodes K] [--start S] [--threads T]   many seeds, both cores
#   scripts/simulate.sh --replay SEED [--nodes K]                         one seed with its timeline
# Prints schedules/second and every violating seed; exit status 1 if any invariant failed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
project="$repo/tests/CtdbInterop.Simulation/CtdbInterop.Simulation.csproj"
dll="$repo/tests/CtdbInterop.Simulation/bin/Release/net10.0/CtdbInterop.Simulation.dll"
if [ "${SIMULATE_NO_BUILD:-}" != 1 ]; then
    dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi
# Tiered JIT off: the hot loop runs for minutes, full optimisation from the start pays off.
export DOTNET_TieredPGO=0 DOTNET_TieredCompilation=0 DOTNET_gcServer=0
exec dotnet "$dll" "$@"
