// SPDX-License-Identifier: GPL-2.0
/*
 * The fake /dev/wdmisrN used by the read loop, --info, --stats and --list
 * tests. Records travel through a real pipe so that poll() and partial
 * reads behave as the kernel makes them behave.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fakedev.h"
#include "harness.h"

struct wt_fakedev wt_dev;

#define WT_MAX_FDS	16
/* Longest a fake poll waits, and most polls one case may make. */
#define WT_POLL_LIMIT_MS	5000
#define WT_POLL_MAX		100000
static int wt_fds[WT_MAX_FDS];

static bool wt_is_dev_fd(int fd)
{
	int i;

	for (i = 0; i < WT_MAX_FDS; i++)
		if (fd >= 0 && wt_fds[i] == fd)
			return true;
	return false;
}

static void wt_log(char c)
{
	size_t n = strlen(wt_dev.log);

	if (n < WT_LOG_MAX)
		wt_dev.log[n] = c;
}

static int wt_fake_open(const char *path, int flags)
{
	int i, fd;

	wt_dev.open_flags = flags;
	if (strcmp(path, wt_dev.path)) {
		errno = ENOENT;
		return -1;
	}
	if (wt_dev.open_errno) {
		errno = wt_dev.open_errno;
		return -1;
	}
	for (i = 0; i < WT_MAX_FDS && wt_fds[i] >= 0; i++)
		;
	if (i == WT_MAX_FDS) {
		errno = EMFILE;
		return -1;
	}
	fd = fcntl(wt_dev.rfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFL, flags & O_NONBLOCK);
	wt_fds[i] = fd;
	wt_dev.opens++;
	return fd;
}

static int wt_fake_close(int fd)
{
	int i;

	for (i = 0; i < WT_MAX_FDS; i++) {
		if (wt_fds[i] == fd) {
			wt_fds[i] = -1;
			wt_dev.closes++;
			return close(fd);
		}
	}
	errno = EBADF;
	return -1;
}

static ssize_t wt_fake_read(int fd, void *buf, size_t len)
{
	unsigned int n = wt_dev.reads++;
	ssize_t ret;

	if (n < WT_LOG_MAX)
		wt_dev.read_len[n] = len;
	if (!wt_is_dev_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	if (n < wt_dev.eagain_reads) {
		errno = EAGAIN;
		return -1;
	}
	if (wt_dev.read_errno && wt_dev.good_reads >= wt_dev.read_errno_after) {
		errno = wt_dev.read_errno;
		return -1;
	}
	ret = read(fd, buf, len);
	if (ret > 0) {
		wt_dev.good_reads++;
		wt_log('R');
	}
	return ret;
}

/*
 * A case that would hang fails instead: the device goes away, which every
 * read loop has to act on.
 */
static void wt_unplug(void)
{
	wt_dev.poll_revents = POLLHUP | POLLERR;
	wt_dev.poll_revents_after = 0;
	wt_dev.read_errno = ENODEV;
	wt_dev.read_errno_after = 0;
}

static int wt_fake_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	unsigned int n = wt_dev.polls++;
	nfds_t i;
	int ret;

	if (n < WT_LOG_MAX)
		wt_dev.poll_timeout[n] = timeout_ms;
	if (wt_dev.on_poll)
		wt_dev.on_poll(n);
	if (wt_dev.signal && n == wt_dev.signal_after)
		raise(wt_dev.signal);
	if (n == WT_POLL_MAX) {
		WT_EXPECT_TRUE(!"the read loop spins: WT_POLL_MAX polls");
		wt_unplug();
	}
	if (!wt_dev.poll_revents || n < wt_dev.poll_revents_after) {
		if (timeout_ms >= 0 && timeout_ms <= WT_POLL_LIMIT_MS)
			return poll(fds, nfds, timeout_ms);
		ret = poll(fds, nfds, WT_POLL_LIMIT_MS);
		if (ret)
			return ret;
		WT_EXPECT_TRUE(!"the read loop blocks: WT_POLL_LIMIT_MS in one poll");
		wt_unplug();
	}
	for (i = 0; i < nfds; i++)
		fds[i].revents = wt_is_dev_fd(fds[i].fd) ? wt_dev.poll_revents : 0;
	return 1;
}

static int wt_fake_trigger(const struct wdmisr_trigger *t)
{
	struct wdmisr_event ev;

	if (wt_dev.trigger_errno) {
		errno = wt_dev.trigger_errno;
		return -1;
	}
	if (wt_dev.ntriggers < WT_LOG_MAX)
		wt_dev.triggers[wt_dev.ntriggers] = *t;
	wt_dev.ntriggers++;
	wt_log('T');
	if (wt_dev.trigger_emits) {
		ev = wt_ev(wt_dev.ntriggers - 1, t->vector, wt_dev.ntriggers, 0, 0);
		wt_ev_data(&ev, &t->value, sizeof(t->value));
		wt_push(&ev, 1);
	}
	return 0;
}

static int wt_fail(int errnum)
{
	errno = errnum;
	return -1;
}

static int wt_fake_ioctl(int fd, unsigned long request, void *arg)
{
	if (!wt_is_dev_fd(fd))
		return wt_fail(EBADF);
	switch (request) {
	case WDMISR_IOC_INFO:
		if (wt_dev.info_errno)
			return wt_fail(wt_dev.info_errno);
		memcpy(arg, &wt_dev.info, sizeof(wt_dev.info));
		return 0;
	case WDMISR_IOC_STATS:
		if (wt_dev.stats_errno)
			return wt_fail(wt_dev.stats_errno);
		memcpy(arg, &wt_dev.stats, sizeof(wt_dev.stats));
		return 0;
	case WDMISR_IOC_RESET_STATS:
		if (wt_dev.reset_errno)
			return wt_fail(wt_dev.reset_errno);
		wt_dev.resets++;
		return 0;
	case WDMISR_IOC_TRIGGER:
		return wt_fake_trigger(arg);
	}
	return wt_fail(ENOTTY);
}

