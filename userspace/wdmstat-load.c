// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat: reading wdm.ko's debugfs tree. <root>/interrupts/ holds one
 * directory per interrupt object with a "stats" file ("key value" lines) and
 * a "histograms" file (a name and 32 counts per line). A snapshot is every
 * object read once; an object whose directory vanishes while it is read (its
 * driver disconnected) is left out. When the tree cannot be read at all, the
 * message says why and what fixes it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "wdmstat.h"

#define WS_DEBUGFS_MAGIC	0x64626720	/* DEBUGFS_MAGIC, linux/magic.h */

static const char *const ws_key_names[WS_NKEYS] = {
	[WS_NAME]		= "name",
	[WS_IRQ]		= "irq",
	[WS_MESSAGE]		= "message",
	[WS_ISR]		= "isr",
	[WS_DPC]		= "dpc",
	[WS_ISR_CALLS]		= "isr_calls",
	[WS_ISR_TRUE]		= "isr_true",
	[WS_ISR_FALSE]		= "isr_false",
	[WS_DPC_QUEUED]		= "dpc_queued",
	[WS_DPC_RUN]		= "dpc_run",
	[WS_ISR_MAX_NS]		= "isr_max_ns",
	[WS_ISR_MAX_AT_NS]	= "isr_max_at_ns",
	[WS_DPC_MAX_NS]		= "dpc_max_ns",
	[WS_DPC_MAX_AT_NS]	= "dpc_max_at_ns",
	[WS_LATENCY_MAX_NS]	= "latency_max_ns",
	[WS_LATENCY_MAX_AT_NS]	= "latency_max_at_ns",
};

static const char *const ws_hist_names[WS_NHIST] = {
	[WS_HIST_ISR]		= "isr_ns",
	[WS_HIST_DPC]		= "dpc_ns",
	[WS_HIST_LATENCY]	= "latency_ns",
};

const char *ws_key_name(enum ws_key k)
{
	return ws_key_names[k];
}

bool ws_key_is_str(enum ws_key k)
{
	return k == WS_NAME || k == WS_ISR || k == WS_DPC;
}

const char *ws_hist_name(enum ws_hist h)
{
	return ws_hist_names[h];
}

void ws_err(FILE *err, const char *obj, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, WS_PROG ": %s: ", obj);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/* "wdmstat: <path>:<lineno>: <printf message>" */
static void ws_err_line(FILE *err, const char *path, unsigned int lineno,
			const char *fmt, ...)
{
	va_list ap;

	fprintf(err, WS_PROG ": %s:%u: ", path, lineno);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

bool ws_sys_is_debugfs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == WS_DEBUGFS_MAGIC;
}

/* @root is missing: no debugfs where it belongs (1), or no wdm.ko (4). */
static int ws_root_missing(const struct ws_env *env, const char *root)
{
	char parent[PATH_MAX];

	snprintf(parent, sizeof(parent), "%s", root);
	dirname(parent);
	if (!strcmp(parent, env->debugfs) && !env->is_debugfs(parent)) {
		ws_err(env->err, root,
		       "debugfs is not mounted on %s (mount -t debugfs none %s)",
		       parent, parent);
		return WS_EXIT_FAIL;
	}
	ws_err(env->err, root,
	       "No such file or directory (wdm.ko is not loaded: modprobe wdm)");
	return WS_EXIT_NO_WDM;
}

int ws_root_check(const struct ws_env *env, const char *root)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat(root, &st)) {
		if (errno == ENOENT)
			return ws_root_missing(env, root);
		if (errno == EACCES)
			ws_err(env->err, root,
			       "%s (debugfs is for root only: run as root)",
			       strerror(errno));
		else
			ws_err(env->err, root, "%s", strerror(errno));
		return WS_EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/interrupts", root);
	if (stat(path, &st)) {
		int e = errno;

		ws_err(env->err, path, "%s%s", strerror(e),
		       e == ENOENT ? " (a wdm.ko without interrupt statistics?)" :
		       e == EACCES ? " (run as root)" : "");
		return WS_EXIT_FAIL;
	}
	return WS_EXIT_OK;
}

/* Decimal digits only, within uint64_t. */
static bool ws_parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

