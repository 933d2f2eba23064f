// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read read mode. One poll() waits on the device and on the signal
 * pipe; each wakeup takes as many whole records as are queued, up to the
 * batch size and never more than -n still allows, prints them and flushes
 * stdout so that a pipe sees each batch at once. Where the device's event
 * ring can be mapped (include/uapi/wdmisr.h), the records are used where
 * they lie in it and given back by moving its consumer index; else, or
 * with --no-mmap, read() copies them into a buffer. --format summary on a
 * terminal keeps one progress line on stderr, redrawn every WR_PROGRESS_MS
 * and erased before anything else is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "wdmisr-read.h"

/*
 * Signal handling with a self-pipe. The handler only writes one byte; the
 * poll loop sees the pipe become readable and ends cleanly. Since the wakeup
 * comes through the pipe, SA_RESTART is safe to use and keeps a signal from
 * failing a write to a slow stdout.
 */
static int wr_sig_pipe[2] = { -1, -1 };
static struct sigaction wr_sig_old_int, wr_sig_old_term;

static void wr_sig_handler(int sig)
{
	int saved = errno;
	char c = (char)sig;
	ssize_t ret;

	ret = write(wr_sig_pipe[1], &c, 1);	/* full pipe: already pending */
	(void)ret;
	errno = saved;
}

