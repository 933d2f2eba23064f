// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read command line parsing: getopt_long into struct wr_config, with
 * every value checked here so that the rest of the tool can trust it. Options
 * and the one DEVICE argument may come in any order.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "wdmisr-read.h"

/* Values of the long options that have no short form. */
enum {
	OPT_TRIGGER = 256,
	OPT_TRIGGER_VECTOR,
	OPT_TRIGGER_VALUE,
	OPT_STATS,
	OPT_RESET_STATS,
	OPT_INFO,
	OPT_LIST,
	OPT_NO_MMAP,
};

static const char wr_shortopts[] = ":d:n:t:F:fhv";

static const struct option wr_longopts[] = {
	{ "device",		required_argument,	NULL, 'd' },
	{ "count",		required_argument,	NULL, 'n' },
	{ "num-events",		required_argument,	NULL, 'n' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "format",		required_argument,	NULL, 'F' },
	{ "follow",		no_argument,		NULL, 'f' },
	{ "trigger",		no_argument,		NULL, OPT_TRIGGER },
	{ "trigger-vector",	required_argument,	NULL, OPT_TRIGGER_VECTOR },
	{ "trigger-value",	required_argument,	NULL, OPT_TRIGGER_VALUE },
	{ "stats",		no_argument,		NULL, OPT_STATS },
	{ "reset-stats",	no_argument,		NULL, OPT_RESET_STATS },
	{ "info",		no_argument,		NULL, OPT_INFO },
	{ "list",		no_argument,		NULL, OPT_LIST },
	{ "no-mmap",		no_argument,		NULL, OPT_NO_MMAP },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'v' },
	{ NULL,			0,			NULL, 0 },
};

/* What the parser remembers beyond the config, for the cross-checks. */
struct wr_seen {
	const char *mode_opt;	/* first of --stats/--reset-stats/--info/--list */
	const char *read_opt;	/* first option that only applies to reading */
	bool device;		/* -d */
	const char *device_arg;	/* the DEVICE argument */
	bool format;
	bool count;
	bool timeout;
	bool trigger_arg;	/* --trigger-vector or --trigger-value */
	const char *trigger_opt;
};

void wr_opts_help(FILE *out)
{
	fputs("Usage: " WR_PROG " [OPTIONS] [DEVICE]\n"
	      "Read interrupt events from a wdmisr device and print them.\n"
	      "DEVICE is the device node, as with -d.\n"
	      "\n"
	      "Modes (default: read events):\n"
	      "      --stats              print the per-vector statistics table\n"
	      "      --reset-stats        zero the statistics\n"
	      "      --info               print what the device is and how it is connected\n"
	      "      --list               list every PCI device bound to wdmisr\n"
	      "  -h, --help               print this help and exit\n"
	      "  -v, --version            print the version and exit\n"
	      "\n"
	      "Options:\n"
	      "  -d, --device PATH        device node (default " WR_DEFAULT_DEV ")\n"
	      "  -n, --count COUNT        exit 0 after exactly COUNT records\n"
	      "      --num-events COUNT   the same as --count\n"
	      "  -t, --timeout MS         stop if no record arrives for MS milliseconds\n"
	      "  -F, --format FMT         text (default), json or summary; --stats,\n"
	      "                           --info and --list take text or json\n"
	      "  -f, --follow             read until interrupted, ignoring -t\n"
	      "      --trigger            raise one interrupt before each record (root)\n"
	      "      --trigger-vector K   vector to raise (default 0)\n"
	      "      --trigger-value V    value to raise, or 'seq' for the record\n"
	      "                           number counted from 1 (default seq)\n"
	      "      --no-mmap            read() the records even where the device's\n"
	      "                           event ring can be mapped\n"
	      "\n"
	      "With --format summary and stderr a terminal, the records read, records/s\n"
	      "and drops are shown there twice a second. SIGINT and SIGTERM end a read\n"
	      "with the number of records read.\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success: the records asked for were read, SIGINT or SIGTERM ended\n"
	      "     the run, or -t expired after at least one record\n"
	      "  1  failure: the device could not be opened, an ioctl or a read\n"
	      "     failed, or the device was removed\n"
	      "  2  usage error\n"
	      "  3  -t expired before the first record\n"
	      "  4  --list: wdmisr.ko is not loaded\n",
	      out);
}

