// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-uffd: one call on a wdmisr node that copies to or from a buffer
 * whose pages are missing and registered with userfaultfd, with nobody
 * reading the userfaultfd: the kernel's copy_to_user() or copy_from_user()
 * waits in the fault (handle_userfault) until the process is killed, as a
 * reader of a buffer backed by a stuck FUSE file or a hostile userfaultfd
 * handler would. tests/cases/edu-unbind-uffd.sh unbinds the device while
 * the call waits.
 *
 * Usage: wdmisr-uffd [-d NODE] OP     (default NODE /dev/wdmisr0)
 *        wdmisr-uffd -c
 * OP, on an edu node:
 *   read      raise one interrupt and wait until its ISR has queued the
 *             event (tests/progs/wdmtest.h), then read() one record into
 *             the buffer
 *   stats     WDMISR_IOC_STATS into the buffer
 *   info      WDMISR_IOC_INFO into the buffer
 *   trigger   WDMISR_IOC_TRIGGER with the struct read from the buffer
 * It prints "OP: waiting" just before the call and, should the call ever
 * return, "OP: RESULT" (a byte count, 0 or the errno's name).
 * -c only checks that userfaultfd catches the kernel's faults here.
 *
 * The userfaultfd is not UFFD_USER_MODE_ONLY, since the faults to catch
 * are the kernel's own: that takes CAP_SYS_PTRACE (the guest runs as root)
 * or vm.unprivileged_userfaultfd = 1.
 *
 * Exit status: 0 once the call returned (or -c found userfaultfd usable),
 * 1 on an error before the call, 2 for a usage error, 3 if userfaultfd
 * cannot be used here (the kernel has no CONFIG_USERFAULTFD, or no
 * privilege): the message on stderr says which.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#include "wdmtest.h"

#define UFFD_DEFAULT_DEV	"/dev/wdmisr0"
/* Room for the largest argument, struct wdmisr_stats, in whole pages. */
#define UFFD_LEN		(((sizeof(struct wdmisr_stats) + 4095) / 4096) * 4096)

static void __attribute__((noreturn)) uffd_usage(void)
{
	fprintf(stderr, "usage: %s [-d NODE] read|stats|info|trigger\n"
		"       %s -c\n", wdmtest_prog, wdmtest_prog);
	exit(2);
}

/*
 * UFFD_LEN bytes of anonymous memory, not one page of it present, with
 * missing-page faults going to a userfaultfd that stays open and that
 * nobody reads. Exits with 3 if userfaultfd is unusable.
 */
static void *uffd_buffer(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	void *buf;
	int uffd;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		fprintf(stderr, "%s: userfaultfd: %s (%s)\n", wdmtest_prog,
			wdmtest_errname(errno), strerror(errno));
		exit(3);
	}
	if (ioctl(uffd, UFFDIO_API, &api))
		wdmtest_die("UFFDIO_API: %s", strerror(errno));
	buf = mmap(NULL, UFFD_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		wdmtest_die("mmap: %s", strerror(errno));
	reg.range.start = (uintptr_t)buf;
	reg.range.len = UFFD_LEN;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		wdmtest_die("UFFDIO_REGISTER: %s", strerror(errno));
	return buf;
}

int main(int argc, char **argv)
{
	const char *dev = UFFD_DEFAULT_DEV;
	bool check = false;
	const char *op;
	long ret;
	void *buf;
	int opt, fd;

	wdmtest_prog = "wdmisr-uffd";
	while ((opt = getopt(argc, argv, "cd:")) != -1) {
		if (opt == 'c')
			check = true;
		else if (opt == 'd')
			dev = optarg;
		else
			uffd_usage();
	}
	if (check) {
		if (optind != argc)
			uffd_usage();
		uffd_buffer();
		return 0;
	}
	if (optind + 1 != argc)
		uffd_usage();
	op = argv[optind];
	if (strcmp(op, "read") && strcmp(op, "stats") && strcmp(op, "info") &&
	    strcmp(op, "trigger"))
		uffd_usage();

	buf = uffd_buffer();
	fd = wdmtest_open(dev, O_RDONLY);
	if (!strcmp(op, "read"))
		wdmtest_raise_paced(fd, dev, 1);
	printf("%s: waiting\n", op);
	fflush(stdout);

	if (!strcmp(op, "read"))
		ret = read(fd, buf, sizeof(struct wdmisr_event));
	else if (!strcmp(op, "stats"))
		ret = ioctl(fd, WDMISR_IOC_STATS, buf);
	else if (!strcmp(op, "info"))
		ret = ioctl(fd, WDMISR_IOC_INFO, buf);
	else
		ret = ioctl(fd, WDMISR_IOC_TRIGGER, buf);
	if (ret < 0)
		printf("%s: %s\n", op, wdmtest_errname(errno));
	else
		printf("%s: %ld\n", op, ret);
	return 0;
}
