/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CTDB_RECOVERD_SHIM_REPLACEMENT_PATH_H
#define CTDB_RECOVERD_SHIM_REPLACEMENT_PATH_H

#include <stddef.h>

/*
 * Decides whether the program named by CTDB_RECOVERD may be run as root in
 * place of ctdbd's recovery daemon: only root may be able to change what the
 * path leads to.
 *
 * The path is walked one component at a time, the way the kernel resolves it:
 *  - it must be absolute;
 *  - every directory passed through is owned by root and not writable by
 *    group or others, except a sticky directory such as /tmp, where nobody
 *    else can rename or remove root's entries;
 *  - every symbolic link followed is owned by root (its target is walked the
 *    same way, at most 40 hops);
 *  - the directory finally holding the program is owned by root and not
 *    writable by group or others at all, sticky or not;
 *  - the program is a regular file owned by root, executable by its owner and
 *    not writable by group or others (a POSIX ACL granting write access shows
 *    up in the group bits, so it is refused too).
 *
 * Returns 0 and stores the fully resolved path in resolved (which is what
 * gets executed), or returns -1 and stores a short human-readable reason.
 */
int replacement_path_check(const char *path,
			   char *resolved, size_t resolved_size,
			   char *reason, size_t reason_size);

#endif
