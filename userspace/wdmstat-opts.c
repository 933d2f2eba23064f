// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat command line parsing: getopt_long into struct ws_config, every
 * value checked here. --watch and --reset take their value attached
 * (--watch=2, -w2, --reset=OBJECT) or as the one argument that follows
 * (--watch 2, --reset OBJECT); wdmstat takes no other argument.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "wdmstat.h"

/* Longest --watch interval: a day. */
#define WS_MAX_INTERVAL_S	86400

enum {
	OPT_RESET = 256,
};

static const char ws_shortopts[] = ":r:w::n:jhv";

static const struct option ws_longopts[] = {
	{ "root",	required_argument,	NULL, 'r' },
	{ "watch",	optional_argument,	NULL, 'w' },
	{ "count",	required_argument,	NULL, 'n' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "reset",	optional_argument,	NULL, OPT_RESET },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'v' },
	{ NULL,		0,			NULL, 0 },
};

void ws_opts_help(FILE *out)
{
	fputs("Usage: " WS_PROG " [OPTIONS]\n"
	      "Show the ISR and DPC statistics that wdm.ko keeps per interrupt object:\n"
	      "one row per ISR and per DPC routine with counts, p50, p99 and max\n"
	      "durations and the ISR-to-DPC latency, the worst first and marked.\n"
	      "Percentiles come from log2 histograms: \"<=2.0 us\" is the upper bound\n"
	      "of the power-of-two bucket they fall in. Reading debugfs needs root.\n"
	      "\n"
	      "Options:\n"
	      "  -r, --root DIR           wdm's debugfs directory (default\n"
	      "                           " WS_DEBUGFS "/wdm)\n"
	      "  -w, --watch [SECONDS]    redraw every SECONDS (default 1, at least\n"
	      "                           0.01) until SIGINT or SIGTERM\n"
	      "  -n, --count COUNT        stop after COUNT refreshes (implies --watch)\n"
	      "  -j, --json               one JSON document (one per line with --watch)\n"
	      "      --reset [OBJECT]     zero the statistics of every interrupt object,\n"
	      "                           or of OBJECT (its directory name, or its\n"
	      "                           interrupt name if that is unique)\n"
	      "  -h, --help               print this help and exit\n"
	      "  -v, --version            print the version and exit\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success (also when SIGINT or SIGTERM ends --watch)\n"
	      "  1  failure: a file could not be read or written, a file is malformed\n"
	      "     (the message names it and the line), no such OBJECT, debugfs is not\n"
	      "     mounted, or permission denied\n"
	      "  2  usage error\n"
	      "  4  the wdm debugfs directory is missing: wdm.ko is not loaded\n",
	      out);
}

void ws_opts_version(FILE *out)
{
	fputs(WS_PROG " " WR_VERSION "\n", out);
}

static int ws_usage_error(FILE *err, const char *fmt, ...)
{
	va_list ap;

	fputs(WS_PROG ": ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputs("\nTry '" WS_PROG " --help' for more information.\n", err);
	return WS_EXIT_USAGE;
}

/* Seconds as digits with an optional fraction: 0.01 to a day, in ms. */
static int ws_parse_interval(struct ws_config *cfg, const char *arg, FILE *err)
{
	const char *p = arg;
	double s;
	char *end;

	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	errno = 0;
	s = strtod(arg, &end);
	if (!isdigit((unsigned char)arg[0]) || *p || *end || errno ||
	    s < 0.01 || s > WS_MAX_INTERVAL_S)
		return ws_usage_error(err,
				      "invalid interval '%s': expected 0.01 to %d seconds",
				      arg, WS_MAX_INTERVAL_S);
	cfg->interval_ms = (unsigned int)(s * 1000 + 0.5);
	return WS_EXIT_OK;
}

static int ws_parse_count(struct ws_config *cfg, const char *arg, FILE *err)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = isdigit((unsigned char)arg[0]) ? strtoull(arg, &end, 10) : 0;
	if (!v || errno || *end)
		return ws_usage_error(err,
				      "invalid count '%s': expected 1 to %llu refreshes",
				      arg, (unsigned long long)UINT64_MAX);
	cfg->count = v;
	return WS_EXIT_OK;
}

