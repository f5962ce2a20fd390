/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "preload_env.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ld.so splits LD_PRELOAD at spaces and colons. */
#define PRELOAD_SEPARATORS " :"

struct self_identity {
	const char *path;
	const char *base_name;
	struct stat st;
	bool have_st;
};

static bool is_self(const struct self_identity *self, const char *entry)
{
	struct stat st;

	if (strchr(entry, '/') == NULL) {
		/* A bare name is looked up in the library path by ld.so. */
		return strcmp(entry, self->base_name) == 0;
	}
	if (strcmp(entry, self->path) == 0) {
		return true;
	}
	return self->have_st && stat(entry, &st) == 0 &&
	       st.st_dev == self->st.st_dev && st.st_ino == self->st.st_ino;
}

void preload_env_remove_self(void)
{
	const char *value = getenv("LD_PRELOAD");
	struct self_identity self = { 0 };
	Dl_info info;
	char *copy;
	char *kept;
	char *cursor;
	char *entry;
	size_t kept_len = 0;

	if (value == NULL) {
		return;
	}
	if (dladdr((void *)&preload_env_remove_self, &info) == 0 ||
	    info.dli_fname == NULL) {
		/* Cannot tell which entry is this library: drop them all. */
		unsetenv("LD_PRELOAD");
		return;
	}
	self.path = info.dli_fname;
	self.base_name = strrchr(self.path, '/') != NULL ?
			 strrchr(self.path, '/') + 1 : self.path;
	self.have_st = stat(self.path, &self.st) == 0;

	copy = strdup(value);
	kept = malloc(strlen(value) + 1);
	if (copy == NULL || kept == NULL) {
		free(copy);
		free(kept);
		unsetenv("LD_PRELOAD");
		return;
	}

	cursor = copy;
	while ((entry = strsep(&cursor, PRELOAD_SEPARATORS)) != NULL) {
		size_t len = strlen(entry);

		if (len == 0 || is_self(&self, entry)) {
			continue;
		}
		if (kept_len > 0) {
			kept[kept_len++] = ':';
		}
		memcpy(kept + kept_len, entry, len);
		kept_len += len;
	}
	kept[kept_len] = '\0';

	if (kept_len == 0) {
		unsetenv("LD_PRELOAD");
	} else {
		setenv("LD_PRELOAD", kept, 1);
	}
	free(copy);
	free(kept);
}
