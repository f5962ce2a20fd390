# shellcheck shell=bash
# Cases that drive the shim through tests/shim/host.c, a stand-in for ctdbd
# linked against the Samba library that really exports prctl_set_comment.
# Sourced by run.sh, which sets WORK, SHIM, HOST, FAKE and EXTRA_PRELOAD.

refusal_line() { # <CTDB_RECOVERD value> <reason>
	printf 'ctdb_recoverd shim: refusing CTDB_RECOVERD=%s: %s; running the built-in recovery daemon' "$1" "$2"
}

# Files and directories with every kind of ownership and mode the checks
# tell apart. WORK itself is root-owned 0755 inside the sticky /tmp.
make_fixtures() {
	SAFE=$WORK/safe
	mkdir -m 0755 "$SAFE" "$SAFE/a_directory"
	install -m 0755 "$FAKE" "$SAFE/fake_recoverd"
	install -m 0644 "$FAKE" "$SAFE/not_executable"
	install -m 0775 "$FAKE" "$SAFE/group_writable"
	install -m 0757 "$FAKE" "$SAFE/world_writable"
	install -m 0755 -o nobody "$FAKE" "$SAFE/owned_by_nobody"
	printf 'this is not a program\n' >"$SAFE/not_a_program"
	chmod 0755 "$SAFE/not_a_program"
	ln -s fake_recoverd "$SAFE/link"
	ln -s ../safe/fake_recoverd "$SAFE/link_up_and_down"
	ln -s owned_by_nobody "$SAFE/link_to_nobodys_file"
	ln -s fake_recoverd "$SAFE/link_owned_by_nobody"
	chown -h nobody "$SAFE/link_owned_by_nobody"
	ln -s loop "$SAFE/loop"
	ln -s safe "$WORK/directory_link"

	mkdir -m 0777 "$WORK/world_writable_dir"
	install -m 0755 "$FAKE" "$WORK/world_writable_dir/fake_recoverd"
	mkdir -m 0775 "$WORK/group_writable_dir"
	install -m 0755 "$FAKE" "$WORK/group_writable_dir/fake_recoverd"
	mkdir -m 0755 "$WORK/nobodys_dir"
	install -m 0755 "$FAKE" "$WORK/nobodys_dir/fake_recoverd"
	chown nobody "$WORK/nobodys_dir"
	# Unsafe directories higher up than the one holding the program.
	mkdir -m 0755 "$WORK/nobodys_dir/inner" "$WORK/group_writable_dir/inner"
	install -m 0755 "$FAKE" "$WORK/nobodys_dir/inner/fake_recoverd"
	install -m 0755 "$FAKE" "$WORK/group_writable_dir/inner/fake_recoverd"
	ln -s "$WORK/world_writable_dir/fake_recoverd" "$SAFE/link_into_world_writable_dir"
	mkdir -m 1777 "$WORK/sticky_dir"
	install -m 0755 "$FAKE" "$WORK/sticky_dir/fake_recoverd"
	mkdir -m 0755 "$WORK/sticky_dir/inner"
	install -m 0755 "$FAKE" "$WORK/sticky_dir/inner/fake_recoverd"
}

