// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-badio: read(), poll() and epoll on a wdmisr node with bad buffers,
 * and what is left in the queue afterwards. One TEST per run, on a fresh
 * open file, so that it is the reader. Prints one line,
 *
 *   TEST: RESULT; N queued
 *
 * RESULT being what the call returned: an errno name ("EFAULT"), a byte
 * count ("264 bytes"), or for poll the revents ("POLLIN"). N is how many
 * records a good read() then finds queued (it takes them). Tests:
 *
 *   null       read(fd, NULL, 88)
 *   unmapped   read() into a page that was unmapped
 *   kernel     read() into a kernel address
 *   readonly   read() into a read-only page
 *   tiny       read() of 0, 1 and 87 bytes: the three errnos, joined by ","
 *   guard      read() of 88 bytes, only the first 40 of them mapped
 *   straddle   read() of 100 records into room for 3 before an unmapped
 *              page: the whole records before the fault, and the records
 *              after them stay queued, their seq continuing
 *   hugecount  read() of SIZE_MAX bytes
 *   bigread    read() of 0x7ffff000 bytes into a mapping that large
 *   nonblock   O_NONBLOCK read() (meant for an empty queue)
 *   padding    read() of 16 records + 7 bytes into a buffer of 0xA5 bytes:
 *              RESULT "K records clean" when every record has reserved 0,
 *              len <= 40 and data zero past len, and the buffer is still
 *              0xA5 past the K records; else what was wrong
 *   poll-null, poll-unmapped, poll-guard (the second pollfd unmapped),
 *   poll-nfds (nfds above RLIMIT_NOFILE), poll (a good one, timeout 0)
 *   epoll-null (epoll_wait into NULL), epoll-zero (maxevents 0),
 *   epoll      (the node in an epoll set, timeout 0)
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "wdmtest.h"

#define REC		((ssize_t)sizeof(struct wdmisr_event))
#define PAGE		4096
#define BIG		0x7ffff000UL	/* MAX_RW_COUNT on x86-64 */

static char result[128];

/*
 * The system calls themselves, not the C library's wrappers: the compiler
 * rightly refuses some of these arguments when it sees them.
 */
static ssize_t bad_read(int fd, void *buf, size_t count)
{
	return syscall(SYS_read, fd, buf, count);
}

static int bad_poll(struct pollfd *fds, unsigned long nfds)
{
	return (int)syscall(SYS_poll, fds, nfds, 0);
}