void wr_opts_version(FILE *out)
{
	fputs(WR_PROG " " WR_VERSION "\n", out);
}

static int wr_usage_error(FILE *err, const char *fmt, ...)
{
	va_list ap;

	fputs(WR_PROG ": ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputs("\nTry '" WR_PROG " --help' for more information.\n", err);
	return WR_EXIT_USAGE;
}

/* Decimal digits only (or 0x and hex digits if @hex_ok); no sign, no spaces. */
static bool wr_parse_uint(const char *s, bool hex_ok, uint64_t max,
			  uint64_t *val)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (hex_ok && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
		if (!isxdigit((unsigned char)s[0]))
			return false;
	} else if (!isdigit((unsigned char)s[0])) {
		return false;
	}
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return false;
	*val = v;
	return true;
}

static int wr_set_mode(struct wr_config *cfg, struct wr_seen *seen,
		       enum wr_mode mode, const char *name, FILE *err)
{
	if (seen->mode_opt && strcmp(seen->mode_opt, name))
		return wr_usage_error(err, "%s and %s cannot be used together",
				      seen->mode_opt, name);
	seen->mode_opt = name;
	cfg->mode = mode;
	return WR_EXIT_OK;
}

static void wr_seen_read_opt(struct wr_seen *seen, const char *name)
{
	if (!seen->read_opt)
		seen->read_opt = name;
}

static int wr_opt_format(struct wr_config *cfg, const char *arg, FILE *err)
{
	if (!strcmp(arg, "text"))
		cfg->format = WR_FMT_TEXT;
	else if (!strcmp(arg, "json"))
		cfg->format = WR_FMT_JSON;
	else if (!strcmp(arg, "summary"))
		cfg->format = WR_FMT_SUMMARY;
	else
		return wr_usage_error(err,
				      "invalid format '%s': expected text, json or summary",
				      arg);
	return WR_EXIT_OK;
}

static int wr_opt_trigger_value(struct wr_config *cfg, const char *arg,
				FILE *err)
{
	uint64_t v;

	if (!strcmp(arg, "seq")) {
		cfg->trigger_seq = true;
		return WR_EXIT_OK;
	}
	if (!wr_parse_uint(arg, true, UINT32_MAX, &v))
		return wr_usage_error(err,
				      "invalid trigger value '%s': expected 'seq' or 0 to %u",
				      arg, UINT32_MAX);
	cfg->trigger_seq = false;
	cfg->trigger_value = v;
	return WR_EXIT_OK;
}

/*
 * Options that take a value; @name is the option as given (-n, --count or
 * --num-events), for the messages.
 */
