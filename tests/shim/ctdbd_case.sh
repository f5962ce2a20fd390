# shellcheck shell=bash
# The real thing: a 1-node stock ctdbd started by Samba's local_daemons.sh in
# a network namespace of our own, with the shim preloaded. Sourced by run.sh,
# which sets WORK, SHIM, SAFE and CTDB_DIR and calls ctdbd_cleanup on exit.

CTDB_NS=cti-shim-$$
CTDB_NS_CREATED=false
CTDBD_PIDS=()
REPLACEMENT_PIDS=()
CTDB_CLUSTERS=()

local_daemons() { # <cluster-dir> <command...>, inside the namespace
	ip netns exec "$CTDB_NS" env CTDB_TEST_MODE=yes \
		timeout 60 "$CTDB_DIR/tests/local_daemons.sh" "$@"
}

ctdbd_pid_of() { # <cluster-dir>
	cat "$1/node.0/run/ctdbd.pid" 2>/dev/null
}

# Sets up a fresh cluster directory and starts ctdbd with the shim
# preloaded and CTDB_RECOVERD=<value>; sets STARTED_CTDBD to its PID.
# An optional <hook> is called with the cluster directory between set-up
# and start.
start_cluster() { # <cluster-dir> <CTDB_RECOVERD value> <report file> [<hook>]
	local cluster=$1
	STARTED_CTDBD=""
	local_daemons "$cluster" setup -n 1 >"$cluster.setup.log" 2>&1 || return 1
	CTDB_CLUSTERS+=("$cluster")
	if [ -n "${4:-}" ]; then
		"$4" "$cluster" || return 1
	fi
	ip netns exec "$CTDB_NS" env CTDB_TEST_MODE=yes LD_PRELOAD="$SHIM" \
		CTDB_RECOVERD="$2" FAKE_RECOVERD_OUT="$3" FAKE_RECOVERD_SLEEP=120 \
		timeout 60 "$CTDB_DIR/tests/local_daemons.sh" "$cluster" start all \
		>"$cluster.start.log" 2>&1 || return 1
	wait_for 15 test -s "$cluster/node.0/run/ctdbd.pid" || return 1
	STARTED_CTDBD=$(ctdbd_pid_of "$cluster")
	CTDBD_PIDS+=("$STARTED_CTDBD")
}

stop_cluster() { # <cluster-dir>
	local pid
	pid=$(ctdbd_pid_of "$1")
	local_daemons "$1" stop all >>"$1.stop.log" 2>&1
	[ -z "$pid" ] || wait_for 30 process_gone "$pid"
}

recoverd_of() { # <ctdbd pid>: its child named ctdb_recoverd
	local child
	for child in $(children_of "$1"); do
		if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = ctdb_recoverd ]; then
			echo "$child"
			return 0
		fi
	done
	return 1
}

ctdbd_replaced_case() {
	local cluster=$WORK/cluster-replaced
	local report=$WORK/cases/ctdbd-replaced.report
	local fake=$SAFE/fake_recoverd
	local ctdbd pid

	begin_case "ctdbd: recovery daemon replaced (same PID, child of ctdbd)"
	if ! start_cluster "$cluster" "$fake" "$report"; then
		fail_check "ctdbd did not start: $(cat "$cluster.start.log" 2>/dev/null)"
		end_case
		return
	fi
	ctdbd=$STARTED_CTDBD
	if ! wait_for 15 test -f "$report"; then
		fail_check "the replacement did not run within 15 s"
	else
		pid=$(value_of "$report" pid)
		REPLACEMENT_PIDS+=("$pid")
		expect_eq "replacement's parent is ctdbd" "$(parent_of "$pid")" "$ctdbd"
		expect_eq "replacement /proc/PID/exe" "$(readlink "/proc/$pid/exe")" "$fake"
		expect_eq "replacement cmdline" "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "$fake "
		expect_eq "parent seen by the replacement" "$(value_of "$report" ppid)" "$ctdbd"
		expect_eq "CTDB_RECOVERD_PARENT_PID" \
			"$(sed -n 's/^env CTDB_RECOVERD_PARENT_PID=//p' "$report")" "$ctdbd"
		expect_eq "LD_PRELOAD in the replacement" \
			"$(sed -n 's/^env LD_PRELOAD=//p' "$report")" "(unset)"
		expect_eq "open descriptors" "$(value_of "$report" fds)" "0 1 2"
		expect_eq "blocked signals" "$(value_of "$report" blocked)" none
		expect_eq "ignored signals" "$(value_of "$report" ignored)" none
		expect_eq "parent-death signal" "$(value_of "$report" pdeathsig)" 15
		expect_eq "stock recovery daemons under ctdbd" "$(recoverd_of "$ctdbd")" ""
		expect_eq "shim lines in ctdbd's log" \
			"$(grep -c 'ctdb_recoverd shim:' "$cluster/node.0/log.ctdb")" 0
	fi
	if ! stop_cluster "$cluster"; then
		fail_check "ctdbd $ctdbd still running 30 s after stop"
	fi
	if [ -n "$pid" ] && ! wait_for 10 process_gone "$pid"; then
		fail_check "replacement $pid outlived ctdbd"
	fi
	end_case
}