struct wt_ring wt_ring;

/* The header page read-write at 0, the records read-only after it. */
static void *wt_fake_mmap(void *addr, size_t len, int prot, int flags, int fd,
			  off_t off)
{
	(void)addr;
	if (!wt_is_dev_fd(fd) || !wt_dev.ring || flags != MAP_SHARED) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	if (off == 0 && len == sizeof(wt_ring.page) &&
	    prot == (PROT_READ | PROT_WRITE)) {
		wt_dev.maps++;
		return &wt_ring.h;
	}
	if (off == (off_t)wt_ring.h.records_offset && len == wt_ring.h.records_len &&
	    prot == PROT_READ) {
		wt_dev.maps++;
		return wt_ring.rec;
	}
	errno = EINVAL;
	return MAP_FAILED;
}

static int wt_fake_munmap(void *addr, size_t len)
{
	(void)addr;
	(void)len;
	wt_dev.unmaps++;
	return 0;
}

void wt_ring_push_seq(uint64_t first, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wt_ring.rec[(wt_ring.h.head + i) % WT_RING_RECORDS] =
			wt_ev(first + i, 0, first + i, 0, 0);
	__atomic_store_n(&wt_ring.h.head, wt_ring.h.head + (uint32_t)n, __ATOMIC_RELEASE);
}

const struct wr_dev_ops wt_fake_ops = {
	.open	= wt_fake_open,
	.read	= wt_fake_read,
	.poll	= wt_fake_poll,
	.ioctl	= wt_fake_ioctl,
	.close	= wt_fake_close,
	.mmap	= wt_fake_mmap,
	.munmap	= wt_fake_munmap,
};

void wt_fakedev_setup(void)
{
	int p[2], i;

	memset(&wt_dev, 0, sizeof(wt_dev));
	for (i = 0; i < WT_MAX_FDS; i++)
		wt_fds[i] = -1;
	if (pipe2(p, O_CLOEXEC)) {
		perror("pipe2");
		exit(1);
	}
	wt_dev.rfd = p[0];
	wt_dev.wfd = p[1];
	wt_dev.path = "/dev/wdmisr0";
	wt_dev.info.abi_version = WDMISR_ABI_VERSION;
	wt_dev.info.personality = WDMISR_PERS_EDU;
	wt_dev.info.irq_mode = WDMISR_IRQ_MSI;
	wt_dev.info.connect_version = 3;
	wt_dev.info.nvectors = 1;
	wt_dev.info.queue_len = 1024;
	wt_dev.info.record_size = sizeof(struct wdmisr_event);
	wt_dev.info.vendor = 0x1234;
	wt_dev.info.device = 0x11e8;
	snprintf(wt_dev.info.bdf, sizeof(wt_dev.info.bdf), "0000:00:04.0");
	memset(&wt_ring, 0, sizeof(wt_ring));
	wt_ring.h.version = WDMISR_RING_VERSION;
	wt_ring.h.record_size = sizeof(struct wdmisr_event);
	wt_ring.h.nrecords = WT_RING_RECORDS;
	wt_ring.h.records_offset = sizeof(wt_ring.page);
	wt_ring.h.records_len = sizeof(wt_ring.rec) < 4096 ? 4096 : sizeof(wt_ring.rec);
}

/* Every fd the tool opened must have been closed again. */
void wt_fakedev_teardown(void)
{
	int i;

	WT_EXPECT_INT(wt_dev.closes, wt_dev.opens);
	for (i = 0; i < WT_MAX_FDS; i++)
		if (wt_fds[i] >= 0)
			close(wt_fds[i]);
	if (wt_dev.rfd >= 0)
		close(wt_dev.rfd);
	if (wt_dev.wfd >= 0)
		close(wt_dev.wfd);
}

struct wdmisr_event wt_ev(uint64_t seq, uint32_t msg, uint32_t src_seq,
			  uint16_t flags, uint64_t dropped)
{
	struct wdmisr_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.seq = seq;
	ev.ts_ns = 1000000 + seq;
	ev.msg = msg;
	ev.src_seq = src_seq;
	ev.flags = flags;
	ev.dropped = dropped;
	return ev;
}

void wt_ev_data(struct wdmisr_event *ev, const void *data, uint16_t len)
{
	memset(ev->data, 0, sizeof(ev->data));
	memcpy(ev->data, data, len < WDMISR_DATA_MAX ? len : WDMISR_DATA_MAX);
	ev->len = len;
}

void wt_push_raw(const void *buf, size_t len)
{
	if (write(wt_dev.wfd, buf, len) != (ssize_t)len) {
		perror("fake device: write");
		exit(1);
	}
}

void wt_push(const struct wdmisr_event *ev, size_t n)
{
	wt_push_raw(ev, n * sizeof(*ev));
}

void wt_push_seq(uint64_t first, size_t n)
{
	struct wdmisr_event ev;
	size_t i;

	for (i = 0; i < n; i++) {
		ev = wt_ev(first + i, 0, first + i, 0, 0);
		wt_push(&ev, 1);
	}
}

size_t wt_pending(void)
{
	int n = 0;

	if (ioctl(wt_dev.rfd, FIONREAD, &n) < 0)
		return (size_t)-1;
	return n;
}
