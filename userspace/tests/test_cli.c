// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the built wdmisr-read binary as a process: exit status, what
 * goes to stdout and stderr, and the WDMISR_SYSFS override; and of the man
 * page built next to it.
 */
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakesysfs.h"
#include "harness.h"
#include "wdmisr-read.h"

/* Outcome of one run of the binary. */
struct wt_proc {
	int status;	/* exit status, or 128 + signal */
	char *out;
	char *err;
};

static char *wt_slurp(FILE *f)
{
	char *buf;
	long len;

	fflush(f);
	len = ftell(f);
	buf = calloc(1, len + 1);
	rewind(f);
	if (len && fread(buf, 1, len, f) != (size_t)len)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

/* Run the binary on the NULL-terminated arguments; @sysfs sets WDMISR_SYSFS. */
static void run_bin(struct wt_proc *p, const char *sysfs, ...)
{
	const char *argv[16] = { wt_bin };
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 1, status;
	const char *arg;
	va_list ap;
	pid_t pid;

	va_start(ap, sysfs);
	while ((arg = va_arg(ap, const char *)) && argc < 15)
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		if (sysfs)
			setenv("WDMISR_SYSFS", sysfs, 1);
		else
			unsetenv("WDMISR_SYSFS");
		execv(wt_bin, (char **)argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	p->out = wt_slurp(out);
	p->err = wt_slurp(err);
}

static void proc_free(struct wt_proc *p)
{
	free(p->out);
	free(p->err);
}

static void t_version_help(void)
{
	struct wt_proc p;

	run_bin(&p, NULL, "--version", NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_STR(p.out, "wdmisr-read " WR_VERSION "\n");
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);

	run_bin(&p, NULL, "-h", NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_INT(strncmp(p.out, "Usage: wdmisr-read [OPTIONS] [DEVICE]\n", 38), 0);
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);
}

static void t_usage_error(void)
{
	struct wt_proc p;

	run_bin(&p, NULL, "--format", "xml", NULL);
	WT_EXPECT_INT(p.status, 2);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmisr-read: invalid format 'xml': expected text, json or summary\n"
			     "Try 'wdmisr-read --help' for more information.\n");
	proc_free(&p);
}

static void t_no_device(void)
{
	struct wt_proc p;

	run_bin(&p, NULL, "-d", "/nonexistent/wdmisr9", "-n", "1", NULL);
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmisr-read: /nonexistent/wdmisr9: No such file or directory (is wdmisr.ko loaded?)\n");
	proc_free(&p);

	run_bin(&p, NULL, "-d", "/dev/null", "--format", "summary", NULL);
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmisr-read: /dev/null: WDMISR_IOC_INFO: Inappropriate ioctl for device (not a wdmisr device?)\n");
	proc_free(&p);

	/* the node as the argument, options after it */
	run_bin(&p, NULL, "/dev/null", "--info", "--format", "json", NULL);
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmisr-read: /dev/null: WDMISR_IOC_INFO: Inappropriate ioctl for device (not a wdmisr device?)\n");
	proc_free(&p);

	run_bin(&p, NULL, "-d", "/dev/null", "/dev/zero", NULL);
	WT_EXPECT_INT(p.status, 2);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmisr-read: two devices given: -d '/dev/null' and '/dev/zero'\n"
			     "Try 'wdmisr-read --help' for more information.\n");
	proc_free(&p);
}

static void t_list_env(void)
{
	char *root = wt_sysfs_new();
	struct wt_pci_fn fn[256];
	char name[512], want[1024];
	struct wt_proc p;

	run_bin(&p, root, "--list", NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_STR(p.out, "no devices bound to wdmisr\n");
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);

	if (!wt_real_pci(fn, WT_ARRAY_SIZE(fn))) {
		wt_sysfs_free(root);
		wt_skip("no PCI functions on this machine");
		return;
	}
	/* a node number no real system has: its info stays unknown */
	wt_sysfs_bind(root, fn[0].bdf, "wdmisr");
	wt_sysfs_node(root, fn[0].bdf, "wdmisr917");
	run_bin(&p, root, "--list", NULL);
	wt_pci_name(&fn[0], name, sizeof(name));
	snprintf(want, sizeof(want),
		 "bdf           node            irq     vectors  name\n"
		 "%-12s  /dev/wdmisr917  -             -  %s\n", fn[0].bdf, name);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_STR(p.out, want);
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);
	wt_sysfs_free(root);
}

