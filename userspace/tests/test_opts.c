// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of wdmisr-read option parsing: every option lands in the config,
 * every bad value and combination gives exit 2 and one exact message.
 */
#include <stdarg.h>
#include <string.h>

#include "harness.h"
#include "wdmisr-read.h"

#define HINT "Try 'wdmisr-read --help' for more information.\n"

/* Parse the NULL-terminated arguments; @err gets the messages. */
static int parse(struct wr_config *cfg, struct wt_cap *err, ...)
{
	const char *argv[32] = { "wdmisr-read" };
	int argc = 1, ret;
	const char *arg;
	va_list ap;

	va_start(ap, err);
	while ((arg = va_arg(ap, const char *)))
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;
	wt_cap_open(err);
	ret = wr_opts_parse(cfg, argc, (char **)argv, err->f);
	wt_cap_str(err);
	return ret;
}

static void t_defaults(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, NULL), WR_EXIT_OK);
	WT_EXPECT_STR(err.buf, "");
	WT_EXPECT_INT(cfg.mode, WR_MODE_READ);
	WT_EXPECT_STR(cfg.device, "/dev/wdmisr0");
	WT_EXPECT_INT(cfg.count, 0);
	WT_EXPECT_INT(cfg.timeout_ms, -1);
	WT_EXPECT_INT(cfg.format, WR_FMT_TEXT);
	WT_EXPECT_INT(cfg.follow, false);
	WT_EXPECT_INT(cfg.trigger, false);
	WT_EXPECT_INT(cfg.trigger_vector, 0);
	WT_EXPECT_INT(cfg.trigger_seq, true);
	WT_EXPECT_INT(cfg.no_mmap, false);
	wt_cap_close(&err);
}

static void t_short_options(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, "-d", "/dev/wdmisr3", "-n", "5", "-t",
			    "250", "-F", "json", "--trigger", "--trigger-vector",
			    "7", "--trigger-value", "0x10", NULL), WR_EXIT_OK);
	WT_EXPECT_STR(err.buf, "");
	WT_EXPECT_STR(cfg.device, "/dev/wdmisr3");
	WT_EXPECT_INT(cfg.count, 5);
	WT_EXPECT_INT(cfg.timeout_ms, 250);
	WT_EXPECT_INT(cfg.format, WR_FMT_JSON);
	WT_EXPECT_INT(cfg.trigger, true);
	WT_EXPECT_INT(cfg.trigger_vector, 7);
	WT_EXPECT_INT(cfg.trigger_seq, false);
	WT_EXPECT_INT(cfg.trigger_value, 16);
	wt_cap_close(&err);
}

static void t_long_options(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, "--device=/dev/wdmisr1", "--count=18446744073709551615",
			    "--timeout", "2147483647", "--format=summary",
			    "--trigger", "--trigger-vector=63",
			    "--trigger-value=4294967295", NULL), WR_EXIT_OK);
	WT_EXPECT_STR(err.buf, "");
	WT_EXPECT_STR(cfg.device, "/dev/wdmisr1");
	WT_EXPECT_TRUE(cfg.count == UINT64_MAX);
	WT_EXPECT_INT(cfg.timeout_ms, 2147483647);
	WT_EXPECT_INT(cfg.format, WR_FMT_SUMMARY);
	WT_EXPECT_INT(cfg.trigger_vector, 63);
	WT_EXPECT_INT(cfg.trigger_value, 4294967295U);
	wt_cap_close(&err);
}

