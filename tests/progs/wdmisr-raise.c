// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-raise: raises edu interrupts through WDMISR_IOC_TRIGGER for the
 * load and fault cases, and accounts for every one of them.
 *
 *   storm -n N DEV...     N raises split round-robin over the devices, as
 *                         fast as the ioctl goes. Raise i on a device sets
 *                         bit (i mod 32) of its status; after 32 raises per
 *                         device the program reads back until the events'
 *                         payloads (the status the ISR acknowledged) hold
 *                         every bit raised. Raises that met in one ISR call
 *                         arrive as one event with several bits: events +
 *                         coalesced bits == raises, exactly.
 *   paced -n N [-v V] DEV N raises of the values V, V+1, ... (default 1),
 *                         each waited for until the ISR has claimed it, with
 *                         nobody reading: one event (or one drop) each.
 *   overflow -n N [-e EVERY | -u US] DEV
 *                         a child raises N paced values 1..N while this
 *                         process reads one record at a time: with -e, in
 *                         lockstep, one record each time the child has
 *                         raised EVERY (the numbers are then exact to the
 *                         record); else free running, sleeping US
 *                         microseconds (default 2000) after each read. The
 *                         queue overflows. Then one more raise, N + 1,
 *                         carries the final dropped count. Checks that each
 *                         record's payload is seq + 1, that every gap in
 *                         seq equals the growth of the dropped counter, and
 *                         that produced == read + dropped, as the driver's
 *                         counters say too. Needs a freshly loaded driver
 *                         (seq from 0).
 *   loop DEV...           raise on each device in turn until every one has
 *                         failed (unbind: ENODEV) or SIGTERM; prints how
 *                         each ended.
 *
 * Every mode ends with one line of key=value results on stdout and exits 0
 * only if its accounting is exact.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "wdmtest.h"

#define MAX_DEVS	8
#define STORM_BITS	32

struct opts {
	uint64_t count;
	uint64_t every;
	uint32_t first;
	long delay_us;
};

/* ---- storm ---- */

struct storm_dev {
	const char *path;
	int fd;
	uint64_t raises, events, coalesced;
	uint32_t want;		/* bits raised in this window */
	uint32_t got;		/* bits seen in this window's events */
};

/* Read @d's events until every bit of the window has come back. */
static void storm_collect(struct storm_dev *d)
{
	struct wdmisr_event ev[64];
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN };
	uint32_t bits;
	ssize_t n;
	int i;

	while (d->got != d->want) {
		if (poll(&pfd, 1, WDMTEST_ISR_WAIT_MS) != 1)
			wdmtest_die("%s: raised 0x%08x, only 0x%08x came back", d->path,
				    d->want, d->got);
		n = read(d->fd, ev, sizeof(ev));
		if (n < 0)
			wdmtest_die("%s: read: %s", d->path, strerror(errno));
		for (i = 0; i < n / (ssize_t)sizeof(ev[0]); i++) {
			if (ev[i].len != 4 || ev[i].dropped)
				wdmtest_die("%s: seq %" PRIu64 ": len %u dropped %" PRIu64,
					    d->path, (uint64_t)ev[i].seq, ev[i].len,
					    (uint64_t)ev[i].dropped);
			memcpy(&bits, ev[i].data, sizeof(bits));
			if (!bits || (bits & ~d->want) || (bits & d->got))
				wdmtest_die("%s: seq %" PRIu64 ": bits 0x%08x, raised 0x%08x, seen 0x%08x",
					    d->path, (uint64_t)ev[i].seq, bits, d->want, d->got);
			d->got |= bits;
			d->events++;
			d->coalesced += __builtin_popcount(bits) - 1;
		}
	}
	d->want = d->got = 0;
}

static int do_storm(const struct opts *o, int ndev, char **paths)
{
	struct storm_dev dev[MAX_DEVS] = {};
	struct wdmisr_trigger t = { 0 };
	uint64_t i = 0, ev = 0, co = 0;
	int k, bad = 0;

	for (k = 0; k < ndev; k++) {
		dev[k].path = paths[k];
		dev[k].fd = wdmtest_open(paths[k], O_RDONLY);
	}
	while (i < o->count) {
		/* One window: up to STORM_BITS raises per device, interleaved. */
		for (t.value = 1; t.value && i < o->count; t.value <<= 1) {
			for (k = 0; k < ndev && i < o->count; k++, i++) {
				if (ioctl(dev[k].fd, WDMISR_IOC_TRIGGER, &t))
					wdmtest_die("%s: WDMISR_IOC_TRIGGER: %s", dev[k].path,
						    strerror(errno));
				dev[k].want |= t.value;
				dev[k].raises++;
			}
		}
		for (k = 0; k < ndev; k++)
			storm_collect(&dev[k]);
	}
	for (k = 0; k < ndev; k++) {
		struct storm_dev *d = &dev[k];
		bool ok = d->events + d->coalesced == d->raises;

		printf("storm dev=%s raises=%" PRIu64 " events=%" PRIu64 " coalesced=%" PRIu64 " %s\n",
		       d->path, d->raises, d->events, d->coalesced, ok ? "exact" : "MISMATCH");
		bad |= !ok;
		ev += d->events;
		co += d->coalesced;
		close(d->fd);
	}
	printf("storm total raises=%" PRIu64 " events=%" PRIu64 " coalesced=%" PRIu64 " %s\n",
	       o->count, ev, co, bad ? "MISMATCH" : "exact");
	return bad;
}

