/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CTDB_RECOVERD_SHIM_LOG_H
#define CTDB_RECOVERD_SHIM_LOG_H

/*
 * Writes "ctdb_recoverd shim: <message>\n" to stderr with a single write(2),
 * so the line stays whole even when ctdbd's children share the descriptor.
 * ctdbd points its children's stderr at a pipe it reads and copies into its
 * own log, so this is where the line ends up under ctdbd.
 */
void shim_log(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