/* Route SIGINT and SIGTERM to a pipe; its read end, or -1 with errno set. */
static int wr_sig_install(void)
{
	struct sigaction sa = { 0 };

	if (pipe2(wr_sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	sa.sa_handler = wr_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &wr_sig_old_int);
	sigaction(SIGTERM, &sa, &wr_sig_old_term);
	return wr_sig_pipe[0];
}

/* Put the previous handlers back and close the pipe. */
static void wr_sig_restore(void)
{
	if (wr_sig_pipe[0] < 0)
		return;
	sigaction(SIGINT, &wr_sig_old_int, NULL);
	sigaction(SIGTERM, &wr_sig_old_term, NULL);
	close(wr_sig_pipe[0]);
	close(wr_sig_pipe[1]);
	wr_sig_pipe[0] = -1;
	wr_sig_pipe[1] = -1;
}

/* How one step of the loop ended. */
enum wr_rd_status {
	WR_RD_OK,	/* records read, or all -n records done */
	WR_RD_STOP,	/* SIGINT or SIGTERM */
	WR_RD_TIMEOUT,	/* -t expired, message printed */
	WR_RD_ERROR,	/* message printed */
};

/**
 * struct wr_progress - the progress line of --format summary
 * @on:		--format summary, stderr is a terminal
 * @shown:	the line is on the screen
 * @last:	CLOCK_MONOTONIC time of the last redraw, or of the start
 * @last_nread:	records read at @last
 */
struct wr_progress {
	bool on;
	bool shown;
	struct timespec last;
	uint64_t last_nread;
};

/**
 * struct wr_reader - state of the read loop
 * @env:	where to read from and print to
 * @cfg:	command line
 * @fd:		the device, non-blocking
 * @stop_fd:	readable once SIGINT or SIGTERM arrived
 * @signal:	the signal that ended the run, once @stop_fd was readable
 * @nread:	records read so far
 * @deadline:	CLOCK_MONOTONIC time the idle timeout expires
 * @progress:	the progress line
 * @text:	gap tracking of the text format
 * @sum:	the summary format's counters
 * @ring:	the mapped ring's header, or NULL: read() into @buf
 * @ring_len:	the header's mapping length (a page)
 * @records:	the mapped records
 * @records_len: their mapping's length
 * @nrecords:	ring capacity, a power of two
 * @tail:	the consumer index, as last stored in @ring
 * @buf:	one batch of records, for read()
 */
struct wr_reader {
	const struct wr_env *env;
	const struct wr_config *cfg;
	int fd;
	int stop_fd;
	int signal;
	uint64_t nread;
	struct timespec deadline;
	struct wr_progress progress;
	struct wr_text_state text;
	struct wr_summary sum;
	struct wdmisr_ring_header *ring;
	size_t ring_len;
	const struct wdmisr_event *records;
	size_t records_len;
	uint32_t nrecords;
	uint32_t tail;
	struct wdmisr_event buf[WR_BATCH];
};

static int64_t wr_ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

uint64_t wr_progress_rate(uint64_t n, int64_t ns)
{
	if (ns <= 0)
		return 0;
	return (uint64_t)((double)n * 1e9 / (double)ns);
}

void wr_progress_format(char *buf, size_t size, uint64_t records,
			uint64_t rate, uint64_t dropped)
{
	snprintf(buf, size, "%" PRIu64 " records, %" PRIu64 " records/s, %" PRIu64
		 " dropped", records, rate, dropped);
}

static void wr_progress_start(struct wr_reader *r)
{
	r->progress.on = r->env->err_tty && r->cfg->format == WR_FMT_SUMMARY;
	if (r->progress.on)
		clock_gettime(CLOCK_MONOTONIC, &r->progress.last);
}

/* Milliseconds to the next redraw, rounded up; -1 without progress. */
static int wr_progress_left(const struct wr_reader *r)
{
	struct timespec now;
	int64_t ns;

	if (!r->progress.on)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = WR_PROGRESS_MS * 1000000LL - wr_ns_between(&r->progress.last, &now);
	return ns <= 0 ? 0 : (int)((ns + 999999) / 1000000);
}

/* Redraw the line if WR_PROGRESS_MS went by since the last time. */
static void wr_progress_tick(struct wr_reader *r)
{
	struct wr_progress *p = &r->progress;
	struct timespec now;
	char line[128];
	int64_t ns;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = wr_ns_between(&p->last, &now);
	if (ns < WR_PROGRESS_MS * 1000000LL)
		return;
	wr_progress_format(line, sizeof(line), r->nread,
			   wr_progress_rate(r->nread - p->last_nread, ns),
			   r->sum.dropped);
	fprintf(r->env->err, "\r" WR_PROG ": %s: %s\033[K", r->cfg->device, line);
	fflush(r->env->err);
	p->shown = true;
	p->last = now;
	p->last_nread = r->nread;
}

static void wr_progress_clear(struct wr_reader *r)
{
	if (!r->progress.shown)
		return;
	fputs("\r\033[K", r->env->err);
	r->progress.shown = false;
}

/* stderr for a message: the progress line is erased first. */
static FILE *wr_rd_err(struct wr_reader *r)
{
	wr_progress_clear(r);
	return r->env->err;
}

static bool wr_read_timed(const struct wr_reader *r)
{
	return r->cfg->timeout_ms > 0 && !r->cfg->follow;
}

static void wr_deadline_reset(struct wr_reader *r)
{
	long long ns;

	if (!wr_read_timed(r))
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->deadline);
	ns = r->deadline.tv_nsec + (r->cfg->timeout_ms % 1000) * 1000000LL;
	r->deadline.tv_sec += r->cfg->timeout_ms / 1000 + ns / 1000000000;
	r->deadline.tv_nsec = ns % 1000000000;
}

/* Milliseconds to the deadline, rounded up; -1 if there is no timeout. */
static int wr_timeout_left(const struct wr_reader *r)
{
	struct timespec now;
	long long ns;

	if (!wr_read_timed(r))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = wr_ns_between(&now, &r->deadline);
	if (ns <= 0)
		return 0;
	return (int)((ns + 999999) / 1000000);
}

/* "<why>N records received", or "N of COUNT" with -n. */
static void wr_read_report(struct wr_reader *r, const char *why)
{
	const struct wr_config *cfg = r->cfg;
	FILE *err = wr_rd_err(r);

	if (cfg->count)
		wr_err(err, cfg->device, "%s%llu of %llu records received", why,
		       (unsigned long long)r->nread,
		       (unsigned long long)cfg->count);
	else
		wr_err(err, cfg->device, "%s%llu records received", why,
		       (unsigned long long)r->nread);
}