static void t_list_not_loaded(void)
{
	char *root = wt_sysfs_new();
	struct wt_proc p;
	char want[512];

	wt_sysfs_unload(root);
	snprintf(want, sizeof(want),
		 "wdmisr-read: --list: wdmisr.ko is not loaded (no %s/module/wdmisr)\n",
		 root);
	run_bin(&p, root, "--list", NULL);
	WT_EXPECT_INT(p.status, 4);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, want);
	proc_free(&p);

	run_bin(&p, root, "--list", "--format", "json", NULL);
	WT_EXPECT_INT(p.status, 4);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, want);
	proc_free(&p);
	wt_sysfs_free(root);
}

/* The man page next to the binary: NULL if it cannot be read. */
static char *read_man(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", wt_bin);
	snprintf(path, sizeof(path), "%s/wdmisr-read.1", dirname(dir));
	f = fopen(path, "r");
	if (!f) {
		printf("# %s: cannot be read\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	return wt_slurp(f);
}

static void t_man_page(void)
{
	static const char *const opts[] = {
		"\\-\\-device", "\\-\\-count", "\\-\\-num\\-events",
		"\\-\\-timeout", "\\-\\-format", "\\-\\-follow",
		"\\-\\-trigger\n", "\\-\\-trigger\\-vector",
		"\\-\\-trigger\\-value", "\\-\\-no\\-mmap", "\\-\\-stats",
		"\\-\\-reset\\-stats", "\\-\\-info", "\\-\\-list",
		"\\-\\-help", "\\-\\-version",
	};
	char *man = read_man(), want[128], name[WR_FLAGS_BUF];
	unsigned int bit, named = 0;
	size_t i;
	int code;

	WT_ASSERT_TRUE(man != NULL);
	/* the version --version prints, and nothing left to fill in */
	WT_EXPECT_TRUE(strstr(man, "\n.TH WDMISR-READ 1 \"") != NULL);
	WT_EXPECT_TRUE(strstr(man, "\" \"wdmisr " WR_VERSION "\" \"User Commands\"\n") != NULL);
	WT_EXPECT_TRUE(strchr(man, '@') == NULL);
	/* every flag bit the tool names, with its value */
	for (bit = 0; bit < 16; bit++) {
		wr_format_flags(name, sizeof(name), 1U << bit);
		if (!strncmp(name, "0x", 2))
			continue;
		named++;
		snprintf(want, sizeof(want), "\n.BR %s \" (0x%04x)\"\n", name, 1U << bit);
		if (!WT_EXPECT_TRUE(strstr(man, want) != NULL))
			printf("#   no %s", want + 1);
	}
	WT_EXPECT_INT(named, 5);
	/* every exit status */
	for (code = WR_EXIT_OK; code <= WR_EXIT_NO_DRIVER; code++) {
		snprintf(want, sizeof(want), "\n.TP\n.B %d\n", code);
		if (!WT_EXPECT_TRUE(strstr(strstr(man, ".SH EXIT STATUS"), want) != NULL))
			printf("#   no exit status %d\n", code);
	}
	/* every long option */
	for (i = 0; i < WT_ARRAY_SIZE(opts); i++)
		if (!WT_EXPECT_TRUE(strstr(man, opts[i]) != NULL))
			printf("#   no %s\n", opts[i]);
	free(man);
}

WT_SUITE(wt_cli_suite,
	{ "cli: --version and -h", t_version_help },
	{ "cli: usage error exits 2", t_usage_error },
	{ "cli: missing node and non-wdmisr node exit 1, two nodes exit 2", t_no_device },
	{ "cli: --list honours WDMISR_SYSFS", t_list_env },
	{ "cli: --list without wdmisr.ko says so and exits 4", t_list_not_loaded },
	{ "cli: the man page: version, flag bits, exit status, options", t_man_page },
);
