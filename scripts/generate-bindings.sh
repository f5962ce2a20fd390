#!/usr/bin/env bash
# Regenerates bindings/CtdbInterop.Bindings/Generated/*.g.cs from Samba's ctdb headers
# (through libclang). Deterministic: a rerun on the same Samba tree changes nothing.
# Runnable from any directory.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
samba_dir=$(bash "$repo/scripts/bootstrap.sh")
generator="$repo/bindings/CtdbInterop.Bindings.Generator"
out="$repo/bindings/CtdbInterop.Bindings/Generated"

dotnet build "$generator/CtdbInterop.Bindings.Generator.csproj" -c Release --nologo -v quiet \
    -o "$repo/artifacts/generator" >&2
dotnet "$repo/artifacts/generator/CtdbInterop.Bindings.Generator.dll" --samba-dir "$samba_dir" --out "$out"
