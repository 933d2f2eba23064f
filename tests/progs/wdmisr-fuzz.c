// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-fuzz: random ioctl commands and arguments, and random mappings of
 * the event ring, on one /dev/wdmisrN (open O_RDWR | O_NONBLOCK), each
 * result checked against the errnos the ABI documents for that command
 * (include/uapi/wdmisr.h, README "The /dev ABI"):
 *
 *   WDMISR_IOC_INFO, _STATS   0, EFAULT (a bad pointer), ENOMEM (STATS)
 *   WDMISR_IOC_RESET_STATS    0 (it takes no argument)
 *   WDMISR_IOC_TRIGGER        0, EFAULT, EINVAL (no such vector, edu value 0),
 *                             EOPNOTSUPP (generic); EPERM alone without
 *                             CAP_SYS_ADMIN
 *   any other command         ENOTTY
 *   mmap                      one in 8 calls: a random page offset (mostly
 *                             the header's or the records'), length (mostly
 *                             theirs), PROT_READ/PROT_WRITE subset, shared
 *                             or private: 0, EINVAL or EACCES. A mapping
 *                             made is read through, then
 *   mremap                    grown: EFAULT (it cannot grow)
 *   mprotect                  made read-write: 0 for the header, EACCES for
 *                             the records
 *   ring read                 a writable header gets a random consumer index
 *                             (any value, or near head), then read() into
 *                             a good buffer: whole records, EAGAIN or EIO
 *                             (index out of range), and poll() returns
 *                             (the kernel must stay whole whatever the
 *                             index says)
 *
 * ENODEV (device removed) and EINTR (a signal) cannot happen in a run and
 * count as failures. Commands the VFS answers before the driver sees them
 * (FIOCLEX, FIONBIO, FIFREEZE, FS_IOC_*, FICLONE, FIBMAP, ...: ioctl types
 * 'T' 0x21/0x50-0x52/0x60, 'X', 'f', 0x94, 0x15 and the numbers 1 and 2)
 * are never generated: their errnos are not the driver's.
 *
 * Every successful INFO and STATS into a buffer filled with 0xA5 is checked
 * too: reserved fields and the bytes after the bdf string are 0, the
 * statistics of unused vectors are 0, and nothing was written past the
 * structure.
 *
 * Usage: wdmisr-fuzz [-d NODE] [-n CALLS] [-s SEED]
 * Prints the seed, then one line per command with the count of each result,
 * and "fuzz calls=N undocumented=U"; exits 1 if U > 0 or a check failed.
 * The seed (default 0x5eed) makes a run repeatable.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <poll.h>
#include <sys/mman.h>

#include "wdmtest.h"

#define NERRNO		160		/* errno values tallied; above: "other" */
#define BUF_SIZE	(2 * 4096)
#define CANARY		0xa5

enum cmd_class {
	C_INFO, C_STATS, C_RESET, C_TRIGGER, C_OTHER,
	C_MMAP, C_MREMAP, C_MPROTECT, C_RING_READ, NCLASS
};

static const char *const class_name[NCLASS] = {
	"INFO", "STATS", "RESET_STATS", "TRIGGER", "other",
	"mmap", "mremap", "mprotect", "ring_read",
};

struct fuzz {
	uint64_t rng;
	int fd;
	bool privileged;
	uint8_t *buf;		/* BUF_SIZE bytes, then a PROT_NONE page */
	uint8_t *ro;		/* a read-only page */
	void *unmapped;		/* a page that was unmapped */
	size_t records_len;	/* the ring's records mapping, from INFO */
	uint64_t count[NCLASS][NERRNO + 1];
	uint64_t calls, undocumented, bad_output;
};

/* ---- commands ---- */

static const unsigned long valid_cmds[] = {
	WDMISR_IOC_INFO, WDMISR_IOC_STATS, WDMISR_IOC_RESET_STATS, WDMISR_IOC_TRIGGER,
};

/* Answered by the VFS (fs/ioctl.c do_vfs_ioctl) or for a tty: never sent. */
static bool vfs_cmd(unsigned long cmd)
{
	unsigned int type = _IOC_TYPE(cmd), nr = _IOC_NR(cmd);

	if (cmd == 1 || cmd == 2)		/* FIBMAP, FIGETBSZ */
		return true;
	if (type == 'T')
		return nr == 0x21 || (nr >= 0x50 && nr <= 0x52) || nr == 0x60;
	return type == 'X' || type == 'f' || type == 0x94 || type == 0x15;
}

