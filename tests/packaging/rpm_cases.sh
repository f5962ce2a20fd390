# shellcheck shell=bash
# The .rpm in scratch roots: a plain one without scriptlets, and an overlay of
# this machine's / (changes go to an upper directory that the test inspects)
# in which rpm runs the real %post/%preun/%postun, chrooted as usual.
# Sourced by run.sh (sets WORK, RPM and the PATH_* of packaging/layout.sh).

RPM_OVERLAY=""

rpm_in() { # <root> <rpm arguments...>: rpm on a scratch root; Debian's rpm nags on stderr
	local root=$1
	shift
	timeout 120 rpm --root "$root" --dbpath /var/lib/rpm "$@" 2> >(grep -v -e 'use Alien' -e 'you know what you are doing' >&2)
}

case_rpm_plain_root() {
	begin_case "rpm --root <scratch> -i --nodeps --noscripts installs every file"
	local root=$WORK/rpm-plain f
	rm -rf "$root"
	mkdir -p "$root"
	rpm_in "$root" --initdb || fail_check "rpm --initdb failed"
	rpm_in "$root" -i --nodeps --noscripts "$RPM" || fail_check "rpm -i failed"
	expect_eq "installed package" "$(rpm_in "$root" -q "$PKG_NAME")" "$PKG_NAME-$VERSION-$PKG_REVISION.x86_64"
	for f in $(rpm -qlp "$RPM"); do
		expect_exists "installed file" "$root$f"
	done
	expect_eq "daemon mode" "$(stat -c '%a %U' "$root$PATH_DAEMON")" "755 root"
	expect_eq "switch mode" "$(stat -c '%a %U' "$root$PATH_SWITCH")" "755 root"
	expect_absent "drop-in" "$root$PATH_DROPIN"
	rpm_in "$root" -e --noscripts "$PKG_NAME" || fail_check "rpm -e failed"
	for f in $(rpm -qlp "$RPM"); do
		expect_absent "file after rpm -e" "$root$f"
	done
	end_case
}

# Files the overlay's upper directory holds besides rpm's database and the
# directories copied up on the way.
upper_changes() {
	(cd "$WORK/rpm-overlay/upper" && find . ! -type d | sed 's|^\.||' |
		grep -v -e '^/var/lib/rpm/' -e '^/dev/null$' | LC_ALL=C sort)
}

rpm_overlay_up() {
	local o=$WORK/rpm-overlay
	rm -rf "$o"
	mkdir -p "$o/upper" "$o/work" "$o/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$o/upper,workdir=$o/work" "$o/root" || return 1
	RPM_OVERLAY=$o/root
	rpm_in "$RPM_OVERLAY" --initdb
}

rpm_overlay_down() {
	if [ -n "$RPM_OVERLAY" ]; then
		umount "$RPM_OVERLAY" 2>/dev/null || umount -l "$RPM_OVERLAY"
		RPM_OVERLAY=""
	fi
}

case_rpm_scriptlets() {
	begin_case "rpm scriptlets: %post enables nothing; %preun and %postun remove the drop-in"
	if ! rpm_overlay_up; then
		fail_check "cannot mount an overlay of / for the scratch root"
		end_case
		return
	fi
	local r=$RPM_OVERLAY out
	if [ -e "$r$PATH_DROPIN" ]; then
		fail_check "this machine already has $PATH_DROPIN"
	fi

	# Install: a hint, nothing enabled, nothing written outside the package.
	out=$(rpm_in "$r" -i --nodeps "$RPM" 2>&1) || fail_check "rpm -i failed: $out"
	expect_contains "%post hint" "$out" "ctdb-recoverd-switch enable"
	expect_absent "drop-in after install" "$r$PATH_DROPIN"
	expect_eq "files written by the install" "$(upper_changes)" "$(non_dirs_rpm "$RPM")"

	# Enabled, then upgraded in place: the switch stays on.
	chroot "$r" "$PATH_SWITCH" enable >/dev/null || fail_check "switch enable in the scratch root failed"
	expect_exists "drop-in after enable" "$r$PATH_DROPIN"
	out=$(rpm_in "$r" -U --replacepkgs --nodeps "$RPM" 2>&1) || fail_check "rpm -U --replacepkgs failed: $out"
	expect_exists "drop-in after an upgrade" "$r$PATH_DROPIN"
	expect_lacks "no hint on upgrade" "$out" "installed; ctdb still runs"

	# Erase: %preun runs the switch's disable and asks for a restart.
	out=$(rpm_in "$r" -e "$PKG_NAME" 2>&1) || fail_check "rpm -e failed: $out"
	expect_contains "%preun disables" "$out" "Disabled: removed $PATH_DROPIN"
	expect_contains "%preun asks for a restart" "$out" "systemctl restart ctdb"
	expect_absent "drop-in after erase" "$r$PATH_DROPIN"
	expect_absent "drop-in directory after erase" "$r${PATH_DROPIN%/*}"
	expect_eq "files left after erase" "$(upper_changes)" ""

	# %postun alone (as if %preun had failed) still removes the drop-in.
	rpm_in "$r" -i --nodeps --noscripts "$RPM" >/dev/null 2>&1 || fail_check "reinstall failed"
	chroot "$r" "$PATH_SWITCH" enable >/dev/null || fail_check "switch enable failed"
	out=$(rpm_in "$r" -e --nopreun "$PKG_NAME" 2>&1) || fail_check "rpm -e --nopreun failed: $out"
	expect_contains "%postun message" "$out" "removed $PATH_DROPIN"
	expect_absent "drop-in after %postun" "$r$PATH_DROPIN"
	expect_eq "files left after erase" "$(upper_changes)" ""
	rpm_overlay_down
	end_case
}

rpm_cases() {
	case_rpm_plain_root
	case_rpm_scriptlets
}
