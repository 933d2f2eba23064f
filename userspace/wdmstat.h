/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmstat: the per-interrupt statistics wdm.ko keeps in debugfs
 * (<debugfs>/wdm/interrupts/<irq>-<name>/stats and histograms, described in
 * wdmstat(1)), as a table, live or as JSON. What its source files share,
 * grouped by the file that defines it. Every mode takes a struct ws_env, so
 * that the unit tests can run the tool in-process against a fixture tree.
 */
#ifndef WDMSTAT_H
#define WDMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WS_PROG			"wdmstat"
#define WS_DEBUGFS		"/sys/kernel/debug"

/*
 * Exit status (the man page's EXIT STATUS and --help list them); the values
 * are wdmisr-read's.
 */
#define WS_EXIT_OK		0
#define WS_EXIT_FAIL		1	/* I/O, a malformed file, no debugfs */
#define WS_EXIT_USAGE		2
#define WS_EXIT_NO_WDM		4	/* no wdm directory: wdm.ko not loaded */

/**
 * struct ws_env - what the tool runs against
 * @out:	where results go (stdout)
 * @err:	where messages go (stderr)
 * @out_tty:	@out is a terminal: highlight, redraw in place
 * @debugfs:	where debugfs belongs (WS_DEBUGFS); the default root is
 *		@debugfs/wdm
 * @is_debugfs:	whether a debugfs is mounted on a path
 */
struct ws_env {
	FILE *out;
	FILE *err;
	bool out_tty;
	const char *debugfs;
	bool (*is_debugfs)(const char *path);
};

/*
 * wdmstat-load.c: reading <root>/interrupts/ into a snapshot, and the error
 * messages, one line each, "wdmstat: <object>: <what>".
 */

/* The keys of a "stats" file, in the order the file has them. */
enum ws_key {
	WS_NAME,
	WS_IRQ,
	WS_MESSAGE,
	WS_ISR,
	WS_DPC,
	WS_ISR_CALLS,
	WS_ISR_TRUE,
	WS_ISR_FALSE,
	WS_DPC_QUEUED,
	WS_DPC_RUN,
	WS_ISR_MAX_NS,
	WS_ISR_MAX_AT_NS,
	WS_DPC_MAX_NS,
	WS_DPC_MAX_AT_NS,
	WS_LATENCY_MAX_NS,
	WS_LATENCY_MAX_AT_NS,
	WS_NKEYS,
};

/* The histograms, in the order the "histograms" file has them. */
enum ws_hist {
	WS_HIST_ISR,
	WS_HIST_DPC,
	WS_HIST_LATENCY,
	WS_NHIST,
};

/* Counts per histogram: bucket i holds 2^i <= d < 2^(i+1) ns. */
#define WS_BUCKETS	32

/* The name of key @k in "stats" and in the JSON output. */
const char *ws_key_name(enum ws_key k);
/* Whether key @k is a string (name, isr, dpc) rather than a number. */
bool ws_key_is_str(enum ws_key k);
/* The name of histogram @h in "histograms" and in the JSON output. */
const char *ws_hist_name(enum ws_hist h);

/**
 * struct ws_obj - one interrupt object, as its directory showed it
 * @dir:	the directory's name under interrupts/
 * @str:	the string keys; str[WS_DPC] is NULL for "-" (no DPC ran)
 * @num:	the number keys
 * @hist:	the three histograms
 */
struct ws_obj {
	char *dir;
	char *str[WS_NKEYS];
	uint64_t num[WS_NKEYS];
	uint64_t hist[WS_NHIST][WS_BUCKETS];
};

/**
 * struct ws_snap - every interrupt object at one moment
 * @root:	the wdm debugfs directory read
 * @obj:	the objects, sorted by IRQ, then by directory name
 * @n:		entries in @obj
 */
struct ws_snap {
	const char *root;
	struct ws_obj *obj;
	size_t n;
};

