# shellcheck shell=bash
# Building the packages and checking them without installing anything.
# Sourced by run.sh (sets REPO, WORK, VERSION and the PATH_* of packaging/layout.sh);
# sets DEB and RPM.

DEB=""
RPM=""
STANDIN=false

# Without the daemon project (a development branch) a stand-in is packaged.
prepare_daemon() {
	if [ -f "$REPO/recoverd/CtdbInterop.Recoverd/CtdbInterop.Recoverd.csproj" ]; then
		return 0
	fi
	STANDIN=true
	note "no recoverd/CtdbInterop.Recoverd project in this checkout: packaging a stand-in daemon" \
		"(tests/packaging/standin_recoverd.c) and skipping scripts/build.sh; on main the real daemon is built"
	mkdir -p "$REPO/out/bin"
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$REPO/out/bin/ctdb-recoverd" "$HERE/standin_recoverd.c" &&
		"$REPO/scripts/build-native.sh" >/dev/null
}

case_package_builds() {
	begin_case "scripts/package.sh builds the .deb and the .rpm"
	local args=() out
	if ! prepare_daemon; then
		fail_check "could not prepare the daemon stand-in"
		end_case
		return 1
	fi
	$STANDIN && args+=(--no-build)
	if ! timeout 900 "$REPO/scripts/package.sh" "${args[@]}" >"$WORK/package.out" 2>"$WORK/package.err"; then
		fail_check "scripts/package.sh failed: $(tail -n 20 "$WORK/package.err")"
		end_case
		return 1
	fi
	out=$(tail -n 2 "$WORK/package.out")
	DEB=$(sed -n 1p <<<"$out")
	RPM=$(sed -n 2p <<<"$out")
	expect_eq "deb path" "$DEB" "$REPO/out/packages/${PKG_NAME}_$VERSION-${PKG_REVISION}_amd64.deb"
	expect_eq "rpm path" "$RPM" "$REPO/out/packages/$PKG_NAME-$VERSION-$PKG_REVISION.x86_64.rpm"
	expect_exists "deb" "$DEB"
	expect_exists "rpm" "$RPM"
	grep 'package: sizes' "$WORK/package.err" || true
	end_case
	[ -f "$DEB" ] && [ -f "$RPM" ]
}

case_lintian() {
	begin_case "lintian: 0 errors on the .deb"
	local out
	out=$(timeout 300 lintian --tag-display-limit 0 --display-info --pedantic "$DEB" 2>&1)
	printf '%s\n' "$out" | grep -E '^[EWIPX]: ' | sed 's/^/       /'
	expect_eq "lintian errors" "$(grep -c '^E: ' <<<"$out")" 0
	expect_lacks "lintian ran" "$out" "error while"
	end_case
}

case_rpmlint() {
	begin_case "rpmlint: 0 errors on the .rpm"
	local out
	out=$(timeout 300 rpmlint -c "$REPO/packaging/rpm/rpmlint.toml" "$RPM" 2>&1)
	printf '%s\n' "$out" | grep -E ': [EW]: |checked;' | sed 's/^/       /'
	expect_contains "rpmlint summary" "$out" "1 packages and 0 specfiles checked; 0 errors,"
	end_case
}