/* ---- paced ---- */

static int do_paced(const struct opts *o, const char *path)
{
	int fd = wdmtest_open(path, O_RDONLY);
	uint64_t i;

	for (i = 0; i < o->count; i++)
		wdmtest_raise_paced(fd, path, o->first + (uint32_t)i);
	close(fd);
	printf("paced dev=%s raises=%" PRIu64 " values=%" PRIu32 "..%" PRIu64 "\n", path,
	       o->count, o->first, o->first + o->count - 1);
	return 0;
}

/* ---- overflow ---- */

struct overflow {
	uint64_t read, gaps, lost, next_seq, dropped;
	int errors;
};

/* Check one record against the one before it; print where gaps are. */
static void overflow_check(struct overflow *s, const struct wdmisr_event *ev)
{
	uint32_t value;

	memcpy(&value, ev->data, sizeof(value));
	if (ev->len != 4 || value != ev->seq + 1) {
		printf("# seq %" PRIu64 ": len %u value %" PRIu32 ", expected value %" PRIu64 "\n",
		       (uint64_t)ev->seq, ev->len, value, (uint64_t)ev->seq + 1);
		s->errors++;
	}
	if (ev->seq < s->next_seq || ev->dropped - s->dropped != ev->seq - s->next_seq) {
		printf("# seq %" PRIu64 " after %" PRIu64 ": dropped went %" PRIu64 " -> %" PRIu64 "\n",
		       (uint64_t)ev->seq, s->next_seq, s->dropped, (uint64_t)ev->dropped);
		s->errors++;
	}
	if (ev->seq != s->next_seq) {
		if (s->gaps < 3)
			printf("# gap: %" PRIu64 " records lost before seq %" PRIu64 "\n",
			       (uint64_t)ev->seq - s->next_seq, (uint64_t)ev->seq);
		s->gaps++;
		s->lost += ev->seq - s->next_seq;
	}
	s->next_seq = ev->seq + 1;
	s->dropped = ev->dropped;
	s->read++;
}

/* Read what is queued, one record per read(); false once it is empty. */
static bool overflow_read_one(struct overflow *s, int fd, const char *path)
{
	struct wdmisr_event ev;
	ssize_t n = read(fd, &ev, sizeof(ev));

	if (n < 0 && errno == EAGAIN)
		return false;
	if (n != (ssize_t)sizeof(ev))
		wdmtest_die("%s: read returned %zd: %s", path, n, strerror(errno));
	overflow_check(s, &ev);
	return true;
}

/* Child: raise 1..N paced; with @every, hand over after each @every. */
static void __attribute__((noreturn))
overflow_raiser(const struct opts *o, const char *path, int token, int ack)
{
	int fd = wdmtest_open(path, O_RDONLY);
	uint64_t i;
	char c = 0;

	for (i = 1; i <= o->count; i++) {
		wdmtest_raise_paced(fd, path, (uint32_t)i);
		if (!o->every || (i % o->every && i != o->count))
			continue;
		if (write(token, &c, 1) != 1 || read(ack, &c, 1) != 1)
			wdmtest_die("lost the reader");
	}
	exit(0);
}

/* Lockstep: one record read each time the raiser has raised @every. */
static void overflow_lockstep(struct overflow *s, int fd, const char *path,
			      int token, int ack)
{
	char c;

	while (read(token, &c, 1) == 1) {
		if (!overflow_read_one(s, fd, path))
			wdmtest_die("%s: nothing queued after the raises", path);
		if (write(ack, &c, 1) != 1)
			wdmtest_die("lost the raiser");
	}
}

/* Free running: one record per read(), @delay_us after each. */
static void overflow_slow(struct overflow *s, int fd, const char *path,
			  const struct opts *o, pid_t pid)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	siginfo_t info;

	for (;;) {
		if (overflow_read_one(s, fd, path)) {
			wdmtest_sleep_us(o->delay_us);
			continue;
		}
		/* Empty: done once the raiser has exited (it is reaped later). */
		info.si_pid = 0;
		if (!waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) &&
		    info.si_pid == pid)
			return;
		poll(&pfd, 1, 100);
	}
}