static int wr_opt_value(struct wr_config *cfg, struct wr_seen *seen, int c,
			const char *name, const char *arg, FILE *err)
{
	uint64_t v;

	switch (c) {
	case 'd':
		if (!arg[0])
			return wr_usage_error(err, "invalid device '': expected a path");
		cfg->device = arg;
		seen->device = true;
		return WR_EXIT_OK;
	case 'n':
		if (!wr_parse_uint(arg, false, UINT64_MAX, &v) || !v)
			return wr_usage_error(err,
					      "invalid count '%s': %s must be between 1 and %llu",
					      arg, name, (unsigned long long)UINT64_MAX);
		cfg->count = v;
		seen->count = true;
		wr_seen_read_opt(seen, "-n");
		return WR_EXIT_OK;
	case 't':
		if (!wr_parse_uint(arg, false, INT_MAX, &v) || !v)
			return wr_usage_error(err,
					      "invalid timeout '%s': %s must be between 1 and %d milliseconds",
					      arg, name, INT_MAX);
		cfg->timeout_ms = (int)v;
		seen->timeout = true;
		wr_seen_read_opt(seen, "-t");
		return WR_EXIT_OK;
	case 'F':
		seen->format = true;
		return wr_opt_format(cfg, arg, err);
	case OPT_TRIGGER_VECTOR:
		if (!wr_parse_uint(arg, false, WDMISR_MAX_VECTORS - 1, &v))
			return wr_usage_error(err,
					      "invalid trigger vector '%s': %s must be between 0 and %d",
					      arg, name, WDMISR_MAX_VECTORS - 1);
		cfg->trigger_vector = v;
		seen->trigger_arg = true;
		seen->trigger_opt = "--trigger-vector";
		wr_seen_read_opt(seen, "--trigger-vector");
		return WR_EXIT_OK;
	case OPT_TRIGGER_VALUE:
		seen->trigger_arg = true;
		seen->trigger_opt = "--trigger-value";
		wr_seen_read_opt(seen, "--trigger-value");
		return wr_opt_trigger_value(cfg, arg, err);
	}
	return -1;
}

/* Options without a value; -1 if @c is not one of them. */
static int wr_opt_flag(struct wr_config *cfg, struct wr_seen *seen, int c,
		       FILE *err)
{
	switch (c) {
	case 'f':
		cfg->follow = true;
		wr_seen_read_opt(seen, "--follow");
		return WR_EXIT_OK;
	case OPT_TRIGGER:
		cfg->trigger = true;
		wr_seen_read_opt(seen, "--trigger");
		return WR_EXIT_OK;
	case OPT_NO_MMAP:
		cfg->no_mmap = true;
		wr_seen_read_opt(seen, "--no-mmap");
		return WR_EXIT_OK;
	case OPT_STATS:
		return wr_set_mode(cfg, seen, WR_MODE_STATS, "--stats", err);
	case OPT_RESET_STATS:
		return wr_set_mode(cfg, seen, WR_MODE_RESET_STATS,
				   "--reset-stats", err);
	case OPT_INFO:
		return wr_set_mode(cfg, seen, WR_MODE_INFO, "--info", err);
	case OPT_LIST:
		return wr_set_mode(cfg, seen, WR_MODE_LIST, "--list", err);
	}
	return -1;
}

/* How many long options start with @name (up to any '='). */
static int wr_opt_matches(const char *name)
{
	size_t len = strcspn(name, "=");
	const struct option *o;
	int n = 0;

	for (o = wr_longopts; o->name; o++)
		n += !strncmp(o->name, name, len);
	return n;
}

/* getopt_long returned '?' or ':'; name the option as the user wrote it. */
static int wr_opt_bad(int c, char **argv, FILE *err)
{
	const char *arg = argv[optind - 1];
	bool is_long = !strncmp(arg, "--", 2);

	if (c == ':') {
		if (is_long)
			return wr_usage_error(err, "option '%s' needs a value", arg);
		return wr_usage_error(err, "option '-%c' needs a value", optopt);
	}
	if (!is_long)
		return wr_usage_error(err, "unrecognized option '-%c'", optopt);
	if (optopt)	/* a known long option given a value it does not take */
		return wr_usage_error(err, "option '%.*s' takes no value",
				      (int)strcspn(arg, "="), arg);
	if (wr_opt_matches(arg + 2) > 1)
		return wr_usage_error(err, "option '%.*s' is ambiguous",
				      (int)strcspn(arg, "="), arg);
	return wr_usage_error(err, "unrecognized option '%s'", arg);
}