static void wr_timeout_report(struct wr_reader *r)
{
	char why[64];

	snprintf(why, sizeof(why), "timeout: no record for %d ms; ",
		 r->cfg->timeout_ms);
	wr_read_report(r, why);
}

/* The poll timeout: up to the idle deadline or the next progress redraw. */
static int wr_read_wait_ms(const struct wr_reader *r, int left)
{
	int redraw = wr_progress_left(r);

	if (redraw >= 0 && (left < 0 || redraw < left))
		return redraw;
	return left;
}

/* Wait until the device is readable, a signal came or the timeout expired. */
static enum wr_rd_status wr_read_wait(struct wr_reader *r, short *revents)
{
	struct pollfd pfd[2] = {
		{ .fd = r->fd, .events = POLLIN },
		{ .fd = r->stop_fd, .events = POLLIN },
	};
	int ret, left;
	char sig;

	for (;;) {
		left = wr_timeout_left(r);
		ret = r->env->ops->poll(pfd, 2, wr_read_wait_ms(r, left));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			wr_err_errno(wr_rd_err(r), r->cfg->device, "poll", errno);
			return WR_RD_ERROR;
		}
		wr_progress_tick(r);
		if (pfd[1].revents) {
			if (read(r->stop_fd, &sig, 1) == 1)
				r->signal = sig;
			return WR_RD_STOP;
		}
		if (pfd[0].revents) {
			*revents = pfd[0].revents;
			return WR_RD_OK;
		}
		if (left >= 0 && wr_timeout_left(r) == 0) {
			wr_timeout_report(r);
			return WR_RD_TIMEOUT;
		}
	}
}

/* Print the @n records at @ev and flush them out. */
static enum wr_rd_status wr_read_emit(struct wr_reader *r,
				      const struct wdmisr_event *ev, size_t n)
{
	FILE *out = r->env->out;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (r->cfg->format) {
		case WR_FMT_TEXT:
			wr_text_record(out, &r->text, &ev[i]);
			break;
		case WR_FMT_JSON:
			wr_json_record(out, &ev[i]);
			break;
		case WR_FMT_SUMMARY:
			if (wr_summary_add(&r->sum, &ev[i])) {
				wr_err(wr_rd_err(r), "summary", "%s", strerror(errno));
				return WR_RD_ERROR;
			}
			break;
		}
	}
	r->nread += n;
	wr_deadline_reset(r);
	if (fflush(out) == EOF) {
		wr_err(wr_rd_err(r), "stdout", "%s", strerror(errno));
		return WR_RD_ERROR;
	}
	return WR_RD_OK;
}

/* Read at most @want records (at least one) once some are queued. */
static enum wr_rd_status wr_read_batch(struct wr_reader *r, size_t want)
{
	const size_t rec = sizeof(struct wdmisr_event);
	enum wr_rd_status st;
	short revents;
	ssize_t n;

	for (;;) {
		st = wr_read_wait(r, &revents);
		if (st != WR_RD_OK)
			return st;
		n = r->env->ops->read(r->fd, r->buf, want * rec);
		if (n > 0 && n % rec == 0)
			return wr_read_emit(r, r->buf, n / rec);
		if (n > 0) {
			wr_err(wr_rd_err(r), r->cfg->device,
			       "short read: %zd bytes is not a whole number of %zu-byte records",
			       n, rec);
			return WR_RD_ERROR;
		}
		if (n == 0) {
			wr_err(wr_rd_err(r), r->cfg->device, "unexpected end of file");
			return WR_RD_ERROR;
		}
		if (errno != EAGAIN && errno != EINTR) {
			wr_err_errno(wr_rd_err(r), r->cfg->device, NULL, errno);
			return WR_RD_ERROR;
		}
		if (revents & (POLLHUP | POLLERR)) {	/* hung up, nothing left */
			wr_err_errno(wr_rd_err(r), r->cfg->device, NULL, ENODEV);
			return WR_RD_ERROR;
		}
	}
}

