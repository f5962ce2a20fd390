/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CTDB_RECOVERD_SHIM_PRELOAD_ENV_H
#define CTDB_RECOVERD_SHIM_PRELOAD_ENV_H

/*
 * Takes this library out of LD_PRELOAD so that the replacement daemon and
 * the helpers it starts do not load it. Other preloaded libraries (Samba's
 * test suites can preload socket_wrapper, for one) are kept; the variable
 * is removed when nothing else is left in it.
 */
void preload_env_remove_self(void);

#endif