# The process that called prctl_set_comment became the replacement.
check_replaced() { # <case-dir> <CTDB_RECOVERD value> <expected exe>
	local dir=$1 report=$1/report
	local child host
	child=$(value_of "$dir/stdout" child-pid)
	host=$(value_of "$dir/stdout" host-pid)

	expect_eq "host saw the child exit" "$(value_of "$dir/stdout" child-exit)" 0
	expect_eq "prctl_set_comment returned in the child" \
		"$(grep -c '^returned' "$dir/stdout")" 0
	if [ ! -f "$report" ]; then
		fail_check "the replacement did not run (no report); stderr: $(cat "$dir/stderr")"
		return
	fi
	expect_eq "replacement PID is the forked child's" "$(value_of "$report" pid)" "$child"
	expect_eq "replacement parent" "$(value_of "$report" ppid)" "$host"
	expect_eq "CTDB_RECOVERD_PARENT_PID" \
		"$(report_env "$dir" CTDB_RECOVERD_PARENT_PID)" "$host"
	expect_eq "argv[0]" "$(value_of "$report" argv0)" "$2"
	expect_eq "argc" "$(value_of "$report" argc)" 1
	expect_eq "executable" "$(value_of "$report" exe)" "$3"
	expect_eq "open descriptors" "$(value_of "$report" fds)" "0 1 2"
	expect_eq "blocked signals" "$(value_of "$report" blocked)" none
	expect_eq "ignored signals" "$(value_of "$report" ignored)" none
	expect_eq "parent-death signal" "$(value_of "$report" pdeathsig)" 15
	expect_eq "stderr" "$(cat "$dir/stderr")" ""
}

report_env() { # <case-dir> <variable>
	sed -n "s/^env $2=//p" "$1/report" 2>/dev/null
}

# The real prctl_set_comment ran and the host carried on.
check_untouched() { # <case-dir> <expected comm>
	expect_eq "child went on after prctl_set_comment" \
		"$(value_of "$1/stdout" returned)" "0 comm=$2"
	expect_eq "host saw the child exit" "$(value_of "$1/stdout" child-exit)" 0
	expect_file_absent "replacement report" "$1/report"
}

check_refused() { # <case-dir> <CTDB_RECOVERD value> <reason>
	check_untouched "$1" ctdb_recoverd
	expect_eq "stderr line count" "$(line_count "$1/stderr")" 1
	expect_eq "stderr" "$(cat "$1/stderr")" "$(refusal_line "$2" "$3")"
}

