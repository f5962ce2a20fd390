/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CTDB_RECOVERD_SHIM_CHILD_EXEC_H
#define CTDB_RECOVERD_SHIM_CHILD_EXEC_H

/*
 * Turns ctdbd's freshly forked recovery-daemon child into the replacement
 * daemon, keeping its PID. Never returns: either execve succeeds or the
 * child exits with status 1.
 *
 * shown_path is what CTDB_RECOVERD said (used as argv[0] and in messages);
 * exec_path is the checked, fully resolved file that is executed.
 */
void child_exec_replacement(const char *shown_path, const char *exec_path)
	__attribute__((noreturn));

#endif
