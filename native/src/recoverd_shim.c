/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * LD_PRELOAD library that lets an unmodified ctdbd run a replacement
 * recovery daemon.
 *
 * ctdbd forks its recovery daemon and the child names itself with Samba's
 * prctl_set_comment("ctdb_recoverd") before doing anything else of note.
 * This library defines prctl_set_comment: for that one comment, with
 * CTDB_RECOVERD naming a safe program, the child execs the program instead
 * (same PID, so ctdbd's liveness checks and SIGTERM keep working). In every
 * other case the real function is called and nothing else happens; the
 * library has no constructor and exports nothing else.
 */
#include "child_exec.h"
#include "replacement_path.h"
#include "shim_log.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#define RECOVERD_COMMENT "ctdb_recoverd"

/* Samba: int prctl_set_comment(const char *comment_format, ...) */
typedef int (*prctl_set_comment_fn)(const char *comment_format, ...);

__attribute__((visibility("default"), format(printf, 1, 2)))
int prctl_set_comment(const char *comment_format, ...);

static void replace_recovery_daemon_if_asked(void)
{
	const char *configured = getenv("CTDB_RECOVERD");
	char shown_path[PATH_MAX];
	char exec_path[PATH_MAX];
	char reason[PATH_MAX + 128];

	/* An empty value (e.g. a blanked systemd Environment=) means unset. */
	if (configured == NULL || configured[0] == '\0') {
		return;
	}
	if (replacement_path_check(configured, exec_path, sizeof(exec_path),
				   reason, sizeof(reason)) != 0) {
		shim_log("refusing CTDB_RECOVERD=%s: %s; running the built-in recovery daemon",
			 configured, reason);
		return;
	}

	/* The check bounded its length; copy it before the environment changes. */
	snprintf(shown_path, sizeof(shown_path), "%s", configured);
	child_exec_replacement(shown_path, exec_path);
}

static int call_real_prctl_set_comment(const char *comment)
{
	prctl_set_comment_fn real;

	*(void **)&real = dlsym(RTLD_NEXT, "prctl_set_comment");
	if (real == NULL) {
		/* Only reachable if no library defines it: do its job directly. */
		return prctl(PR_SET_NAME, comment, 0, 0, 0) == 0 ? 0 : -1;
	}
	return real("%s", comment);
}

int prctl_set_comment(const char *comment_format, ...)
{
	char comment[256];
	va_list ap;
	int n;

	va_start(ap, comment_format);
	n = vsnprintf(comment, sizeof(comment), comment_format, ap);
	va_end(ap);
	if (n < 0) {
		comment[0] = '\0';
	}

	if (strcmp(comment, RECOVERD_COMMENT) == 0) {
		replace_recovery_daemon_if_asked();
	}
	return call_real_prctl_set_comment(comment);
}
