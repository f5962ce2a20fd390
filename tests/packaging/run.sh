#!/usr/bin/env bash
# Tests of the packages (issue 6). Run as root; takes about two minutes.
#   1. scripts/package.sh builds the .deb and the .rpm; lintian and rpmlint
#      report 0 errors; control data, md5sums, copyright, changelog; the .rpm
#      carries the same files (names and bytes) as the .deb.
#   2. The .rpm in scratch roots: plain (--noscripts), and with its scriptlets
#      run by rpm in an overlay of / whose changes are inspected.
#   3. The .deb on this machine beside Debian's ctdb: install changes nothing,
#      man pages render, enable writes the drop-in, a 3-node local cluster
#      started with the drop-in's variables (in network namespace cti-pkg-<pid>)
#      runs the installed daemon on every node and "status" says so, disable
#      and a restart give stock daemons, a reinstall keeps the switch, purge
#      leaves nothing, and a stock cluster still becomes healthy.
# Without recoverd/CtdbInterop.Recoverd (a development branch) a stand-in
# daemon is packaged and the cluster's health under it is not checked (NOTE).
# Prints one line per case, then "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

# shellcheck source=packaging/layout.sh
. "$REPO/packaging/layout.sh"
# shellcheck source=tests/packaging/lib.sh
. "$HERE/lib.sh"
# shellcheck source=tests/packaging/build_cases.sh
. "$HERE/build_cases.sh"
# shellcheck source=tests/packaging/rpm_cases.sh
. "$HERE/rpm_cases.sh"
# shellcheck source=tests/packaging/deb_cases.sh
. "$HERE/deb_cases.sh"

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

die() {
	echo "tests/packaging: $*" >&2
	FAILED=$((FAILED + 1))
	finish
	exit 1
}

cleanup() {
	rpm_overlay_down
	deb_cleanup
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}

[ "$(id -u)" = 0 ] || die "must run as root"
started=$SECONDS
CTDB_DIR=$(bash "$REPO/scripts/bootstrap.sh" | tail -n 1)/ctdb || die "bootstrap failed"
[ -x "$CTDB_DIR/tests/local_daemons.sh" ] || die "no local_daemons.sh under $CTDB_DIR"
"$REPO/scripts/packaging-deps.sh" || die "scripts/packaging-deps.sh failed"
VERSION=$(pkg_version "$REPO") || die "no version"

WORK=$(mktemp -d /tmp/cti-pkg.XXXXXX) || die "mktemp failed"
chmod 0755 "$WORK"
trap cleanup EXIT
trap 'exit 130' INT TERM

# A leftover of an interrupted run would make every install case meaningless.
if dpkg-query -W "$PKG_NAME" >/dev/null 2>&1; then
	echo "purging a $PKG_NAME left installed by an earlier run"
	apt_quiet purge "$PKG_NAME" >/dev/null
fi
[ ! -e "$PATH_DROPIN" ] || die "$PATH_DROPIN exists before the test: remove it (ctdb-recoverd-switch disable)"

if build_cases; then
	rpm_cases
	deb_cases
else
	echo "the packages were not built: nothing else can be tested"
fi

echo "took $((SECONDS - started)) s"
for n in "${NOTES[@]}"; do echo "NOTE $n"; done
finish
