// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat's table. Each interrupt object gives a row for its ISR and, once a
 * DPC ran for it, a row for that DPC routine. A log2 histogram only knows
 * which power-of-two bucket a duration fell in, so a percentile is shown as
 * the upper bound of its bucket ("<=32.8 us"); the maximum is exact. Rows
 * come sorted by their maximum, the worst first and marked.
 */
#include <stdlib.h>
#include <string.h>

#include "wdmstat.h"

int ws_pct_bucket(const uint64_t *h, unsigned int p)
{
	uint64_t total = 0, want, sum = 0;
	int i;

	for (i = 0; i < WS_BUCKETS; i++)
		total += h[i];
	if (!total)
		return -1;
	/* ceil(total * p / 100) without overflowing total * p */
	want = total / 100 * p + ((total % 100) * p + 99) / 100;
	for (i = 0; i < WS_BUCKETS - 1; i++) {
		sum += h[i];
		if (sum >= want)
			break;
	}
	return i;
}

void ws_fmt_ns(char *buf, size_t size, uint64_t ns)
{
	static const struct {
		uint64_t ns;
		const char *name;
	} unit[] = {
		{ 1000, "us" }, { 1000000, "ms" }, { 1000000000, "s" },
	};
	uint64_t tenths = 0;
	size_t i;

	if (ns < 1000) {
		snprintf(buf, size, "%llu ns", (unsigned long long)ns);
		return;
	}
	/* the smallest unit that keeps the value below 1000.0 */
	for (i = 0; i < sizeof(unit) / sizeof(unit[0]); i++) {
		uint64_t tenth = unit[i].ns / 10;

		tenths = ns / tenth + (ns % tenth >= tenth / 2);
		if (tenths < 10000)
			break;
	}
	if (i == sizeof(unit) / sizeof(unit[0]))
		i--;
	snprintf(buf, size, "%llu.%llu %s", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10), unit[i].name);
}