static unsigned long random_cmd(struct fuzz *f)
{
	uint64_t r = wdmtest_rand(&f->rng);
	unsigned long cmd;

	do {
		switch (r % 4) {
		case 0:		/* a valid command */
			cmd = valid_cmds[(r >> 8) % 4];
			break;
		case 1:		/* the driver's magic, any number, size and direction */
			cmd = _IOC((r >> 8) & 3, WDMISR_IOC_MAGIC, (r >> 16) & 0xff,
				   (r >> 24) & _IOC_SIZEMASK);
			break;
		case 2:		/* a valid command with one bit flipped */
			cmd = valid_cmds[(r >> 8) % 4] ^ (1UL << ((r >> 16) % 32));
			break;
		default:	/* anything */
			cmd = (uint32_t)(r >> 32);
			break;
		}
		r = wdmtest_rand(&f->rng);
	} while (vfs_cmd(cmd));
	return cmd;
}

static enum cmd_class classify(unsigned long cmd)
{
	switch (cmd) {
	case WDMISR_IOC_INFO: return C_INFO;
	case WDMISR_IOC_STATS: return C_STATS;
	case WDMISR_IOC_RESET_STATS: return C_RESET;
	case WDMISR_IOC_TRIGGER: return C_TRIGGER;
	}
	return C_OTHER;
}

/* ---- arguments ---- */

/* Random bytes at @p, as a trigger structure: mostly vector 0 and value 1. */
static void fill_trigger(struct fuzz *f, uint8_t *p)
{
	struct wdmisr_trigger t;
	uint64_t r = wdmtest_rand(&f->rng);

	t.vector = r & 1 ? 0 : (uint32_t)(r >> 8) % 80;
	t.value = r & 2 ? 1 : (uint32_t)(r >> 32);
	memcpy(p, &t, sizeof(t));
}

/*
 * A random argument. *checkable is set when it is the start of the buffer,
 * filled with CANARY (INFO and STATS output can then be checked).
 */
static unsigned long random_arg(struct fuzz *f, bool *checkable)
{
	uint64_t r = wdmtest_rand(&f->rng);
	size_t off;

	*checkable = false;
	switch (r % 10) {
	case 0: return 0;					/* NULL */
	case 1: return (unsigned long)f->unmapped;
	case 2: return 0xffff888000000000UL + (r >> 16 & 0xfff000);	/* kernel */
	case 3: return (unsigned long)f->ro;			/* read-only */
	case 4:							/* straddles */
		off = BUF_SIZE - 1 - (r >> 8) % sizeof(struct wdmisr_info);
		return (unsigned long)(f->buf + off);
	case 5: return (unsigned long)(r >> 16);			/* anything */
	case 6: return (r >> 8) % 4096;				/* small */
	case 7:							/* misaligned */
		fill_trigger(f, f->buf + 1);
		return (unsigned long)(f->buf + 1);
	default:						/* good */
		memset(f->buf, CANARY, BUF_SIZE);
		fill_trigger(f, f->buf);
		*checkable = true;
		return (unsigned long)f->buf;
	}
}

/* ---- checks ---- */

static bool documented(const struct fuzz *f, enum cmd_class c, int err)
{
	switch (c) {
	case C_MMAP: return !err || err == EINVAL || err == EACCES;
	case C_MREMAP: return err == EFAULT;
	case C_MPROTECT: return !err || err == EACCES;
	case C_RING_READ: return !err || err == EAGAIN || err == EIO;
	case C_INFO: return !err || err == EFAULT;
	case C_STATS: return !err || err == EFAULT || err == ENOMEM;
	case C_RESET: return !err;
	case C_TRIGGER:
		if (!f->privileged)
			return err == EPERM;
		return !err || err == EFAULT || err == EINVAL || err == EOPNOTSUPP;
	default: return err == ENOTTY;
	}
}

static bool all_equal(const uint8_t *p, size_t n, uint8_t v)
{
	while (n--)
		if (*p++ != v)
			return false;
	return true;
}

/* The output of a successful INFO or STATS in the canary-filled buffer. */
static bool output_ok(const uint8_t *b, enum cmd_class c)
{
	const struct wdmisr_info *info = (const void *)b;
	const struct wdmisr_stats *st = (const void *)b;
	size_t n;

	if (c == C_INFO) {
		n = strnlen(info->bdf, sizeof(info->bdf));
		return info->abi_version == WDMISR_ABI_VERSION && info->flags == WDMISR_INFO_RING &&
		       info->record_size == sizeof(struct wdmisr_event) &&
		       n < sizeof(info->bdf) &&
		       all_equal((const uint8_t *)info->bdf + n, sizeof(info->bdf) - n, 0) &&
		       all_equal(b + sizeof(*info), BUF_SIZE - sizeof(*info), CANARY);
	}
	if (c != C_STATS)
		return true;
	n = st->nvectors <= WDMISR_MAX_VECTORS ? st->nvectors : WDMISR_MAX_VECTORS;
	return st->nvectors >= 1 && st->nvectors <= WDMISR_MAX_VECTORS && !st->reserved &&
	       all_equal((const uint8_t *)&st->v[n], sizeof(st->v[0]) * (WDMISR_MAX_VECTORS - n), 0) &&
	       all_equal(b + sizeof(*st), BUF_SIZE - sizeof(*st), CANARY);
}