/* A page-aligned mapping of @len bytes followed by an unmapped page. */
static uint8_t *guarded(size_t len)
{
	size_t n = (len + PAGE - 1) / PAGE * PAGE;
	uint8_t *m = mmap(NULL, n + PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (m == MAP_FAILED || munmap(m + n, PAGE))
		wdmtest_die("mmap: %s", strerror(errno));
	return m + n - len;
}

/* Record the result of a read(): a byte count or the errno. */
static void read_result(ssize_t n)
{
	if (n < 0)
		snprintf(result, sizeof(result), "%s", wdmtest_errname(errno));
	else
		snprintf(result, sizeof(result), "%zd bytes", n);
}

static void poll_result(int n, short revents)
{
	if (n < 0)
		snprintf(result, sizeof(result), "%s", wdmtest_errname(errno));
	else
		snprintf(result, sizeof(result), "%d%s%s%s%s", n,
			 revents & POLLIN ? " POLLIN" : "", revents & POLLERR ? " POLLERR" : "",
			 revents & POLLHUP ? " POLLHUP" : "", revents & POLLNVAL ? " POLLNVAL" : "");
}

/* How many records are left; takes them. Checks seq continues from @next. */
static unsigned int drain(int fd, uint64_t next, bool check_seq)
{
	struct wdmisr_event ev[64];
	unsigned int n = 0;
	ssize_t got;
	int i;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((got = read(fd, ev, sizeof(ev))) > 0) {
		for (i = 0; i < got / REC; i++, n++) {
			if (check_seq && ev[i].seq != next)
				wdmtest_die("seq %llu after %llu: records lost or repeated",
					    (unsigned long long)ev[i].seq,
					    (unsigned long long)next - 1);
			next = ev[i].seq + 1;
		}
	}
	if (errno != EAGAIN)
		wdmtest_die("read: %s", strerror(errno));
	return n;
}

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* padding: every byte the driver wrote is initialised, none past the end. */
static void test_padding(int fd)
{
	const size_t size = 16 * REC + 7;
	uint8_t *buf = guarded(size + 1);	/* aligned, one spare byte */
	const struct wdmisr_event *ev = (const void *)buf;
	ssize_t n, i;

	memset(buf, 0xa5, size);
	n = bad_read(fd, buf, size);
	if (n < 0 || n % REC) {
		read_result(n);
		return;
	}
	for (i = 0; i < n / REC; i++) {
		if (ev[i].reserved || ev[i].len > WDMISR_DATA_MAX ||
		    !zero(ev[i].data + ev[i].len, WDMISR_DATA_MAX - ev[i].len)) {
			snprintf(result, sizeof(result), "record %zd: reserved %u len %u, data past len not 0",
				 i, ev[i].reserved, ev[i].len);
			return;
		}
	}
	for (i = n; i < (ssize_t)size; i++) {
		if (buf[i] != 0xa5) {
			snprintf(result, sizeof(result), "byte %zd past the %zd returned written", i, n);
			return;
		}
	}
	snprintf(result, sizeof(result), "%zd records clean", n / REC);
}

/* straddle: room for 3 records, then an unmapped page. */
static uint64_t test_straddle(int fd)
{
	struct wdmisr_event *ev = (void *)guarded(3 * REC);
	ssize_t n = bad_read(fd, ev, 100 * REC);

	read_result(n);
	return n > 0 ? ev[n / REC - 1].seq + 1 : 0;
}

static void test_tiny(int fd)
{
	static const size_t sizes[] = { 0, 1, REC - 1 };
	struct wdmisr_event ev;
	size_t i, len = 0;

	for (i = 0; i < 3; i++) {
		ssize_t n = bad_read(fd, &ev, sizes[i]);

		len += snprintf(result + len, sizeof(result) - len, "%s%s", i ? "," : "",
				n < 0 ? wdmtest_errname(errno) : "returned");
	}
}

static void test_poll(int fd, const char *test)
{
	struct pollfd *p = (void *)guarded(sizeof(*p));
	struct rlimit rl;

	p->fd = fd;
	p->events = POLLIN;
	p->revents = 0;
	if (!strcmp(test, "poll-null")) {
		poll_result(bad_poll(NULL, 1), 0);
	} else if (!strcmp(test, "poll-unmapped")) {
		poll_result(bad_poll(p + 1, 1), 0);
	} else if (!strcmp(test, "poll-guard")) {
		poll_result(bad_poll(p, 2), 0);
	} else if (!strcmp(test, "poll-nfds")) {
		getrlimit(RLIMIT_NOFILE, &rl);
		poll_result(bad_poll(p, rl.rlim_cur + 1), 0);
	} else {
		int n = poll(p, 1, 0);

		poll_result(n, p->revents);
	}
}

static void test_epoll(int fd, const char *test)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		wdmtest_die("epoll: %s", strerror(errno));
	if (!strcmp(test, "epoll-null"))
		n = (int)syscall(SYS_epoll_wait, ep, NULL, 1, 0);
	else if (!strcmp(test, "epoll-zero"))
		n = epoll_wait(ep, &ev, 0, 0);
	else
		n = epoll_wait(ep, &ev, 1, 0);
	poll_result(n, n > 0 ? (short)ev.events : 0);
	close(ep);
}

/* The read() tests that pass one bad buffer. Returns false if @test is not one. */
static bool test_bad_read(int fd, const char *test)
{
	void *p;

	if (!strcmp(test, "null"))
		p = NULL;
	else if (!strcmp(test, "unmapped"))
		p = guarded(0);
	else if (!strcmp(test, "kernel"))
		p = (void *)0xffff888000000000UL;
	else if (!strcmp(test, "readonly"))
		p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (!strcmp(test, "guard"))
		p = guarded(40);
	else
		return false;
	read_result(bad_read(fd, p, REC));
	return true;
}

int main(int argc, char **argv)
{
	const char *node = "/dev/wdmisr0", *test;
	uint64_t next = 0;
	bool check_seq = false;
	int fd, c;

	wdmtest_prog = "wdmisr-badio";
	while ((c = getopt(argc, argv, "d:")) != -1) {
		if (c != 'd')
			return 2;
		node = optarg;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "Usage: wdmisr-badio [-d NODE] TEST (see tests/progs/wdmisr-badio.c)\n");
		return 2;
	}
	test = argv[optind];
	fd = wdmtest_open(node, O_RDONLY | (strcmp(test, "nonblock") ? 0 : O_NONBLOCK));
	if (test_bad_read(fd, test)) {
		;
	} else if (!strcmp(test, "tiny")) {
		test_tiny(fd);
	} else if (!strcmp(test, "straddle")) {
		next = test_straddle(fd);
		check_seq = next != 0;
	} else if (!strcmp(test, "hugecount")) {
		read_result(bad_read(fd, guarded(REC), SIZE_MAX));
	} else if (!strcmp(test, "bigread")) {
		read_result(read(fd, guarded(BIG), BIG));
	} else if (!strcmp(test, "nonblock")) {
		read_result(read(fd, guarded(REC), REC));
	} else if (!strcmp(test, "padding")) {
		test_padding(fd);
	} else if (!strncmp(test, "poll", 4)) {
		test_poll(fd, test);
	} else if (!strncmp(test, "epoll", 5)) {
		test_epoll(fd, test);
	} else {
		wdmtest_die("unknown test '%s'", test);
	}
	printf("%s: %s; %u queued\n", test, result, drain(fd, next, check_seq));
	close(fd);
	return 0;
}