static void t_attached_and_repeated(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	/* -n7 attached, the last -t wins, "seq" after a number wins again */
	WT_EXPECT_INT(parse(&cfg, &err, "-n7", "-t", "10", "-t", "20", "-Ftext",
			    "--trigger", "--trigger-value", "9",
			    "--trigger-value", "seq", "--trigger-value", "0",
			    NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.count, 7);
	WT_EXPECT_INT(cfg.timeout_ms, 20);
	WT_EXPECT_INT(cfg.format, WR_FMT_TEXT);
	WT_EXPECT_INT(cfg.trigger_seq, false);
	WT_EXPECT_INT(cfg.trigger_value, 0);
	wt_cap_close(&err);

	WT_EXPECT_INT(parse(&cfg, &err, "--trigger", "--trigger-value", "9",
			    "--trigger-value", "seq", NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.trigger_seq, true);
	wt_cap_close(&err);
}

static void t_follow(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, "-f", NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.follow, true);
	WT_EXPECT_INT(cfg.timeout_ms, -1);
	WT_EXPECT_STR(err.buf, "");
	wt_cap_close(&err);

	WT_EXPECT_INT(parse(&cfg, &err, "--follow", "-t", "100", NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.follow, true);
	WT_EXPECT_INT(cfg.timeout_ms, -1);
	WT_EXPECT_STR(err.buf, "wdmisr-read: --follow: ignoring -t\n");
	wt_cap_close(&err);
}

static void t_no_mmap(void)
{
	struct wr_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, "--no-mmap", "-n", "3", NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.no_mmap, true);
	WT_EXPECT_INT(cfg.mode, WR_MODE_READ);
	WT_EXPECT_STR(err.buf, "");
	wt_cap_close(&err);

	WT_EXPECT_INT(parse(&cfg, &err, "--stats", "--no-mmap", NULL), WR_EXIT_USAGE);
	WT_EXPECT_STR(err.buf, "wdmisr-read: --no-mmap cannot be used with --stats\n"
		      "Try 'wdmisr-read --help' for more information.\n");
	wt_cap_close(&err);
}

static void t_modes(void)
{
	static const struct {
		const char *arg;
		enum wr_mode mode;
	} t[] = {
		{ "--stats", WR_MODE_STATS },
		{ "--reset-stats", WR_MODE_RESET_STATS },
		{ "--info", WR_MODE_INFO },
		{ "--list", WR_MODE_LIST },
		{ "--help", WR_MODE_HELP },
		{ "-h", WR_MODE_HELP },
		{ "--version", WR_MODE_VERSION },
		{ "-v", WR_MODE_VERSION },
	};
	struct wr_config cfg;
	struct wt_cap err;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		WT_EXPECT_INT(parse(&cfg, &err, t[i].arg, NULL), WR_EXIT_OK);
		if (!WT_EXPECT_INT(cfg.mode, t[i].mode))
			printf("#   for %s\n", t[i].arg);
		WT_EXPECT_STR(err.buf, "");
		wt_cap_close(&err);
	}
	WT_EXPECT_INT(parse(&cfg, &err, "--stats", "-d", "/dev/wdmisr2", NULL),
		      WR_EXIT_OK);
	WT_EXPECT_STR(cfg.device, "/dev/wdmisr2");
	wt_cap_close(&err);
	/* the same mode twice is not a conflict */
	WT_EXPECT_INT(parse(&cfg, &err, "--info", "--info", NULL), WR_EXIT_OK);
	wt_cap_close(&err);
}

/* The device as the argument, before, between or after the options. */
static void t_device_arg(void)
{
	static const char *const t[][4] = {
		{ "/dev/wdmisr1" },
		{ "/dev/wdmisr1", "-n", "5" },
		{ "-n", "5", "/dev/wdmisr1" },
		{ "-n5", "/dev/wdmisr1", "-t", "9" },
		{ "-d", "/dev/wdmisr1", "/dev/wdmisr1" },	/* the same node twice */
		{ "/dev/wdmisr1", "--device=/dev/wdmisr1" },
		{ "-n", "5", "--", "/dev/wdmisr1" },
	};
	struct wr_config cfg;
	struct wt_cap err;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		if (!WT_EXPECT_INT(parse(&cfg, &err, t[i][0], t[i][1], t[i][2],
					 t[i][3], NULL), WR_EXIT_OK) ||
		    !WT_EXPECT_STR(cfg.device, "/dev/wdmisr1") ||
		    !WT_EXPECT_STR(err.buf, ""))
			printf("#   for case %zu (%s ...)\n", i, t[i][0]);
		WT_EXPECT_INT(cfg.mode, WR_MODE_READ);
		wt_cap_close(&err);
	}
	WT_EXPECT_INT(parse(&cfg, &err, "/dev/wdmisr1", "-n", "5", "-t", "9", NULL),
		      WR_EXIT_OK);
	WT_EXPECT_INT(cfg.count, 5);
	WT_EXPECT_INT(cfg.timeout_ms, 9);
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--info", "/dev/wdmisr4", NULL), WR_EXIT_OK);
	WT_EXPECT_INT(cfg.mode, WR_MODE_INFO);
	WT_EXPECT_STR(cfg.device, "/dev/wdmisr4");
	wt_cap_close(&err);
	/* a node whose name starts with '-' after "--" */
	WT_EXPECT_INT(parse(&cfg, &err, "--stats", "--", "-odd", NULL), WR_EXIT_OK);
	WT_EXPECT_STR(cfg.device, "-odd");
	wt_cap_close(&err);
}

