// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the read loop against the fake device: -n exactness and batch
 * sizes, EAGAIN and hang-up handling, every read error, the idle timeout and
 * its exit status, SIGINT/SIGTERM, --trigger's one-interrupt-one-record
 * rhythm, and the progress line of --format summary on a terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "fakedev.h"
#include "harness.h"

#define REC	((long long)sizeof(struct wdmisr_event))
#define TEXT_HEAD "       seq            ts_ns  msg    src_seq  len flags                         dropped data\n"

/* The JSON lines wt_push_seq(first, n) records print as. */
static char *json_seq(uint64_t first, size_t n)
{
	size_t i, size = 160 * n + 1, used = 0;
	char *buf = malloc(size);

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		used += snprintf(buf + used, size - used,
				 "{\"seq\":%llu,\"ts_ns\":%llu,\"msg\":0,\"src_seq\":%llu,"
				 "\"len\":0,\"flags\":0,\"dropped\":0,\"data\":\"\"}\n",
				 (unsigned long long)(first + i),
				 (unsigned long long)(1000000 + first + i),
				 (unsigned long long)(first + i));
	return buf;
}

static void expect_json_seq(const char *got, uint64_t first, size_t n)
{
	char *want = json_seq(first, n);

	WT_EXPECT_STR(got, want);
	free(want);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void t_count_exact(void)
{
	struct wt_run r;

	wt_push_seq(0, 10);
	wt_run(&r, NULL, "-n", "3", "--format", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 3);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.reads, 1);
	WT_EXPECT_INT(wt_dev.read_len[0], 3 * REC);	/* never asks for more */
	WT_EXPECT_INT(wt_pending(), 7 * REC);		/* the rest stays queued */
	WT_EXPECT_INT(wt_dev.open_flags & O_NONBLOCK, O_NONBLOCK);
	wt_run_free(&r);
}

/*
 * The event ring: the records are taken from the mapping, across its wrap
 * (slots 12..15, then 0..5), tail moves past them, nothing is read(), and
 * the output is read()'s; --no-mmap maps nothing and read()s the same.
 */
static void t_ring(void)
{
	struct wt_run r;

	wt_dev.ring = true;
	wt_dev.info.flags = WDMISR_INFO_RING;
	wt_dev.poll_revents = POLLIN;
	wt_ring.h.head = wt_ring.h.tail = 12;
	wt_ring_push_seq(40, 10);
	wt_run(&r, NULL, "-n", "8", "--format", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 40, 8);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_ring.h.tail, 20);		/* the 2 left stay */
	WT_EXPECT_INT(wt_dev.reads, 0);
	WT_EXPECT_INT(wt_dev.maps, 2);
	WT_EXPECT_INT(wt_dev.unmaps, 2);
	WT_EXPECT_INT(wt_dev.open_flags & O_ACCMODE, O_RDWR);
	wt_run_free(&r);

	wt_push_seq(48, 2);
	wt_run(&r, NULL, "-n", "2", "--no-mmap", "--format", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 48, 2);
	WT_EXPECT_INT(wt_ring.h.tail, 20);
	WT_EXPECT_INT(wt_dev.reads, 1);
	WT_EXPECT_INT(wt_dev.maps, 2);
	WT_EXPECT_INT(wt_dev.open_flags & O_ACCMODE, O_RDONLY);
	wt_run_free(&r);
}

/* A head more than a ring past tail: the run fails, saying so. */
static void t_ring_corrupt(void)
{
	struct wt_run r;

	wt_dev.ring = true;
	wt_dev.info.flags = WDMISR_INFO_RING;
	wt_dev.poll_revents = POLLIN;
	wt_ring.h.head = 100;
	wt_run(&r, NULL, "-n", "1", NULL);
	WT_EXPECT_INT(r.status, WR_EXIT_FAIL);
	WT_EXPECT_STR(r.err.buf,
		      "wdmisr-read: /dev/wdmisr0: event ring: head 100 is more than 16 records past tail 0\n");
	WT_EXPECT_INT(wt_dev.unmaps, 2);
	wt_run_free(&r);
}

