/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest-side test programs in tests/progs/
 * (wdmisr-raise, wdmisr-fuzz, wdmisr-badio): opening a node, the statistics
 * ioctl, raising one edu interrupt and waiting until its ISR has run, errno
 * names and a seeded PRNG. Header-only: each program is one .c file
 * (tests/Makefile).
 */
#ifndef WDMTEST_H
#define WDMTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <wdmisr.h>

/* Give up waiting for an ISR after this long: the raise was lost. */
#define WDMTEST_ISR_WAIT_MS	5000

static const char *wdmtest_prog = "wdmtest";

static inline void __attribute__((format(printf, 1, 2), noreturn))
wdmtest_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wdmtest_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The symbolic name of an errno value ("EFAULT"), or "0". */
static inline const char *wdmtest_errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case ENXIO: return "ENXIO";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW: return "EOVERFLOW";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static inline int wdmtest_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		wdmtest_die("%s: %s", path, strerror(errno));
	return fd;
}

static inline void wdmtest_stats(int fd, const char *path, struct wdmisr_stats *st)
{
	if (ioctl(fd, WDMISR_IOC_STATS, st))
		wdmtest_die("%s: WDMISR_IOC_STATS: %s", path, strerror(errno));
}

static inline void wdmtest_sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Raise @value on vector 0 of the edu device behind @fd and wait until its
 * ISR has claimed it: isr_true of vector 0 moves past what it was before.
 * Exits if the interrupt never comes.
 */
static inline void wdmtest_raise_paced(int fd, const char *path, uint32_t value)
{
	struct wdmisr_trigger t = { .vector = 0, .value = value };
	struct wdmisr_stats st;
	uint64_t before;
	int waited;

	wdmtest_stats(fd, path, &st);
	before = st.v[0].isr_true;
	if (ioctl(fd, WDMISR_IOC_TRIGGER, &t))
		wdmtest_die("%s: WDMISR_IOC_TRIGGER: %s", path, strerror(errno));
	for (waited = 0; waited < WDMTEST_ISR_WAIT_MS * 10; waited++) {
		wdmtest_stats(fd, path, &st);
		if (st.v[0].isr_true != before)
			return;
		wdmtest_sleep_us(100);
	}
	wdmtest_die("%s: raise of 0x%x never reached the ISR", path, value);
}

/* xorshift64*: small, and the same sequence everywhere for one seed. */
static inline uint64_t wdmtest_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A 64-bit number in any base strtoull() reads, or exit. */
static inline uint64_t wdmtest_number(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-')
		wdmtest_die("%s: not a number: '%s'", opt, s);
	return v;
}

#endif /* WDMTEST_H */
