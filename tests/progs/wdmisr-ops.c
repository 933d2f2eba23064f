// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-ops: read(), poll() and WDMISR_IOC_TRIGGER calls on ONE open file
 * of a wdmisr node, in the order given, with one line of output per call, so
 * that a test can compare the whole output with what the ABI promises: for
 * example what a read() under O_NONBLOCK returns with nothing queued, and
 * what poll() reports before and after one interrupt.
 *
 * Usage: wdmisr-ops [-d NODE] [-n] [-w|-b] OP...
 *   -d NODE      the node (default /dev/wdmisr0)
 *   -n           open it with O_NONBLOCK
 *   -w, -b       open it O_WRONLY, or O_RDWR (default O_RDONLY)
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
 * The event ring (include/uapi/wdmisr.h):
 *   map          map the header page read-write and the records read-only:
 *                "map: 0" and "  ring version=V nrecords=N record_size=S
 *                head=H tail=T", or "map: header EBUSY" / "map: records
 *                EINVAL"
 *   ring[:N]     take up to N records (default 16) through the mapping, as
 *                a reader does: "ring: K records" and the records as read
 *                prints them, with " dropped=D" before data; then tail
 *                moves past them
 *   tail:V       store V as the consumer index: "tail V"
 *   touch        read every byte of both mappings: "touch: BYTES bytes"
 *   mprotect     make the records writable: "mprotect: EACCES"
 *   mmap:PG:LEN:PROT:FLAGS
 *                one mmap() at page PG of LEN bytes, PROT r, w, rw or none,
 *                FLAGS shared or private, unmapped at once if it worked:
 *                "mmap PG:LEN:PROT:FLAGS: 0" or its errno's name
 *   wait:PATH    print "wait PATH", then read PATH (a FIFO) to its end: the
 *                test does something meanwhile, then closes its end
 * Exit status: 0 once every OP was made (whatever each returned), 1 if the
 * node cannot be opened, 2 for a usage error.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdbool.h>
#include <sys/mman.h>

#include "wdmtest.h"

#define OPS_DEFAULT_DEV		"/dev/wdmisr0"
#define OPS_DEFAULT_RECORDS	16

static void __attribute__((noreturn)) ops_usage(void)
{
	fprintf(stderr, "usage: %s [-d NODE] [-n] [-w|-b] read[:N]|poll:MS|trigger:V|open:r|w|rw|\n"
		"       map|ring[:N]|tail:V|touch|mprotect|mmap:PG:LEN:PROT:FLAGS|wait:PATH...\n",
		wdmtest_prog);
	exit(2);
}

/* The event ring, once "map" mapped it. */
static struct {
	struct wdmisr_ring_header *h;
	const struct wdmisr_event *rec;
	size_t len;
} ops_ring;

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

/* "  seq=S msg=M len=L data=HEX", with " dropped=D" before data if @dropped */
static void ops_print_record(const struct wdmisr_event *ev, bool dropped)
{
	int k;

	printf("  seq=%llu msg=%u len=%u ", (unsigned long long)ev->seq,
	       ev->msg, ev->len);
	if (dropped)
		printf("dropped=%llu ", (unsigned long long)ev->dropped);
	printf("data=");
	for (k = 0; k < ev->len && k < WDMISR_DATA_MAX; k++)
		printf("%02x", ev->data[k]);
	putchar('\n');
}

static void ops_read(int fd, uint64_t records)
{
	struct wdmisr_event *ev;
	ssize_t n;
	size_t i;

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
		for (i = 0; i < (size_t)n / sizeof(*ev); i++)
			ops_print_record(&ev[i], false);
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

static void ops_map(int fd)
{
	struct wdmisr_ring_header *h;
	void *rec;

	h = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 WDMISR_RING_HEADER_OFFSET);
	if (h == MAP_FAILED) {
		printf("map: header %s\n", wdmtest_errname(errno));
		return;
	}
	rec = mmap(NULL, h->records_len, PROT_READ, MAP_SHARED, fd,
		   (off_t)h->records_offset);
	if (rec == MAP_FAILED) {
		printf("map: records %s\n", wdmtest_errname(errno));
		munmap(h, 4096);
		return;
	}
	ops_ring.h = h;
	ops_ring.rec = rec;
	ops_ring.len = h->records_len;
	printf("map: 0\n  ring version=%u nrecords=%u record_size=%u head=%u tail=%u\n",
	       h->version, h->nrecords, h->record_size,
	       __atomic_load_n(&h->head, __ATOMIC_ACQUIRE), h->tail);
}