static void t_batches(void)
{
	struct wt_run r;

	wt_push_seq(0, 100);
	wt_run(&r, NULL, "-n", "100", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 100);
	WT_EXPECT_INT(wt_dev.reads, 2);
	WT_EXPECT_INT(wt_dev.read_len[0], 64 * REC);
	WT_EXPECT_INT(wt_dev.read_len[1], 36 * REC);
	WT_EXPECT_INT(wt_pending(), 0);
	wt_run_free(&r);
}

/* One record arrives per poll; each batch must be on stdout before the next. */
static void push_one_check_flushed(unsigned int n)
{
	char *want = json_seq(0, n);

	if (wt_current)
		WT_EXPECT_INT(wt_current->out.len, strlen(want));
	free(want);
	wt_push_seq(n, 1);
}

static void t_one_at_a_time_flushed(void)
{
	struct wt_run r;
	unsigned int i;

	wt_dev.on_poll = push_one_check_flushed;
	wt_run(&r, NULL, "-n", "5", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 5);
	WT_EXPECT_INT(wt_dev.polls, 5);
	WT_ASSERT_INT(wt_dev.reads, 5);
	for (i = 0; i < 5; i++)		/* the buffer shrinks with what is left */
		WT_EXPECT_INT(wt_dev.read_len[i], (5 - i) * REC);
	wt_run_free(&r);
}

static void t_eagain(void)
{
	struct wt_run r;

	wt_push_seq(0, 3);
	wt_dev.eagain_reads = 2;	/* woken, but someone was faster */
	wt_run(&r, NULL, "-n", "3", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 3);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_INT(wt_dev.polls, 3);
	WT_EXPECT_INT(wt_dev.reads, 3);
	WT_EXPECT_INT(wt_dev.good_reads, 1);
	wt_run_free(&r);
}

static void t_hangup_enodev(void)
{
	struct wt_run r;

	wt_dev.poll_revents = POLLHUP | POLLERR;
	wt_dev.read_errno = ENODEV;
	wt_run(&r, NULL, "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: device removed\n");
	WT_EXPECT_INT(wt_dev.reads, 1);
	wt_run_free(&r);
}

static void t_hangup_eagain(void)
{
	struct wt_run r;

	wt_dev.poll_revents = POLLHUP | POLLERR;
	wt_dev.eagain_reads = 100;
	wt_run(&r, NULL, "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: device removed\n");
	WT_EXPECT_INT(wt_dev.reads, 1);
	WT_EXPECT_INT(wt_dev.polls, 1);
	wt_run_free(&r);
}

static void t_removed_mid_stream_summary(void)
{
	struct wt_run r;

	wt_push_seq(0, 2);
	wt_dev.read_errno = ENODEV;
	wt_dev.read_errno_after = 1;
	wt_dev.poll_revents = POLLIN | POLLHUP | POLLERR;
	wt_dev.poll_revents_after = 1;
	wt_run(&r, NULL, "-n", "5", "--format", "summary", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf,
		      "summary msg=0 events=2 good=2 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=1\n"
		      "summary total events=2 good=2 malformed=0 dropped=0 seq_gaps=0\n");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: device removed\n");
	wt_run_free(&r);
}

static void t_ebusy(void)
{
	struct wt_run r;

	/* poll woke up for a readable queue, or with POLLERR: both end in read */
	static const short revents[] = { 0, POLLERR };
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(revents); i++) {
		wt_push_seq(0, 1);
		wt_dev.read_errno = EBUSY;
		wt_dev.poll_revents = revents[i];
		wt_run(&r, NULL, "-n", "1", NULL);
		WT_EXPECT_INT(r.status, 1);
		WT_EXPECT_STR(r.out.buf, TEXT_HEAD);
		WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: Device or resource busy (another reader has it open)\n");
		wt_run_free(&r);
	}
}

static void t_read_errors(void)
{
	static const struct {
		int err;
		const char *msg;
	} t[] = {
		{ EIO, "wdmisr-read: /dev/wdmisr0: Input/output error\n" },
		{ EINVAL, "wdmisr-read: /dev/wdmisr0: Invalid argument\n" },
		{ EFAULT, "wdmisr-read: /dev/wdmisr0: Bad address\n" },
	};
	struct wt_run r;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		wt_dev.poll_revents = POLLIN;
		wt_dev.read_errno = t[i].err;
		wt_run(&r, NULL, "-F", "json", NULL);
		WT_EXPECT_INT(r.status, 1);
		WT_EXPECT_STR(r.err.buf, t[i].msg);
		wt_run_free(&r);
	}
}

