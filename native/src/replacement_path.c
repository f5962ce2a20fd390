/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "replacement_path.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel gives up with ELOOP after the same number of links. */
enum { MAX_SYMLINK_HOPS = 40 };

struct path_walk {
	/* Real path of the directory reached so far; "" stands for "/". */
	char dir[PATH_MAX];
	/* Components not walked yet (grows when a symbolic link is followed). */
	char rest[PATH_MAX];
	size_t rest_pos;
	int hops;
	char *reason;
	size_t reason_size;
};

static int refuse(struct path_walk *w, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(struct path_walk *w, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(w->reason, w->reason_size, format, ap);
	va_end(ap);
	return -1;
}

static const char *shown(const char *dir)
{
	return dir[0] == '\0' ? "/" : dir;
}

static const char *writable_by(mode_t mode)
{
	if ((mode & S_IWGRP) && (mode & S_IWOTH)) {
		return "group- and world-writable";
	}
	return (mode & S_IWGRP) ? "group-writable" : "world-writable";
}

/* A directory the walk passes through (or a link's home). */
static int check_passed_directory(struct path_walk *w, const char *dir,
				  const struct stat *st)
{
	if (st->st_uid != 0) {
		return refuse(w, "directory %s is owned by uid %u, not root",
			      shown(dir), (unsigned)st->st_uid);
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX)) {
		return refuse(w, "directory %s is %s", shown(dir),
			      writable_by(st->st_mode));
	}
	return 0;
}

/* The directory the program itself lives in: no write access but root's. */
static int check_holding_directory(struct path_walk *w)
{
	const char *dir = shown(w->dir);
	struct stat st;

	if (lstat(dir, &st) != 0) {
		return refuse(w, "cannot examine directory %s: %s", dir,
			      strerror(errno));
	}
	if (check_passed_directory(w, w->dir, &st) != 0) {
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		return refuse(w, "directory %s is %s", dir,
			      writable_by(st.st_mode));
	}
	return 0;
}

static int check_program(struct path_walk *w, const char *file,
			 const struct stat *st)
{
	if (S_ISDIR(st->st_mode)) {
		return refuse(w, "%s is a directory", file);
	}
	if (!S_ISREG(st->st_mode)) {
		return refuse(w, "%s is not a regular file", file);
	}
	if (st->st_uid != 0) {
		return refuse(w, "%s is owned by uid %u, not root", file,
			      (unsigned)st->st_uid);
	}
	if (!(st->st_mode & S_IXUSR)) {
		return refuse(w, "%s is not executable by its owner", file);
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		return refuse(w, "%s is %s", file, writable_by(st->st_mode));
	}
	return check_holding_directory(w);
}

/* Copies the next component into name; false when none is left. */
static bool next_component(struct path_walk *w, char *name, size_t name_size,
			   bool *too_long)
{
	const char *p = w->rest + w->rest_pos;
	size_t len;

	*too_long = false;
	while (*p == '/') {
		p++;
	}
	if (*p == '\0') {
		w->rest_pos = (size_t)(p - w->rest);
		return false;
	}
	len = strcspn(p, "/");
	if (len >= name_size) {
		*too_long = true;
		return false;
	}
	memcpy(name, p, len);
	name[len] = '\0';
	w->rest_pos = (size_t)(p + len - w->rest);
	return true;
}

static void go_up(struct path_walk *w)
{
	char *slash = strrchr(w->dir, '/');

	if (slash != NULL) {
		*slash = '\0';
	}
}

/* Replaces the link just read with its target in the components left. */
static int follow_link(struct path_walk *w, const char *link)
{
	char target[PATH_MAX];
	char rest[PATH_MAX];
	ssize_t len;
	int n;

	if (++w->hops > MAX_SYMLINK_HOPS) {
		return refuse(w, "too many levels of symbolic links at %s", link);
	}
	len = readlink(link, target, sizeof(target) - 1);
	if (len < 0) {
		return refuse(w, "cannot read symbolic link %s: %s", link,
			      strerror(errno));
	}
	if (len == 0) {
		return refuse(w, "symbolic link %s is empty", link);
	}
	target[len] = '\0';

	/* What is left is empty or starts with '/', so it joins on directly. */
	n = snprintf(rest, sizeof(rest), "%s%s", target, w->rest + w->rest_pos);
	if (n < 0 || (size_t)n >= sizeof(rest)) {
		return refuse(w, "path through %s is too long", link);
	}
	memcpy(w->rest, rest, (size_t)n + 1);
	w->rest_pos = 0;
	if (target[0] == '/') {
		w->dir[0] = '\0';
	}
	return 0;
}

static int walk(struct path_walk *w, char *resolved, size_t resolved_size)
{
	char name[NAME_MAX + 1];
	char entry[PATH_MAX];
	struct stat st;
	bool too_long;
	int n;

	if (lstat("/", &st) != 0) {
		return refuse(w, "cannot examine /: %s", strerror(errno));
	}
	if (check_passed_directory(w, "", &st) != 0) {
		return -1;
	}

	for (;;) {
		if (!next_component(w, name, sizeof(name), &too_long)) {
			if (too_long) {
				return refuse(w, "a file name in the path is too long");
			}
			/* Nothing left while still standing on a directory. */
			return refuse(w, "%s is a directory", shown(w->dir));
		}
		if (strcmp(name, ".") == 0) {
			continue;
		}
		if (strcmp(name, "..") == 0) {
			go_up(w);
			continue;
		}

		n = snprintf(entry, sizeof(entry), "%s/%s", w->dir, name);
		if (n < 0 || (size_t)n >= sizeof(entry)) {
			return refuse(w, "path is too long");
		}
		if (lstat(entry, &st) != 0) {
			return refuse(w, "%s: %s", entry, strerror(errno));
		}

		if (S_ISLNK(st.st_mode)) {
			if (st.st_uid != 0) {
				return refuse(w, "symbolic link %s is owned by uid %u, not root",
					      entry, (unsigned)st.st_uid);
			}
			if (follow_link(w, entry) != 0) {
				return -1;
			}
			continue;
		}

		if (S_ISDIR(st.st_mode)) {
			if (check_passed_directory(w, entry, &st) != 0) {
				return -1;
			}
			memcpy(w->dir, entry, (size_t)n + 1);
			continue;
		}

		if (w->rest[w->rest_pos] != '\0') {
			/* A '/' follows a name that is not a directory. */
			return refuse(w, "%s is not a directory", entry);
		}
		if (check_program(w, entry, &st) != 0) {
			return -1;
		}
		if ((size_t)n >= resolved_size) {
			return refuse(w, "path is too long");
		}
		memcpy(resolved, entry, (size_t)n + 1);
		return 0;
	}
}

int replacement_path_check(const char *path,
			   char *resolved, size_t resolved_size,
			   char *reason, size_t reason_size)
{
	struct path_walk w = {
		.reason = reason,
		.reason_size = reason_size,
	};

	if (path[0] != '/') {
		return refuse(&w, "not an absolute path");
	}
	if (strlen(path) >= sizeof(w.rest)) {
		return refuse(&w, "path is too long");
	}
	strcpy(w.rest, path);
	return walk(&w, resolved, resolved_size);
}