/* The DEVICE argument: the same node as -d, if both are given. */
static int wr_opt_device_arg(struct wr_config *cfg, struct wr_seen *seen,
			     const char *arg, FILE *err)
{
	if (!arg[0])
		return wr_usage_error(err, "invalid device '': expected a path");
	if (seen->device && strcmp(cfg->device, arg))
		return wr_usage_error(err, "two devices given: -d '%s' and '%s'",
				      cfg->device, arg);
	cfg->device = arg;
	seen->device_arg = arg;
	return WR_EXIT_OK;
}

/* --format with a mode other than reading: text or json, and not for all. */
static int wr_opts_check_format(const struct wr_config *cfg,
				const struct wr_seen *seen, FILE *err)
{
	if (!seen->format || cfg->mode == WR_MODE_READ)
		return WR_EXIT_OK;
	if (cfg->mode == WR_MODE_RESET_STATS)
		return wr_usage_error(err, "--format cannot be used with %s",
				      seen->mode_opt);
	if (cfg->format == WR_FMT_SUMMARY)
		return wr_usage_error(err, "--format summary cannot be used with %s",
				      seen->mode_opt);
	return WR_EXIT_OK;
}

/* The combinations that make no sense. */
static int wr_opts_check(struct wr_config *cfg, const struct wr_seen *seen,
			 FILE *err)
{
	if (cfg->mode != WR_MODE_READ && seen->read_opt)
		return wr_usage_error(err, "%s cannot be used with %s",
				      seen->read_opt, seen->mode_opt);
	if (wr_opts_check_format(cfg, seen, err))
		return WR_EXIT_USAGE;
	if (cfg->mode == WR_MODE_LIST && seen->device)
		return wr_usage_error(err, "-d cannot be used with --list");
	if (cfg->mode == WR_MODE_LIST && seen->device_arg)
		return wr_usage_error(err, "--list takes no device, got '%s'",
				      seen->device_arg);
	if (cfg->follow && seen->count)
		return wr_usage_error(err, "--follow and -n cannot be used together");
	if (seen->trigger_arg && !cfg->trigger)
		return wr_usage_error(err, "%s needs --trigger", seen->trigger_opt);
	if (cfg->follow && seen->timeout) {
		fputs(WR_PROG ": --follow: ignoring -t\n", err);
		cfg->timeout_ms = -1;
	}
	return WR_EXIT_OK;
}

/* The option getopt_long just returned, as the user named it. */
static void wr_opt_name(char *buf, size_t size, int c, int longidx)
{
	if (longidx >= 0)
		snprintf(buf, size, "--%s", wr_longopts[longidx].name);
	else
		snprintf(buf, size, "-%c", c);
}

int wr_opts_parse(struct wr_config *cfg, int argc, char **argv, FILE *err)
{
	struct wr_seen seen = { 0 };
	int c, ret, longidx = -1;
	char name[32];

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = WR_MODE_READ;
	cfg->device = WR_DEFAULT_DEV;
	cfg->timeout_ms = -1;
	cfg->format = WR_FMT_TEXT;
	cfg->trigger_seq = true;

	optind = 0;	/* full reset, so the parser can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, wr_shortopts, wr_longopts,
				&longidx)) != -1) {
		if (c == 'h' || c == 'v') {
			cfg->mode = c == 'h' ? WR_MODE_HELP : WR_MODE_VERSION;
			return WR_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return wr_opt_bad(c, argv, err);
		ret = wr_opt_flag(cfg, &seen, c, err);
		if (ret < 0) {
			wr_opt_name(name, sizeof(name), c, longidx);
			ret = wr_opt_value(cfg, &seen, c, name, optarg, err);
		}
		if (ret)
			return ret;
		longidx = -1;
	}
	if (optind < argc && wr_opt_device_arg(cfg, &seen, argv[optind++], err))
		return WR_EXIT_USAGE;
	if (optind < argc)
		return wr_usage_error(err, "unexpected argument '%s'", argv[optind]);
	return wr_opts_check(cfg, &seen, err);
}
