// SPDX-License-Identifier: GPL-2.0
/*
 * wdmstat --json: the snapshot as one JSON document on one line: every
 * object with every "stats" key in the file's order, its three histograms
 * as arrays, their p50 and p99 as bucket upper bounds, and which row of the
 * table is the worst.
 */
#include <stdlib.h>

#include "wdmisr-read.h"
#include "wdmstat.h"

static void ws_json_str(FILE *out, const char *s)
{
	if (s)
		wr_json_str(out, s, SIZE_MAX);
	else
		fputs("null", out);
}

/* Percentile @p of @h as its bucket's upper bound in ns, or null. */
static void ws_json_pct(FILE *out, const uint64_t *h, unsigned int p)
{
	int b = ws_pct_bucket(h, p);

	if (b < 0)
		fputs("null", out);
	else
		fprintf(out, "%llu", 1ULL << (b + 1));
}

static void ws_json_hists(FILE *out, const struct ws_obj *o)
{
	int h, i;

	fputs(",\"histograms\":{", out);
	for (h = 0; h < WS_NHIST; h++) {
		fprintf(out, "%s\"%s\":[", h ? "," : "", ws_hist_name(h));
		for (i = 0; i < WS_BUCKETS; i++)
			fprintf(out, "%s%llu", i ? "," : "",
				(unsigned long long)o->hist[h][i]);
		fputc(']', out);
	}
	fputs("},\"percentiles\":{", out);
	for (h = 0; h < WS_NHIST; h++) {
		fprintf(out, "%s\"%s\":{\"p50\":", h ? "," : "", ws_hist_name(h));
		ws_json_pct(out, o->hist[h], 50);
		fputs(",\"p99\":", out);
		ws_json_pct(out, o->hist[h], 99);
		fputc('}', out);
	}
	fputc('}', out);
}

static void ws_json_obj(FILE *out, const struct ws_obj *o)
{
	int k;

	fputs("{\"object\":", out);
	ws_json_str(out, o->dir);
	for (k = 0; k < WS_NKEYS; k++) {
		fprintf(out, ",\"%s\":", ws_key_name(k));
		if (ws_key_is_str(k))
			ws_json_str(out, o->str[k]);
		else
			fprintf(out, "%llu", (unsigned long long)o->num[k]);
	}
	ws_json_hists(out, o);
	fputc('}', out);
}

/* The table's first row if its maximum is not 0, else null. */
static int ws_json_worst(FILE *out, const struct ws_snap *snap)
{
	struct ws_row *rows;
	size_t n;

	if (!snap->n) {
		fputs("null", out);
		return 0;
	}
	rows = calloc(2 * snap->n, sizeof(*rows));
	if (!rows)
		return -1;
	n = ws_rows(snap, rows);
	if (!n || !rows[0].max_ns) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"kind\":\"%s\",\"object\":", rows[0].dpc ? "DPC" : "ISR");
		ws_json_str(out, rows[0].obj->dir);
		fputs(",\"routine\":", out);
		ws_json_str(out, rows[0].obj->str[rows[0].dpc ? WS_DPC : WS_ISR]);
		fprintf(out, ",\"max_ns\":%llu}", (unsigned long long)rows[0].max_ns);
	}
	free(rows);
	return 0;
}

int ws_json_print(FILE *out, const struct ws_snap *snap)
{
	size_t i;
	int ret;

	fputs("{\"root\":", out);
	ws_json_str(out, snap->root);
	fputs(",\"objects\":[", out);
	for (i = 0; i < snap->n; i++) {
		if (i)
			fputc(',', out);
		ws_json_obj(out, &snap->obj[i]);
	}
	fputs("],\"worst\":", out);
	ret = ws_json_worst(out, snap);
	fputs("}\n", out);
	return ret;
}
