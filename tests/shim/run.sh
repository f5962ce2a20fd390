#!/usr/bin/env bash
# Tests for native/ libctdb_recoverd_shim.so. Run as root (chown, network
# namespaces). Builds the shim, a test host and a fake replacement daemon in
# a temporary directory, drives the shim through the host, then runs a
# stock ctdbd with it in a private network namespace: with the fake daemon,
# with an unsafe CTDB_RECOVERD, and with our real daemon (out/bin, published
# if missing) to check the environment of it, its helper and ctdbd's other
# children. docs/shim-security.md lists what each case guards against.
# Prints one line per case and "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

# shellcheck source=tests/shim/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/shim/host_cases.sh
. "$here/host_cases.sh"
# shellcheck source=tests/shim/ctdbd_case.sh
. "$here/ctdbd_case.sh"
# shellcheck source=tests/shim/children_case.sh
. "$here/children_case.sh"

die() {
	echo "tests/shim: $*" >&2
	echo "$PASSED passed, $((FAILED + 1)) failed"
	exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root"

# The library that really defines prctl_set_comment (a private Samba one).
find_samba_library() {
	local lib
	for lib in /usr/lib/x86_64-linux-gnu/samba/*.so* /usr/lib/x86_64-linux-gnu/*.so*; do
		if nm -D --defined-only "$lib" 2>/dev/null | grep -qw prctl_set_comment; then
			echo "$lib"
			return 0
		fi
	done
	return 1
}

cleanup() {
	ctdbd_cleanup
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}

SHIM=$("$repo/scripts/build-native.sh") || die "building the shim failed"
CTDB_DIR=$(bash "$repo/scripts/bootstrap.sh")/ctdb || die "bootstrap failed"
[ -x "$CTDB_DIR/tests/local_daemons.sh" ] || die "no local_daemons.sh under $CTDB_DIR"
SAMBA_LIB=$(find_samba_library) || die "no library exports prctl_set_comment"
# Our NativeAOT daemon (scripts/build.sh makes it; published here if missing).
DAEMON=$repo/out/bin/ctdb-recoverd
if [ ! -x "$DAEMON" ]; then
	dotnet publish "$repo/recoverd/CtdbInterop.Recoverd/CtdbInterop.Recoverd.csproj" -c Release \
		-r linux-x64 -nologo -v quiet -clp:ErrorsOnly -o "$repo/out/publish" >&2 &&
		install -D -m 0755 "$repo/out/publish/ctdb-recoverd" "$DAEMON" || die "building the daemon failed"
fi

WORK=$(mktemp -d /tmp/cti-shim.XXXXXX) || die "mktemp failed"
WORK=$(realpath "$WORK")
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 0755 "$WORK"
mkdir "$WORK/cases"

HOST=$WORK/host
FAKE=$WORK/fake_recoverd
EXTRA_PRELOAD=$WORK/libextra_preload.so
cflags=(-std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE)
gcc "${cflags[@]}" -o "$HOST" "$here/host.c" "$SAMBA_LIB" \
	-Wl,-rpath,"$(dirname "$SAMBA_LIB")" || die "building host.c failed"
gcc "${cflags[@]}" -o "$FAKE" "$here/fake_recoverd.c" || die "building fake_recoverd.c failed"
gcc "${cflags[@]}" -shared -fPIC -o "$EXTRA_PRELOAD" "$here/extra_preload.c" ||
	die "building extra_preload.c failed"

echo "shim: $SHIM"
echo "prctl_set_comment from: $SAMBA_LIB"
make_fixtures
host_cases
ctdbd_cases
ctdbd_children_cases

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