/*
 * Take at most @want records (at least one) from the mapped ring once some
 * are there: print them where they lie, then give their slots back.
 */
static enum wr_rd_status wr_ring_batch(struct wr_reader *r, size_t want)
{
	uint32_t head, n, idx, first;
	enum wr_rd_status st;
	short revents;

	for (;;) {
		st = wr_read_wait(r, &revents);
		if (st != WR_RD_OK)
			return st;
		/* Pairs with the driver's release: the records are whole. */
		head = __atomic_load_n(&r->ring->head, __ATOMIC_ACQUIRE);
		n = head - r->tail;
		if (n > r->nrecords) {
			wr_err(wr_rd_err(r), r->cfg->device,
			       "event ring: head %" PRIu32 " is more than %" PRIu32
			       " records past tail %" PRIu32, head, r->nrecords, r->tail);
			return WR_RD_ERROR;
		}
		if (n) {
			if (n > want)
				n = (uint32_t)want;
			idx = r->tail & (r->nrecords - 1);
			first = n < r->nrecords - idx ? n : r->nrecords - idx;
			st = wr_read_emit(r, r->records + idx, first);
			if (st == WR_RD_OK && n > first)
				st = wr_read_emit(r, r->records, n - first);
			/* Done with them: the driver may write over them now. */
			r->tail += n;
			__atomic_store_n(&r->ring->tail, r->tail, __ATOMIC_RELEASE);
			return st;
		}
		if (revents & (POLLHUP | POLLERR)) {	/* hung up, nothing left */
			wr_err_errno(wr_rd_err(r), r->cfg->device, NULL, ENODEV);
			return WR_RD_ERROR;
		}
	}
}

static int wr_read_trigger(struct wr_reader *r)
{
	const struct wr_config *cfg = r->cfg;
	struct wdmisr_trigger t = {
		.vector = cfg->trigger_vector,
		.value = cfg->trigger_seq ? (uint32_t)(r->nread + 1) :
					    cfg->trigger_value,
	};

	if (r->env->ops->ioctl(r->fd, WDMISR_IOC_TRIGGER, &t) < 0) {
		wr_err_errno(wr_rd_err(r), cfg->device, "WDMISR_IOC_TRIGGER", errno);
		return -1;
	}
	wr_deadline_reset(r);
	return 0;
}

static enum wr_rd_status wr_read_loop(struct wr_reader *r)
{
	const struct wr_config *cfg = r->cfg;
	enum wr_rd_status st;
	size_t want;

	wr_deadline_reset(r);
	wr_progress_start(r);
	while (!cfg->count || r->nread < cfg->count) {
		want = WR_BATCH;
		if (cfg->count && cfg->count - r->nread < want)
			want = cfg->count - r->nread;
		if (cfg->trigger) {
			if (wr_read_trigger(r))
				return WR_RD_ERROR;
			want = 1;
		}
		st = r->ring ? wr_ring_batch(r, want) : wr_read_batch(r, want);
		if (st != WR_RD_OK)
			return st;
	}
	return WR_RD_OK;
}

/*
 * Map the event ring of @r->fd, if the device has one this tool knows. Any
 * failure leaves @r->ring NULL, for read() to go on with: read() says why
 * when it is something read() meets too (another reader, EBUSY).
 */
