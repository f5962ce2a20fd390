/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shim_log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SHIM_LOG_PREFIX "ctdb_recoverd shim: "

void shim_log(const char *format, ...)
{
	char line[2048];
	size_t prefix_len = sizeof(SHIM_LOG_PREFIX) - 1;
	size_t room = sizeof(line) - prefix_len - 1; /* keep one byte for '\n' */
	va_list ap;
	int n;
	size_t len;
	size_t i;

	memcpy(line, SHIM_LOG_PREFIX, prefix_len);

	va_start(ap, format);
	n = vsnprintf(line + prefix_len, room + 1, format, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
	}

	/* An over-long message is cut, but the line always ends in '\n'. */
	len = prefix_len + ((size_t)n < room ? (size_t)n : room);
	/*
	 * Exactly one line: a newline or other control character in a path
	 * (CTDB_RECOVERD, a link target) must not split it or forge a second one.
	 */
	for (i = prefix_len; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) {
			line[i] = '?';
		}
	}
	line[len++] = '\n';

	while (write(STDERR_FILENO, line, len) < 0 && errno == EINTR) {
		/* retry: a signal interrupted the write before anything was written */
	}
}