static void t_short_read(void)
{
	struct wdmisr_event ev = wt_ev(0, 0, 0, 0, 0);
	char junk[50] = { 0 };
	struct wt_run r;

	wt_push_raw(junk, sizeof(junk));
	wt_run(&r, NULL, "-n", "1", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: short read: 50 bytes is not a whole number of 88-byte records\n");
	wt_run_free(&r);

	/* one whole record and a piece of the next, asked for two */
	wt_fakedev_teardown();
	wt_fakedev_setup();
	wt_push(&ev, 1);
	wt_push_raw(junk, sizeof(junk));
	wt_run(&r, NULL, "-n", "2", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: short read: 138 bytes is not a whole number of 88-byte records\n");
	wt_run_free(&r);
}

static void t_eof(void)
{
	struct wt_run r;

	wt_push_seq(0, 1);
	close(wt_dev.wfd);
	wt_dev.wfd = -1;
	wt_run(&r, NULL, "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 1);
	expect_json_seq(r.out.buf, 0, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: unexpected end of file\n");
	wt_run_free(&r);
}

static void t_timeout_count(void)
{
	struct wt_run r;
	long long t0, ms;

	wt_push_seq(0, 3);
	t0 = now_ms();
	wt_run(&r, NULL, "-n", "5", "-t", "50", "-F", "json", NULL);
	ms = now_ms() - t0;
	WT_EXPECT_INT(r.status, 0);	/* records were read */
	expect_json_seq(r.out.buf, 0, 3);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 50 ms; 3 of 5 records received\n");
	WT_EXPECT_TRUE(ms >= 50 && ms < 5000);
	WT_EXPECT_INT(wt_dev.poll_timeout[0], 50);
	wt_run_free(&r);
}

static void t_timeout_summary(void)
{
	struct wdmisr_event ev[2] = { wt_ev(7, 1, 3, 0, 2), wt_ev(8, 1, 4, 0, 2) };
	struct wt_run r;

	wt_push(ev, 2);
	wt_run(&r, NULL, "-t", "30", "--format", "summary", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "summary msg=1 events=2 good=2 malformed=0 order=ok crc=0x00000000 first_src_seq=3 last_src_seq=4\n"
		      "summary total events=2 good=2 malformed=0 dropped=2 seq_gaps=0\n");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 30 ms; 2 records received\n");
	wt_run_free(&r);
}

/* A child process queues @n records, one every @ms milliseconds. */
static pid_t push_later(unsigned int n, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	unsigned int i;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	for (i = 0; i < n; i++) {
		nanosleep(&ts, NULL);
		wt_push_seq(i, 1);
	}
	_exit(0);
}

/* No record at all before the timeout: exit 3, whatever the format. */
static void t_timeout_nothing(void)
{
	static const char *const fmt[] = { "text", "json", "summary" };
	static const char *const out[] = {
		TEXT_HEAD, "",
		"summary total events=0 good=0 malformed=0 dropped=0 seq_gaps=0\n",
	};
	struct wt_run r;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(fmt); i++) {
		wt_run(&r, NULL, "-t", "20", "-F", fmt[i], NULL);
		WT_EXPECT_INT(r.status, WR_EXIT_TIMEOUT);
		WT_EXPECT_STR(r.out.buf, out[i]);
		WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 20 ms; 0 records received\n");
		wt_run_free(&r);
	}
	wt_run(&r, NULL, "/dev/wdmisr0", "--num-events", "4", "-t", "20", NULL);
	WT_EXPECT_INT(r.status, 3);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 20 ms; 0 of 4 records received\n");
	wt_run_free(&r);
}

static void t_timeout_is_idle_time(void)
{
	struct wt_run r;
	long long t0, ms;
	pid_t pid;

	/* 6 records 20 ms apart: 120 ms in all, never 100 ms without one */
	t0 = now_ms();
	pid = push_later(6, 20);
	wt_run(&r, NULL, "-n", "6", "-t", "100", "-F", "json", NULL);
	ms = now_ms() - t0;
	waitpid(pid, NULL, 0);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 6);
	WT_EXPECT_STR(r.err.buf, "");
	WT_EXPECT_TRUE(ms >= 120);
	WT_EXPECT_INT(wt_dev.good_reads, 6);
	wt_run_free(&r);
}

static void t_follow_ignores_timeout(void)
{
	struct sigaction before, after;
	struct wt_run r;

	wt_push_seq(0, 2);
	wt_dev.signal = SIGTERM;
	wt_dev.signal_after = 1;
	sigaction(SIGTERM, NULL, &before);
	wt_run(&r, NULL, "--follow", "-t", "20", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 2);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: --follow: ignoring -t\n"
				 "wdmisr-read: /dev/wdmisr0: terminated: 2 records received\n");
	WT_EXPECT_INT(wt_dev.polls, 2);
	WT_EXPECT_INT(wt_dev.poll_timeout[0], -1);
	WT_EXPECT_INT(wt_dev.poll_timeout[1], -1);
	sigaction(SIGTERM, NULL, &after);
	WT_EXPECT_TRUE(after.sa_handler == before.sa_handler);	/* put back */
	wt_run_free(&r);
}

static void t_sigint_text(void)
{
	struct sigaction before, after;
	struct wt_run r;

	wt_push_seq(0, 2);
	wt_dev.signal = SIGINT;
	wt_dev.signal_after = 1;
	sigaction(SIGINT, NULL, &before);
	wt_run(&r, NULL, NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, TEXT_HEAD
		      "         0          1000000    0          0    0 -                                   0 -\n"
		      "         1          1000001    0          1    0 -                                   0 -\n");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: interrupted: 2 records received\n");
	sigaction(SIGINT, NULL, &after);
	WT_EXPECT_TRUE(after.sa_handler == before.sa_handler);
	wt_run_free(&r);
}

static void t_sigterm_summary(void)
{
	struct wdmisr_event ev[3];
	struct wt_run r;
	char want[512];
	uint32_t crc;

	ev[0] = wt_ev(0, 2, 1, 0, 0);
	wt_ev_data(&ev[0], "abc", 3);
	ev[1] = wt_ev(1, 2, 2, WDMISR_EV_MALFORMED | WDMISR_EV_BAD_SEQ, 0);
	wt_ev_data(&ev[1], "zz", 2);
	ev[2] = wt_ev(2, 2, 3, 0, 0);
	wt_ev_data(&ev[2], "def", 3);
	wt_push(ev, 3);
	wt_dev.signal = SIGTERM;
	wt_dev.signal_after = 1;
	wt_run(&r, NULL, "-F", "summary", NULL);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (const Bytef *)"abcdef", 6);
	snprintf(want, sizeof(want),
		 "summary msg=2 events=3 good=2 malformed=1 order=ok crc=0x%08x first_src_seq=1 last_src_seq=3\n"
		 "summary total events=3 good=2 malformed=1 dropped=0 seq_gaps=0\n", crc);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: terminated: 3 records received\n");
	wt_run_free(&r);
}