static int ws_stats_key(const char *key)
{
	int k;

	for (k = 0; k < WS_NKEYS; k++)
		if (!strcmp(key, ws_key_names[k]))
			return k;
	return -1;
}

/* One "key value" line; unknown keys are left for newer versions of wdm.ko. */
static int ws_stats_line(char *line, const char *path, unsigned int lineno,
			 struct ws_obj *o, bool *seen, FILE *err)
{
	char *val = strchr(line, ' ');
	int k;

	if (!val) {
		ws_err_line(err, path, lineno, "expected 'key value', got '%s'", line);
		return -1;
	}
	*val++ = '\0';
	k = ws_stats_key(line);
	if (k < 0)
		return 0;
	if (seen[k]) {
		ws_err_line(err, path, lineno, "a second '%s' line", line);
		return -1;
	}
	seen[k] = true;
	if (!ws_key_is_str(k)) {
		if (ws_parse_u64(val, &o->num[k]))
			return 0;
		ws_err_line(err, path, lineno, "%s: '%s' is not a decimal number",
			    line, val);
		return -1;
	}
	if (k == WS_DPC && !strcmp(val, "-"))
		return 0;
	o->str[k] = strdup(val);
	if (o->str[k])
		return 0;
	ws_err(err, path, "%s", strerror(errno));
	return -1;
}

/*
 * Read @f line by line, handing each to @fn without its newline; 0, or -1 if
 * @fn failed or the read did, after a message.
 */
static int ws_lines(FILE *f, const char *path, FILE *err,
		    int (*fn)(char *line, unsigned int lineno, void *arg),
		    void *arg)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		ret = fn(line, ++lineno, arg);
	}
	if (!ret && ferror(f)) {
		ws_err(err, path, "%s", strerror(errno));
		ret = -1;
	}
	free(line);
	return ret;
}

struct ws_stats_ctx {
	const char *path;
	struct ws_obj *o;
	bool seen[WS_NKEYS];
	FILE *err;
};

static int ws_stats_fn(char *line, unsigned int lineno, void *arg)
{
	struct ws_stats_ctx *c = arg;

	return ws_stats_line(line, c->path, lineno, c->o, c->seen, c->err);
}

int ws_parse_stats(FILE *f, const char *path, struct ws_obj *o, FILE *err)
{
	struct ws_stats_ctx c = { .path = path, .o = o, .err = err };
	int k;

	if (ws_lines(f, path, err, ws_stats_fn, &c))
		return -1;
	for (k = 0; k < WS_NKEYS; k++) {
		if (!c.seen[k]) {
			ws_err(err, path, "no '%s' line", ws_key_names[k]);
			return -1;
		}
	}
	return 0;
}

struct ws_hist_ctx {
	const char *path;
	struct ws_obj *o;
	bool seen[WS_NHIST];
	FILE *err;
};

/* "<name> c0 c1 ... c31": single spaces, 32 decimal counts. */
static int ws_hist_fn(char *line, unsigned int lineno, void *arg)
{
	struct ws_hist_ctx *c = arg;
	char *save, *tok = strtok_r(line, " ", &save);
	unsigned int n = 0;
	int h;

	for (h = 0; h < WS_NHIST; h++)
		if (tok && !strcmp(tok, ws_hist_names[h]))
			break;
	if (h == WS_NHIST) {
		ws_err_line(c->err, c->path, lineno, "unknown histogram '%s'",
			    tok ? tok : "");
		return -1;
	}
	if (c->seen[h]) {
		ws_err_line(c->err, c->path, lineno, "a second '%s' line", tok);
		return -1;
	}
	c->seen[h] = true;
	while ((tok = strtok_r(NULL, " ", &save))) {
		if (n < WS_BUCKETS && !ws_parse_u64(tok, &c->o->hist[h][n])) {
			ws_err_line(c->err, c->path, lineno,
				    "%s: count %u: '%s' is not a decimal number",
				    ws_hist_names[h], n, tok);
			return -1;
		}
		n++;
	}
	if (n == WS_BUCKETS)
		return 0;
	ws_err_line(c->err, c->path, lineno, "%s: %u counts, expected %d",
		    ws_hist_names[h], n, WS_BUCKETS);
	return -1;
}