/* Tally @err for class @c; false (and a message) if it is not documented. */
static bool tally(struct fuzz *f, enum cmd_class c, int err, const char *what)
{
	f->count[c][err < NERRNO ? err : NERRNO]++;
	if (documented(f, c, err))
		return true;
	if (f->undocumented++ < 10)
		printf("# undocumented: %s (%s): %s\n", what, class_name[c],
		       wdmtest_errname(err));
	return false;
}

/*
 * A random consumer index in a writable header, then read() and poll():
 * whatever it says, read() returns whole records or a documented errno.
 */
static void ring_scribble(struct fuzz *f, struct wdmisr_ring_header *h)
{
	uint64_t r = wdmtest_rand(&f->rng);
	uint32_t head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	char what[64];
	ssize_t n;

	switch (r % 4) {
	case 0: h->tail = (uint32_t)(r >> 32); break;		/* anything */
	case 1: h->tail = head - (uint32_t)(r >> 8) % 40; break;	/* just behind head */
	case 2: h->tail = head + (uint32_t)(r >> 8) % 40; break;	/* past head */
	default: h->tail = head; break;				/* empty */
	}
	snprintf(what, sizeof(what), "read() with head %u tail %u", head, h->tail);
	n = read(f->fd, f->buf, BUF_SIZE);
	if (tally(f, C_RING_READ, n < 0 ? errno : 0, what) && n >= 0 &&
	    (n == 0 || n % sizeof(struct wdmisr_event)) && f->bad_output++ < 10)
		printf("# %s returned %zd bytes, not whole records\n", what, n);
	if (poll(&p, 1, 0) < 0 && f->bad_output++ < 10)
		printf("# poll() after %s: %s\n", what, wdmtest_errname(errno));
}

/* A random mmap() of the node, and what is done with a mapping made. */
static void mmap_call(struct fuzz *f)
{
	static const size_t page = 4096;
	uint64_t r = wdmtest_rand(&f->rng), r2 = wdmtest_rand(&f->rng);
	size_t len, pg;
	int prot, flags, err;
	char what[96];
	void *m, *m2;

	pg = r % 8 < 6 ? r % 2 : (r >> 8) % 64;
	switch ((r >> 16) % 6) {
	case 0: len = page; break;
	case 1: case 2: len = pg ? f->records_len : page; break;
	case 3: len = 0; break;
	case 4: len = f->records_len + page; break;
	default: len = (r2 >> 8) % (4 * f->records_len) + 1; break;
	}
	prot = (r >> 24) % 4 == 0 ? PROT_NONE : (r >> 24) % 4 == 1 ? PROT_READ :
	       (r >> 24) % 4 == 2 ? PROT_WRITE : PROT_READ | PROT_WRITE;
	flags = (r >> 32) % 4 ? MAP_SHARED : MAP_PRIVATE;
	snprintf(what, sizeof(what), "mmap page %zu len %zu prot %d %s", pg, len, prot,
		 flags == MAP_SHARED ? "shared" : "private");
	m = mmap(NULL, len, prot, flags, f->fd, (off_t)(pg * page));
	err = m == MAP_FAILED ? errno : 0;
	if (!tally(f, C_MMAP, err, what) || err)
		return;

	/* Made: it is the header or the records, shared, of their length. */
	if (prot & PROT_READ) {
		const volatile uint8_t *p = m;
		size_t i;

		for (i = 0; i < len; i += 64)
			(void)p[i];
	}
	m2 = mremap(m, len, len + page, MREMAP_MAYMOVE);
	if (m2 != MAP_FAILED) {
		m = m2;
		len += page;
	}
	tally(f, C_MREMAP, m2 == MAP_FAILED ? errno : 0, what);
	err = mprotect(m, len, PROT_READ | PROT_WRITE) ? errno : 0;
	if (tally(f, C_MPROTECT, err, what) && !err != !pg && f->bad_output++ < 10)
		printf("# %s: mprotect read-write gave %s\n", what, wdmtest_errname(err));
	if (!pg && !err)
		ring_scribble(f, m);
	munmap(m, len);
}

