/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test host for the shim: stands in for ctdbd. It is linked against the
 * Samba library that really exports prctl_set_comment and defines no
 * prctl_set_comment of its own.
 *
 *   host <format> [<argument>]
 *
 * Before forking it leaves behind what ctdbd's recovery child would have:
 * extra descriptors without close-on-exec, blocked and ignored signals, a
 * handler. The child prints "child-pid <pid>" and calls
 * prctl_set_comment(format[, argument]); if that returns it prints
 * "returned <rc> comm=<name>" and exits 0. The parent prints "host-pid",
 * waits at most 20 s and prints "child-exit <status>" / "child-signal <n>".
 *
 * HOST_CLOSE_STDIN=1  the child closes descriptor 0 before the call.
 * HOST_EXIT_WHEN=<f>  the parent exits (without reaping) once file <f>
 *                     exists, at most 20 s, printing "parent-left".
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int prctl_set_comment(const char *comment_format, ...);

extern char **environ;

enum { WAIT_STEPS = 2000, STEP_NS = 10 * 1000 * 1000 };

static void on_hup(int sig)
{
	(void)sig;
}

static void nap(void)
{
	struct timespec ts = { 0, STEP_NS };

	nanosleep(&ts, NULL);
}

/*
 * Samba's prctl_set_comment also sets the process title through libbsd,
 * which complains on stderr unless initialised first, as ctdbd does.
 */
static void init_process_title(int argc, char **argv)
{
	void (*init)(int, char **, char **);

	*(void **)&init = dlsym(RTLD_DEFAULT, "setproctitle_init");
	if (init != NULL) {
		init(argc, argv, environ);
	}
}

static void leave_state_behind(void)
{
	int pipe_fds[2];
	int null_fd;
	sigset_t blocked;
	struct sigaction sa;

	if (pipe(pipe_fds) != 0) {
		perror("pipe");
		exit(2);
	}
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, 77) < 0) {
		perror("dup2");
		exit(2);
	}

	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &blocked, NULL);

	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
}

static void run_child(int argc, char **argv)
{
	char comm[64] = "";
	FILE *f;
	int rc;

	printf("child-pid %ld\n", (long)getpid());
	fflush(stdout);

	if (getenv("HOST_CLOSE_STDIN") != NULL) {
		close(STDIN_FILENO);
	}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
	if (argc > 2) {
		rc = prctl_set_comment(argv[1], argv[2]);
	} else {
		rc = prctl_set_comment(argv[1]);
	}
#pragma GCC diagnostic pop

	f = fopen("/proc/self/comm", "r");
	if (f != NULL) {
		if (fgets(comm, sizeof(comm), f) != NULL) {
			comm[strcspn(comm, "\n")] = '\0';
		}
		fclose(f);
	}
	printf("returned %d comm=%s\n", rc, comm);
	fflush(stdout);
	_exit(0);
}

static int wait_for_child(pid_t child)
{
	int status;
	int i;

	for (i = 0; i < WAIT_STEPS; i++) {
		pid_t r = waitpid(child, &status, WNOHANG);

		if (r == child) {
			if (WIFEXITED(status)) {
				printf("child-exit %d\n", WEXITSTATUS(status));
			} else {
				printf("child-signal %d\n", WTERMSIG(status));
			}
			return 0;
		}
		if (r < 0 && errno != EINTR) {
			perror("waitpid");
			return 2;
		}
		nap();
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	printf("child-timeout\n");
	return 3;
}

static int leave_when_file_appears(const char *path)
{
	struct stat st;
	int i;

	for (i = 0; i < WAIT_STEPS; i++) {
		if (stat(path, &st) == 0) {
			printf("parent-left\n");
			return 0;
		}
		nap();
	}
	printf("parent-timeout\n");
	return 3;
}

int main(int argc, char **argv)
{
	const char *exit_when = getenv("HOST_EXIT_WHEN");
	pid_t child;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <format> [<argument>]\n", argv[0]);
		return 2;
	}

	init_process_title(argc, argv);
	leave_state_behind();
	printf("host-pid %ld\n", (long)getpid());
	fflush(stdout);

	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		run_child(argc, argv);
	}

	if (exit_when != NULL) {
		return leave_when_file_appears(exit_when);
	}
	return wait_for_child(child);
}
