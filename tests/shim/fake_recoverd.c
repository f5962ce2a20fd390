/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stand-in replacement recovery daemon for the shim tests. Records what it
 * inherited into $FAKE_RECOVERD_OUT (written to a temporary name, then
 * renamed, so a reader never sees half a report), then sleeps
 * $FAKE_RECOVERD_SLEEP seconds (default 0) and exits 0.
 *
 * Report lines: pid, ppid, exe, argc, argv0, comm, env LD_PRELOAD,
 * env CTDB_RECOVERD_PARENT_PID, fds (open descriptors), fd0 (its target),
 * blocked (blocked signals), ignored (ignored signals), pdeathsig.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void list_fds(char *buf, size_t size)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int own = dir != NULL ? dirfd(dir) : -1;
	size_t used = 0;
	int fds[1024];
	int count = 0;
	int i;
	int j;

	buf[0] = '\0';
	if (dir == NULL) {
		snprintf(buf, size, "(no /proc)");
		return;
	}
	while ((entry = readdir(dir)) != NULL && count < 1024) {
		if (entry->d_name[0] != '.' && atoi(entry->d_name) != own) {
			fds[count++] = atoi(entry->d_name);
		}
	}
	closedir(dir);
	for (i = 1; i < count; i++) {
		for (j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	}
	for (i = 0; i < count && used < size; i++) {
		used += (size_t)snprintf(buf + used, size - used, "%s%d",
					 i > 0 ? " " : "", fds[i]);
	}
}

static void list_signals(char *buf, size_t size, int want_ignored)
{
	sigset_t mask;
	size_t used = 0;
	int sig;

	buf[0] = '\0';
	sigprocmask(SIG_BLOCK, NULL, &mask);
	for (sig = 1; sig < NSIG && used < size; sig++) {
		struct sigaction sa;
		int hit;

		if (want_ignored) {
			hit = sigaction(sig, NULL, &sa) == 0 &&
			      sa.sa_handler == SIG_IGN;
		} else {
			hit = sigismember(&mask, sig) == 1;
		}
		if (hit) {
			used += (size_t)snprintf(buf + used, size - used, "%s%d",
						 used > 0 ? " " : "", sig);
		}
	}
	if (buf[0] == '\0') {
		snprintf(buf, size, "none");
	}
}

static void read_link(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
}

int main(int argc, char **argv)
{
	const char *out = getenv("FAKE_RECOVERD_OUT");
	const char *sleep_s = getenv("FAKE_RECOVERD_SLEEP");
	const char *preload = getenv("LD_PRELOAD");
	const char *parent = getenv("CTDB_RECOVERD_PARENT_PID");
	char fds[4096], fd0[4096], exe[4096], blocked[512], ignored[512];
	char comm[64] = "";
	char tmp[4096];
	int pdeathsig = -1;
	FILE *f;
	int i;
	int seconds;

	/* Look before opening anything. */
	list_fds(fds, sizeof(fds));
	read_link("/proc/self/fd/0", fd0, sizeof(fd0));
	read_link("/proc/self/exe", exe, sizeof(exe));
	list_signals(blocked, sizeof(blocked), 0);
	list_signals(ignored, sizeof(ignored), 1);
	prctl(PR_GET_PDEATHSIG, &pdeathsig, 0, 0, 0);
	prctl(PR_GET_NAME, comm, 0, 0, 0);

	if (out == NULL) {
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "w");
	if (f == NULL) {
		return 2;
	}
	fprintf(f, "pid %ld\nppid %ld\nexe %s\nargc %d\nargv0 %s\ncomm %s\n",
		(long)getpid(), (long)getppid(), exe, argc,
		argc > 0 ? argv[0] : "", comm);
	fprintf(f, "env LD_PRELOAD=%s\n", preload != NULL ? preload : "(unset)");
	fprintf(f, "env CTDB_RECOVERD_PARENT_PID=%s\n",
		parent != NULL ? parent : "(unset)");
	fprintf(f, "fds %s\nfd0 %s\nblocked %s\nignored %s\npdeathsig %d\n",
		fds, fd0, blocked, ignored, pdeathsig);
	if (fclose(f) != 0 || rename(tmp, out) != 0) {
		return 2;
	}

	seconds = sleep_s != NULL ? atoi(sleep_s) : 0;
	for (i = 0; i < seconds && i < 600; i++) {
		sleep(1);
	}
	return 0;
}