/* What the parser remembers for the checks after it. */
struct ws_seen {
	bool reset;
	bool watch_bare;	/* --watch without a value */
	bool reset_bare;	/* --reset without a value */
	const char *show_opt;	/* an option that only applies to showing */
};

static int ws_opt(struct ws_config *cfg, struct ws_seen *seen, int c,
		  const char *arg, FILE *err)
{
	switch (c) {
	case 'r':
		if (!arg[0])
			return ws_usage_error(err, "invalid root '': expected a directory");
		cfg->root = arg;
		return WS_EXIT_OK;
	case 'w':
		cfg->watch = true;
		seen->show_opt = "--watch";
		seen->watch_bare = !arg;
		return arg ? ws_parse_interval(cfg, arg, err) : WS_EXIT_OK;
	case 'n':
		cfg->watch = true;
		seen->show_opt = "-n";
		return ws_parse_count(cfg, arg, err);
	case 'j':
		cfg->json = true;
		seen->show_opt = "--json";
		return WS_EXIT_OK;
	case OPT_RESET:
		cfg->mode = WS_MODE_RESET;
		seen->reset = true;
		seen->reset_bare = !arg;
		cfg->reset_obj = arg;
		if (arg && !arg[0])
			return ws_usage_error(err, "invalid object '': expected a name");
		return WS_EXIT_OK;
	}
	return -1;
}

/* getopt_long returned '?' or ':'; name the option as the user wrote it. */
static int ws_opt_bad(int c, char **argv, FILE *err)
{
	const char *arg = argv[optind - 1];
	bool is_long = !strncmp(arg, "--", 2);

	if (c == ':' && is_long)
		return ws_usage_error(err, "option '%s' needs a value", arg);
	if (c == ':')
		return ws_usage_error(err, "option '-%c' needs a value", optopt);
	if (!is_long)
		return ws_usage_error(err, "unrecognized option '-%c'", optopt);
	if (optopt)
		return ws_usage_error(err, "option '%.*s' takes no value",
				      (int)strcspn(arg, "="), arg);
	return ws_usage_error(err, "unrecognized option '%s'", arg);
}

/* The one argument: the value of a bare --watch or --reset. */
static int ws_opts_arg(struct ws_config *cfg, const struct ws_seen *seen,
		       const char *arg, FILE *err)
{
	if (seen->reset_bare) {
		if (!arg[0])
			return ws_usage_error(err, "invalid object '': expected a name");
		cfg->reset_obj = arg;
		return WS_EXIT_OK;
	}
	if (seen->watch_bare)
		return ws_parse_interval(cfg, arg, err);
	return ws_usage_error(err, "unexpected argument '%s'", arg);
}

int ws_opts_parse(struct ws_config *cfg, int argc, char **argv, FILE *err)
{
	struct ws_seen seen = { 0 };
	int c, ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = WS_MODE_SHOW;
	cfg->interval_ms = WS_DEFAULT_INTERVAL_MS;

	optind = 0;	/* full reset, so the parser can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ws_shortopts, ws_longopts,
				NULL)) != -1) {
		if (c == 'h' || c == 'v') {
			cfg->mode = c == 'h' ? WS_MODE_HELP : WS_MODE_VERSION;
			return WS_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return ws_opt_bad(c, argv, err);
		ret = ws_opt(cfg, &seen, c, optarg, err);
		if (ret)
			return ret;
	}
	if (optind < argc && ws_opts_arg(cfg, &seen, argv[optind++], err))
		return WS_EXIT_USAGE;
	if (optind < argc)
		return ws_usage_error(err, "unexpected argument '%s'", argv[optind]);
	if (seen.reset && seen.show_opt)
		return ws_usage_error(err, "--reset cannot be used with %s",
				      seen.show_opt);
	return WS_EXIT_OK;
}
