// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-ops: read(), poll() and WDMISR_IOC_TRIGGER calls on ONE open file
 * of a wdmisr node, in the order given, with one line of output per call, so
 * that a test can compare the whole output with what the ABI promises: for
 * example what a read() under O_NONBLOCK returns with nothing queued, and
 * what poll() reports before and after one interrupt.
 *
 * Usage: wdmisr-ops [-d NODE] [-n] OP...
 *   -d NODE      the node (default /dev/wdmisr0)
 *   -n           open it with O_NONBLOCK
 * Each OP, and what it prints:
 *   read[:N]     read() into room for N records (default 16):
 *                "read: EAGAIN" (the errno's name), or "read: K records"
 *                ("read: 1 record") and "  seq=S msg=M len=L data=HEX"
 *                for each record
 *   poll:MS      poll() for POLLIN|POLLRDNORM, timeout MS: "poll MS: R"
 *                (poll's return value) and the revents' names, e.g.
 *                "poll 0: 0", "poll 5000: 1 POLLIN|POLLRDNORM"
 *   trigger:V    WDMISR_IOC_TRIGGER with value V on vector 0:
 *                "trigger V: 0" or "trigger V: EPERM"
 *   open:MODE    open the node again, MODE r (O_RDONLY), w (O_WRONLY) or
 *                rw (O_RDWR), and make the new file the one the next OPs
 *                use; the files opened before stay open until exit:
 *                "open MODE: 0" or "open MODE: EBUSY" (the errno's name)
 * Exit status: 0 once every OP was made (whatever each returned), 1 if the
 * node cannot be opened, 2 for a usage error.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdbool.h>

#include "wdmtest.h"

#define OPS_DEFAULT_DEV		"/dev/wdmisr0"
#define OPS_DEFAULT_RECORDS	16

static void __attribute__((noreturn)) ops_usage(void)
{
	fprintf(stderr, "usage: %s [-d NODE] [-n] [-w] read[:N]|poll:MS|trigger:V|open:r|w|rw...\n",
		wdmtest_prog);
	exit(2);
}

/* The number after "NAME:" in @op, or @def if there is none. */
static uint64_t ops_arg(const char *op, size_t name_len, uint64_t def, bool need)
{
	if (!op[name_len]) {
		if (need)
			ops_usage();
		return def;
	}
	if (op[name_len] != ':')
		ops_usage();
	return wdmtest_number(op, op + name_len + 1);
}

static void ops_read(int fd, uint64_t records)
{
	struct wdmisr_event *ev;
	ssize_t n;
	size_t i;
	int k;

	if (!records || records > 65536)
		ops_usage();
	ev = calloc(records, sizeof(*ev));
	if (!ev)
		wdmtest_die("%s", strerror(ENOMEM));
	n = read(fd, ev, records * sizeof(*ev));
	if (n < 0) {
		printf("read: %s\n", wdmtest_errname(errno));
	} else {
		printf("read: %zu record%s%s\n", (size_t)n / sizeof(*ev),
		       (size_t)n == sizeof(*ev) ? "" : "s",
		       n % sizeof(*ev) ? " and a partial one" : "");
		for (i = 0; i < (size_t)n / sizeof(*ev); i++) {
			printf("  seq=%llu msg=%u len=%u data=",
			       (unsigned long long)ev[i].seq, ev[i].msg, ev[i].len);
			for (k = 0; k < ev[i].len && k < WDMISR_DATA_MAX; k++)
				printf("%02x", ev[i].data[k]);
			putchar('\n');
		}
	}
	free(ev);
}

static void ops_poll(int fd, uint64_t ms)
{
	static const struct {
		short bit;
		const char *name;
	} bits[] = {
		{ POLLIN, "POLLIN" }, { POLLRDNORM, "POLLRDNORM" },
		{ POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" },
	};
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDNORM };
	const char *sep = " ";
	size_t i;
	int ret;

	if (ms > INT32_MAX)
		ops_usage();
	ret = poll(&p, 1, (int)ms);
	if (ret < 0) {
		printf("poll %llu: %s\n", (unsigned long long)ms, wdmtest_errname(errno));
		return;
	}
	printf("poll %llu: %d", (unsigned long long)ms, ret);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (p.revents & bits[i].bit) {
			printf("%s%s", sep, bits[i].name);
			sep = "|";
		}
	}
	putchar('\n');
}

static void ops_trigger(int fd, uint64_t value)
{
	struct wdmisr_trigger t = { .vector = 0, .value = (uint32_t)value };

	if (value > UINT32_MAX)
		ops_usage();
	printf("trigger %llu: %s\n", (unsigned long long)value,
	       wdmtest_errname(ioctl(fd, WDMISR_IOC_TRIGGER, &t) ? errno : 0));
}

/*
 * open:MODE: open @dev again with @mode and the O_NONBLOCK of @flags; the
 * new file replaces *@fd for the ops that follow, the old one stays open.
 */
static void ops_open(int *fd, const char *dev, const char *mode, int flags)
{
	int acc, nfd;

	if (!strcmp(mode, "r"))
		acc = O_RDONLY;
	else if (!strcmp(mode, "w"))
		acc = O_WRONLY;
	else if (!strcmp(mode, "rw"))
		acc = O_RDWR;
	else
		ops_usage();
	nfd = open(dev, acc | (flags & O_NONBLOCK) | O_CLOEXEC);
	printf("open %s: %s\n", mode, wdmtest_errname(nfd < 0 ? errno : 0));
	if (nfd >= 0)
		*fd = nfd;
}

int main(int argc, char **argv)
{
	const char *dev = OPS_DEFAULT_DEV;
	int flags = O_RDONLY, opt, fd, i;

	wdmtest_prog = "wdmisr-ops";
	while ((opt = getopt(argc, argv, "d:nw")) != -1) {
		if (opt == 'd')
			dev = optarg;
		else if (opt == 'n')
			flags |= O_NONBLOCK;
		else if (opt == 'w')
			flags = (flags & ~O_ACCMODE) | O_WRONLY;
		else
			ops_usage();
	}
	if (optind == argc)
		ops_usage();
	fd = wdmtest_open(dev, flags);
	for (i = optind; i < argc; i++) {
		const char *op = argv[i];

		if (!strncmp(op, "open:", 5))
			ops_open(&fd, dev, op + 5, flags);
		else if (!strncmp(op, "read", 4))
			ops_read(fd, ops_arg(op, 4, OPS_DEFAULT_RECORDS, false));
		else if (!strncmp(op, "poll", 4))
			ops_poll(fd, ops_arg(op, 4, 0, true));
		else if (!strncmp(op, "trigger", 7))
			ops_trigger(fd, ops_arg(op, 7, 0, true));
		else
			ops_usage();
		/* In order with the output of anything else the test runs. */
		fflush(stdout);
	}
	/* Every file opened, open: ones too, closes at exit. */
	return 0;
}
