# shellcheck shell=bash
# The .deb on this machine, beside Debian's ctdb: install, man pages, the
# switch, a local 3-node cluster started the way the installed drop-in
# says, disable, purge, and a stock cluster afterwards.
# Sourced by run.sh (sets REPO, WORK, DEB, STANDIN, CTDB_DIR and the PATH_*).

CTDB_NS=cti-pkg-$$
CTDB_NS_CREATED=false
CLUSTERS=()
STARTED_PIDS=()
NODES=3

apt_quiet() {
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get -y -q "$@" 2>&1
}

package_installed() {
	dpkg-query -W -f='${Status}' "$PKG_NAME" 2>/dev/null | grep -q 'install ok installed'
}

switch_status() {
	timeout 30 "$PATH_SWITCH" status 2>&1
}

# --- local clusters ---------------------------------------------------------

local_daemons() { # <cluster-dir> <command...>, inside our namespace
	(cd "$CTDB_DIR" && CTDB_TEST_MODE=yes timeout 60 ip netns exec "$CTDB_NS" tests/local_daemons.sh "$@")
}

node_pid() { # <cluster-dir> <node>
	cat "$1/node.$2/run/ctdbd.pid" 2>/dev/null
}

all_nodes_started() { # <cluster-dir>
	local n pid
	for n in $(seq 0 $((NODES - 1))); do
		pid=$(node_pid "$1" "$n")
		[ -n "$pid" ] && ! process_gone "$pid" || return 1
	done
}

ensure_namespace() {
	$CTDB_NS_CREATED && return 0
	ip netns add "$CTDB_NS" && CTDB_NS_CREATED=true && ip netns exec "$CTDB_NS" ip link set lo up
}

# cluster_start <name> <shim> <daemon>: a fresh 3-node cluster; its ctdbds
# get LD_PRELOAD=<shim> CTDB_RECOVERD=<daemon> when both are given (as the
# drop-in gives them to ctdb.service), none otherwise. Sets CLUSTER_DIR.
cluster_start() {
	local dir=$WORK/$1 ours=none n
	CLUSTER_DIR=$dir
	[ -n "$2" ] && [ -n "$3" ] && ours=all
	ensure_namespace || return 1
	rm -rf "$dir"
	local_daemons "$dir" setup -n "$NODES" >"$dir.setup.log" 2>&1 || return 1
	CLUSTERS+=("$dir")
	CTDBI_OURS_NODES=$ours CTDBI_SHIM=$2 CTDBI_DAEMON=$3 \
		VALGRIND="$REPO/scripts/lib/ctdbd-launcher.sh" \
		local_daemons "$dir" start all >"$dir.start.log" 2>&1 || return 1
	wait_for 30 all_nodes_started "$dir" || return 1
	for n in $(seq 0 $((NODES - 1))); do
		STARTED_PIDS+=("$(node_pid "$dir" "$n")")
	done
}

cluster_stop() { # <cluster-dir>: true when every ctdbd of it is gone
	local n pid ok=0
	local_daemons "$1" stop all >>"$1.stop.log" 2>&1
	for n in $(seq 0 $((NODES - 1))); do
		pid=$(node_pid "$1" "$n")
		[ -z "$pid" ] && continue
		if ! wait_for 30 process_gone "$pid"; then
			kill -KILL "$pid" 2>/dev/null
			ok=1
		fi
	done
	return $ok
}

cluster_healthy() { # <cluster-dir>: every node OK, recovery mode normal, a leader
	local out
	out=$(local_daemons "$1" onnode 0 ctdb status 2>/dev/null) || return 1
	[ "$(grep -c '^pnn:.* OK' <<<"$out")" -eq "$NODES" ] &&
		grep -q '^Recovery mode:NORMAL' <<<"$out" && grep -Eq '^Leader:[0-9]+$' <<<"$out"
}

recoverd_running() { # <ctdbd pid>
	recoverd_of "$1" >/dev/null
}

# expect_recovery_daemons <cluster-dir> <expected exe or "stock">: each node's
# recovery daemon, a child of its ctdbd, runs that program. Sets RECOVERDS.
expect_recovery_daemons() {
	local dir=$1 want=$2 n pid child exe expected
	RECOVERDS=()
	for n in $(seq 0 $((NODES - 1))); do
		pid=$(node_pid "$dir" "$n")
		if ! wait_for 30 recoverd_running "$pid"; then
			fail_check "node $n: no ctdb_recoverd child of ctdbd $pid within 30 s"
			continue
		fi
		child=$(recoverd_of "$pid")
		RECOVERDS+=("$child")
		exe=$(exe_of "$child")
		expected=$want
		[ "$want" = stock ] && expected=$(exe_of "$pid")
		expect_eq "node $n: /proc/$child/exe (child of ctdbd $pid)" "$exe" "$expected"
	done
}

