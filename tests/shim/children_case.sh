# shellcheck shell=bash
# Our real daemon under a stock ctdbd with the shim preloaded: neither the
# daemon nor the cluster mutex helper it runs inherits LD_PRELOAD, and in
# ctdbd's other children (the event daemon, event scripts, forked traverse
# children) the shim is loaded but does nothing. Sourced by run.sh, which sets
# WORK, SHIM, DAEMON and the ctdbd_case.sh helpers.

PROBE_LOG=""

# An event script that records, for every event, whether the shim is in its
# LD_PRELOAD and mapped into it (so it really ran with the shim loaded).
install_probe_script() { # <cluster-dir>
	local script=$1/node.0/events/legacy/00.shimprobe.script
	mkdir -p "$(dirname "$script")"
	cat >"$script" <<PROBE
#!/bin/sh
mapped=\$(grep -c 'libctdb_recoverd_shim' /proc/\$\$/maps)
echo "event \$1 preload=\${LD_PRELOAD:-(unset)} mapped=\$mapped" >>"$PROBE_LOG"
exit 0
PROBE
	chmod 0755 "$script"
}

# environ_value <pid> <variable>: its value in /proc/PID/environ, or (unset).
environ_value() {
	local value
	value=$(tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | sed -n "s/^$2=//p" | head -n 1)
	if tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -q "^$2="; then
		echo "$value"
	else
		echo "(unset)"
	fi
}

shim_mapped() { # <pid>: how many mappings of the shim the process has
	grep -c 'libctdb_recoverd_shim' "/proc/$1/maps" 2>/dev/null
}

child_running() { # <parent pid> <exe>: prints the first child running <exe>
	local child
	for child in $(children_of "$1"); do
		if [ "$(readlink "/proc/$child/exe" 2>/dev/null)" = "$2" ]; then
			echo "$child"
			return 0
		fi
	done
	return 1
}

processes_running() { # <exe>: how many processes run it
	local exe n=0
	for exe in /proc/[0-9]*/exe; do
		[ "$(readlink "$exe" 2>/dev/null)" = "$1" ] && n=$((n + 1))
	done
	echo "$n"
}

node_healthy() { # <cluster-dir>
	local_daemons "$1" onnode 0 ctdb nodestatus >/dev/null 2>&1
}

ctdbd_children_cases() {
	local cluster=$WORK/cluster-ours
	local log=$cluster/node.0/log.ctdb
	local helper_exe
	helper_exe=$(readlink -f /usr/libexec/ctdb/ctdb_mutex_fcntl_helper)
	local ctdbd recoverd helper="" eventd out

	PROBE_LOG=$WORK/cases/probe.log
	begin_case "ctdbd+ours: our daemon replaces the recovery daemon, /proc/PID/environ has no LD_PRELOAD"
	if ! start_cluster "$cluster" "$DAEMON" /dev/null install_probe_script; then
		fail_check "ctdbd did not start: $(cat "$cluster.start.log" 2>/dev/null)"
		end_case
		return
	fi
	ctdbd=$STARTED_CTDBD
	if ! wait_for 20 child_running "$ctdbd" "$DAEMON" >/dev/null; then
		fail_check "no child of ctdbd runs $DAEMON within 20 s"
		end_case
		return
	fi
	recoverd=$(child_running "$ctdbd" "$DAEMON")
	REPLACEMENT_PIDS+=("$recoverd")
	expect_eq "LD_PRELOAD in the daemon's environ" "$(environ_value "$recoverd" LD_PRELOAD)" "(unset)"
	expect_eq "shim mapped into the daemon" "$(shim_mapped "$recoverd")" 0
	expect_eq "CTDB_RECOVERD_PARENT_PID" "$(environ_value "$recoverd" CTDB_RECOVERD_PARENT_PID)" "$ctdbd"
	expect_eq "LD_PRELOAD in ctdbd's environ (control)" "$(environ_value "$ctdbd" LD_PRELOAD)" "$SHIM"
	end_case

	begin_case "ctdbd+ours: the cluster mutex helper our daemon runs has no LD_PRELOAD"
	if ! wait_for 30 child_running "$recoverd" "$helper_exe" >/dev/null; then
		fail_check "no $helper_exe child of our daemon within 30 s"
	else
		helper=$(child_running "$recoverd" "$helper_exe")
		expect_eq "LD_PRELOAD in the helper's environ" "$(environ_value "$helper" LD_PRELOAD)" "(unset)"
		expect_eq "shim mapped into the helper" "$(shim_mapped "$helper")" 0
	fi
	end_case

	begin_case "ctdbd+ours: ctdb-eventd and event scripts load the shim, which does nothing"
	eventd=$(child_running "$ctdbd" "$(readlink -f /usr/libexec/ctdb/ctdb-eventd)")
	if [ -z "$eventd" ]; then
		fail_check "no ctdb-eventd child of ctdbd"
	else
		expect_eq "LD_PRELOAD in ctdb-eventd" "$(environ_value "$eventd" LD_PRELOAD)" "$SHIM"
		[ "$(shim_mapped "$eventd")" -gt 0 ] || fail_check "the shim is not mapped into ctdb-eventd"
	fi
	if ! wait_for 60 grep -q '^event monitor ' "$PROBE_LOG"; then
		fail_check "no monitor event reached the probe script within 60 s: $(cat "$PROBE_LOG" 2>/dev/null)"
	else
		expect_eq "probe runs without the shim in LD_PRELOAD" \
			"$(grep -vc "preload=$SHIM mapped=[1-9]" "$PROBE_LOG")" 0
	fi
	wait_for 60 node_healthy "$cluster" || fail_check "node not healthy within 60 s"
	end_case

	begin_case "ctdbd+ours: ctdbd's forked children (traverse) leave the daemon alone"
	out=$(local_daemons "$cluster" onnode 0 ctdb attach shimprobe.tdb 2>&1 &&
		local_daemons "$cluster" onnode 0 ctdb writekey shimprobe.tdb probe-key probe-value 2>&1 &&
		local_daemons "$cluster" onnode 0 ctdb catdb shimprobe.tdb 2>&1)
	case $out in
		*probe-key*probe-value*) ;;
		*) fail_check "catdb did not show the record: $out" ;;
	esac
	expect_eq "our daemon still the same process" "$(child_running "$ctdbd" "$DAEMON")" "$recoverd"
	expect_eq "processes running our daemon" "$(processes_running "$DAEMON")" 1
	expect_eq "shim lines in ctdbd's log" "$(grep -c 'ctdb_recoverd shim:' "$log")" 0
	end_case

	begin_case "ctdbd+ours: daemon and helper end with ctdbd"
	if ! stop_cluster "$cluster"; then
		fail_check "ctdbd $ctdbd still running 30 s after stop"
	fi
	wait_for 10 process_gone "$recoverd" || fail_check "our daemon $recoverd outlived ctdbd"
	[ -z "$helper" ] || wait_for 10 process_gone "$helper" || fail_check "helper $helper outlived ctdbd"
	end_case
}