case_deb_metadata() {
	begin_case ".deb control, md5sums, copyright, changelog and man pages"
	local x=$WORK/deb-extract
	rm -rf "$x"
	mkdir -p "$x"
	{ dpkg-deb -x "$DEB" "$x/root" && dpkg-deb -e "$DEB" "$x/DEBIAN"; } || fail_check "cannot unpack $DEB"
	expect_eq "Package" "$(dpkg-deb -f "$DEB" Package)" "$PKG_NAME"
	expect_eq "Version" "$(dpkg-deb -f "$DEB" Version)" "$VERSION-$PKG_REVISION"
	expect_eq "Architecture" "$(dpkg-deb -f "$DEB" Architecture)" amd64
	expect_eq "Section" "$(dpkg-deb -f "$DEB" Section)" admin
	expect_eq "Maintainer" "$(dpkg-deb -f "$DEB" Maintainer)" "$PKG_MAINTAINER"
	expect_contains "Depends" "$(dpkg-deb -f "$DEB" Depends)" "ctdb (>= 2:4.22.6~)"
	expect_contains "Depends" "$(dpkg-deb -f "$DEB" Depends)" "libc6 (>= "
	expect_contains "Description" "$(dpkg-deb -f "$DEB" Description)" "ctdb-recoverd-switch enable"
	(cd "$x/root" && md5sum --quiet -c "$x/DEBIAN/md5sums") >/dev/null 2>&1 || fail_check "md5sums do not match"
	expect_eq "files in md5sums" "$(wc -l <"$x/DEBIAN/md5sums")" "$(find "$x/root" -type f | wc -l)"
	expect_eq "copyright format" "$(head -n 1 "$x/root$PATH_DOCDIR/copyright")" \
		"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
	expect_contains "copyright license" "$(cat "$x/root$PATH_DOCDIR/copyright")" "License: GPL-3+"
	expect_eq "changelog head" "$(zcat "$x/root$PATH_DOCDIR/changelog.Debian.gz" | head -n 1)" \
		"$PKG_NAME ($VERSION-$PKG_REVISION) unstable; urgency=medium"
	expect_exists "man page" "$x/root$PATH_MANDIR/ctdb-recoverd.8.gz"
	expect_exists "man page" "$x/root$PATH_MANDIR/ctdb-recoverd-switch.8.gz"
	expect_eq "daemon mode" "$(stat -c %a "$x/root$PATH_DAEMON")" 755
	expect_eq "shim mode" "$(stat -c %a "$x/root$PATH_SHIM")" 644
	expect_eq "switch mode" "$(stat -c %a "$x/root$PATH_SWITCH")" 755
	expect_eq "files not owned by root" "$(dpkg-deb -c "$DEB" | awk '$2 != "root/root"' | wc -l)" 0
	expect_eq "drop-in shipped in /etc" "$(dpkg-deb -c "$DEB" | grep -c ' \./etc/')" 0
	local script
	for script in postinst prerm postrm; do
		expect_exists "maintainer script" "$x/DEBIAN/$script"
	done
	end_case
}

# non_dirs_deb / non_dirs_rpm: the files and links a package installs, sorted.
non_dirs_deb() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | LC_ALL=C sort
}

non_dirs_rpm() {
	rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$1" | awk '$1 !~ /^d/ { print $2 }' | LC_ALL=C sort
}

case_rpm_matches_deb() {
	begin_case "rpm -qlp lists the same files as the .deb"
	local deb_files rpm_files deb_dirs dir
	deb_files=$(non_dirs_deb "$DEB")
	rpm_files=$(non_dirs_rpm "$RPM")
	[ -n "$deb_files" ] || fail_check "the .deb lists no files"
	if [ "$deb_files" != "$rpm_files" ]; then
		fail_check "file lists differ: $(diff <(echo "$deb_files") <(echo "$rpm_files") | tr '\n' ' ')"
	fi
	# rpm -qlp also names the directories the package owns: each must be in the .deb too.
	deb_dirs=$(dpkg-deb -c "$DEB" | awk '$1 ~ /^d/ { print $6 }' | sed -e 's|^\./|/|' -e 's|/$||')
	for dir in $(rpm -qlp "$RPM" | grep -vxF -f <(echo "$rpm_files")); do
		grep -qxF "$dir" <<<"$deb_dirs" || fail_check "rpm owns $dir, which the .deb does not have"
	done
	# Same bytes too, not only the same names.
	local x=$WORK/rpm-extract f
	rm -rf "$x"
	mkdir -p "$x"
	(cd "$x" && rpm2cpio "$RPM" | cpio -idm --quiet) || fail_check "cannot unpack $RPM"
	for f in $deb_files; do
		cmp -s "$x$f" "$WORK/deb-extract/root$f" || fail_check "$f differs between the packages"
	done
	expect_contains "rpm Requires" "$(rpm -qp --requires "$RPM")" "ctdb >= 2:4.22.6"
	expect_lacks "rpm provides no shim soname" "$(rpm -qp --provides "$RPM")" "libctdb_recoverd_shim"
	end_case
}

build_cases() {
	case_package_builds || return 1
	case_lintian
	case_rpmlint
	case_deb_metadata
	case_rpm_matches_deb
}