ctdbd_refused_case() {
	local cluster=$WORK/cluster-refused
	local report=$WORK/cases/ctdbd-refused.report
	local unsafe=$WORK/world_writable_dir/fake_recoverd
	local log=$cluster/node.0/log.ctdb
	local ctdbd recoverd line

	begin_case "ctdbd: unsafe CTDB_RECOVERD refused, stock daemon runs, log says why"
	if ! start_cluster "$cluster" "$unsafe" "$report"; then
		fail_check "ctdbd did not start: $(cat "$cluster.start.log" 2>/dev/null)"
		end_case
		return
	fi
	ctdbd=$STARTED_CTDBD
	line="ctdbd[$ctdbd]: $(refusal_line "$unsafe" \
		"directory $WORK/world_writable_dir is group- and world-writable")"
	if ! wait_for 15 grep -qF "$line" "$log"; then
		fail_check "no refusal line in $log within 15 s"
	fi
	if ! wait_for 15 recoverd_of "$ctdbd" >/dev/null; then
		fail_check "no ctdb_recoverd child of ctdbd within 15 s"
	else
		recoverd=$(recoverd_of "$ctdbd")
		expect_eq "recovery daemon /proc/PID/exe" \
			"$(readlink "/proc/$recoverd/exe")" "$(readlink "/proc/$ctdbd/exe")"
		wait_for 15 grep -qF "ctdb-recoverd[$recoverd]: " "$log" ||
			fail_check "stock recovery daemon $recoverd never logged"
	fi
	expect_eq "refusal lines in ctdbd's log" "$(grep -cF "$line" "$log")" 1
	expect_eq "shim lines in ctdbd's log" "$(grep -c 'ctdb_recoverd shim:' "$log")" 1
	expect_file_absent "replacement report" "$report"
	if ! stop_cluster "$cluster"; then
		fail_check "ctdbd $ctdbd still running 30 s after stop"
	fi
	end_case
}

ctdbd_cases() {
	begin_case "ctdbd: network namespace $CTDB_NS"
	if ip netns add "$CTDB_NS" && CTDB_NS_CREATED=true &&
		ip netns exec "$CTDB_NS" ip link set lo up; then
		end_case
	else
		fail_check "cannot create network namespace $CTDB_NS"
		end_case
		return
	fi
	ctdbd_replaced_case
	ctdbd_refused_case
}

# Stops whatever this run started, by PID only, and removes the namespace.
ctdbd_cleanup() {
	local cluster pid
	for cluster in "${CTDB_CLUSTERS[@]}"; do
		pid=$(ctdbd_pid_of "$cluster")
		if [ -n "$pid" ] && ! process_gone "$pid"; then
			local_daemons "$cluster" stop all >/dev/null 2>&1
			wait_for 30 process_gone "$pid"
		fi
	done
	for pid in "${CTDBD_PIDS[@]}" "${REPLACEMENT_PIDS[@]}"; do
		if [ -n "$pid" ] && ! process_gone "$pid"; then
			kill -TERM "$pid" 2>/dev/null
			wait_for 5 process_gone "$pid" || kill -KILL "$pid" 2>/dev/null
		fi
	done
	if $CTDB_NS_CREATED; then
		ip netns delete "$CTDB_NS"
	fi
}