void ws_fmt_pct(char *buf, size_t size, const uint64_t *h, unsigned int p)
{
	int b = ws_pct_bucket(h, p);
	char val[WS_CELL];

	if (b < 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (b == WS_BUCKETS - 1) {	/* everything from 2^31 ns up */
		ws_fmt_ns(val, sizeof(val), 1ULL << b);
		snprintf(buf, size, ">=%s", val);
		return;
	}
	ws_fmt_ns(val, sizeof(val), 1ULL << (b + 1));
	snprintf(buf, size, "<=%s", val);
}

static bool ws_obj_has_dpc(const struct ws_obj *o)
{
	return o->str[WS_DPC] || o->num[WS_DPC_RUN];
}

static int ws_row_cmp(const void *a, const void *b)
{
	const struct ws_row *x = a, *y = b;

	if (x->max_ns != y->max_ns)
		return x->max_ns > y->max_ns ? -1 : 1;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->dpc - y->dpc;
}

size_t ws_rows(const struct ws_snap *snap, struct ws_row *rows)
{
	size_t i, n = 0;

	for (i = 0; i < snap->n; i++) {
		const struct ws_obj *o = &snap->obj[i];

		rows[n++] = (struct ws_row){ o, false, o->num[WS_ISR_MAX_NS] };
		if (ws_obj_has_dpc(o))
			rows[n++] = (struct ws_row){ o, true, o->num[WS_DPC_MAX_NS] };
	}
	qsort(rows, n, sizeof(*rows), ws_row_cmp);
	return n;
}

/* The columns, with how each is aligned. */
enum {
	WS_COL_KIND,
	WS_COL_ROUTINE,
	WS_COL_INTERRUPT,
	WS_COL_IRQ,
	WS_COL_COUNT,
	WS_COL_TRUE,
	WS_COL_FALSE,
	WS_COL_P50,
	WS_COL_P99,
	WS_COL_MAX,
	WS_COL_LAT_P50,
	WS_COL_LAT_P99,
	WS_COL_LAT_MAX,
	WS_NCOLS,
};

static const char *const ws_col_head[WS_NCOLS] = {
	"kind", "routine", "interrupt", "irq", "count", "true", "false",
	"p50", "p99", "max", "lat_p50", "lat_p99", "lat_max",
};

/* The routine and interrupt names are cut to this many bytes. */
#define WS_NAME_MAX	64

struct ws_cells {
	char c[WS_NCOLS][WS_NAME_MAX + 1];
};

static void ws_cell_u64(char *buf, uint64_t v)
{
	snprintf(buf, WS_NAME_MAX + 1, "%llu", (unsigned long long)v);
}

static void ws_row_cells(const struct ws_row *r, struct ws_cells *cl)
{
	const struct ws_obj *o = r->obj;
	char (*c)[WS_NAME_MAX + 1] = cl->c;
	const char *routine = r->dpc ? o->str[WS_DPC] : o->str[WS_ISR];
	enum ws_hist h = r->dpc ? WS_HIST_DPC : WS_HIST_ISR;
	int i;

	snprintf(c[WS_COL_KIND], sizeof(c[0]), "%s", r->dpc ? "DPC" : "ISR");
	snprintf(c[WS_COL_ROUTINE], sizeof(c[0]), "%s", routine ? routine : "-");
	snprintf(c[WS_COL_INTERRUPT], sizeof(c[0]), "%s", o->str[WS_NAME]);
	ws_cell_u64(c[WS_COL_IRQ], o->num[WS_IRQ]);
	ws_cell_u64(c[WS_COL_COUNT], o->num[r->dpc ? WS_DPC_RUN : WS_ISR_CALLS]);
	for (i = WS_COL_TRUE; i < WS_NCOLS; i++)
		snprintf(c[i], sizeof(c[0]), "-");
	if (!r->dpc) {
		ws_cell_u64(c[WS_COL_TRUE], o->num[WS_ISR_TRUE]);
		ws_cell_u64(c[WS_COL_FALSE], o->num[WS_ISR_FALSE]);
	}
	ws_fmt_pct(c[WS_COL_P50], sizeof(c[0]), o->hist[h], 50);
	ws_fmt_pct(c[WS_COL_P99], sizeof(c[0]), o->hist[h], 99);
	ws_fmt_ns(c[WS_COL_MAX], sizeof(c[0]), r->max_ns);
	if (r->dpc) {
		ws_fmt_pct(c[WS_COL_LAT_P50], sizeof(c[0]),
			   o->hist[WS_HIST_LATENCY], 50);
		ws_fmt_pct(c[WS_COL_LAT_P99], sizeof(c[0]),
			   o->hist[WS_HIST_LATENCY], 99);
		ws_fmt_ns(c[WS_COL_LAT_MAX], sizeof(c[0]),
			  o->num[WS_LATENCY_MAX_NS]);
	}
}

/* One line: a marker column, then the cells, text left and numbers right. */
static void ws_line(FILE *out, const int *width, const char *const *cell,
		    const char *mark, const char *on, const char *off)
{
	int i;

	fprintf(out, "%s%s", on, mark);
	for (i = 0; i < WS_NCOLS; i++) {
		if (i <= WS_COL_INTERRUPT)
			fprintf(out, "  %-*s", width[i], cell[i]);
		else
			fprintf(out, "  %*s", width[i], cell[i]);
	}
	fprintf(out, "%s\n", off);
}

static void ws_table_lines(FILE *out, const struct ws_row *rows,
			   const struct ws_cells *cl, size_t n, bool tty)
{
	const char *cell[WS_NCOLS];
	int width[WS_NCOLS];
	size_t r;
	int i;

	for (i = 0; i < WS_NCOLS; i++)
		width[i] = strlen(ws_col_head[i]);
	for (r = 0; r < n; r++)
		for (i = 0; i < WS_NCOLS; i++)
			if ((int)strlen(cl[r].c[i]) > width[i])
				width[i] = strlen(cl[r].c[i]);
	ws_line(out, width, ws_col_head, " ", "", "");
	for (r = 0; r < n; r++) {
		bool worst = rows[r].max_ns && rows[r].max_ns == rows[0].max_ns;

		for (i = 0; i < WS_NCOLS; i++)
			cell[i] = cl[r].c[i];
		if (worst && tty)
			ws_line(out, width, cell, " ", "\033[1;7m", "\033[0m");
		else
			ws_line(out, width, cell, worst ? "*" : " ", "", "");
	}
}

int ws_table_print(FILE *out, const struct ws_snap *snap, bool tty)
{
	struct ws_cells *cl;
	struct ws_row *rows;
	size_t n, r;

	if (!snap->n) {
		fprintf(out, "no interrupt objects in %s/interrupts\n", snap->root);
		return 0;
	}
	rows = calloc(2 * snap->n, sizeof(*rows));
	cl = calloc(2 * snap->n, sizeof(*cl));
	if (!rows || !cl) {
		free(rows);
		free(cl);
		return -1;
	}
	n = ws_rows(snap, rows);
	for (r = 0; r < n; r++)
		ws_row_cells(&rows[r], &cl[r]);
	ws_table_lines(out, rows, cl, n, tty);
	free(rows);
	free(cl);
	return 0;
}
