# shellcheck shell=bash
# Shared helpers for tests/shim/*.sh: case bookkeeping, bounded waits and the
# test host/replacement plumbing. Sourced by run.sh.

PASSED=0
FAILED=0
CASE_NAME=""
CASE_ERRORS=()

begin_case() {
	CASE_NAME=$1
	CASE_ERRORS=()
}

fail_check() {
	CASE_ERRORS+=("$1")
}

expect_eq() { # <what> <actual> <expected>
	[ "$2" == "$3" ] || fail_check "$1: got '$2', expected '$3'"
}

expect_file_absent() { # <what> <path>
	[ ! -e "$2" ] || fail_check "$1: $2 exists"
}

end_case() {
	if [ ${#CASE_ERRORS[@]} -eq 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok   $CASE_NAME"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL $CASE_NAME"
		printf '       %s\n' "${CASE_ERRORS[@]}"
	fi
}

# wait_for <seconds> <command...>: polls every 0.1 s; false on timeout.
wait_for() {
	local tries=$(($1 * 10))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# stat_field <pid> <n>: field n of /proc/<pid>/stat counted after the
# command name (which may contain spaces): 1 is the state, 2 the parent.
stat_field() {
	local line fields
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a fields <<<"${line##*) }"
	echo "${fields[$2 - 1]}"
}

# A process counts as gone once it no longer exists or is a zombie.
process_gone() { # <pid>
	local state
	state=$(stat_field "$1" 1) || return 0
	[ "$state" = Z ]
}

parent_of() { # <pid>
	stat_field "$1" 2
}

children_of() { # <pid>
	local stat pid
	for stat in /proc/[0-9]*/stat; do
		pid=${stat#/proc/}
		pid=${pid%/stat}
		[ "$(stat_field "$pid" 2)" = "$1" ] && echo "$pid"
	done
	return 0
}

# value_of <file> <key>: the rest of the first line starting "<key> ".
value_of() {
	sed -n "s/^$2 //p" "$1" 2>/dev/null | head -n 1
}

line_count() {
	wc -l <"$1" | tr -d ' '
}

# run_host <case-dir> [VAR=value...] -- <format> [<argument>]
# Runs the test host with the shim preloaded, in a clean environment; the
# fake replacement reports into <case-dir>/report.
run_host() {
	local dir=$1
	shift
	local vars=()
	while [ "$1" != "--" ]; do
		vars+=("$1")
		shift
	done
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LD_PRELOAD="$SHIM" FAKE_RECOVERD_OUT="$dir/report" "${vars[@]}" \
		timeout 30 "$HOST" "$@" >"$dir/stdout" 2>"$dir/stderr"
}
