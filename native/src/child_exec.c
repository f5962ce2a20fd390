/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "child_exec.h"

#include "preload_env.h"
#include "shim_log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Upper bounds for the fallback used when close_range(2) is unavailable. */
enum {
	MAX_PROC_FD_PASSES = 64,
	MAX_BRUTE_FORCE_FD = 1 << 20,
};

extern char **environ;

/*
 * Handlers are reset by execve anyway, but ignored signals and the blocked
 * mask survive it: ctdbd ignores SIGPIPE and SIGUSR1, and whatever was
 * blocked when it forked stays blocked. The replacement must start like a
 * freshly started program.
 */
static void reset_signals(void)
{
	struct sigaction dfl;
	sigset_t none;
	int sig;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP) {
			continue;
		}
		/* Fails harmlessly for the few numbers glibc keeps to itself. */
		(void)sigaction(sig, &dfl, NULL);
	}

	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * The C daemon notices ctdbd's death through a pipe that is closed below;
 * the kernel's parent-death signal takes its place.
 */
static void die_with_parent(const char *shown_path, pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0) {
		shim_log("cannot set the parent-death signal for CTDB_RECOVERD=%s: %s",
			 shown_path, strerror(errno));
		_exit(1);
	}
	if (getppid() != parent) {
		/* ctdbd died before the signal was armed: nobody to serve. */
		_exit(1);
	}
}

static bool parse_fd(const char *name, int *fd)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(name, &end, 10);
	if (errno != 0 || end == name || *end != '\0' || value < 0 ||
	    value > INT_MAX) {
		return false;
	}
	*fd = (int)value;
	return true;
}

/* Returns the number of descriptors closed, or -1 if /proc is unusable. */
static int close_listed_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int closed = 0;
	int own;
	int fd;

	if (dir == NULL) {
		return -1;
	}
	own = dirfd(dir);
	while ((entry = readdir(dir)) != NULL) {
		if (parse_fd(entry->d_name, &fd) && fd > STDERR_FILENO &&
		    fd != own) {
			close(fd);
			closed++;
		}
	}
	closedir(dir);
	return closed;
}

static void close_inherited_fds(void)
{
	struct rlimit limit;
	int pass;
	int fd;
	int max_fd;

	if (close_range(STDERR_FILENO + 1, ~0U, 0) == 0) {
		return;
	}

	/* Older kernels: close what /proc lists until a pass finds nothing. */
	for (pass = 0; pass < MAX_PROC_FD_PASSES; pass++) {
		int closed = close_listed_fds();

		if (closed == 0) {
			return;
		}
		if (closed < 0) {
			break;
		}
	}

	/* No /proc: try every possible number up to the descriptor limit. */
	max_fd = MAX_BRUTE_FORCE_FD;
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
	    limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (rlim_t)max_fd) {
		max_fd = (int)limit.rlim_cur;
	}
	for (fd = STDERR_FILENO + 1; fd < max_fd; fd++) {
		close(fd);
	}
}

/* A daemonised ctdbd may lack stdin; give the replacement all three. */
static void open_missing_std_fds(void)
{
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int opened = open("/dev/null", O_RDWR);

			if (opened > STDERR_FILENO) {
				close(opened);
			}
		}
	}
}

static void export_parent_pid(pid_t parent)
{
	char value[32];

	snprintf(value, sizeof(value), "%ld", (long)parent);
	if (setenv("CTDB_RECOVERD_PARENT_PID", value, 1) != 0) {
		shim_log("cannot set CTDB_RECOVERD_PARENT_PID: %s", strerror(errno));
		_exit(1);
	}
}

void child_exec_replacement(const char *shown_path, const char *exec_path)
{
	pid_t parent = getppid();
	char *const argv[] = { (char *)shown_path, NULL };

	preload_env_remove_self();
	reset_signals();
	die_with_parent(shown_path, parent);
	close_inherited_fds();
	open_missing_std_fds();
	export_parent_pid(parent);

	execve(exec_path, argv, environ);

	/*
	 * No way back to the built-in daemon from here: its descriptors (the
	 * pipe that tells it ctdbd is alive, the log and the event loop's own
	 * descriptors) are closed and its signal set-up is gone. Exiting lets
	 * ctdbd notice the missing recovery daemon and start it again.
	 */
	shim_log("cannot execute CTDB_RECOVERD=%s: %s; exiting so that ctdbd restarts the recovery daemon",
		 shown_path, strerror(errno));
	_exit(1);
}