static int do_overflow(const struct opts *o, const char *path)
{
	int fd = wdmtest_open(path, O_RDONLY | O_NONBLOCK);
	int token[2], ack[2], status = 0;
	struct overflow s = { 0 };
	struct wdmisr_stats st;
	bool exact;
	pid_t pid;

	/* Claim the queue before the first raise. */
	overflow_read_one(&s, fd, path);
	if (pipe(token) || pipe(ack))
		wdmtest_die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		wdmtest_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(token[0]);
		close(ack[1]);
		overflow_raiser(o, path, token[1], ack[0]);
	}
	close(token[1]);
	close(ack[0]);
	if (o->every)
		overflow_lockstep(&s, fd, path, token[0], ack[1]);
	else
		overflow_slow(&s, fd, path, o, pid);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		wdmtest_die("the raising child failed (status 0x%x)", status);
	while (overflow_read_one(&s, fd, path))
		;
	/* The last raise reports how many were dropped before it. */
	wdmtest_raise_paced(fd, path, (uint32_t)o->count + 1);
	if (!overflow_read_one(&s, fd, path))
		wdmtest_die("%s: the last raise did not arrive", path);
	wdmtest_stats(fd, path, &st);
	close(fd);

	exact = !s.errors && s.read + s.dropped == o->count + 1 && s.lost == s.dropped &&
		st.v[0].events == s.read && st.v[0].dropped == s.dropped;
	printf("overflow produced=%" PRIu64 " read=%" PRIu64 " dropped=%" PRIu64
	       " lost_in_gaps=%" PRIu64 " gaps=%" PRIu64 " stats_events=%" PRIu64
	       " stats_dropped=%" PRIu64 " %s\n", o->count + 1, s.read, s.dropped, s.lost,
	       s.gaps, (uint64_t)st.v[0].events, (uint64_t)st.v[0].dropped,
	       exact ? "exact" : "MISMATCH");
	return !exact;
}

/* ---- loop ---- */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_loop(int ndev, char **paths)
{
	struct wdmisr_trigger t = { .vector = 0, .value = 1 };
	uint64_t raises[MAX_DEVS] = { 0 };
	int fd[MAX_DEVS], err[MAX_DEVS] = { 0 };
	int k, live = ndev;

	signal(SIGTERM, on_term);
	for (k = 0; k < ndev; k++)
		fd[k] = wdmtest_open(paths[k], O_RDONLY);
	while (live && !stop) {
		for (k = 0; k < ndev; k++) {
			if (err[k])
				continue;
			if (!ioctl(fd[k], WDMISR_IOC_TRIGGER, &t)) {
				raises[k]++;
				continue;
			}
			err[k] = errno;
			live--;
		}
		/* Interrupts all the time, but leave the guest room: 1 per ms. */
		wdmtest_sleep_us(1000);
	}
	for (k = 0; k < ndev; k++) {
		printf("loop dev=%s raises=%" PRIu64 " ended=%s\n", paths[k], raises[k],
		       err[k] ? wdmtest_errname(err[k]) : "SIGTERM");
		close(fd[k]);
	}
	return 0;
}

/* ---- main ---- */

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: wdmisr-raise storm -n N DEV...\n"
		"       wdmisr-raise paced -n N [-v FIRST] DEV\n"
		"       wdmisr-raise overflow -n N [-e EVERY | -u DELAY_US] DEV\n"
		"       wdmisr-raise loop DEV...\n"
		"See the comment at the top of tests/progs/wdmisr-raise.c.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "value", required_argument, NULL, 'v' },
		{ "delay-us", required_argument, NULL, 'u' },
		{ "every", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .count = 0, .first = 1, .delay_us = 2000 };
	const char *mode;
	int c, ndev;

	wdmtest_prog = "wdmisr-raise";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage(2);
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "n:v:u:e:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.count = wdmtest_number("-n", optarg); break;
		case 'v': o.first = (uint32_t)wdmtest_number("-v", optarg); break;
		case 'u': o.delay_us = (long)wdmtest_number("-u", optarg); break;
		case 'e': o.every = wdmtest_number("-e", optarg); break;
		case 'h': usage(0);
		default: usage(2);
		}
	}
	ndev = argc - optind;
	if (ndev < 1 || ndev > MAX_DEVS)
		usage(2);
	if (!strcmp(mode, "storm") && o.count)
		return do_storm(&o, ndev, argv + optind);
	if (!strcmp(mode, "loop"))
		return do_loop(ndev, argv + optind);
	if (ndev != 1 || !o.count)
		usage(2);
	if (!strcmp(mode, "paced"))
		return do_paced(&o, argv[optind]);
	if (!strcmp(mode, "overflow"))
		return do_overflow(&o, argv[optind]);
	usage(2);
}