replaced_case() { # <name> <CTDB_RECOVERD value> <expected exe> [<format> [<arg>]]
	local name=$1 value=$2 exe=$3
	local format=${4:-%s} argument=${5-ctdb_recoverd}
	local dir=$WORK/cases/$name
	begin_case "$name"
	if [ $# -ge 4 ] && [ $# -lt 5 ]; then
		run_host "$dir" CTDB_RECOVERD="$value" -- "$format"
	else
		run_host "$dir" CTDB_RECOVERD="$value" -- "$format" "$argument"
	fi
	check_replaced "$dir" "$value" "$exe"
	expect_eq "LD_PRELOAD in the replacement" "$(report_env "$dir" LD_PRELOAD)" "(unset)"
	end_case
}

refused_case() { # <name> <CTDB_RECOVERD value> <reason>
	local dir=$WORK/cases/$1
	begin_case "$1"
	run_host "$dir" CTDB_RECOVERD="$2" -- %s ctdb_recoverd
	check_refused "$dir" "$2" "$3"
	end_case
}

untouched_case() { # <name> <expected comm> [VAR=value...] -- <format> [<arg>]
	local name=$1 comm=$2
	local dir=$WORK/cases/$name
	shift 2
	begin_case "$name"
	run_host "$dir" "$@"
	check_untouched "$dir" "$comm"
	expect_eq "stderr" "$(cat "$dir/stderr")" ""
	end_case
}

host_cases() {
	local fake=$SAFE/fake_recoverd
	local dir

	# --- the replacement takes over, with a clean slate ---
	replaced_case "exec: formatted comment" "$fake" "$fake"
	replaced_case "exec: literal comment" "$fake" "$fake" ctdb_recoverd
	replaced_case "exec: comment built from a format" "$fake" "$fake" 'ctdb_%s' recoverd
	replaced_case "exec: symlink in the same directory" "$SAFE/link" "$fake"
	replaced_case "exec: relative symlink through .." "$SAFE/link_up_and_down" "$fake"
	replaced_case "exec: path through a directory symlink" \
		"$WORK/directory_link/fake_recoverd" "$fake"
	replaced_case "exec: sticky world-writable ancestor directory" \
		"$WORK/sticky_dir/inner/fake_recoverd" "$WORK/sticky_dir/inner/fake_recoverd"

	begin_case "exec: other preloaded libraries are kept"
	dir=$WORK/cases/keep-preload
	run_host "$dir" LD_PRELOAD="$SHIM $EXTRA_PRELOAD:$SHIM" CTDB_RECOVERD="$fake" \
		-- %s ctdb_recoverd
	check_replaced "$dir" "$fake" "$fake"
	expect_eq "LD_PRELOAD in the replacement" "$(report_env "$dir" LD_PRELOAD)" "$EXTRA_PRELOAD"
	end_case

	begin_case "exec: closed stdin is reopened on /dev/null"
	dir=$WORK/cases/closed-stdin
	run_host "$dir" CTDB_RECOVERD="$fake" HOST_CLOSE_STDIN=1 -- %s ctdb_recoverd
	check_replaced "$dir" "$fake" "$fake"
	expect_eq "descriptor 0" "$(value_of "$dir/report" fd0)" /dev/null
	end_case

	begin_case "exec: replacement gets SIGTERM when its parent dies"
	dir=$WORK/cases/parent-death
	run_host "$dir" CTDB_RECOVERD="$fake" FAKE_RECOVERD_SLEEP=60 \
		HOST_EXIT_WHEN="$dir/report" -- %s ctdb_recoverd
	expect_eq "host left" "$(grep -c '^parent-left' "$dir/stdout")" 1
	local pid
	pid=$(value_of "$dir/report" pid)
	if [ -z "$pid" ]; then
		fail_check "the replacement did not run"
	elif ! wait_for 5 process_gone "$pid"; then
		fail_check "replacement $pid still alive 5 s after its parent died"
		kill -KILL "$pid" 2>/dev/null
	fi
	end_case

	begin_case "exec failure: one line, exit 1, no fallback"
	dir=$WORK/cases/exec-failure
	run_host "$dir" CTDB_RECOVERD="$SAFE/not_a_program" -- %s ctdb_recoverd
	expect_eq "host saw the child exit" "$(value_of "$dir/stdout" child-exit)" 1
	expect_eq "prctl_set_comment returned in the child" \
		"$(grep -c '^returned' "$dir/stdout")" 0
	expect_eq "stderr line count" "$(line_count "$dir/stderr")" 1
	expect_eq "stderr" "$(cat "$dir/stderr")" \
		"ctdb_recoverd shim: cannot execute CTDB_RECOVERD=$SAFE/not_a_program: Exec format error; exiting so that ctdbd restarts the recovery daemon"
	end_case

	# --- unsafe CTDB_RECOVERD: one line, built-in daemon carries on ---
	refused_case "refuse: relative path" fake_recoverd "not an absolute path"
	refused_case "refuse: missing file" "$SAFE/missing" \
		"$SAFE/missing: No such file or directory"
	refused_case "refuse: directory" "$SAFE/a_directory" "$SAFE/a_directory is a directory"
	refused_case "refuse: not executable" "$SAFE/not_executable" \
		"$SAFE/not_executable is not executable by its owner"
	refused_case "refuse: file owned by nobody" "$SAFE/owned_by_nobody" \
		"$SAFE/owned_by_nobody is owned by uid 65534, not root"
	refused_case "refuse: symlink to a file owned by nobody" "$SAFE/link_to_nobodys_file" \
		"$SAFE/owned_by_nobody is owned by uid 65534, not root"
	refused_case "refuse: symlink owned by nobody" "$SAFE/link_owned_by_nobody" \
		"symbolic link $SAFE/link_owned_by_nobody is owned by uid 65534, not root"
	refused_case "refuse: symlink loop" "$SAFE/loop" \
		"too many levels of symbolic links at $SAFE/loop"
	refused_case "refuse: group-writable file" "$SAFE/group_writable" \
		"$SAFE/group_writable is group-writable"
	refused_case "refuse: world-writable file" "$SAFE/world_writable" \
		"$SAFE/world_writable is world-writable"
	refused_case "refuse: world-writable directory" "$WORK/world_writable_dir/fake_recoverd" \
		"directory $WORK/world_writable_dir is group- and world-writable"
	refused_case "refuse: group-writable directory" "$WORK/group_writable_dir/fake_recoverd" \
		"directory $WORK/group_writable_dir is group-writable"
	refused_case "refuse: directory owned by nobody" "$WORK/nobodys_dir/fake_recoverd" \
		"directory $WORK/nobodys_dir is owned by uid 65534, not root"
	refused_case "refuse: ancestor directory owned by nobody" \
		"$WORK/nobodys_dir/inner/fake_recoverd" \
		"directory $WORK/nobodys_dir is owned by uid 65534, not root"
	refused_case "refuse: group-writable ancestor directory" \
		"$WORK/group_writable_dir/inner/fake_recoverd" \
		"directory $WORK/group_writable_dir is group-writable"
	refused_case "refuse: symlink into a world-writable directory" \
		"$SAFE/link_into_world_writable_dir" \
		"directory $WORK/world_writable_dir is group- and world-writable"
	refused_case "refuse: sticky world-writable holding directory" \
		"$WORK/sticky_dir/fake_recoverd" \
		"directory $WORK/sticky_dir is group- and world-writable"
	refused_case "refuse: trailing slash after a file" "$fake/" "$fake is not a directory"
	refused_case "refuse: path through a file" "$fake/x" "$fake is not a directory"

	# A newline (or other control character) in the value must not split or
	# forge log lines: it is shown as '?'.
	begin_case "refuse: control characters in the path stay on one log line"
	dir=$WORK/cases/newline
	run_host "$dir" CTDB_RECOVERD="$SAFE/new"$'\n'"line"$'\t'"x" -- %s ctdb_recoverd
	check_untouched "$dir" ctdb_recoverd
	expect_eq "stderr line count" "$(line_count "$dir/stderr")" 1
	expect_eq "stderr" "$(cat "$dir/stderr")" \
		"$(refusal_line "$SAFE/new?line?x" "$SAFE/new?line?x: No such file or directory")"
	end_case

	# --- anything else: the real function, nothing more ---
	untouched_case "pass: no shim (baseline)" ctdb_recoverd LD_PRELOAD= -- %s ctdb_recoverd
	untouched_case "pass: other comment" ctdb_vacuum CTDB_RECOVERD="$fake" -- %s ctdb_vacuum
	untouched_case "pass: comment that only starts alike" ctdb_recoverd_x \
		CTDB_RECOVERD="$fake" -- %s ctdb_recoverd_x
	untouched_case "pass: no CTDB_RECOVERD" ctdb_recoverd -- %s ctdb_recoverd
	untouched_case "pass: empty CTDB_RECOVERD" ctdb_recoverd CTDB_RECOVERD= -- %s ctdb_recoverd

	begin_case "pass: no effect on a program that never calls it"
	dir=$WORK/cases/other-program
	mkdir -p "$dir"
	env -i PATH=/usr/bin:/bin LD_PRELOAD="$SHIM" CTDB_RECOVERD="$fake" \
		FAKE_RECOVERD_OUT="$dir/report" timeout 10 /bin/sh -c 'echo hello' \
		>"$dir/stdout" 2>"$dir/stderr"
	expect_eq "stdout" "$(cat "$dir/stdout")" hello
	expect_eq "stderr" "$(cat "$dir/stderr")" ""
	expect_file_absent "replacement report" "$dir/report"
	end_case

	begin_case "library exports prctl_set_comment and nothing else"
	expect_eq "exported symbols" \
		"$(nm -D --defined-only "$SHIM" | awk '{ print $3 }' | tr '\n' ' ')" \
		"prctl_set_comment "
	end_case
}
