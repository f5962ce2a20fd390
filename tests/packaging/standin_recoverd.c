/*
 * Development stand-in for out/bin/ctdb-recoverd, used by tests/packaging only
 * while the checkout has no recoverd/CtdbInterop.Recoverd project: it lets the
 * packages be built and checks that ctdbd exec'd the installed path. It names
 * itself ctdb_recoverd as the real daemon does, says on stderr (which ctdbd
 * copies into its log) that it started, and waits for SIGTERM or for ctdbd to
 * go away. It does no recovery work at all.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	pid_t parent = getppid();
	struct sigaction sa = { .sa_handler = on_term };

	sigaction(SIGTERM, &sa, NULL);
	prctl(PR_SET_NAME, "ctdb_recoverd", 0, 0, 0);
	fprintf(stderr, "ctdbinterop stand-in recovery daemon started, pid %d, parent %d\n",
		(int)getpid(), (int)parent);
	fflush(stderr);
	/* Bounded by ctdbd: it sends SIGTERM on shutdown, and its death ends the loop. */
	while (!stop && getppid() == parent)
		sleep(1);
	return 0;
}
