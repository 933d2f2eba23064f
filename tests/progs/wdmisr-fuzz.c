// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-fuzz: random ioctl commands and arguments on one /dev/wdmisrN,
 * each result checked against the errnos the ABI documents for that
 * command (include/uapi/wdmisr.h, README "The /dev ABI"):
 *
 *   WDMISR_IOC_INFO, _STATS   0, EFAULT (a bad pointer), ENOMEM (STATS)
 *   WDMISR_IOC_RESET_STATS    0 (it takes no argument)
 *   WDMISR_IOC_TRIGGER        0, EFAULT, EINVAL (no such vector, edu value 0),
 *                             EOPNOTSUPP (generic); EPERM alone without
 *                             CAP_SYS_ADMIN
 *   any other command         ENOTTY
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
#include <sys/mman.h>

#include "wdmtest.h"

#define NERRNO		160		/* errno values tallied; above: "other" */
#define BUF_SIZE	(2 * 4096)
#define CANARY		0xa5

enum cmd_class { C_INFO, C_STATS, C_RESET, C_TRIGGER, C_OTHER, NCLASS };

static const char *const class_name[NCLASS] = {
	"INFO", "STATS", "RESET_STATS", "TRIGGER", "other",
};

struct fuzz {
	uint64_t rng;
	int fd;
	bool privileged;
	uint8_t *buf;		/* BUF_SIZE bytes, then a PROT_NONE page */
	uint8_t *ro;		/* a read-only page */
	void *unmapped;		/* a page that was unmapped */
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
		return info->abi_version == WDMISR_ABI_VERSION && !info->reserved &&
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

static void one_call(struct fuzz *f)
{
	unsigned long cmd = random_cmd(f);
	enum cmd_class c = classify(cmd);
	bool checkable;
	unsigned long arg = random_arg(f, &checkable);
	int err = ioctl(f->fd, cmd, arg) ? errno : 0;

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
	f.fd = wdmtest_open(node, O_RDONLY);
	f.privileged = geteuid() == 0;
	map_pages(&f);
	printf("fuzz node=%s seed=0x%" PRIx64 " calls=%" PRIu64 " uid=%u\n", node, seed, n,
	       (unsigned int)geteuid());
	for (i = 0; i < n; i++)
		one_call(&f);
	report(&f);
	close(f.fd);
	return f.undocumented || f.bad_output;
}
