// SPDX-License-Identifier: GPL-2.0
/*
 * wdm-bench-lat: interrupt-to-reader latency of wdmisr against UIO, on two
 * edu devices, one bound to each. A round raises one interrupt on each
 * device in turn (which goes first alternates) and times, with
 * CLOCK_MONOTONIC, from just before the trigger to the reader holding the
 * result:
 *   wdmisr  ioctl(WDMISR_IOC_TRIGGER), then a blocking read() of one
 *           88-byte timestamped record carrying the raised value
 *   UIO     write the edu's raise register through the mmap'ed BAR0, then a
 *           blocking read() of the 4-byte interrupt count; untimed, the
 *           edu is acknowledged and INTx re-enabled by clearing Interrupt
 *           Disable in the PCI command register, as uio_pci_generic
 *           expects (it has no irqcontrol, so write(1) is refused)
 * Every round is checked: the record carries the raised value and the next
 * sequence number, the UIO count goes up by exactly one and the edu status
 * holds the raised value.
 *
 * Usage: wdm-bench-lat --wdmisr DEV --uio DEV --uio-pci DIR --rounds N
 *                      [--cpu C] [--bins B]
 *   --uio-pci DIR  the UIO edu's /sys/bus/pci/devices/BDF (resource0, config)
 *   --cpu C      run on CPU C
 *   --bins B     histogram bins (default 60)
 *
 * Output, one line each:
 *   latency path=wdmisr|uio rounds=N ok=K median_ns=.. p99_ns=.. mean_ns=..
 *           min_ns=.. max_ns=.. [isr_median_ns=.. wake_median_ns=..]
 *   latency ratio_median=R ratio_p99=R        (wdmisr / UIO)
 *   latency-hist path=wdmisr|uio lo_ns=L hi_ns=H count=C   (per bin, the
 *           bins logarithmic; the last also counts everything above it)
 * isr_median_ns is trigger to the ISR's timestamp in the record, and
 * wake_median_ns the ISR's timestamp to the reader. The first round that
 * does not check out ends the run. Exit status 0 iff every round checked out.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <hw/edu.h>
#include <wdmisr.h>

/* The registers it touches are all in BAR0's first page. */
#define EDU_MAP_SIZE		4096

#define PCI_COMMAND_HI		5	/* the high byte of the command register */
#define INTX_DISABLE_HI		0x04	/* PCI_COMMAND_INTX_DISABLE >> 8 */
#define ROUND_TIMEOUT_S		10

enum { PATH_WDMISR, PATH_UIO, PATHS };
static const char *const path_names[PATHS] = { "wdmisr", "uio" };

struct samples {
	uint64_t *ns;		/* trigger to reader, per good round */
	uint64_t *isr;		/* wdmisr: trigger to the ISR's timestamp */
	uint64_t *wake;		/* wdmisr: the ISR's timestamp to the reader */
	size_t n;
	uint64_t ok;
};

struct bench {
	int wfd, ufd, cfd;
	volatile uint32_t *bar;
	uint64_t next_seq;	/* the wdmisr record sequence expected next */
	bool have_seq;
	uint32_t uio_count;	/* the UIO count seen last */
	bool have_count;
	struct samples s[PATHS];
};