/* "wdmstat: <obj>: <printf message>" */
void ws_err(FILE *err, const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Check that @root/interrupts can be read; if not, say why with the fix and
 * return WS_EXIT_NO_WDM (the wdm directory is missing) or WS_EXIT_FAIL.
 */
int ws_root_check(const struct ws_env *env, const char *root);

/*
 * Parse a "stats" file into @o; @path names it in messages. 0, or -1 after
 * printing "<path>:<line>: <what>" (or "<path>: <what>") to @err.
 */
int ws_parse_stats(FILE *f, const char *path, struct ws_obj *o, FILE *err);
/* The same for a "histograms" file. */
int ws_parse_histograms(FILE *f, const char *path, struct ws_obj *o,
			FILE *err);

/* Read every object of @root; WS_EXIT_OK or another WS_EXIT_* after a message. */
int ws_snap_load(const struct ws_env *env, const char *root,
		 struct ws_snap *snap);
void ws_snap_free(struct ws_snap *snap);

/* The real test for a debugfs mount: statfs() says DEBUGFS_MAGIC. */
bool ws_sys_is_debugfs(const char *path);

/*
 * wdmstat-table.c: percentiles from log2 histograms, durations with units,
 * and the table: one row per ISR and per DPC, the worst highlighted.
 */

/*
 * The bucket of percentile @p (1 to 100) of histogram @h: the smallest i
 * whose cumulative count reaches ceil(@p / 100 * total); -1 if @h is empty.
 */
int ws_pct_bucket(const uint64_t *h, unsigned int p);

/* Longest ws_fmt_ns() or ws_fmt_pct() result, NUL included. */
#define WS_CELL		32

/* @ns as "<n> ns" below 1 us, else "<x.y> us", "<x.y> ms" or "<x.y> s". */
void ws_fmt_ns(char *buf, size_t size, uint64_t ns);
/*
 * Percentile @p of @h as "<=<bucket's upper bound>" (ws_fmt_ns), ">=2.1 s"
 * for the open last bucket, "-" if @h is empty.
 */
void ws_fmt_pct(char *buf, size_t size, const uint64_t *h, unsigned int p);

/**
 * struct ws_row - one row of the table
 * @obj:	the interrupt object
 * @dpc:	the row of its DPC routine, else of its ISR
 * @max_ns:	the row's maximum duration
 */
struct ws_row {
	const struct ws_obj *obj;
	bool dpc;
	uint64_t max_ns;
};

/*
 * The rows of @snap into @rows (room for 2 * @snap->n): each object's ISR,
 * and its DPC if one ran; sorted by max_ns, largest first, then in the
 * snapshot's order with the ISR first. Returns how many.
 */
size_t ws_rows(const struct ws_snap *snap, struct ws_row *rows);

/*
 * The table. The rows whose max_ns is the largest (if not 0) are marked
 * '*', or shown bold and inverse if @tty. 0, or -1 if out of memory.
 */
int ws_table_print(FILE *out, const struct ws_snap *snap, bool tty);

/*
 * wdmstat-json.c: the snapshot as one JSON document on one line.
 */

/* 0, or -1 if out of memory. */
int ws_json_print(FILE *out, const struct ws_snap *snap);

/*
 * wdmstat-opts.c: the command line.
 */

enum ws_mode {
	WS_MODE_SHOW,
	WS_MODE_RESET,
	WS_MODE_HELP,
	WS_MODE_VERSION,
};

/* --watch without a value: seconds between refreshes. */
#define WS_DEFAULT_INTERVAL_MS	1000

/**
 * struct ws_config - what the command line asked for
 * @mode:	what to do
 * @root:	--root, or NULL for <debugfs>/wdm
 * @json:	--json
 * @watch:	--watch or -n: refresh until SIGINT, SIGTERM or -n
 * @interval_ms: --watch SECONDS, in milliseconds
 * @count:	-n: refreshes; 0 = no limit
 * @reset_obj:	--reset OBJECT, or NULL for every object
 */
struct ws_config {
	enum ws_mode mode;
	const char *root;
	bool json;
	bool watch;
	unsigned int interval_ms;
	uint64_t count;
	const char *reset_obj;
};

/*
 * Fill @cfg from the command line. WS_EXIT_OK, or WS_EXIT_USAGE after a
 * one-line message and a hint on @err. Never exits.
 */
int ws_opts_parse(struct ws_config *cfg, int argc, char **argv, FILE *err);
void ws_opts_help(FILE *out);
/* "wdmstat <version>" */
void ws_opts_version(FILE *out);

/*
 * wdmstat-reset.c: --reset: write "1\n" to <root>/reset or to one object's
 * reset file.
 */

int ws_reset_run(const struct ws_env *env, const char *root,
		 const char *obj);

/*
 * wdmstat-app.c: wdmstat as a function: one table or JSON document, or one
 * per refresh until SIGINT or SIGTERM.
 */

/* The exit status, one of WS_EXIT_*. Never exits. */
int ws_main(int argc, char **argv, const struct ws_env *env);

#endif /* WDMSTAT_H */