int ws_parse_histograms(FILE *f, const char *path, struct ws_obj *o,
			FILE *err)
{
	struct ws_hist_ctx c = { .path = path, .o = o, .err = err };
	int h;

	if (ws_lines(f, path, err, ws_hist_fn, &c))
		return -1;
	for (h = 0; h < WS_NHIST; h++) {
		if (!c.seen[h]) {
			ws_err(err, path, "no '%s' line", ws_hist_names[h]);
			return -1;
		}
	}
	return 0;
}

static void ws_obj_free(struct ws_obj *o)
{
	int k;

	free(o->dir);
	for (k = 0; k < WS_NKEYS; k++)
		free(o->str[k]);
}

/*
 * Parse <dir>/<file> with @parse. 1 if the file is gone (the object went
 * away), 0 if parsed, -1 after a message.
 */
static int ws_obj_file(const struct ws_env *env, const char *dir,
		       const char *file, struct ws_obj *o,
		       int (*parse)(FILE *, const char *, struct ws_obj *, FILE *))
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return 1;
	if (!f) {
		int e = errno;

		ws_err(env->err, path, "%s%s", strerror(e),
		       e == EACCES ? " (run as root)" : "");
		return -1;
	}
	ret = parse(f, path, o, env->err);
	fclose(f);
	return ret;
}

/* Read interrupts/<name>; 1 if it went away meanwhile, 0, or -1. */
static int ws_obj_load(const struct ws_env *env, const char *root,
		       const char *name, struct ws_obj *o)
{
	char dir[PATH_MAX];
	int ret;

	memset(o, 0, sizeof(*o));
	snprintf(dir, sizeof(dir), "%s/interrupts/%s", root, name);
	ret = ws_obj_file(env, dir, "stats", o, ws_parse_stats);
	if (!ret)
		ret = ws_obj_file(env, dir, "histograms", o, ws_parse_histograms);
	if (!ret) {
		o->dir = strdup(name);
		if (o->dir)
			return 0;
		ws_err(env->err, dir, "%s", strerror(errno));
		ret = -1;
	}
	ws_obj_free(o);
	return ret;
}

static int ws_obj_cmp(const void *a, const void *b)
{
	const struct ws_obj *x = a, *y = b;

	if (x->num[WS_IRQ] != y->num[WS_IRQ])
		return x->num[WS_IRQ] < y->num[WS_IRQ] ? -1 : 1;
	return strcmp(x->dir, y->dir);
}

/* Room for one more object; -1 after a message. */
static int ws_snap_grow(const struct ws_env *env, struct ws_snap *snap,
			size_t *cap)
{
	struct ws_obj *obj;

	if (snap->n < *cap)
		return 0;
	obj = reallocarray(snap->obj, *cap ? 2 * *cap : 16, sizeof(*obj));
	if (!obj) {
		ws_err(env->err, snap->root, "%s", strerror(errno));
		return -1;
	}
	snap->obj = obj;
	*cap = *cap ? 2 * *cap : 16;
	return 0;
}

static int ws_snap_read(const struct ws_env *env, struct ws_snap *snap,
			DIR *d)
{
	struct dirent *de;
	size_t cap = 0;
	int ret;

	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (ws_snap_grow(env, snap, &cap))
			return -1;
		ret = ws_obj_load(env, snap->root, de->d_name, &snap->obj[snap->n]);
		if (ret < 0)
			return -1;
		if (!ret)
			snap->n++;
	}
	return 0;
}

int ws_snap_load(const struct ws_env *env, const char *root,
		 struct ws_snap *snap)
{
	char path[PATH_MAX];
	int ret;
	DIR *d;

	memset(snap, 0, sizeof(*snap));
	snap->root = root;
	ret = ws_root_check(env, root);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/interrupts", root);
	d = opendir(path);
	if (!d) {
		ws_err(env->err, path, "%s", strerror(errno));
		return WS_EXIT_FAIL;
	}
	ret = ws_snap_read(env, snap, d);
	closedir(d);
	if (ret) {
		ws_snap_free(snap);
		return WS_EXIT_FAIL;
	}
	qsort(snap->obj, snap->n, sizeof(*snap->obj), ws_obj_cmp);
	return WS_EXIT_OK;
}

void ws_snap_free(struct ws_snap *snap)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		ws_obj_free(&snap->obj[i]);
	free(snap->obj);
	snap->obj = NULL;
	snap->n = 0;
}