static void one_call(struct fuzz *f)
{
	unsigned long cmd = random_cmd(f);
	enum cmd_class c = classify(cmd);
	bool checkable;
	unsigned long arg;
	int err;

	if (f->records_len && wdmtest_rand(&f->rng) % 8 == 0) {
		f->calls++;
		mmap_call(f);
		return;
	}
	arg = random_arg(f, &checkable);
	err = ioctl(f->fd, cmd, arg) ? errno : 0;

	f->calls++;
	f->count[c][err < NERRNO ? err : NERRNO]++;
	if (!documented(f, c, err)) {
		if (f->undocumented++ < 10)
			printf("# undocumented: cmd 0x%08lx (%s) arg 0x%lx: %s\n", cmd,
			       class_name[c], arg, wdmtest_errname(err));
	} else if (!err && checkable && !output_ok(f->buf, c)) {
		if (f->bad_output++ < 10)
			printf("# cmd %s: reserved, padding or bytes past the structure not as expected\n",
			       class_name[c]);
	}
}

/* ---- set-up and report ---- */

static void map_pages(struct fuzz *f)
{
	uint8_t *m = mmap(NULL, BUF_SIZE + 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		wdmtest_die("mmap: %s", strerror(errno));
	f->buf = m;
	f->ro = m + BUF_SIZE + 4096;
	f->unmapped = m + BUF_SIZE + 2 * 4096;
	if (mprotect(m + BUF_SIZE, 4096, PROT_NONE) ||
	    mprotect(f->ro, 4096, PROT_READ) || munmap(f->unmapped, 4096))
		wdmtest_die("mprotect: %s", strerror(errno));
}

/* The records' mapping length, if the node has an event ring. */
static void ring_setup(struct fuzz *f)
{
	struct wdmisr_info info;

	if (ioctl(f->fd, WDMISR_IOC_INFO, &info))
		wdmtest_die("WDMISR_IOC_INFO: %s", strerror(errno));
	if (info.flags & WDMISR_INFO_RING)
		f->records_len = ((size_t)info.queue_len * info.record_size + 4095) & ~(size_t)4095;
}

/* Leave the ring as a reader would: consumer index at head. */
static void ring_restore(struct fuzz *f)
{
	struct wdmisr_ring_header *h;

	if (!f->records_len)
		return;
	h = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	if (h == MAP_FAILED)
		wdmtest_die("mmap of the ring header: %s", strerror(errno));
	h->tail = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	munmap(h, 4096);
}

static void report(const struct fuzz *f)
{
	uint64_t total[NERRNO + 1] = { 0 };
	int c, e;

	for (c = 0; c < NCLASS; c++) {
		printf("fuzz cmd=%s", class_name[c]);
		for (e = 0; e <= NERRNO; e++) {
			if (!f->count[c][e])
				continue;
			total[e] += f->count[c][e];
			printf(" %s=%" PRIu64, e < NERRNO ? wdmtest_errname(e) : "other",
			       f->count[c][e]);
		}
		printf("\n");
	}
	printf("fuzz errnos");
	for (e = 0; e <= NERRNO; e++)
		if (total[e])
			printf(" %s=%" PRIu64, e < NERRNO ? wdmtest_errname(e) : "other", total[e]);
	printf("\nfuzz calls=%" PRIu64 " undocumented=%" PRIu64 " bad_output=%" PRIu64 "\n",
	       f->calls, f->undocumented, f->bad_output);
}

int main(int argc, char **argv)
{
	static struct fuzz f;
	const char *node = "/dev/wdmisr0";
	uint64_t seed = 0x5eed, n = 100000, i;
	int c;

	wdmtest_prog = "wdmisr-fuzz";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "d:n:s:h")) != -1) {
		switch (c) {
		case 'd': node = optarg; break;
		case 'n': n = wdmtest_number("-n", optarg); break;
		case 's': seed = wdmtest_number("-s", optarg); break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"Usage: wdmisr-fuzz [-d NODE] [-n CALLS] [-s SEED]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	f.rng = seed ? seed : 1;
	f.fd = wdmtest_open(node, O_RDWR | O_NONBLOCK);
	ring_setup(&f);
	f.privileged = geteuid() == 0;
	map_pages(&f);
	printf("fuzz node=%s seed=0x%" PRIx64 " calls=%" PRIu64 " uid=%u\n", node, seed, n,
	       (unsigned int)geteuid());
	for (i = 0; i < n; i++)
		one_call(&f);
	ring_restore(&f);
	report(&f);
	close(f.fd);
	return f.undocumented || f.bad_output;
}