static void on_alarm(int sig)
{
	(void)sig;	/* only to make a stuck read() fail with EINTR */
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static void warn_round(const char *path, unsigned int round, const char *what)
{
	fprintf(stderr, "wdm-bench-lat: %s round %u: %s\n", path, round, what);
}

static int round_wdmisr(struct bench *b, unsigned int round, uint32_t value)
{
	struct wdmisr_trigger t = { .vector = 0, .value = value };
	struct wdmisr_event ev;
	uint32_t payload;
	uint64_t t0, t1;
	ssize_t n;

	t0 = now_ns();
	if (ioctl(b->wfd, WDMISR_IOC_TRIGGER, &t) < 0) {
		warn_round("wdmisr", round, strerror(errno));
		return -1;
	}
	n = read(b->wfd, &ev, sizeof(ev));
	t1 = now_ns();
	if (n != sizeof(ev)) {
		warn_round("wdmisr", round, n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	memcpy(&payload, ev.data, sizeof(payload));
	if (ev.len != sizeof(payload) || payload != value ||
	    (b->have_seq && ev.seq != b->next_seq)) {
		warn_round("wdmisr", round, "record does not carry the raised value in sequence");
		return -1;
	}
	b->next_seq = ev.seq + 1;
	b->have_seq = true;
	b->s[PATH_WDMISR].ns[b->s[PATH_WDMISR].n] = t1 - t0;
	b->s[PATH_WDMISR].isr[b->s[PATH_WDMISR].n] = ev.ts_ns - t0;
	b->s[PATH_WDMISR].wake[b->s[PATH_WDMISR].n++] = t1 - ev.ts_ns;
	return 0;
}

/* uio_pci_generic masked INTx in its handler: unmask it. */
static int uio_unmask(struct bench *b)
{
	uint8_t hi;

	if (pread(b->cfd, &hi, 1, PCI_COMMAND_HI) != 1)
		return -1;
	hi &= ~INTX_DISABLE_HI;
	return pwrite(b->cfd, &hi, 1, PCI_COMMAND_HI) == 1 ? 0 : -1;
}

static int round_uio(struct bench *b, unsigned int round, uint32_t value)
{
	uint32_t count, status;
	uint64_t t0, t1;
	ssize_t n;

	t0 = now_ns();
	b->bar[EDU_REG_IRQ_RAISE / 4] = value;
	n = read(b->ufd, &count, sizeof(count));
	t1 = now_ns();
	if (n != sizeof(count)) {
		warn_round("uio", round, n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	status = b->bar[EDU_REG_IRQ_STATUS / 4];
	b->bar[EDU_REG_IRQ_ACK / 4] = status;
	if (uio_unmask(b)) {
		warn_round("uio", round, "unmasking INTx in the command register failed");
		return -1;
	}
	/* The count is the device's total: the first read only sets the base. */
	if ((b->have_count && count != b->uio_count + 1) || status != value) {
		warn_round("uio", round, "count did not go up by one, or status is not the raised value");
		b->uio_count = count;
		return -1;
	}
	b->uio_count = count;
	b->have_count = true;
	b->s[PATH_UIO].ns[b->s[PATH_UIO].n++] = t1 - t0;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The q-th percentile of sorted @v: the smallest value >= q% of them. */
static uint64_t pct(const uint64_t *v, size_t n, unsigned int q)
{
	size_t i = (n * q + 99) / 100;

	return n ? v[i ? i - 1 : 0] : 0;
}

static void report_path(struct bench *b, int p, unsigned int rounds)
{
	struct samples *s = &b->s[p];
	uint64_t sum = 0;
	size_t i;

	qsort(s->ns, s->n, sizeof(*s->ns), cmp_u64);
	for (i = 0; i < s->n; i++)
		sum += s->ns[i];
	printf("latency path=%s rounds=%u ok=%" PRIu64 " median_ns=%" PRIu64
	       " p99_ns=%" PRIu64 " mean_ns=%" PRIu64 " min_ns=%" PRIu64 " max_ns=%" PRIu64,
	       path_names[p], rounds, s->ok, pct(s->ns, s->n, 50), pct(s->ns, s->n, 99),
	       s->n ? sum / s->n : 0, s->n ? s->ns[0] : 0, s->n ? s->ns[s->n - 1] : 0);
	if (p == PATH_WDMISR) {
		qsort(s->isr, s->n, sizeof(*s->isr), cmp_u64);
		qsort(s->wake, s->n, sizeof(*s->wake), cmp_u64);
		printf(" isr_median_ns=%" PRIu64 " wake_median_ns=%" PRIu64,
		       pct(s->isr, s->n, 50), pct(s->wake, s->n, 50));
	}
	printf("\n");
}

/*
 * Both histograms on one logarithmic scale, from the fastest round of
 * either path to twice the larger p99; the last bin also takes everything
 * above it.
 */
static void report_hist(struct bench *b, unsigned int bins)
{
	double lo = 0, hi = 0, step, edge;
	size_t i, k;
	uint64_t c;
	int p;

	for (p = 0; p < PATHS; p++) {
		if (!b->s[p].n)
			continue;
		if (!lo || b->s[p].ns[0] < lo)
			lo = b->s[p].ns[0];
		if (2.0 * pct(b->s[p].ns, b->s[p].n, 99) > hi)
			hi = 2.0 * pct(b->s[p].ns, b->s[p].n, 99);
	}
	if (lo < 1)
		lo = 1;
	if (hi <= lo)
		hi = lo * 2;
	step = pow(hi / lo, 1.0 / bins);
	for (p = 0; p < PATHS; p++) {
		for (k = 0, i = 0, edge = lo; k < bins; k++, edge *= step) {
			for (c = 0; i < b->s[p].n && (k == bins - 1 ||
						      b->s[p].ns[i] < edge * step); i++)
				c++;
			printf("latency-hist path=%s lo_ns=%.0f hi_ns=%.0f count=%" PRIu64 "\n",
			       path_names[p], edge, edge * step, c);
		}
	}
}

static int setup(struct bench *b, const char *wdev, const char *udev,
		 const char *pci, unsigned int rounds, int cpu)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char path[PATH_MAX];
	cpu_set_t set;
	int fd, p;

	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return perror("sched_setaffinity"), -1;
	}
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: read() fails */
	b->wfd = open(wdev, O_RDONLY | O_CLOEXEC);
	if (b->wfd < 0)
		return perror(wdev), -1;
	b->ufd = open(udev, O_RDWR | O_CLOEXEC);
	if (b->ufd < 0)
		return perror(udev), -1;
	snprintf(path, sizeof(path), "%s/config", pci);
	b->cfd = open(path, O_RDWR | O_CLOEXEC);
	if (b->cfd < 0)
		return perror(path), -1;
	snprintf(path, sizeof(path), "%s/resource0", pci);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return perror(path), -1;
	b->bar = mmap(NULL, EDU_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (b->bar == MAP_FAILED)
		return perror("mmap"), -1;
	for (p = 0; p < PATHS; p++) {
		b->s[p].ns = calloc(rounds, sizeof(uint64_t));
		b->s[p].isr = calloc(rounds, sizeof(uint64_t));
		b->s[p].wake = calloc(rounds, sizeof(uint64_t));
		if (!b->s[p].ns || !b->s[p].isr || !b->s[p].wake)
			return perror("calloc"), -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: wdm-bench-lat --wdmisr DEV --uio DEV --uio-pci DIR --rounds N [--cpu C] [--bins B]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wdmisr", required_argument, NULL, 'w' },
		{ "uio", required_argument, NULL, 'u' },
		{ "uio-pci", required_argument, NULL, 'p' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "bins", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	const char *wdev = NULL, *udev = NULL, *pci = NULL;
	unsigned int rounds = 0, bins = 60, r, j;
	struct bench b = { 0 };
	int c, cpu = -1, p, err;
	uint64_t med[PATHS], p99[PATHS];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'w': wdev = optarg; break;
		case 'u': udev = optarg; break;
		case 'p': pci = optarg; break;
		case 'n': rounds = strtoul(optarg, NULL, 0); break;
		case 'c': cpu = atoi(optarg); break;
		case 'B': bins = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!wdev || !udev || !pci || !rounds || !bins || optind != argc)
		usage();
	if (setup(&b, wdev, udev, pci, rounds, cpu))
		return 1;

	for (r = 1, err = 0; r <= rounds && !err; r++) {
		for (j = 0; j < PATHS && !err; j++) {
			p = (r + j) % PATHS;
			alarm(ROUND_TIMEOUT_S);
			err = p == PATH_WDMISR ? round_wdmisr(&b, r, r) : round_uio(&b, r, r);
			alarm(0);
			if (!err)
				b.s[p].ok++;
		}
	}
	for (p = 0; p < PATHS; p++) {
		report_path(&b, p, rounds);
		med[p] = pct(b.s[p].ns, b.s[p].n, 50);
		p99[p] = pct(b.s[p].ns, b.s[p].n, 99);
	}
	printf("latency ratio_median=%.3f ratio_p99=%.3f\n",
	       med[PATH_UIO] ? (double)med[PATH_WDMISR] / med[PATH_UIO] : 0.0,
	       p99[PATH_UIO] ? (double)p99[PATH_WDMISR] / p99[PATH_UIO] : 0.0);
	report_hist(&b, bins);
	return b.s[PATH_WDMISR].ok == rounds && b.s[PATH_UIO].ok == rounds ? 0 : 1;
}
