// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read --stats and --reset-stats. The counters print as an aligned
 * table or as one JSON object with the table's column names as keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "wdmisr-read.h"

#define WR_STATS_COLS	9	/* vector label and eight counters */

static const char *const wr_stats_head[WR_STATS_COLS] = {
	"vector", "interrupts", "true", "false", "dpc_queued", "dpc_run",
	"events", "dropped", "malformed",
};

/* The eight counters of @v in column order. */
static void wr_stats_values(const struct wdmisr_vector_stats *v,
			    unsigned long long *val)
{
	val[0] = v->interrupts;
	val[1] = v->isr_true;
	val[2] = v->isr_false;
	val[3] = v->dpc_queued;
	val[4] = v->dpc_run;
	val[5] = v->events;
	val[6] = v->dropped;
	val[7] = v->malformed;
}

static void wr_stats_add(struct wdmisr_vector_stats *t,
			 const struct wdmisr_vector_stats *v)
{
	t->interrupts += v->interrupts;
	t->isr_true += v->isr_true;
	t->isr_false += v->isr_false;
	t->dpc_queued += v->dpc_queued;
	t->dpc_run += v->dpc_run;
	t->events += v->events;
	t->dropped += v->dropped;
	t->malformed += v->malformed;
}

/* Widen the columns so that every counter of @v fits. */
static void wr_stats_widen(int *width, const struct wdmisr_vector_stats *v)
{
	unsigned long long val[WR_STATS_COLS - 1];
	int i, w;

	wr_stats_values(v, val);
	for (i = 0; i < WR_STATS_COLS - 1; i++) {
		w = snprintf(NULL, 0, "%llu", val[i]);
		if (w > width[i + 1])
			width[i + 1] = w;
	}
}

static void wr_stats_row(FILE *out, const int *width, const char *label,
			 const struct wdmisr_vector_stats *v)
{
	unsigned long long val[WR_STATS_COLS - 1];
	int i;

	wr_stats_values(v, val);
	fprintf(out, "%*s", width[0], label);
	for (i = 0; i < WR_STATS_COLS - 1; i++)
		fprintf(out, "  %*llu", width[i + 1], val[i]);
	fputc('\n', out);
}

/* The vectors in use, at most WDMISR_MAX_VECTORS. */
static unsigned int wr_stats_nvectors(const struct wdmisr_stats *st)
{
	return st->nvectors < WDMISR_MAX_VECTORS ? st->nvectors :
						   WDMISR_MAX_VECTORS;
}

void wr_stats_print(FILE *out, const struct wdmisr_stats *st)
{
	struct wdmisr_vector_stats total = { 0 };
	unsigned int i, n = wr_stats_nvectors(st);
	int width[WR_STATS_COLS];
	char label[12];

	for (i = 0; i < WR_STATS_COLS; i++)
		width[i] = strlen(wr_stats_head[i]);
	for (i = 0; i < n; i++) {
		wr_stats_add(&total, &st->v[i]);
		wr_stats_widen(width, &st->v[i]);
	}
	wr_stats_widen(width, &total);

	fprintf(out, "%*s", width[0], wr_stats_head[0]);
	for (i = 1; i < WR_STATS_COLS; i++)
		fprintf(out, "  %*s", width[i], wr_stats_head[i]);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%u", i);
		wr_stats_row(out, width, label, &st->v[i]);
	}
	wr_stats_row(out, width, "total", &total);
}

/* The eight counters of @v as JSON members, separated by commas. */
static void wr_stats_json_counters(FILE *out,
				   const struct wdmisr_vector_stats *v)
{
	unsigned long long val[WR_STATS_COLS - 1];
	int i;

	wr_stats_values(v, val);
	for (i = 0; i < WR_STATS_COLS - 1; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "",
			wr_stats_head[i + 1], val[i]);
}

void wr_stats_print_json(FILE *out, const struct wdmisr_stats *st)
{
	struct wdmisr_vector_stats total = { 0 };
	unsigned int i, n = wr_stats_nvectors(st);

	fputs("{\"vectors\":[", out);
	for (i = 0; i < n; i++) {
		wr_stats_add(&total, &st->v[i]);
		fprintf(out, "%s{\"%s\":%u,", i ? "," : "", wr_stats_head[0], i);
		wr_stats_json_counters(out, &st->v[i]);
		fputc('}', out);
	}
	fputs("],\"total\":{", out);
	wr_stats_json_counters(out, &total);
	fputs("}}\n", out);
}

/* Open @path and issue @request; 0 or -1 after printing why. */
static int wr_stats_ioctl(const struct wr_env *env, const char *path,
			  unsigned long request, const char *name, void *arg)
{
	int fd, ret;

	fd = wr_dev_open(env, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = env->ops->ioctl(fd, request, arg);
	if (ret < 0)
		wr_err_errno(env->err, path, name, errno);
	env->ops->close(fd);
	return ret < 0 ? -1 : 0;
}

int wr_stats_run(const struct wr_env *env, const char *path,
		 enum wr_format format)
{
	struct wdmisr_stats st = { 0 };

	if (wr_stats_ioctl(env, path, WDMISR_IOC_STATS, "WDMISR_IOC_STATS", &st))
		return WR_EXIT_FAIL;
	if (format == WR_FMT_JSON)
		wr_stats_print_json(env->out, &st);
	else
		wr_stats_print(env->out, &st);
	return WR_EXIT_OK;
}

int wr_stats_reset_run(const struct wr_env *env, const char *path)
{
	if (wr_stats_ioctl(env, path, WDMISR_IOC_RESET_STATS,
			   "WDMISR_IOC_RESET_STATS", NULL))
		return WR_EXIT_FAIL;
	return WR_EXIT_OK;
}
