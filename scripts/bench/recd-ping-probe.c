/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark probe (scripts/bench.sh only), preloaded into every ctdbd of a
 * benchmark cluster: measures a recovery daemon's start-up as "ctdbd forked
 * it" -> "it sent its first RECD_PING control". Works the same for the stock
 * daemon (a fork of ctdbd that never execs) and ours (the fork execs
 * ctdb-recoverd; the shim keeps other preloaded libraries, so this one is
 * loaded again and the PID stays the same).
 *
 * With CTDBI_BENCH_PING_LOG=FILE set, appends lines "fork PID NS" (in every
 * child ctdbd forks) and "ping PID NS" (first RECD_PING a process sends),
 * NS = CLOCK_MONOTONIC nanoseconds. Without it, does nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Wire facts (ctdb/protocol/protocol.h): header magic "CTDB", REQ_CONTROL = 7,
 * RECD_PING = 87; opcode follows the 32-byte request header. */
#define PROBE_MAGIC 0x43544442u
#define PROBE_REQ_CONTROL 7u
#define PROBE_RECD_PING 87u
#define PROBE_MIN_LEN 36u

/* A copy: ctdbd's process-title code overwrites the environment's memory. */
static char log_buffer[4096];
static const char *log_path;
static volatile int pinged;

static void record(const char *what)
{
	struct timespec ts;
	char line[96];
	int fd, n;

	if (log_path == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "%s %ld %lld\n", what, (long)getpid(),
		     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	/* Raw syscalls: the wrappers below must not see our own writes. */
	fd = (int)syscall(SYS_openat, AT_FDCWD, log_path,
			  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	(void)!syscall(SYS_write, fd, line, (size_t)n);
	syscall(SYS_close, fd);
}

static void after_fork_in_child(void)
{
	pinged = 0;
	record("fork");
}

__attribute__((constructor)) static void probe_init(void)
{
	const char *value = getenv("CTDBI_BENCH_PING_LOG");

	if (value == NULL || value[0] == '\0' ||
	    strlen(value) >= sizeof(log_buffer))
		return;
	strcpy(log_buffer, value);
	log_path = log_buffer;
	pthread_atfork(NULL, NULL, after_fork_in_child);
}

static uint32_t word(const unsigned char *p, size_t i)
{
	uint32_t v;
	memcpy(&v, p + 4 * i, sizeof(v));
	return v;
}

static void inspect(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (log_path == NULL || pinged || buf == NULL || len < PROBE_MIN_LEN)
		return;
	if (word(p, 1) == PROBE_MAGIC && word(p, 4) == PROBE_REQ_CONTROL &&
	    word(p, 8) == PROBE_RECD_PING) {
		pinged = 1;
		record("ping");
	}
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef ssize_t (*send_fn)(int, const void *, size_t, int);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int,
			     const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);

#define REAL(name) \
	static name##_fn real_##name; \
	if (real_##name == NULL) \
		real_##name = (name##_fn)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t count)
{
	REAL(write);
	inspect(buf, count);
	return real_write(fd, buf, count);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	REAL(writev);
	if (iovcnt > 0)
		inspect(iov[0].iov_base, iov[0].iov_len);
	return real_writev(fd, iov, iovcnt);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	REAL(send);
	inspect(buf, len);
	return real_send(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	REAL(sendto);
	inspect(buf, len);
	return real_sendto(fd, buf, len, flags, to, tolen);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	REAL(sendmsg);
	if (msg != NULL && msg->msg_iovlen > 0)
		inspect(msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len);
	return real_sendmsg(fd, msg, flags);
}