static void ops_need_map(void)
{
	if (!ops_ring.h)
		wdmtest_die("map the ring first");
}

static void ops_ring_take(uint64_t records)
{
	struct wdmisr_ring_header *h = ops_ring.h;
	uint32_t head, tail, n, i;

	ops_need_map();
	head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	tail = h->tail;
	n = head - tail;
	if (n > records)
		n = (uint32_t)records;
	printf("ring: %u record%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		ops_print_record(&ops_ring.rec[(tail + i) & (h->nrecords - 1)], true);
	__atomic_store_n(&h->tail, tail + n, __ATOMIC_RELEASE);
}

static void ops_tail(uint64_t v)
{
	ops_need_map();
	if (v > UINT32_MAX)
		ops_usage();
	__atomic_store_n(&ops_ring.h->tail, (uint32_t)v, __ATOMIC_RELEASE);
	printf("tail %llu\n", (unsigned long long)v);
}

static void ops_touch(void)
{
	const volatile uint8_t *p;
	size_t i, n = 0;

	ops_need_map();
	for (p = (const void *)ops_ring.h, i = 0; i < 4096; i++, n++)
		(void)p[i];
	for (p = (const void *)ops_ring.rec, i = 0; i < ops_ring.len; i++, n++)
		(void)p[i];
	printf("touch: %zu bytes\n", n);
}

static void ops_mprotect(void)
{
	ops_need_map();
	printf("mprotect: %s\n",
	       wdmtest_errname(mprotect((void *)ops_ring.rec, ops_ring.len,
					PROT_READ | PROT_WRITE) ? errno : 0));
}

/* mmap:PG:LEN:PROT:FLAGS */
static void ops_mmap(int fd, const char *arg)
{
	char prot_s[8], flags_s[8];
	unsigned long long pg, len;
	int prot, flags;
	void *m;

	if (sscanf(arg, "%llu:%llu:%7[a-z]:%7[a-z]", &pg, &len, prot_s, flags_s) != 4)
		ops_usage();
	if (!strcmp(prot_s, "r"))
		prot = PROT_READ;
	else if (!strcmp(prot_s, "w"))
		prot = PROT_WRITE;
	else if (!strcmp(prot_s, "rw"))
		prot = PROT_READ | PROT_WRITE;
	else if (!strcmp(prot_s, "none"))
		prot = PROT_NONE;
	else
		ops_usage();
	if (!strcmp(flags_s, "shared"))
		flags = MAP_SHARED;
	else if (!strcmp(flags_s, "private"))
		flags = MAP_PRIVATE;
	else
		ops_usage();
	m = mmap(NULL, len, prot, flags, fd, (off_t)(pg * 4096));
	printf("mmap %s: %s\n", arg, wdmtest_errname(m == MAP_FAILED ? errno : 0));
	if (m != MAP_FAILED)
		munmap(m, len);
}

static void ops_wait(const char *path)
{
	char buf[64];
	int fd;

	printf("wait %s\n", path);
	fflush(stdout);
	fd = wdmtest_open(path, O_RDONLY);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

int main(int argc, char **argv)
{
	const char *dev = OPS_DEFAULT_DEV;
	int flags = O_RDONLY, opt, fd, i;

	wdmtest_prog = "wdmisr-ops";
	while ((opt = getopt(argc, argv, "d:nwb")) != -1) {
		if (opt == 'd')
			dev = optarg;
		else if (opt == 'n')
			flags |= O_NONBLOCK;
		else if (opt == 'w')
			flags = (flags & ~O_ACCMODE) | O_WRONLY;
		else if (opt == 'b')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
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
		else if (!strcmp(op, "map"))
			ops_map(fd);
		else if (!strncmp(op, "ring", 4))
			ops_ring_take(ops_arg(op, 4, OPS_DEFAULT_RECORDS, false));
		else if (!strncmp(op, "tail", 4))
			ops_tail(ops_arg(op, 4, 0, true));
		else if (!strcmp(op, "touch"))
			ops_touch();
		else if (!strcmp(op, "mprotect"))
			ops_mprotect();
		else if (!strncmp(op, "mmap:", 5))
			ops_mmap(fd, op + 5);
		else if (!strncmp(op, "wait:", 5))
			ops_wait(op + 5);
		else
			ops_usage();
		/* In order with the output of anything else the test runs. */
		fflush(stdout);
	}
	/* Every file opened, open: ones too, closes at exit. */
	return 0;
}
