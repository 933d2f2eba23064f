// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture trees for the wdmstat tests, in the layout of wdm.ko's debugfs
 * root, and the in-process runner of wdmstat.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fakewdm.h"
#include "wdmstat.h"

bool wt_wdm_mounted;

static void wt_wdm_die(const char *what, const char *path)
{
	fprintf(stderr, "fake wdm: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

void wt_wdm_path(char *buf, size_t size, const char *base, const char *rel)
{
	snprintf(buf, size, "%s/debug/wdm%s%s", base, rel[0] ? "/" : "", rel);
}

/* mkdir -p of the directory that holds @path */
static void wt_wdm_mkparents(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			wt_wdm_die("mkdir", buf);
		*p = '/';
	}
}

void wt_wdm_write(const char *base, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	wt_wdm_path(path, sizeof(path), base, rel);
	wt_wdm_mkparents(path);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f))
		wt_wdm_die("write", path);
}

char *wt_wdm_read(const char *base, const char *rel)
{
	char path[PATH_MAX], *buf;
	size_t len = 0;
	FILE *f, *m;
	int c;

	wt_wdm_path(path, sizeof(path), base, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

char *wt_wdm_new(void)
{
	char *base = strdup("/tmp/wdmstat-test.XXXXXX");

	if (!base || !mkdtemp(base))
		wt_wdm_die("mkdtemp", "/tmp");
	wt_wdm_write(base, "reset", "");
	wt_wdm_write(base, "interrupts/.keep", "");
	wt_wdm_mounted = true;
	return base;
}

void wt_wdm_hist_line(char *buf, size_t size, const char *name,
		      const char *spec)
{
	unsigned long long count[WS_BUCKETS] = { 0 }, c;
	size_t used;
	unsigned int b;
	int n, i;

	while (spec && sscanf(spec, "%u=%llu%n", &b, &c, &n) == 2 &&
	       b < WS_BUCKETS) {
		count[b] = c;
		spec += n;
	}
	used = snprintf(buf, size, "%s", name);
	for (i = 0; i < WS_BUCKETS && used < size; i++)
		used += snprintf(buf + used, size - used, " %llu", count[i]);
	snprintf(buf + used, size - used, "\n");
}

void wt_wdm_obj(const char *base, const char *dir,
		const struct wt_wdm_stats *st, const char *isr_spec,
		const char *dpc_spec, const char *lat_spec)
{
	char rel[PATH_MAX], text[4096], line[3][512];

	snprintf(text, sizeof(text),
		 "name %s\nirq %u\nmessage %u\nisr %s\ndpc %s\n"
		 "isr_calls %llu\nisr_true %llu\nisr_false %llu\n"
		 "dpc_queued %llu\ndpc_run %llu\n"
		 "isr_max_ns %llu\nisr_max_at_ns %llu\n"
		 "dpc_max_ns %llu\ndpc_max_at_ns %llu\n"
		 "latency_max_ns %llu\nlatency_max_at_ns %llu\n",
		 st->name, st->irq, st->message, st->isr, st->dpc,
		 (unsigned long long)st->isr_calls,
		 (unsigned long long)st->isr_true,
		 (unsigned long long)st->isr_false,
		 (unsigned long long)st->dpc_queued,
		 (unsigned long long)st->dpc_run,
		 (unsigned long long)st->isr_max_ns, 1000000001ULL * st->irq,
		 (unsigned long long)st->dpc_max_ns, 1000000002ULL * st->irq,
		 (unsigned long long)st->latency_max_ns, 1000000003ULL * st->irq);
	snprintf(rel, sizeof(rel), "interrupts/%s/stats", dir);
	wt_wdm_write(base, rel, text);
	wt_wdm_hist_line(line[0], sizeof(line[0]), "isr_ns", isr_spec);
	wt_wdm_hist_line(line[1], sizeof(line[1]), "dpc_ns", dpc_spec);
	wt_wdm_hist_line(line[2], sizeof(line[2]), "latency_ns", lat_spec);
	snprintf(text, sizeof(text), "%s%s%s", line[0], line[1], line[2]);
	snprintf(rel, sizeof(rel), "interrupts/%s/histograms", dir);
	wt_wdm_write(base, rel, text);
	snprintf(rel, sizeof(rel), "interrupts/%s/reset", dir);
	wt_wdm_write(base, rel, "");
}

static bool wt_wdm_is_debugfs(const char *path)
{
	(void)path;
	return wt_wdm_mounted;
}

void wt_ws_run(struct wt_run *r, const char *base, bool tty, ...)
{
	const char *argv[64] = { "wdmstat" };
	char debugfs[PATH_MAX];
	struct ws_env env;
	const char *arg;
	int argc = 1;
	va_list ap;

	va_start(ap, tty);
	while ((arg = va_arg(ap, const char *)) && argc < 63)
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = NULL;

	snprintf(debugfs, sizeof(debugfs), "%s/debug", base);
	wt_cap_open(&r->out);
	wt_cap_open(&r->err);
	env.out = r->out.f;
	env.err = r->err.f;
	env.out_tty = tty;
	env.debugfs = debugfs;
	env.is_debugfs = wt_wdm_is_debugfs;
	r->status = ws_main(argc, (char **)argv, &env);
	wt_cap_str(&r->out);
	wt_cap_str(&r->err);
}