/* With -n, the count says how many of how many. */
static void t_sigint_count(void)
{
	struct wt_run r;

	wt_push_seq(0, 1);
	wt_dev.signal = SIGINT;
	wt_dev.signal_after = 1;
	wt_run(&r, NULL, "-n", "5", "-t", "5000", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	expect_json_seq(r.out.buf, 0, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: interrupted: 1 of 5 records received\n");
	WT_EXPECT_INT(wt_dev.polls, 2);
	wt_run_free(&r);

	/* before any record: still 0, not the timeout's status */
	wt_fakedev_teardown();
	wt_fakedev_setup();
	wt_dev.signal = SIGINT;
	wt_dev.signal_after = 0;
	wt_run(&r, NULL, "-n", "5", "-t", "5000", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: interrupted: 0 of 5 records received\n");
	wt_run_free(&r);
}

static void t_progress_text(void)
{
	char buf[128];

	WT_EXPECT_INT(wr_progress_rate(1000, 500000000), 2000);
	WT_EXPECT_INT(wr_progress_rate(3, 2000000000), 1);
	WT_EXPECT_INT(wr_progress_rate(1, 1000000001), 0);
	WT_EXPECT_INT(wr_progress_rate(0, 500000000), 0);
	WT_EXPECT_INT(wr_progress_rate(5, 0), 0);
	WT_EXPECT_INT(wr_progress_rate(5, -1), 0);
	WT_EXPECT_TRUE(wr_progress_rate(4000000000000ULL, 1000000000) == 4000000000000ULL);
	wr_progress_format(buf, sizeof(buf), 0, 0, 0);
	WT_EXPECT_STR(buf, "0 records, 0 records/s, 0 dropped");
	wr_progress_format(buf, sizeof(buf), UINT64_MAX, 123456789, 42);
	WT_EXPECT_STR(buf, "18446744073709551615 records, 123456789 records/s, 42 dropped");
	WT_EXPECT_INT(WR_PROGRESS_MS, 500);
}

/* Records on poll 1, SIGINT on poll 2; poll 0 waits out the first redraw. */
static void push_on_second_poll(unsigned int n)
{
	struct wdmisr_event ev[2] = { wt_ev(0, 1, 0, 0, 5), wt_ev(1, 1, 1, 0, 5) };

	if (n == 1)
		wt_push(ev, 2);
}

/* @got starts with @head and ends with @tail. */
static void expect_ends(const char *got, const char *head, const char *tail)
{
	size_t n = strlen(got), nt = strlen(tail);

	if (!WT_EXPECT_INT(strncmp(got, head, strlen(head)), 0) ||
	    !WT_EXPECT_TRUE(n >= nt && !strcmp(got + n - nt, tail)))
		WT_EXPECT_STR(got, "<head>...<tail>");
}

#define PROGRESS_0 "\rwdmisr-read: /dev/wdmisr0: 0 records, 0 records/s, 0 dropped\033[K"
#define ERASE "\r\033[K"

static void t_progress_tty(void)
{
	struct wt_run r;

	wt_err_tty = true;
	wt_dev.on_poll = push_on_second_poll;
	wt_dev.signal = SIGINT;
	wt_dev.signal_after = 2;
	wt_run(&r, NULL, "--format", "summary", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "summary msg=1 events=2 good=2 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=1\n"
		      "summary total events=2 good=2 malformed=0 dropped=5 seq_gaps=0\n");
	/* the line after 500 ms, erased before the count */
	expect_ends(r.err.buf, PROGRESS_0,
		    ERASE "wdmisr-read: /dev/wdmisr0: interrupted: 2 records received\n");
	WT_EXPECT_TRUE(wt_dev.poll_timeout[0] > 0 && wt_dev.poll_timeout[0] <= 500);
	wt_run_free(&r);
}

/* The line is erased before an error, and before a timeout's message. */
static void t_progress_erased(void)
{
	struct wt_run r;

	wt_err_tty = true;
	wt_dev.poll_revents = POLLHUP | POLLERR;
	wt_dev.poll_revents_after = 1;
	wt_dev.read_errno = ENODEV;
	wt_run(&r, NULL, "-F", "summary", NULL);
	WT_EXPECT_INT(r.status, 1);
	expect_ends(r.err.buf, PROGRESS_0, ERASE "wdmisr-read: /dev/wdmisr0: device removed\n");
	wt_run_free(&r);

	/* -t shorter than a redraw: poll waits for -t, no line is drawn */
	wt_fakedev_teardown();
	wt_fakedev_setup();
	wt_run(&r, NULL, "-F", "summary", "-t", "20", NULL);
	WT_EXPECT_INT(r.status, 3);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 20 ms; 0 records received\n");
	WT_EXPECT_TRUE(wt_dev.poll_timeout[0] > 0 && wt_dev.poll_timeout[0] <= 20);
	wt_run_free(&r);

	/* -t longer than a redraw: the first poll waits for the redraw */
	wt_fakedev_teardown();
	wt_fakedev_setup();
	wt_run(&r, NULL, "-F", "summary", "-t", "700", NULL);
	WT_EXPECT_INT(r.status, 3);
	expect_ends(r.err.buf, PROGRESS_0,
		    ERASE "wdmisr-read: /dev/wdmisr0: timeout: no record for 700 ms; 0 records received\n");
	WT_EXPECT_TRUE(wt_dev.poll_timeout[0] > 0 && wt_dev.poll_timeout[0] <= 500);
	wt_run_free(&r);
}

/* Only --format summary, and only on a terminal. */
static void t_progress_off(void)
{
	static const char *const fmt[] = { "text", "json" };
	struct wt_run r;
	size_t i;

	wt_err_tty = true;
	for (i = 0; i < WT_ARRAY_SIZE(fmt); i++) {
		wt_dev.signal = SIGTERM;
		wt_dev.signal_after = 0;
		wt_run(&r, NULL, "-F", fmt[i], NULL);
		WT_EXPECT_INT(r.status, 0);
		WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: terminated: 0 records received\n");
		WT_EXPECT_INT(wt_dev.poll_timeout[0], -1);
		wt_run_free(&r);
		wt_fakedev_teardown();
		wt_fakedev_setup();
	}
	wt_err_tty = false;
	wt_dev.signal = SIGTERM;
	wt_dev.signal_after = 0;
	wt_run(&r, NULL, "-F", "summary", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: terminated: 0 records received\n");
	WT_EXPECT_INT(wt_dev.poll_timeout[0], -1);
	wt_run_free(&r);
}

static void t_text_gap_in_loop(void)
{
	struct wdmisr_event ev[3] = {
		wt_ev(0, 0, 0, 0, 0), wt_ev(1, 0, 1, 0, 0),
		wt_ev(5, 0, 2, WDMISR_EV_MALFORMED | WDMISR_EV_BAD_CRC, 3),
	};
	struct wt_run r;

	wt_ev_data(&ev[1], "\x01\x02", 2);
	wt_push(ev, 3);
	wt_run(&r, NULL, "-n", "3", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, TEXT_HEAD
		      "         0          1000000    0          0    0 -                                   0 -\n"
		      "         1          1000001    0          1    2 -                                   0 0102\n"
		      "# gap: 3 records lost before seq 5\n"
		      "         5          1000005    0          2    0 MALFORMED|BAD_CRC                   3 -\n");
	wt_run_free(&r);
}

static void t_trigger_seq(void)
{
	struct wt_run r;
	unsigned int i;

	wt_dev.trigger_emits = true;
	wt_run(&r, NULL, "-n", "3", "--trigger", "--trigger-vector", "2", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf,
		      "{\"seq\":0,\"ts_ns\":1000000,\"msg\":2,\"src_seq\":1,\"len\":4,\"flags\":0,\"dropped\":0,\"data\":\"01000000\"}\n"
		      "{\"seq\":1,\"ts_ns\":1000001,\"msg\":2,\"src_seq\":2,\"len\":4,\"flags\":0,\"dropped\":0,\"data\":\"02000000\"}\n"
		      "{\"seq\":2,\"ts_ns\":1000002,\"msg\":2,\"src_seq\":3,\"len\":4,\"flags\":0,\"dropped\":0,\"data\":\"03000000\"}\n");
	WT_EXPECT_STR(wt_dev.log, "TRTRTR");
	WT_ASSERT_INT(wt_dev.ntriggers, 3);
	for (i = 0; i < 3; i++) {
		WT_EXPECT_INT(wt_dev.triggers[i].vector, 2);
		WT_EXPECT_INT(wt_dev.triggers[i].value, i + 1);
		WT_EXPECT_INT(wt_dev.read_len[i], REC);
	}
	wt_run_free(&r);
}

static void t_trigger_value(void)
{
	struct wt_run r;

	wt_dev.trigger_emits = true;
	wt_run(&r, NULL, "-n", "2", "--trigger", "--trigger-value", "0x10", "-F", "summary", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_ASSERT_INT(wt_dev.ntriggers, 2);
	WT_EXPECT_INT(wt_dev.triggers[0].vector, 0);
	WT_EXPECT_INT(wt_dev.triggers[0].value, 16);
	WT_EXPECT_INT(wt_dev.triggers[1].value, 16);
	WT_EXPECT_STR(wt_dev.log, "TRTR");
	wt_run_free(&r);
}

static void t_trigger_errors(void)
{
	struct wt_run r;

	wt_dev.trigger_errno = EPERM;
	wt_run(&r, NULL, "-n", "2", "--trigger", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: WDMISR_IOC_TRIGGER: Operation not permitted (needs CAP_SYS_ADMIN)\n");
	WT_EXPECT_INT(wt_dev.reads, 0);
	wt_run_free(&r);

	/* the trigger is accepted but no interrupt comes: the timeout says so */
	wt_dev.trigger_errno = 0;
	wt_run(&r, NULL, "-n", "2", "--trigger", "-t", "20", "-F", "json", NULL);
	WT_EXPECT_INT(r.status, 3);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: timeout: no record for 20 ms; 0 of 2 records received\n");
	WT_EXPECT_INT(wt_dev.ntriggers, 1);
	wt_run_free(&r);
}

static void t_abi_mismatch(void)
{
	struct wt_run r;

	wt_push_seq(0, 1);
	wt_dev.info.record_size = 96;
	wt_run(&r, NULL, "-n", "1", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: driver ABI version 1 with 96-byte records; this tool reads version 1, 88-byte records\n");
	WT_EXPECT_INT(wt_dev.reads, 0);
	wt_run_free(&r);

	wt_dev.info.record_size = 88;
	wt_dev.info.abi_version = 2;
	wt_run(&r, NULL, "-n", "1", NULL);
	WT_EXPECT_INT(r.status, 1);
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: /dev/wdmisr0: driver ABI version 2 with 88-byte records; this tool reads version 1, 88-byte records\n");
	wt_run_free(&r);
}

WT_SUITE(wt_reader_suite,
	{ "read: -n 3 with 10 queued reads exactly 3", t_count_exact },
	{ "read: the event ring, across its wrap, and --no-mmap", t_ring },
	{ "read: an event ring with head past tail + nrecords fails", t_ring_corrupt },
	{ "read: batches of 64 then the remainder", t_batches },
	{ "read: buffer shrinks to what -n leaves, stdout flushed per batch", t_one_at_a_time_flushed },
	{ "read: EAGAIN after a wakeup polls again", t_eagain },
	{ "read: POLLHUP and ENODEV is device removed", t_hangup_enodev },
	{ "read: POLLHUP and nothing to read is device removed", t_hangup_eagain },
	{ "read: removal mid-stream still prints the summary", t_removed_mid_stream_summary },
	{ "read: EBUSY names the other reader", t_ebusy },
	{ "read: other read errors", t_read_errors },
	{ "read: short read is an error", t_short_read },
	{ "read: end of file is an error", t_eof },
	{ "read: -t with -n reports received of expected, exits 0", t_timeout_count },
	{ "read: -t without -n prints the summary and exits 0", t_timeout_summary },
	{ "read: -t before any record exits 3", t_timeout_nothing },
	{ "read: -t is idle time, not total time", t_timeout_is_idle_time },
	{ "read: --follow waits forever, SIGTERM ends it with 0", t_follow_ignores_timeout },
	{ "read: SIGINT ends the text stream with 0 and the count", t_sigint_text },
	{ "read: SIGTERM prints the summary and the count", t_sigterm_summary },
	{ "read: SIGINT with -n: N of COUNT", t_sigint_count },
	{ "progress: rate and line text", t_progress_text },
	{ "progress: summary on a terminal redraws, SIGINT erases", t_progress_tty },
	{ "progress: erased before errors and timeouts", t_progress_erased },
	{ "progress: none for text, json, or a stderr that is no terminal", t_progress_off },
	{ "read: text gap line in the loop", t_text_gap_in_loop },
	{ "read: --trigger raises one interrupt per record", t_trigger_seq },
	{ "read: --trigger-value fixed", t_trigger_value },
	{ "read: --trigger EPERM, and no event before the timeout (exit 3)", t_trigger_errors },
	{ "read: driver ABI mismatch is refused", t_abi_mismatch },
);
