// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test runner for wdmisr-read and wdmstat. Prints "ok N - name" or "not ok N - name"
 * per case, "# ..." lines saying what a failed check got, and last
 * "N passed, N failed"; exits non-zero if any case failed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakedev.h"
#include "harness.h"
#include "wdmisr-read.h"

extern const struct wt_suite wt_opts_suite, wt_format_suite, wt_summary_suite,
	wt_info_suite, wt_reader_suite, wt_list_suite, wt_cli_suite,
	wt_wdmstat_suite, wt_wdmstat_cli_suite;

static const struct wt_suite *const wt_suites[] = {
	&wt_opts_suite, &wt_format_suite, &wt_summary_suite, &wt_info_suite,
	&wt_reader_suite, &wt_list_suite, &wt_cli_suite, &wt_wdmstat_suite,
	&wt_wdmstat_cli_suite,
};

const char *wt_bin = "./wdmisr-read";
struct wt_run *wt_current;
bool wt_err_tty;
static int wt_failures;
static const char *wt_skipped;

void wt_skip(const char *why)
{
	wt_skipped = why;
}

/* @s on one line, newlines and other control characters escaped. */
static void wt_print_escaped(const char *s)
{
	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", stdout);
		else if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

bool wt_check_int(const char *file, int line, const char *expr,
		  long long got, long long want)
{
	if (got == want)
		return true;
	printf("# %s:%d: %s: got %lld, want %lld\n", file, line, expr, got, want);
	wt_failures++;
	return false;
}

bool wt_check_str(const char *file, int line, const char *expr,
		  const char *got, const char *want)
{
	if (got && want && !strcmp(got, want))
		return true;
	printf("# %s:%d: %s:\n#   got  ", file, line, expr);
	wt_print_escaped(got);
	fputs("\n#   want ", stdout);
	wt_print_escaped(want);
	putchar('\n');
	wt_failures++;
	return false;
}

bool wt_check_true(const char *file, int line, const char *expr, bool ok)
{
	if (ok)
		return true;
	printf("# %s:%d: %s is false\n", file, line, expr);
	wt_failures++;
	return false;
}

void wt_cap_open(struct wt_cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(1);
	}
}

const char *wt_cap_str(struct wt_cap *c)
{
	fflush(c->f);
	return c->buf;
}

void wt_cap_close(struct wt_cap *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

void wt_run(struct wt_run *r, const char *sysfs, ...)
{
	const char *argv[64] = { "wdmisr-read" };
	struct wr_env env;
	const char *arg;
	int argc = 1;
	va_list ap;

	va_start(ap, sysfs);
	while ((arg = va_arg(ap, const char *)) && argc < 63)
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;

	wt_cap_open(&r->out);
	wt_cap_open(&r->err);
	env.ops = &wt_fake_ops;
	env.out = r->out.f;
	env.err = r->err.f;
	env.sysfs = sysfs ? sysfs : "/sys";
	env.err_tty = wt_err_tty;
	wt_current = r;
	r->status = wr_main(argc, (char **)argv, &env);
	wt_current = NULL;
	wt_cap_str(&r->out);
	wt_cap_str(&r->err);
}

void wt_run_free(struct wt_run *r)
{
	wt_cap_close(&r->out);
	wt_cap_close(&r->err);
}

int main(int argc, char **argv)
{
	int n = 0, passed = 0, failed = 0, before;
	const struct wt_case *c;
	size_t s, i;

	if (argc > 1)
		wt_bin = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(300);	/* a hung read loop fails the run instead of blocking it */

	for (s = 0; s < WT_ARRAY_SIZE(wt_suites); s++) {
		for (i = 0; i < wt_suites[s]->ncases; i++) {
			c = &wt_suites[s]->cases[i];
			before = wt_failures;
			wt_skipped = NULL;
			wt_err_tty = false;
			wt_fakedev_setup();
			c->fn();
			wt_fakedev_teardown();
			n++;
			if (wt_failures > before) {
				printf("not ok %d - %s\n", n, c->name);
				failed++;
			} else if (wt_skipped) {
				printf("ok %d - %s # SKIP %s\n", n, c->name, wt_skipped);
				passed++;
			} else {
				printf("ok %d - %s\n", n, c->name);
				passed++;
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