static void t_num_events(void)
{
	static const char *const t[][2] = {
		{ "--num-events", "12" }, { "--num-events=12" }, { "--num=12" },
		{ "--count=12" }, { "-n12" },
	};
	struct wr_config cfg;
	struct wt_cap err;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		if (!WT_EXPECT_INT(parse(&cfg, &err, t[i][0], t[i][1], NULL),
				   WR_EXIT_OK) ||
		    !WT_EXPECT_INT(cfg.count, 12))
			printf("#   for %s\n", t[i][0]);
		WT_EXPECT_STR(err.buf, "");
		wt_cap_close(&err);
	}
	/* the last one given wins, whichever name it has */
	WT_EXPECT_INT(parse(&cfg, &err, "-n", "3", "--num-events", "4", NULL),
		      WR_EXIT_OK);
	WT_EXPECT_INT(cfg.count, 4);
	wt_cap_close(&err);
}

/* --stats, --info and --list take text or json. */
static void t_mode_formats(void)
{
	static const struct {
		const char *argv[3];
		enum wr_mode mode;
		enum wr_format format;
	} t[] = {
		{ { "--stats", "--format", "json" }, WR_MODE_STATS, WR_FMT_JSON },
		{ { "--info", "-Fjson" }, WR_MODE_INFO, WR_FMT_JSON },
		{ { "--format=json", "--list" }, WR_MODE_LIST, WR_FMT_JSON },
		{ { "--list", "-F", "text" }, WR_MODE_LIST, WR_FMT_TEXT },
		{ { "--stats" }, WR_MODE_STATS, WR_FMT_TEXT },
	};
	struct wr_config cfg;
	struct wt_cap err;
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		if (!WT_EXPECT_INT(parse(&cfg, &err, t[i].argv[0], t[i].argv[1],
					 t[i].argv[2], NULL), WR_EXIT_OK) ||
		    !WT_EXPECT_INT(cfg.mode, t[i].mode) ||
		    !WT_EXPECT_INT(cfg.format, t[i].format))
			printf("#   for case %zu (%s ...)\n", i, t[i].argv[0]);
		WT_EXPECT_STR(err.buf, "");
		wt_cap_close(&err);
	}
}

/* One rejected command line: up to four arguments and the message. */
struct bad_case {
	const char *argv[4];
	const char *msg;
};

static void check_bad(const struct bad_case *t, size_t n)
{
	char want[256];
	struct wr_config cfg;
	struct wt_cap err;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = parse(&cfg, &err, t[i].argv[0], t[i].argv[1], t[i].argv[2],
			    t[i].argv[3], NULL);
		snprintf(want, sizeof(want), "wdmisr-read: %s\n" HINT, t[i].msg);
		if (!WT_EXPECT_INT(ret, WR_EXIT_USAGE) ||
		    !WT_EXPECT_STR(err.buf, want))
			printf("#   for case %zu (%s ...)\n", i, t[i].argv[0]);
		wt_cap_close(&err);
	}
}

#define COUNT_RANGE "must be between 1 and 18446744073709551615"

