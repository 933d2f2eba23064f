// SPDX-License-Identifier: GPL-2.0
/*
 * wdm-bench-read: wdmisr-read itself (its wr_main(), linked from the
 * objects in userspace/), run with system calls that count and time its
 * reads, for the throughput benchmark. With --zero, the same reader reads
 * /dev/zero as if it were a wdmisr device (WDMISR_IOC_INFO is answered
 * here): the bound that copying the records and making the system calls
 * set, with the same record size and the same per-record work. Where
 * wdmisr-read maps the device's event ring (the default; --no-mmap after
 * "--" reads with read()), the records it takes are counted from the
 * consumer index it stores, each time it next calls poll() and when it
 * unmaps the ring.
 *
 * Usage: wdm-bench-read [--zero] [--skip K] -- WDMISR-READ-ARGUMENTS...
 *   --zero     answer WDMISR_IOC_INFO for a device that is not wdmisr
 *   --skip K   start the clock once K records have been read
 *
 * wdmisr-read's output goes to stdout as usual; then, on stderr,
 *   bench-read status=S reads=R reads_ok=O records=N window_records=W window_ns=T
 *              user_ns=U sys_ns=Y mode=M
 * S is wdmisr-read's exit status, R every read() call, O those that
 * returned records (with the ring: the batches taken from it), M read or
 * ring, and W the records read in the T nanoseconds (CLOCK_MONOTONIC)
 * between the read that reached K records and the last.
 * U and Y are the CPU time the process spent in user mode and in the
 * kernel (getrusage(), as the scheduler ticks sample it) from that read to
 * the end. The exit status is wdmisr-read's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <wdmisr.h>

#include "wdmisr-read.h"

static struct {
	bool zero;
	uint64_t skip;
	uint64_t reads, reads_ok, records;
	bool started;
	uint64_t start_records;
	struct timespec start, last;
	struct rusage start_ru;
	const struct wdmisr_ring_header *ring;
	bool mapped;
	uint32_t ring_tail0;
} br;

static int64_t br_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

static int64_t br_tv_ns(const struct timeval *a, const struct timeval *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_usec - a->tv_usec) * 1000LL;
}

static int br_open(const char *path, int flags)
{
	return wr_sys_ops.open(path, flags);
}

/* @records have been taken in all, more than before: the clock. */
static void br_took(uint64_t records)
{
	br.reads_ok++;
	br.records = records;
	clock_gettime(CLOCK_MONOTONIC, &br.last);
	if (!br.started && br.records >= br.skip) {
		br.started = true;
		br.start = br.last;
		br.start_records = br.records;
		getrusage(RUSAGE_SELF, &br.start_ru);
	}
}

static ssize_t br_read(int fd, void *buf, size_t len)
{
	ssize_t n = wr_sys_ops.read(fd, buf, len);
	int saved = errno;

	br.reads++;
	if (n > 0)
		br_took(br.records + (size_t)n / sizeof(struct wdmisr_event));
	errno = saved;
	return n;
}

/* The records given back through the mapped ring's consumer index so far. */
static void br_ring_took(void)
{
	uint32_t tail;

	if (!br.ring)
		return;
	tail = __atomic_load_n(&br.ring->tail, __ATOMIC_RELAXED);
	if (tail - br.ring_tail0 != br.records)
		br_took(tail - br.ring_tail0);
}

static int br_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	br_ring_took();
	return wr_sys_ops.poll(fds, nfds, timeout_ms);
}

static void *br_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = wr_sys_ops.mmap(addr, len, prot, flags, fd, off);

	if (p != MAP_FAILED && off == WDMISR_RING_HEADER_OFFSET && !br.ring) {
		br.ring = p;
		br.mapped = true;
		br.ring_tail0 = __atomic_load_n(&br.ring->tail, __ATOMIC_RELAXED);
	}
	return p;
}

static int br_munmap(void *addr, size_t len)
{
	if (addr == br.ring) {
		br_ring_took();
		br.ring = NULL;
	}
	return wr_sys_ops.munmap(addr, len);
}

/* With --zero, the device information that makes wdmisr-read go on. */
static int br_ioctl(int fd, unsigned long request, void *arg)
{
	struct wdmisr_info *info = arg;

	if (!br.zero || request != WDMISR_IOC_INFO)
		return wr_sys_ops.ioctl(fd, request, arg);
	memset(info, 0, sizeof(*info));
	info->abi_version = WDMISR_ABI_VERSION;
	info->record_size = sizeof(struct wdmisr_event);
	info->nvectors = 1;
	snprintf(info->bdf, sizeof(info->bdf), "zero");
	return 0;
}

static int br_close(int fd)
{
	return wr_sys_ops.close(fd);
}

static const struct wr_dev_ops br_ops = {
	.open = br_open,
	.read = br_read,
	.poll = br_poll,
	.ioctl = br_ioctl,
	.close = br_close,
	.mmap = br_mmap,
	.munmap = br_munmap,
};

static int br_usage(void)
{
	fprintf(stderr, "usage: wdm-bench-read [--zero] [--skip K] -- WDMISR-READ-ARGUMENTS...\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct wr_env env = {
		.ops = &br_ops,
		.out = stdout,
		.err = stderr,
		.sysfs = "/sys",
	};
	struct rusage ru;
	char *end;
	int i, status;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--zero")) {
			br.zero = true;
		} else if (!strcmp(argv[i], "--skip") && i + 1 < argc) {
			errno = 0;
			br.skip = strtoull(argv[++i], &end, 10);
			if (errno || *end || !*argv[i])
				return br_usage();
		} else {
			return br_usage();
		}
	}
	if (i == argc)
		return br_usage();
	/* wdmisr-read's command line: its own name, then what follows "--". */
	argv[i] = "wdmisr-read";
	status = wr_main(argc - i, argv + i, &env);
	getrusage(RUSAGE_SELF, &ru);
	fflush(stdout);
	fprintf(stderr,
		"bench-read status=%d reads=%" PRIu64 " reads_ok=%" PRIu64 " records=%" PRIu64
		" window_records=%" PRIu64 " window_ns=%" PRId64 " user_ns=%" PRId64
		" sys_ns=%" PRId64 " mode=%s\n",
		status, br.reads, br.reads_ok, br.records,
		br.started ? br.records - br.start_records : 0,
		br.started ? br_ns(&br.start, &br.last) : 0,
		br.started ? br_tv_ns(&br.start_ru.ru_utime, &ru.ru_utime) : 0,
		br.started ? br_tv_ns(&br.start_ru.ru_stime, &ru.ru_stime) : 0,
		br.mapped && !br.reads ? "ring" : "read");
	return status;
}
