// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the built wdmstat binary as a process: exit status and messages
 * against fixture trees, SIGINT and SIGTERM ending --watch, and the man page
 * built next to it. The binary is the one next to wdmisr-read.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fakesysfs.h"
#include "fakewdm.h"
#include "harness.h"
#include "wdmstat.h"

/* @file next to the wdmisr-read binary. */
static void bin_dir_file(char *buf, size_t size, const char *file)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", wt_bin);
	snprintf(buf, size, "%s/%s", dirname(dir), file);
}

static char *slurp(FILE *f)
{
	char *buf;
	long len;

	fflush(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	buf = calloc(1, len + 1);
	rewind(f);
	if (len && fread(buf, 1, len, f) != (size_t)len)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

struct ws_proc {
	int status;	/* exit status, or 128 + signal */
	char *out;
	char *err;
};

/* The user "nobody": the run as someone other than root. */
#define NOBODY	65534

/* Start wdmstat, as NOBODY if @drop. */
static pid_t spawn_as(bool drop, int out_fd, int err_fd, const char *const *argv)
{
	char bin[PATH_MAX];
	pid_t pid;

	bin_dir_file(bin, sizeof(bin), "wdmstat");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		if (drop && (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
			_exit(126);
		execv(bin, (char **)argv);
		_exit(127);
	}
	return pid;
}

static pid_t spawn(int out_fd, int err_fd, const char *const *argv)
{
	return spawn_as(false, out_fd, err_fd, argv);
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run wdmstat on the arguments in @ap, as NOBODY if @drop. */
static void run_stat_ap(struct ws_proc *p, bool drop, va_list ap)
{
	const char *argv[16] = { "wdmstat" };
	FILE *out = tmpfile(), *err = tmpfile();
	const char *arg;
	int argc = 1, status;

	while ((arg = va_arg(ap, const char *)) && argc < 15)
		argv[argc++] = arg;
	argv[argc] = NULL;
	waitpid(spawn_as(drop, fileno(out), fileno(err), argv), &status, 0);
	p->status = exit_status(status);
	p->out = slurp(out);
	p->err = slurp(err);
}

/* Run wdmstat on the NULL-terminated arguments. */
static void run_stat(struct ws_proc *p, ...)
{
	va_list ap;

	va_start(ap, p);
	run_stat_ap(p, false, ap);
	va_end(ap);
}

/* The same, as NOBODY if @drop. */
static void run_stat_as(struct ws_proc *p, bool drop, ...)
{
	va_list ap;

	va_start(ap, drop);
	run_stat_ap(p, drop, ap);
	va_end(ap);
}

static void proc_free(struct ws_proc *p)
{
	free(p->out);
	free(p->err);
}

static void t_version_help(void)
{
	struct ws_proc p;

	run_stat(&p, "--version", NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_STR(p.out, "wdmstat " WR_VERSION "\n");
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);
	run_stat(&p, "-h", NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_INT(strncmp(p.out, "Usage: wdmstat [OPTIONS]\n", 25), 0);
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);
}

static void t_exit_codes(void)
{
	static const struct wt_wdm_stats st = {
		.name = "wdm-msi[0](0000:00:03.0)", .irq = 24, .isr = "I [m]",
		.dpc = "-", .isr_calls = 1, .isr_true = 1, .isr_max_ns = 1500,
	};
	char *base = wt_wdm_new(), root[PATH_MAX], want[PATH_MAX * 2];
	struct ws_proc p;

	wt_wdm_path(root, sizeof(root), base, "");
	wt_wdm_obj(base, "24-wdm-msi[0](0000:00:03.0)", &st, "10=1", "", "");
	run_stat(&p, "--root", root, NULL);
	WT_EXPECT_INT(p.status, 0);
	WT_EXPECT_STR(p.out,
		      "   kind  routine  interrupt                 irq  count  true  false       p50       p99     max  lat_p50  lat_p99  lat_max\n"
		      "*  ISR   I [m]    wdm-msi[0](0000:00:03.0)   24      1     1      0  <=2.0 us  <=2.0 us  1.5 us        -        -        -\n");
	WT_EXPECT_STR(p.err, "");
	proc_free(&p);

	run_stat(&p, "--root", "/nonexistent/wdm", NULL);
	WT_EXPECT_INT(p.status, 4);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, "wdmstat: /nonexistent/wdm: No such file or directory (wdm.ko is not loaded: modprobe wdm)\n");
	proc_free(&p);

	run_stat(&p, "--watch", "x", NULL);
	WT_EXPECT_INT(p.status, 2);
	WT_EXPECT_STR(p.err, "wdmstat: invalid interval 'x': expected 0.01 to 86400 seconds\n"
			     "Try 'wdmstat --help' for more information.\n");
	proc_free(&p);

	wt_wdm_write(base, "interrupts/24-wdm-msi[0](0000:00:03.0)/histograms", "isr_ns 1\n");
	run_stat(&p, "--root", root, "--json", NULL);
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.out, "");
	snprintf(want, sizeof(want),
		 "wdmstat: %s/interrupts/24-wdm-msi[0](0000:00:03.0)/histograms:1: isr_ns: 1 counts, expected 32\n",
		 root);
	WT_EXPECT_STR(p.err, want);
	proc_free(&p);
	wt_sysfs_free(base);
}

/*
 * A tree the tool may not enter: as root, run it as nobody (the tree is
 * mode 0700, root's); otherwise take the permission away from debug/.
 */
static void t_permission(void)
{
	char *base = wt_wdm_new(), root[PATH_MAX], dir[PATH_MAX], want[PATH_MAX * 2];
	bool drop = geteuid() == 0;
	struct ws_proc p;

	wt_wdm_path(root, sizeof(root), base, "");
	snprintf(dir, sizeof(dir), "%s/debug", base);
	chmod(base, 0700);
	if (!drop)
		chmod(dir, 0);
	snprintf(want, sizeof(want),
		 "wdmstat: %s: Permission denied (debugfs is for root only: run as root)\n", root);
	run_stat_as(&p, drop, "--root", root, NULL);
	if (drop && p.status == 127) {	/* the binary is in a tree closed to nobody */
		proc_free(&p);
		wt_sysfs_free(base);
		wt_skip("nobody cannot run the binary from here");
		return;
	}
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.out, "");
	WT_EXPECT_STR(p.err, want);
	proc_free(&p);
	run_stat_as(&p, drop, "--root", root, "--reset", NULL);
	WT_EXPECT_INT(p.status, 1);
	WT_EXPECT_STR(p.err, want);
	proc_free(&p);
	chmod(dir, 0755);
	wt_sysfs_free(base);
}

/* Wait up to 10 s for @pid; its exit status, or -1 (then it is killed). */
static int wait_exit(pid_t pid)
{
	struct timespec tick = { 0, 10000000 };
	int status, i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return exit_status(status);
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* --watch with a long interval: @sig after the first table ends it, status 0. */
static void watch_signal(int sig)
{
	const char *argv[] = { "wdmstat", "--root", NULL, "--watch", "3600", NULL };
	char *base = wt_wdm_new(), root[PATH_MAX], buf[4096] = "";
	size_t len = 0;
	int fd[2], null;
	ssize_t n;
	pid_t pid;

	wt_wdm_path(root, sizeof(root), base, "");
	argv[2] = root;
	if (pipe(fd) || (null = open("/dev/null", O_WRONLY)) < 0) {
		WT_EXPECT_INT(errno, 0);
		wt_sysfs_free(base);
		return;
	}
	pid = spawn(fd[1], null, argv);
	close(fd[1]);
	close(null);
	/* the first frame: its title, the empty table's line, an empty line */
	while (len < sizeof(buf) - 1 && !strstr(buf, "\n\n")) {
		n = read(fd[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
	}
	WT_EXPECT_TRUE(strstr(buf, "refresh 1, every 3600 s\n") != NULL);
	kill(pid, sig);
	WT_EXPECT_INT(wait_exit(pid), 0);
	close(fd[0]);
	wt_sysfs_free(base);
}

static void t_watch_sigint(void)
{
	watch_signal(SIGINT);
}

static void t_watch_sigterm(void)
{
	watch_signal(SIGTERM);
}

static void t_man_page(void)
{
	static const char *const opts[] = {
		"\\-\\-root", "\\-\\-watch", "\\-\\-count", "\\-\\-json",
		"\\-\\-reset", "\\-\\-help", "\\-\\-version", ".SH PERCENTILES",
		"p50 is\n.B <=2.0 us\n", "p99 is\n.B <=32.8 us\n",
	};
	char path[PATH_MAX], want[64];
	const char *codes;
	FILE *f;
	char *man;
	size_t i;
	int code;

	bin_dir_file(path, sizeof(path), "wdmstat.1");
	f = fopen(path, "r");
	if (!f)
		printf("# %s: cannot be read\n", path);
	WT_ASSERT_TRUE(f != NULL);
	man = slurp(f);
	WT_EXPECT_TRUE(strstr(man, "\n.TH WDMSTAT 1 \"") != NULL);
	WT_EXPECT_TRUE(strstr(man, "\" \"wdmisr " WR_VERSION "\" \"User Commands\"\n") != NULL);
	WT_EXPECT_TRUE(strchr(man, '@') == NULL);
	codes = strstr(man, ".SH EXIT STATUS");
	WT_ASSERT_TRUE(codes != NULL);
	for (code = 0; code <= WS_EXIT_NO_WDM; code++) {
		if (code == 3)
			continue;
		snprintf(want, sizeof(want), "\n.TP\n.B %d\n", code);
		if (!WT_EXPECT_TRUE(strstr(codes, want) != NULL))
			printf("#   no exit status %d\n", code);
	}
	for (i = 0; i < WT_ARRAY_SIZE(opts); i++)
		if (!WT_EXPECT_TRUE(strstr(man, opts[i]) != NULL))
			printf("#   no %s\n", opts[i]);
	free(man);
}

WT_SUITE(wt_wdmstat_cli_suite,
	{ "wdmstat cli: --version and -h", t_version_help },
	{ "wdmstat cli: table 0, no wdm 4, usage 2, malformed 1", t_exit_codes },
	{ "wdmstat cli: permission denied exits 1 and says run as root", t_permission },
	{ "wdmstat cli: SIGINT ends --watch with 0", t_watch_sigint },
	{ "wdmstat cli: SIGTERM ends --watch with 0", t_watch_sigterm },
	{ "wdmstat cli: the man page: version, options, exit status, percentiles", t_man_page },
);