static void t_bad_count(void)
{
	static const struct bad_case t[] = {
		{ { "-n", "abc" }, "invalid count 'abc': -n " COUNT_RANGE },
		{ { "-n", "0" }, "invalid count '0': -n " COUNT_RANGE },
		{ { "-n", "-3" }, "invalid count '-3': -n " COUNT_RANGE },
		{ { "-n", "+3" }, "invalid count '+3': -n " COUNT_RANGE },
		{ { "-n", " 5" }, "invalid count ' 5': -n " COUNT_RANGE },
		{ { "-n", "5x" }, "invalid count '5x': -n " COUNT_RANGE },
		{ { "-n", "0x10" }, "invalid count '0x10': -n " COUNT_RANGE },
		{ { "-n", "" }, "invalid count '': -n " COUNT_RANGE },
		{ { "-n0" }, "invalid count '0': -n " COUNT_RANGE },
		{ { "--count", "18446744073709551616" },
		  "invalid count '18446744073709551616': --count " COUNT_RANGE },
		{ { "--count=0" }, "invalid count '0': --count " COUNT_RANGE },
		{ { "--num-events", "0" }, "invalid count '0': --num-events " COUNT_RANGE },
		{ { "--num=99999999999999999999" },
		  "invalid count '99999999999999999999': --num-events " COUNT_RANGE },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_bad_timeout(void)
{
	static const struct bad_case t[] = {
		{ { "-t", "0" }, "invalid timeout '0': -t must be between 1 and 2147483647 milliseconds" },
		{ { "-t", "-1" }, "invalid timeout '-1': -t must be between 1 and 2147483647 milliseconds" },
		{ { "-t", "1.5" }, "invalid timeout '1.5': -t must be between 1 and 2147483647 milliseconds" },
		{ { "-t", "2147483648" }, "invalid timeout '2147483648': -t must be between 1 and 2147483647 milliseconds" },
		{ { "--timeout=soon" }, "invalid timeout 'soon': --timeout must be between 1 and 2147483647 milliseconds" },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_bad_format_device(void)
{
	static const struct bad_case t[] = {
		{ { "--format", "xml" }, "invalid format 'xml': expected text, json or summary" },
		{ { "-F", "JSON" }, "invalid format 'JSON': expected text, json or summary" },
		{ { "--format=" }, "invalid format '': expected text, json or summary" },
		{ { "-d", "" }, "invalid device '': expected a path" },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_bad_trigger(void)
{
	static const struct bad_case t[] = {
		{ { "--trigger", "--trigger-vector", "64" },
		  "invalid trigger vector '64': --trigger-vector must be between 0 and 63" },
		{ { "--trigger", "--trigger-vector", "-1" },
		  "invalid trigger vector '-1': --trigger-vector must be between 0 and 63" },
		{ { "--trigger", "--trigger-vector", "x" },
		  "invalid trigger vector 'x': --trigger-vector must be between 0 and 63" },
		{ { "--trigger", "--trigger-value", "4294967296" },
		  "invalid trigger value '4294967296': expected 'seq' or 0 to 4294967295" },
		{ { "--trigger", "--trigger-value", "0x" },
		  "invalid trigger value '0x': expected 'seq' or 0 to 4294967295" },
		{ { "--trigger", "--trigger-value", "seqq" },
		  "invalid trigger value 'seqq': expected 'seq' or 0 to 4294967295" },
		{ { "--trigger", "--trigger-value", "-1" },
		  "invalid trigger value '-1': expected 'seq' or 0 to 4294967295" },
		{ { "--trigger-vector", "3" }, "--trigger-vector needs --trigger" },
		{ { "--trigger-value", "seq" }, "--trigger-value needs --trigger" },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_bad_syntax(void)
{
	static const struct bad_case t[] = {
		{ { "-x" }, "unrecognized option '-x'" },
		{ { "--bogus" }, "unrecognized option '--bogus'" },
		{ { "--bogus=1" }, "unrecognized option '--bogus=1'" },
		{ { "--trig" }, "option '--trig' is ambiguous" },
		{ { "--stats=1" }, "option '--stats' takes no value" },
		{ { "-n" }, "option '-n' needs a value" },
		{ { "--timeout" }, "option '--timeout' needs a value" },
		{ { "-d" }, "option '-d' needs a value" },
		{ { "/dev/wdmisr1", "extra" }, "unexpected argument 'extra'" },
		{ { "-n", "1", "a", "b" }, "unexpected argument 'b'" },
		{ { "--", "a", "b" }, "unexpected argument 'b'" },
		{ { "" }, "invalid device '': expected a path" },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_bad_combination(void)
{
	static const struct bad_case t[] = {
		{ { "--stats", "--info" }, "--stats and --info cannot be used together" },
		{ { "--list", "--reset-stats" }, "--list and --reset-stats cannot be used together" },
		{ { "--list", "-d", "/dev/wdmisr1" }, "-d cannot be used with --list" },
		{ { "--stats", "-n", "3" }, "-n cannot be used with --stats" },
		{ { "-t", "5", "--info" }, "-t cannot be used with --info" },
		{ { "--reset-stats", "--format", "json" }, "--format cannot be used with --reset-stats" },
		{ { "--list", "--follow" }, "--follow cannot be used with --list" },
		{ { "--trigger", "--stats" }, "--trigger cannot be used with --stats" },
		{ { "--follow", "-n", "3" }, "--follow and -n cannot be used together" },
		{ { "--follow", "--num-events", "3" }, "--follow and -n cannot be used together" },
		{ { "--stats", "--num-events", "3" }, "-n cannot be used with --stats" },
		{ { "--stats", "--format", "summary" }, "--format summary cannot be used with --stats" },
		{ { "-F", "summary", "--info" }, "--format summary cannot be used with --info" },
		{ { "--list", "-Fsummary" }, "--format summary cannot be used with --list" },
		{ { "--reset-stats", "-F", "text" }, "--format cannot be used with --reset-stats" },
		{ { "--list", "/dev/wdmisr1" }, "--list takes no device, got '/dev/wdmisr1'" },
		{ { "-d", "/dev/wdmisr0", "/dev/wdmisr1" },
		  "two devices given: -d '/dev/wdmisr0' and '/dev/wdmisr1'" },
		{ { "/dev/wdmisr1", "--device=/dev/wdmisr2", "--stats" },
		  "two devices given: -d '/dev/wdmisr2' and '/dev/wdmisr1'" },
	};

	check_bad(t, WT_ARRAY_SIZE(t));
}

static void t_help_version(void)
{
	struct wt_cap out;
	const char *s;

	wt_cap_open(&out);
	wr_opts_version(out.f);
	WT_EXPECT_STR(wt_cap_str(&out), "wdmisr-read " WR_VERSION "\n");
	wt_cap_close(&out);

	wt_cap_open(&out);
	wr_opts_help(out.f);
	s = wt_cap_str(&out);
	WT_EXPECT_INT(strncmp(s, "Usage: wdmisr-read [OPTIONS] [DEVICE]\n", 38), 0);
	/* every long option is described */
	WT_EXPECT_TRUE(strstr(s, "--device PATH") && strstr(s, "--count COUNT") &&
		       strstr(s, "--num-events COUNT") &&
		       strstr(s, "--timeout MS") && strstr(s, "--format FMT") &&
		       strstr(s, "--follow") && strstr(s, "--trigger ") &&
		       strstr(s, "--trigger-vector K") &&
		       strstr(s, "--trigger-value V") && strstr(s, "--stats") &&
		       strstr(s, "--reset-stats") && strstr(s, "--info") &&
		       strstr(s, "--list") && strstr(s, "--help") &&
		       strstr(s, "--version"));
	/* the exit status of every outcome, in the order of their values */
	WT_EXPECT_TRUE(strstr(s, "\n"
			      "Exit status:\n"
			      "  0  success: the records asked for were read, SIGINT or SIGTERM ended\n"
			      "     the run, or -t expired after at least one record\n"
			      "  1  failure: the device could not be opened, an ioctl or a read\n"
			      "     failed, or the device was removed\n"
			      "  2  usage error\n"
			      "  3  -t expired before the first record\n"
			      "  4  --list: wdmisr.ko is not loaded\n") != NULL);
	WT_EXPECT_INT(WR_EXIT_OK, 0);
	WT_EXPECT_INT(WR_EXIT_FAIL, 1);
	WT_EXPECT_INT(WR_EXIT_USAGE, 2);
	WT_EXPECT_INT(WR_EXIT_TIMEOUT, 3);
	WT_EXPECT_INT(WR_EXIT_NO_DRIVER, 4);
	wt_cap_close(&out);
}

/* Through wr_main: help and version print to stdout and exit 0. */
static void t_main_help_version(void)
{
	struct wt_run r;

	wt_run(&r, NULL, "--version", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_STR(r.out.buf, "wdmisr-read " WR_VERSION "\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);

	wt_run(&r, NULL, "-n", "2", "--help", NULL);
	WT_EXPECT_INT(r.status, 0);
	WT_EXPECT_INT(strncmp(r.out.buf, "Usage: wdmisr-read", 18), 0);
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);

	wt_run(&r, NULL, "-n", "two", NULL);
	WT_EXPECT_INT(r.status, 2);
	WT_EXPECT_STR(r.out.buf, "");
	WT_EXPECT_STR(r.err.buf, "wdmisr-read: invalid count 'two': -n " COUNT_RANGE "\n" HINT);
	wt_run_free(&r);
}

WT_SUITE(wt_opts_suite,
	{ "opts: defaults", t_defaults },
	{ "opts: short options", t_short_options },
	{ "opts: long options and upper limits", t_long_options },
	{ "opts: attached values, repeats, trigger value forms", t_attached_and_repeated },
	{ "opts: --follow ignores -t", t_follow },
	{ "opts: --no-mmap, a read option", t_no_mmap },
	{ "opts: modes", t_modes },
	{ "opts: the device as the argument, anywhere among the options", t_device_arg },
	{ "opts: --num-events is --count", t_num_events },
	{ "opts: --stats, --info and --list take --format text or json", t_mode_formats },
	{ "opts: bad -n values name the range", t_bad_count },
	{ "opts: bad -t values", t_bad_timeout },
	{ "opts: bad --format and -d values", t_bad_format_device },
	{ "opts: bad trigger values", t_bad_trigger },
	{ "opts: unknown options, missing values, stray arguments", t_bad_syntax },
	{ "opts: conflicting options", t_bad_combination },
	{ "opts: help and version text", t_help_version },
	{ "opts: help, version and usage exit status through wr_main", t_main_help_version },
);
