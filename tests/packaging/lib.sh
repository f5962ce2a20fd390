# shellcheck shell=bash
# Shared helpers of tests/packaging: case bookkeeping, bounded waits and
# process lookups through /proc. Sourced by run.sh.

PASSED=0
FAILED=0
CASE_NAME=""
CASE_ERRORS=()
NOTES=()

begin_case() {
	CASE_NAME=$1
	CASE_ERRORS=()
	CASE_STARTED=$SECONDS
}

fail_check() {
	CASE_ERRORS+=("$1")
}

end_case() {
	local took=$((SECONDS - CASE_STARTED))
	if [ ${#CASE_ERRORS[@]} -eq 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok   $CASE_NAME (${took}s)"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL $CASE_NAME (${took}s)"
		printf '       %s\n' "${CASE_ERRORS[@]}"
	fi
}

note() { # <words...>
	NOTES+=("$*")
	echo "NOTE $*"
}

expect_eq() { # <what> <actual> <expected>
	[ "$2" == "$3" ] || fail_check "$1: got '$2', expected '$3'"
}

expect_contains() { # <what> <text> <fixed string>
	grep -qF -- "$3" <<<"$2" || fail_check "$1: no '$3' in: $(head -c 600 <<<"$2")"
}

expect_lacks() { # <what> <text> <fixed string>
	! grep -qF -- "$3" <<<"$2" || fail_check "$1: unexpected '$3' in: $(head -c 600 <<<"$2")"
}

expect_exists() { # <what> <path>
	[ -e "$2" ] || fail_check "$1: $2 does not exist"
}

expect_absent() { # <what> <path>
	[ ! -e "$2" ] || fail_check "$1: $2 exists"
}

# wait_for <seconds> <command...>: polls every 0.2 s; false on timeout.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# stat_field <pid> <n>: field n of /proc/<pid>/stat after the command name
# (1 = state, 2 = parent).
stat_field() {
	local line fields
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a fields <<<"${line##*) }"
	echo "${fields[$2 - 1]}"
}

process_gone() { # <pid>: gone or a zombie
	local state
	state=$(stat_field "$1" 1) || return 0
	[ "$state" = Z ]
}

# recoverd_of <ctdbd pid>: its child named ctdb_recoverd.
recoverd_of() {
	local stat pid
	for stat in /proc/[0-9]*/stat; do
		pid=${stat#/proc/}
		pid=${pid%/stat}
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = ctdb_recoverd ] || continue
		if [ "$(stat_field "$pid" 2)" = "$1" ]; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

exe_of() { # <pid>
	readlink "/proc/$1/exe" 2>/dev/null
}

# dropin_value <drop-in file> <variable>: the value an Environment= line gives it.
dropin_value() {
	sed -n "s/^Environment=$2=//p" "$1" | head -n 1
}