static void wr_ring_map(struct wr_reader *r, const struct wdmisr_info *info)
{
	const struct wr_dev_ops *ops = r->env->ops;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct wdmisr_ring_header *h;
	uint64_t off, len;
	uint32_t n;
	void *rec;

	if (!(info->flags & WDMISR_INFO_RING))
		return;
	h = ops->mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
		      WDMISR_RING_HEADER_OFFSET);
	if (h == MAP_FAILED)
		return;
	n = h->nrecords;
	off = h->records_offset;
	len = h->records_len;
	if (h->version != WDMISR_RING_VERSION ||
	    h->record_size != sizeof(struct wdmisr_event) ||
	    !n || n & (n - 1) || len < (uint64_t)n * sizeof(struct wdmisr_event) ||
	    len > SIZE_MAX || off % page || off > INT64_MAX) {
		ops->munmap(h, page);
		return;
	}
	rec = ops->mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, r->fd, (off_t)off);
	if (rec == MAP_FAILED) {
		ops->munmap(h, page);
		return;
	}
	r->ring = h;
	r->ring_len = page;
	r->records = rec;
	r->records_len = (size_t)len;
	r->nrecords = n;
	/* Mapping it made this file the reader: nobody else moves it now. */
	r->tail = __atomic_load_n(&h->tail, __ATOMIC_RELAXED);
}

static void wr_ring_unmap(struct wr_reader *r)
{
	if (!r->ring)
		return;
	r->env->ops->munmap((void *)r->records, r->records_len);
	r->env->ops->munmap(r->ring, r->ring_len);
	r->ring = NULL;
}

/*
 * Open the device and check that it speaks this tool's ABI; map its event
 * ring unless --no-mmap. Mapping the consumer index writable needs the
 * node open for writing too: where that is not allowed, read() it is.
 */
static int wr_read_open(struct wr_reader *r)
{
	const struct wr_env *env = r->env;
	const char *path = r->cfg->device;
	bool ring = !r->cfg->no_mmap && env->ops->mmap && env->ops->munmap;
	struct wdmisr_info info;
	int fd = -1;

	/* Quietly: the O_RDONLY open below says why, if it fails too. */
	if (ring)
		fd = env->ops->open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fd = wr_dev_open(env, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (wr_info_query(env, fd, path, &info) ||
	    wr_info_check(env, path, &info)) {
		env->ops->close(fd);
		return -1;
	}
	r->fd = fd;
	if (ring)
		wr_ring_map(r, &info);
	return fd;
}

/*
 * Run the loop on an open device; the summary is printed however it ends,
 * after the count read if a signal ended it.
 */
static enum wr_rd_status wr_read_events(struct wr_reader *r)
{
	enum wr_rd_status st;

	r->stop_fd = wr_sig_install();
	if (r->stop_fd < 0) {
		wr_err(r->env->err, "signal pipe", "%s", strerror(errno));
		return WR_RD_ERROR;
	}
	if (r->cfg->format == WR_FMT_TEXT) {
		wr_text_header(r->env->out);
		fflush(r->env->out);
	}
	wr_summary_init(&r->sum);
	st = wr_read_loop(r);
	wr_sig_restore();
	wr_progress_clear(r);
	if (st == WR_RD_STOP)
		wr_read_report(r, r->signal == SIGTERM ? "terminated: " :
							 "interrupted: ");
	if (r->cfg->format == WR_FMT_SUMMARY)
		wr_summary_print(&r->sum, r->env->out);
	wr_summary_free(&r->sum);
	if (fflush(r->env->out) == EOF && st != WR_RD_ERROR) {
		wr_err(r->env->err, "stdout", "%s", strerror(errno));
		st = WR_RD_ERROR;
	}
	return st;
}

int wr_read_run(const struct wr_env *env, const struct wr_config *cfg)
{
	struct wr_reader r = { .env = env, .cfg = cfg };
	enum wr_rd_status st;

	if (wr_read_open(&r) < 0)
		return WR_EXIT_FAIL;
	st = wr_read_events(&r);
	wr_ring_unmap(&r);
	env->ops->close(r.fd);
	switch (st) {
	case WR_RD_OK:
	case WR_RD_STOP:
		return WR_EXIT_OK;
	case WR_RD_TIMEOUT:
		return r.nread ? WR_EXIT_OK : WR_EXIT_TIMEOUT;
	case WR_RD_ERROR:
		break;
	}
	return WR_EXIT_FAIL;
}