# --- cases ----------------------------------------------------------------

case_deb_install() {
	begin_case "apt-get install ./<deb> beside Debian's ctdb changes nothing"
	local out had_dir=false
	[ -d "${PATH_DROPIN%/*}" ] && had_dir=true
	out=$(apt_quiet install "$DEB") || fail_check "apt-get install failed: $(tail -n 5 <<<"$out")"
	package_installed || fail_check "$PKG_NAME is not installed"
	expect_eq "installed version" "$(dpkg-query -W -f='${Version}' "$PKG_NAME" 2>/dev/null)" "$VERSION-$PKG_REVISION"
	expect_contains "ctdb still installed" "$(dpkg-query -W -f='${Status}' ctdb)" "install ok installed"
	expect_contains "postinst hint" "$out" "ctdb-recoverd-switch enable"
	local f
	for f in $(dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|'); do
		expect_exists "installed file" "$f"
	done
	expect_absent "drop-in after install" "$PATH_DROPIN"
	$had_dir || expect_absent "drop-in directory after install" "${PATH_DROPIN%/*}"
	expect_contains "status before enable" "$(switch_status)" "switch: disabled"
	end_case
}

case_man_pages() {
	begin_case "man ctdb-recoverd and man ctdb-recoverd-switch render after install"
	local page text warnings
	for page in ctdb-recoverd ctdb-recoverd-switch; do
		expect_eq "man -w $page" "$(man -w "$page" 2>&1)" "$PATH_MANDIR/$page.8.gz"
		text=$(MANWIDTH=80 LC_ALL=C.UTF-8 timeout 30 man -P cat "$page" 2>/dev/null)
		expect_contains "man $page" "$text" "NAME"
		warnings=$(LC_ALL=C.UTF-8 timeout 30 man --warnings -E UTF-8 -l "$PATH_MANDIR/$page.8.gz" 2>&1 >/dev/null)
		expect_eq "man --warnings $page" "$warnings" ""
	done
	text=$(MANWIDTH=80 LC_ALL=C.UTF-8 timeout 30 man -P cat ctdb-recoverd 2>/dev/null)
	local section
	for section in OPTIONS ENVIRONMENT FILES "HOW THE SWITCH WORKS" LOGS "EXIT STATUS" \
		CTDB_RECOVERD CTDB_RECOVERY_HELPER CTDB_TAKEOVER_HELPER CTDB_CLUSTER_MUTEX_HELPER \
		CTDB_LOGGING CTDB_DEBUGLEVEL CTDB_TEST_MODE CTDB_SOCKET CTDB_BASE 16082 16152 \
		"Resigning as leader" 255; do
		expect_contains "ctdb-recoverd(8)" "$text" "$section"
	done
	end_case
}

case_enable() {
	begin_case "ctdb-recoverd-switch enable writes only the drop-in, with the installed paths"
	local out verify_before
	verify_before=$(dpkg --verify ctdb 2>&1)
	out=$(timeout 30 "$PATH_SWITCH" enable 2>&1) || fail_check "enable failed: $out"
	expect_contains "enable says when" "$out" "next \"systemctl restart ctdb\""
	if [ -d /run/systemd/system ]; then
		expect_contains "enable reloads systemd" "$out" "systemd reloaded"
	else
		expect_contains "enable explains no systemd" "$out" "systemd is not running"
	fi
	expect_exists "drop-in" "$PATH_DROPIN"
	expect_eq "drop-in mode" "$(stat -c '%a %U' "$PATH_DROPIN" 2>/dev/null)" "644 root"
	expect_eq "drop-in = template" "$(cat "$PATH_DROPIN" 2>/dev/null)" "$(cat "$PATH_DROPIN_TEMPLATE")"
	expect_eq "drop-in LD_PRELOAD" "$(dropin_value "$PATH_DROPIN" LD_PRELOAD)" "$PATH_SHIM"
	expect_eq "drop-in CTDB_RECOVERD" "$(dropin_value "$PATH_DROPIN" CTDB_RECOVERD)" "$PATH_DAEMON"
	expect_eq "drop-in section" "$(grep -c '^\[Service\]$' "$PATH_DROPIN" 2>/dev/null)" 1
	expect_eq "dpkg --verify ctdb (files of the ctdb package)" "$(dpkg --verify ctdb 2>&1)" "$verify_before"
	expect_contains "status after enable" "$(switch_status)" "switch: enabled ($PATH_DROPIN)"
	out=$(timeout 30 "$PATH_SWITCH" enable 2>&1) || fail_check "second enable failed: $out"
	expect_contains "enable twice" "$out" "Already enabled"
	out=$(timeout 30 "$PATH_SWITCH" bogus 2>&1)
	expect_eq "usage error exit" "$?" 2
	# Not root: refused, nothing changed.
	out=$(timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups "$PATH_SWITCH" disable 2>&1)
	expect_eq "disable as nobody exits" "$?" 1
	expect_contains "disable as nobody" "$out" "are you root?"
	expect_exists "drop-in after disable as nobody" "$PATH_DROPIN"
	# An edited drop-in is reported, and enable puts the template back.
	echo "# local edit" >>"$PATH_DROPIN"
	expect_contains "status of an edited drop-in" "$(switch_status)" "differs from $PATH_DROPIN_TEMPLATE"
	timeout 30 "$PATH_SWITCH" enable >/dev/null 2>&1 || fail_check "enable over an edited drop-in failed"
	expect_eq "drop-in after re-enable" "$(cat "$PATH_DROPIN" 2>/dev/null)" "$(cat "$PATH_DROPIN_TEMPLATE")"
	end_case
}

case_cluster_ours() {
	begin_case "3-node cluster started as the installed drop-in says runs the installed daemon"
	local shim daemon dir n i out line
	shim=$(dropin_value "$PATH_DROPIN" LD_PRELOAD)
	daemon=$(dropin_value "$PATH_DROPIN" CTDB_RECOVERD)
	expect_eq "LD_PRELOAD from the drop-in" "$shim" "$PATH_SHIM"
	expect_eq "CTDB_RECOVERD from the drop-in" "$daemon" "$PATH_DAEMON"
	if ! cluster_start ours "$shim" "$daemon"; then
		fail_check "cluster did not start: $(tail -n 5 "$WORK/ours.start.log" 2>/dev/null)"
		end_case
		return
	fi
	dir=$CLUSTER_DIR
	OURS_DIR=$dir
	expect_recovery_daemons "$dir" "$PATH_DAEMON"
	for n in $(seq 0 $((NODES - 1))); do
		expect_eq "node $n: shim refusals in the log" \
			"$(grep -c 'ctdb_recoverd shim: refusing' "$dir/node.$n/log.ctdb")" 0
	done
	if $STANDIN; then
		i=0
		for n in $(seq 0 $((NODES - 1))); do
			wait_for 15 grep -q "stand-in recovery daemon started, pid ${RECOVERDS[$i]:-x}," \
				"$dir/node.$n/log.ctdb" ||
				fail_check "node $n: ctdbd's log does not show the installed stand-in starting"
			i=$((i + 1))
		done
		note "stand-in daemon: only the exec of the installed path is checked here; the cluster's health" \
			"under the real daemon is checked only where recoverd/ exists (re-run on main)"
	else
		wait_for 90 cluster_healthy "$dir" ||
			fail_check "cluster under the installed daemon not healthy within 90 s"
		i=0
		for n in $(seq 0 $((NODES - 1))); do
			grep -q "ctdb-recoverd\[${RECOVERDS[$i]:-x}\]: " "$dir/node.$n/log.ctdb" ||
				fail_check "node $n: no log line of ctdb-recoverd[${RECOVERDS[$i]:-}]"
			i=$((i + 1))
		done
	fi
	out=$(switch_status)
	for n in $(seq 0 $((NODES - 1))); do
		line=$(grep "^ctdbd $(node_pid "$dir" "$n"): " <<<"$out")
		expect_contains "status for node $n" "$line" "recovery daemon ${RECOVERDS[$n]:-x}: ours ($PATH_DAEMON)"
		expect_contains "status for node $n" "$line" "started with this package's LD_PRELOAD and CTDB_RECOVERD"
		expect_lacks "status for node $n" "$line" "restart ctdb"
	done
	end_case
}

case_disable() {
	begin_case "ctdb-recoverd-switch disable removes the drop-in; after a restart the daemons are stock"
	local out n line dir
	out=$(timeout 30 "$PATH_SWITCH" disable 2>&1) || fail_check "disable failed: $out"
	expect_contains "disable says when" "$out" "next \"systemctl restart ctdb\""
	expect_absent "drop-in" "$PATH_DROPIN"
	out=$(switch_status)
	expect_contains "status after disable" "$out" "switch: disabled"
	if [ -n "${OURS_DIR:-}" ]; then
		for n in $(seq 0 $((NODES - 1))); do
			line=$(grep "^ctdbd $(node_pid "$OURS_DIR" "$n"): " <<<"$out")
			expect_contains "status before the restart, node $n" "$line" "restart ctdb to go back to stock"
		done
		cluster_stop "$OURS_DIR" || fail_check "ctdbd of the first cluster still running 30 s after stop"
	fi
	out=$(timeout 30 "$PATH_SWITCH" disable 2>&1) || fail_check "second disable failed: $out"
	expect_contains "disable twice" "$out" "Already disabled"
	# The restart: no drop-in, so nothing is added to ctdbd's environment.
	if ! cluster_start stock-restarted "" ""; then
		fail_check "cluster did not start again: $(tail -n 5 "$WORK/stock-restarted.start.log" 2>/dev/null)"
		end_case
		return
	fi
	dir=$CLUSTER_DIR
	expect_recovery_daemons "$dir" stock
	out=$(switch_status)
	for n in $(seq 0 $((NODES - 1))); do
		line=$(grep "^ctdbd $(node_pid "$dir" "$n"): " <<<"$out")
		expect_contains "status for node $n" "$line" "recovery daemon ${RECOVERDS[$n]:-x}: stock"
		expect_contains "status for node $n" "$line" "started without this package's"
	done
	cluster_stop "$dir" || fail_check "ctdbd still running 30 s after stop"
	end_case
}

case_reinstall_keeps_switch() {
	begin_case "reinstalling the .deb keeps an enabled switch enabled"
	local out
	timeout 30 "$PATH_SWITCH" enable >/dev/null 2>&1 || fail_check "enable failed"
	out=$(DEBIAN_FRONTEND=noninteractive timeout 120 dpkg -i "$DEB" 2>&1) || fail_check "dpkg -i failed: $out"
	expect_exists "drop-in after reinstall" "$PATH_DROPIN"
	expect_lacks "no hint on upgrade" "$out" "installed; ctdb still runs"
	end_case
}

case_purge() {
	begin_case "apt-get purge with the switch enabled leaves nothing of ours"
	local out f
	[ -e "$PATH_DROPIN" ] || fail_check "precondition: the switch should be enabled"
	out=$(apt_quiet purge "$PKG_NAME") || fail_check "apt-get purge failed: $(tail -n 5 <<<"$out")"
	expect_contains "prerm disables" "$out" "Disabled: removed $PATH_DROPIN"
	expect_contains "prerm asks for a restart" "$out" "systemctl restart ctdb"
	package_installed && fail_check "$PKG_NAME still installed"
	expect_eq "dpkg -L after purge" "$(dpkg -L "$PKG_NAME" 2>/dev/null)" ""
	expect_eq "dpkg status after purge" "$(dpkg-query -W -f='${Status}' "$PKG_NAME" 2>/dev/null)" ""
	for f in $(non_dirs_deb "$DEB"); do
		expect_absent "after purge" "$f"
	done
	expect_absent "after purge" "$PATH_DAEMON"
	expect_absent "after purge" "${PATH_DAEMON%/*}"
	expect_absent "after purge" "$PATH_SWITCH"
	expect_absent "after purge" "${PATH_DROPIN_TEMPLATE%/*}"
	expect_absent "after purge" "$PATH_DOCDIR"
	expect_absent "drop-in after purge" "$PATH_DROPIN"
	expect_contains "ctdb still installed" "$(dpkg-query -W -f='${Status}' ctdb)" "install ok installed"
	end_case
}

case_stock_after_purge() {
	begin_case "after the purge a stock 3-node cluster starts and becomes healthy"
	local dir
	if ! cluster_start stock-after-purge "" ""; then
		fail_check "cluster did not start: $(tail -n 5 "$WORK/stock-after-purge.start.log" 2>/dev/null)"
		end_case
		return
	fi
	dir=$CLUSTER_DIR
	wait_for 90 cluster_healthy "$dir" || fail_check "stock cluster not healthy within 90 s"
	expect_recovery_daemons "$dir" stock
	cluster_stop "$dir" || fail_check "ctdbd still running 30 s after stop"
	end_case
}

deb_cases() {
	case_deb_install
	package_installed || return 1
	case_man_pages
	case_enable
	case_cluster_ours
	case_disable
	case_reinstall_keeps_switch
	case_purge
	case_stock_after_purge
}

# Stops what this run started (by PID), removes the namespace, and leaves no
# package or drop-in of ours behind.
deb_cleanup() {
	local dir pid
	for dir in "${CLUSTERS[@]}"; do
		local_daemons "$dir" stop all >/dev/null 2>&1
	done
	for pid in "${STARTED_PIDS[@]}"; do
		[ -n "$pid" ] || continue
		if ! wait_for 20 process_gone "$pid"; then
			kill -KILL "$pid" 2>/dev/null
		fi
	done
	$CTDB_NS_CREATED && ip netns delete "$CTDB_NS" 2>/dev/null
	if package_installed || dpkg-query -W "$PKG_NAME" >/dev/null 2>&1; then
		apt_quiet purge "$PKG_NAME" >/dev/null
	fi
	return 0
}
