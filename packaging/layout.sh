# shellcheck shell=bash
# The one description of the package: its name, where every file goes and who
# maintains it. Sourced by scripts/package.sh and tests/packaging; the upstream
# version itself is read from Directory.Build.props (<Version>), nowhere else.

PKG_NAME=ctdbinterop
# Packaging revision (Debian revision, RPM Release): bump when only the packaging changes.
PKG_REVISION=1
PKG_MAINTAINER="CtdbInterop maintainers <maintainers@users.noreply.r-seed-146b65d7.example>"
PKG_SUMMARY="replacement CTDB recovery daemon for the stock ctdbd"
PKG_DEB_DEPENDS_EXTRA="ctdb (>= 2:4.22.6~)"
PKG_RPM_REQUIRES="ctdb >= 2:4.22.6"

# Installed paths (absolute). The preload library sits beside the daemon in one
# private directory: nothing links against it, and /usr/libexec means the same
# on Debian and on RPM distributions (a multiarch path would not), so the .deb
# and the .rpm can carry identical file lists.
PATH_DAEMON=/usr/libexec/ctdbinterop/ctdb-recoverd
PATH_SHIM=/usr/libexec/ctdbinterop/libctdb_recoverd_shim.so
PATH_SWITCH=/usr/sbin/ctdb-recoverd-switch
PATH_DROPIN_TEMPLATE=/usr/share/ctdbinterop/ctdb-recoverd.conf
PATH_DOCDIR=/usr/share/doc/ctdbinterop
PATH_MANDIR=/usr/share/man/man8
# Written by "ctdb-recoverd-switch enable", never shipped in the package.
PATH_DROPIN=/etc/systemd/system/ctdb.service.d/ctdbinterop-recoverd.conf

# pkg_version <repo>: the upstream version, from Directory.Build.props.
pkg_version() {
    local v
    v=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' "$1/Directory.Build.props" | head -n 1)
    [[ "$v" =~ ^[0-9]+(\.[0-9]+)*$ ]] || { echo "no usable <Version> in $1/Directory.Build.props" >&2; return 1; }
    echo "$v"
}
