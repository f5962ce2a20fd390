#!/usr/bin/env bash
# Builds everything: the LD_PRELOAD shim (out/lib/libctdb_recoverd_shim.so), the solution,
# and the NativeAOT recovery daemon (out/bin/ctdb-recoverd).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
"$repo/scripts/bootstrap.sh" >/dev/null
mkdir -p out/bin out/lib

if [ -f native/Makefile ]; then
    make -s -C native OUT="$repo/out"
fi

dotnet build CtdbInterop.sln -c Release -nologo -v quiet -clp:ErrorsOnly

daemon=recoverd/CtdbInterop.Recoverd/CtdbInterop.Recoverd.csproj
if [ -f "$daemon" ]; then
    dotnet publish "$daemon" -c Release -r linux-x64 -nologo -v quiet -clp:ErrorsOnly -o out/publish
    install -m 0755 out/publish/ctdb-recoverd out/bin/ctdb-recoverd
fi
echo "build: done"
