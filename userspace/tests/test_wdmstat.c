// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of wdmstat in-process, against fixture trees in the layout of
 * wdm.ko's debugfs root: percentiles from known histograms, the table's
 * cells, order and marker, the JSON values, --reset, --watch, the command
 * line, and the messages and exit status of each failure.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakesysfs.h"
#include "fakewdm.h"
#include "harness.h"
#include "wdmstat.h"

#define OBJ_A	"25-wdm-msix[0](0000:00:04.0)"
#define OBJ_B	"11-wdm-intx(0000:00:05.0)"
#define OBJ_C	"26-wdm-msix[1](0000:00:04.0)"

/*
 * An edu-like MSI-X vector: 90 ISR calls in bucket 10, 10 in bucket 14; of
 * 92 DPCs queued 90 ran (count shows runs).
 */
static const struct wt_wdm_stats st_a = {
	.name = "wdm-msix[0](0000:00:04.0)", .irq = 25, .message = 0,
	.isr = "EduIsr [edu_wdm]", .dpc = "EduDpcForIsr [edu_wdm]",
	.isr_calls = 100, .isr_true = 90, .isr_false = 10,
	.dpc_queued = 92, .dpc_run = 90,
	.isr_max_ns = 30000, .dpc_max_ns = 20000, .latency_max_ns = 9000,
};

/* An ISR that stalls 212 us and never queued a DPC. */
static const struct wt_wdm_stats st_b = {
	.name = "wdm-intx(0000:00:05.0)", .irq = 11, .message = 0,
	.isr = "BadIsr [wdm_bad]", .dpc = "-",
	.isr_calls = 5, .isr_true = 5, .isr_false = 0,
	.isr_max_ns = 212000,
};

/* A DPC that stalls 2 ms, and one latency in the open last bucket. */
static const struct wt_wdm_stats st_c = {
	.name = "wdm-msix[1](0000:00:04.0)", .irq = 26, .message = 1,
	.isr = "EduIsr [edu_wdm]", .dpc = "EduDpcForIsr [edu_wdm]",
	.isr_calls = 3, .isr_true = 3, .isr_false = 0,
	.dpc_queued = 3, .dpc_run = 3,
	.isr_max_ns = 800, .dpc_max_ns = 2003000, .latency_max_ns = 2500000000ULL,
};

/* The three objects above in a new tree. */
static char *fixture_abc(void)
{
	char *base = wt_wdm_new();

	wt_wdm_obj(base, OBJ_A, &st_a, "10=90 14=10", "12=80 14=10", "11=90");
	wt_wdm_obj(base, OBJ_B, &st_b, "17=5", "", "");
	wt_wdm_obj(base, OBJ_C, &st_c, "9=3", "20=3", "13=2 31=1");
	return base;
}

/*
 * The table of fixture_abc(), worked out by hand from the histograms:
 * C's DPC (2.0 ms) is the worst, then B's ISR (212 us), A's ISR (30 us),
 * A's DPC (20 us), C's ISR (800 ns).
 */
#define TABLE_HEAD \
	"   kind  routine                 interrupt                  irq  count  true  false         p50         p99       max    lat_p50   lat_p99  lat_max\n"
#define TABLE_C_DPC \
	"  DPC   EduDpcForIsr [edu_wdm]  wdm-msix[1](0000:00:04.0)   26      3     -      -    <=2.1 ms    <=2.1 ms    2.0 ms  <=16.4 us   >=2.1 s    2.5 s"
#define TABLE_REST \
	"   ISR   BadIsr [wdm_bad]        wdm-intx(0000:00:05.0)      11      5     5      0  <=262.1 us  <=262.1 us  212.0 us          -         -        -\n" \
	"   ISR   EduIsr [edu_wdm]        wdm-msix[0](0000:00:04.0)   25    100    90     10    <=2.0 us   <=32.8 us   30.0 us          -         -        -\n" \
	"   DPC   EduDpcForIsr [edu_wdm]  wdm-msix[0](0000:00:04.0)   25     90     -      -    <=8.2 us   <=32.8 us   20.0 us   <=4.1 us  <=4.1 us   9.0 us\n" \
	"   ISR   EduIsr [edu_wdm]        wdm-msix[1](0000:00:04.0)   26      3     3      0    <=1.0 us    <=1.0 us    800 ns          -         -        -\n"

static void t_pct_bucket(void)
{
	uint64_t h[WS_BUCKETS] = { 0 };

	WT_EXPECT_INT(ws_pct_bucket(h, 50), -1);
	h[10] = 90;
	h[14] = 10;
	WT_EXPECT_INT(ws_pct_bucket(h, 50), 10);
	WT_EXPECT_INT(ws_pct_bucket(h, 90), 10);	/* exactly 90 of 100 */
	WT_EXPECT_INT(ws_pct_bucket(h, 91), 14);
	WT_EXPECT_INT(ws_pct_bucket(h, 99), 14);
	WT_EXPECT_INT(ws_pct_bucket(h, 100), 14);
	/* 3 samples: p50 needs ceil(1.5) = 2 of them, p99 ceil(2.97) = 3 */
	memset(h, 0, sizeof(h));
	h[0] = h[1] = h[2] = 1;
	WT_EXPECT_INT(ws_pct_bucket(h, 50), 1);
	WT_EXPECT_INT(ws_pct_bucket(h, 99), 2);
	WT_EXPECT_INT(ws_pct_bucket(h, 33), 0);
	WT_EXPECT_INT(ws_pct_bucket(h, 34), 1);
	/* counts whose total * p overflows 64 bits */
	memset(h, 0, sizeof(h));
	h[5] = 1000000000000000000ULL;
	h[6] = 1000000000000000000ULL;
	WT_EXPECT_INT(ws_pct_bucket(h, 50), 5);
	WT_EXPECT_INT(ws_pct_bucket(h, 51), 6);
	memset(h, 0, sizeof(h));
	h[31] = 1;
	WT_EXPECT_INT(ws_pct_bucket(h, 50), 31);
}

static void t_fmt(void)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} t[] = {
		{ 0, "0 ns" }, { 2, "2 ns" }, { 999, "999 ns" },
		{ 1000, "1.0 us" }, { 1049, "1.0 us" }, { 1050, "1.1 us" },
		{ 2048, "2.0 us" }, { 5123, "5.1 us" }, { 32768, "32.8 us" },
		{ 999949, "999.9 us" }, { 999950, "1.0 ms" },
		{ 2003000, "2.0 ms" }, { 2147483648ULL, "2.1 s" },
		{ 2500000000ULL, "2.5 s" },
		{ UINT64_MAX, "18446744073.7 s" },
	};
	uint64_t h[WS_BUCKETS] = { 0 };
	char buf[WS_CELL];
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		ws_fmt_ns(buf, sizeof(buf), t[i].ns);
		if (!WT_EXPECT_STR(buf, t[i].want))
			printf("#   for %llu ns\n", (unsigned long long)t[i].ns);
	}
	ws_fmt_pct(buf, sizeof(buf), h, 50);
	WT_EXPECT_STR(buf, "-");
	h[10] = 90;
	h[14] = 10;
	ws_fmt_pct(buf, sizeof(buf), h, 50);
	WT_EXPECT_STR(buf, "<=2.0 us");	/* 2^11 ns */
	ws_fmt_pct(buf, sizeof(buf), h, 99);
	WT_EXPECT_STR(buf, "<=32.8 us");	/* 2^15 ns */
	memset(h, 0, sizeof(h));
	h[0] = 7;
	ws_fmt_pct(buf, sizeof(buf), h, 99);
	WT_EXPECT_STR(buf, "<=2 ns");
	h[31] = 700;
	ws_fmt_pct(buf, sizeof(buf), h, 50);
	WT_EXPECT_STR(buf, ">=2.1 s");
}

/* Parse @text with @parse into @o; the return value, messages into @err. */
static int parse_text(int (*parse)(FILE *, const char *, struct ws_obj *, FILE *),
		      const char *text, struct ws_obj *o, struct wt_cap *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(o, 0, sizeof(*o));
	wt_cap_open(err);
	ret = parse(f, "X/stats", o, err->f);
	fclose(f);
	wt_cap_str(err);
	return ret;
}

static void obj_free(struct ws_obj *o)
{
	int k;

	for (k = 0; k < WS_NKEYS; k++)
		free(o->str[k]);
}

#define STATS_OK \
	"name wdm-msix[0](0000:00:04.0)\nirq 25\nmessage 0\nisr EduIsr [edu_wdm]\n" \
	"dpc -\nisr_calls 1000\nisr_true 990\nisr_false 10\ndpc_queued 990\n" \
	"dpc_run 990\nisr_max_ns 5123\nisr_max_at_ns 123456789\ndpc_max_ns 20000\n" \
	"dpc_max_at_ns 123456999\nlatency_max_ns 9000\nlatency_max_at_ns 18446744073709551615\n"

static void t_parse_stats(void)
{
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "irq 25x\n", "wdmstat: X/stats:1: irq: '25x' is not a decimal number\n" },
		{ "name a\nirq -1\n", "wdmstat: X/stats:2: irq: '-1' is not a decimal number\n" },
		{ "name a\nirq 18446744073709551616\n",
		  "wdmstat: X/stats:2: irq: '18446744073709551616' is not a decimal number\n" },
		{ "name a\nisr_calls\n", "wdmstat: X/stats:2: expected 'key value', got 'isr_calls'\n" },
		{ "name a\nname b\n", "wdmstat: X/stats:2: a second 'name' line\n" },
		{ "name a\n", "wdmstat: X/stats: no 'irq' line\n" },
		{ "", "wdmstat: X/stats: no 'name' line\n" },
	};
	struct wt_cap err;
	struct ws_obj o;
	size_t i;

	WT_EXPECT_INT(parse_text(ws_parse_stats, "future_key 7 8\n" STATS_OK, &o, &err), 0);
	WT_EXPECT_STR(err.buf, "");
	WT_EXPECT_STR(o.str[WS_NAME], "wdm-msix[0](0000:00:04.0)");
	WT_EXPECT_STR(o.str[WS_ISR], "EduIsr [edu_wdm]");
	WT_EXPECT_TRUE(o.str[WS_DPC] == NULL);
	WT_EXPECT_INT(o.num[WS_IRQ], 25);
	WT_EXPECT_INT(o.num[WS_ISR_CALLS], 1000);
	WT_EXPECT_INT(o.num[WS_ISR_TRUE], 990);
	WT_EXPECT_INT(o.num[WS_ISR_FALSE], 10);
	WT_EXPECT_INT(o.num[WS_DPC_RUN], 990);
	WT_EXPECT_INT(o.num[WS_ISR_MAX_NS], 5123);
	WT_EXPECT_INT(o.num[WS_LATENCY_MAX_NS], 9000);
	WT_EXPECT_TRUE(o.num[WS_LATENCY_MAX_AT_NS] == UINT64_MAX);
	obj_free(&o);
	wt_cap_close(&err);

	for (i = 0; i < WT_ARRAY_SIZE(bad); i++) {
		if (!WT_EXPECT_INT(parse_text(ws_parse_stats, bad[i].text, &o, &err), -1) ||
		    !WT_EXPECT_STR(err.buf, bad[i].err))
			printf("#   for case %zu\n", i);
		obj_free(&o);
		wt_cap_close(&err);
	}
}

static void t_parse_histograms(void)
{
	char ok[3][512], text[2048];
	struct wt_cap err;
	struct ws_obj o;

	wt_wdm_hist_line(ok[0], sizeof(ok[0]), "isr_ns", "0=1 10=90 14=10 31=4");
	wt_wdm_hist_line(ok[1], sizeof(ok[1]), "dpc_ns", "12=80");
	wt_wdm_hist_line(ok[2], sizeof(ok[2]), "latency_ns", "11=90");
	/* in any order */
	snprintf(text, sizeof(text), "%s%s%s", ok[2], ok[0], ok[1]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), 0);
	WT_EXPECT_STR(err.buf, "");
	WT_EXPECT_INT(o.hist[WS_HIST_ISR][0], 1);
	WT_EXPECT_INT(o.hist[WS_HIST_ISR][10], 90);
	WT_EXPECT_INT(o.hist[WS_HIST_ISR][14], 10);
	WT_EXPECT_INT(o.hist[WS_HIST_ISR][31], 4);
	WT_EXPECT_INT(o.hist[WS_HIST_DPC][12], 80);
	WT_EXPECT_INT(o.hist[WS_HIST_LATENCY][11], 90);
	WT_EXPECT_INT(o.hist[WS_HIST_LATENCY][12], 0);
	wt_cap_close(&err);

	snprintf(text, sizeof(text), "%sdpc_ns 1 2 3\n", ok[0]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats:2: dpc_ns: 3 counts, expected 32\n");
	wt_cap_close(&err);
	/* 33 counts */
	snprintf(text, sizeof(text), "%.*s 5\n", (int)strlen(ok[0]) - 1, ok[0]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats:1: isr_ns: 33 counts, expected 32\n");
	wt_cap_close(&err);
	snprintf(text, sizeof(text), "%s%sisr_ns x\n", ok[1], ok[2]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats:3: isr_ns: count 0: 'x' is not a decimal number\n");
	wt_cap_close(&err);
	snprintf(text, sizeof(text), "%s%s", ok[0], ok[1]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats: no 'latency_ns' line\n");
	wt_cap_close(&err);
	snprintf(text, sizeof(text), "%s%s", ok[0], ok[0]);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, text, &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats:2: a second 'isr_ns' line\n");
	wt_cap_close(&err);
	WT_EXPECT_INT(parse_text(ws_parse_histograms, "irq_ns 1\n", &o, &err), -1);
	WT_EXPECT_STR(err.buf, "wdmstat: X/stats:1: unknown histogram 'irq_ns'\n");
	wt_cap_close(&err);
}

static void t_table(void)
{
	char *base = fixture_abc();
	struct wt_run r;

	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	WT_EXPECT_STR(r.out.buf, TABLE_HEAD "*" TABLE_C_DPC "\n" TABLE_REST);
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
	/* on a terminal: the worst row bold and inverse, no marker */
	wt_ws_run(&r, base, true, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	WT_EXPECT_STR(r.out.buf, TABLE_HEAD "\033[1;7m " TABLE_C_DPC "\033[0m\n" TABLE_REST);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

/* Equal maxima are all marked; a maximum of 0 marks nothing. */
static void t_table_marks(void)
{
	struct wt_wdm_stats b2 = st_b;
	char *base = wt_wdm_new();
	struct wt_run r;

	b2.isr_calls = b2.isr_true = b2.isr_max_ns = 0;
	wt_wdm_obj(base, OBJ_B, &b2, "", "", "");
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	WT_EXPECT_STR(r.out.buf,
		      "   kind  routine           interrupt               irq  count  true  false  p50  p99   max  lat_p50  lat_p99  lat_max\n"
		      "   ISR   BadIsr [wdm_bad]  wdm-intx(0000:00:05.0)   11      0     0      0    -    -  0 ns        -        -        -\n");
	wt_run_free(&r);

	b2 = st_b;
	b2.name = "wdm-intx(0000:00:06.0)";
	b2.irq = 10;
	wt_wdm_obj(base, OBJ_B, &st_b, "17=5", "", "");
	wt_wdm_obj(base, "10-wdm-intx(0000:00:06.0)", &b2, "17=5", "", "");
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_STR(r.out.buf,
		      "   kind  routine           interrupt               irq  count  true  false         p50         p99       max  lat_p50  lat_p99  lat_max\n"
		      "*  ISR   BadIsr [wdm_bad]  wdm-intx(0000:00:06.0)   10      5     5      0  <=262.1 us  <=262.1 us  212.0 us        -        -        -\n"
		      "*  ISR   BadIsr [wdm_bad]  wdm-intx(0000:00:05.0)   11      5     5      0  <=262.1 us  <=262.1 us  212.0 us        -        -        -\n");
	wt_run_free(&r);
	wt_sysfs_free(base);
}

/* An object without a stats file went away while it was read: left out. */
static void t_table_vanished(void)
{
	char *base = wt_wdm_new();
	struct wt_run r;

	wt_wdm_obj(base, OBJ_B, &st_b, "17=5", "", "");
	wt_wdm_write(base, "interrupts/12-gone/reset", "");
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	WT_EXPECT_STR(r.out.buf,
		      "   kind  routine           interrupt               irq  count  true  false         p50         p99       max  lat_p50  lat_p99  lat_max\n"
		      "*  ISR   BadIsr [wdm_bad]  wdm-intx(0000:00:05.0)   11      5     5      0  <=262.1 us  <=262.1 us  212.0 us        -        -        -\n");
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_empty(void)
{
	char *base = wt_wdm_new();
	char want[PATH_MAX + 64];
	struct wt_run r;

	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	snprintf(want, sizeof(want), "no interrupt objects in %s/debug/wdm/interrupts\n", base);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
	wt_ws_run(&r, base, false, "--json", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	snprintf(want, sizeof(want), "{\"root\":\"%s/debug/wdm\",\"objects\":[],\"worst\":null}\n",
		 base);
	WT_EXPECT_STR(r.out.buf, want);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

#define ZEROS8	"0,0,0,0,0,0,0,0"

static void t_json(void)
{
	char *base = wt_wdm_new(), want[4096];
	struct wt_run r;

	wt_wdm_obj(base, OBJ_A, &st_a, "10=90 14=10", "12=80 14=10", "11=90");
	wt_ws_run(&r, base, false, "--root", "", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_USAGE);
	wt_run_free(&r);
	wt_ws_run(&r, base, false, "-j", NULL);
	snprintf(want, sizeof(want),
		 "{\"root\":\"%s/debug/wdm\",\"objects\":[{\"object\":\"" OBJ_A "\","
		 "\"name\":\"wdm-msix[0](0000:00:04.0)\",\"irq\":25,\"message\":0,"
		 "\"isr\":\"EduIsr [edu_wdm]\",\"dpc\":\"EduDpcForIsr [edu_wdm]\","
		 "\"isr_calls\":100,\"isr_true\":90,\"isr_false\":10,\"dpc_queued\":92,"
		 "\"dpc_run\":90,\"isr_max_ns\":30000,\"isr_max_at_ns\":25000000025,"
		 "\"dpc_max_ns\":20000,\"dpc_max_at_ns\":25000000050,"
		 "\"latency_max_ns\":9000,\"latency_max_at_ns\":25000000075,"
		 "\"histograms\":{"
		 "\"isr_ns\":[" ZEROS8 ",0,0,90,0,0,0,10,0," ZEROS8 "," ZEROS8 "],"
		 "\"dpc_ns\":[" ZEROS8 ",0,0,0,0,80,0,10,0," ZEROS8 "," ZEROS8 "],"
		 "\"latency_ns\":[" ZEROS8 ",0,0,0,90,0,0,0,0," ZEROS8 "," ZEROS8 "]},"
		 "\"percentiles\":{\"isr_ns\":{\"p50\":2048,\"p99\":32768},"
		 "\"dpc_ns\":{\"p50\":8192,\"p99\":32768},"
		 "\"latency_ns\":{\"p50\":4096,\"p99\":4096}}}],"
		 "\"worst\":{\"kind\":\"ISR\",\"object\":\"" OBJ_A "\","
		 "\"routine\":\"EduIsr [edu_wdm]\",\"max_ns\":30000}}\n", base);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);
	wt_sysfs_free(base);
}

/* The objects of the JSON of fixture_abc(): order, nulls, open bucket. */
static void t_json_abc(void)
{
	char *base = fixture_abc();
	const char *b, *a, *c;
	struct wt_run r;

	wt_ws_run(&r, base, false, "--json", NULL);
	WT_ASSERT_INT(r.status, WS_EXIT_OK);
	b = strstr(r.out.buf, "{\"object\":\"" OBJ_B "\"");
	a = strstr(r.out.buf, "{\"object\":\"" OBJ_A "\"");
	c = strstr(r.out.buf, "{\"object\":\"" OBJ_C "\"");
	WT_ASSERT_TRUE(a && b && c);
	WT_EXPECT_TRUE(b < a && a < c);		/* by IRQ: 11, 25, 26 */
	WT_EXPECT_TRUE(strstr(b, "\"dpc\":null,") != NULL);
	WT_EXPECT_TRUE(strstr(b, "\"dpc_ns\":{\"p50\":null,\"p99\":null}") != NULL);
	WT_EXPECT_TRUE(strstr(c, "\"latency_ns\":{\"p50\":16384,\"p99\":4294967296}") != NULL);
	WT_EXPECT_TRUE(strstr(c, "\"worst\":{\"kind\":\"DPC\",\"object\":\"" OBJ_C
			      "\",\"routine\":\"EduDpcForIsr [edu_wdm]\",\"max_ns\":2003000}}\n") != NULL);
	WT_EXPECT_INT(strchr(r.out.buf, '\n') - r.out.buf, strlen(r.out.buf) - 1);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_watch(void)
{
	char *base = fixture_abc(), title[PATH_MAX + 64], want[8192];
	const char *p;
	struct wt_run r;
	int i;

	wt_ws_run(&r, base, false, "--watch", "0.01", "-n", "3", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	want[0] = '\0';
	for (i = 1; i <= 3; i++) {
		snprintf(title, sizeof(title),
			 "wdmstat: %s/debug/wdm: refresh %d, every 0.01 s\n", base, i);
		strcat(want, title);
		strcat(want, TABLE_HEAD "*" TABLE_C_DPC "\n" TABLE_REST "\n");
	}
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	wt_run_free(&r);

	/* -n alone watches; JSON: one document per line */
	wt_ws_run(&r, base, false, "-n", "2", "--json", "-w0.01", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	for (i = 0, p = r.out.buf; (p = strstr(p, "{\"root\":")); p++)
		i++;
	WT_EXPECT_INT(i, 2);
	/* two equal lines */
	p = strchr(r.out.buf, '\n');
	WT_ASSERT_TRUE(p != NULL);
	WT_EXPECT_INT(strlen(r.out.buf), 2 * (p - r.out.buf + 1));
	WT_EXPECT_INT(strncmp(r.out.buf, p + 1, p - r.out.buf + 1), 0);
	wt_run_free(&r);

	/* the tree going away ends the watch with its status */
	wt_ws_run(&r, base, false, "-n", "2", "--root", "/nonexistent/wdm", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_NO_WDM);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_reset(void)
{
	char *base = fixture_abc(), want[PATH_MAX * 2], *s;
	struct wt_run r;

	wt_ws_run(&r, base, false, "--reset", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	snprintf(want, sizeof(want), "reset all 3 interrupt objects (%s/debug/wdm/reset)\n", base);
	WT_EXPECT_STR(r.out.buf, want);
	WT_EXPECT_STR(r.err.buf, "");
	s = wt_wdm_read(base, "reset");
	WT_EXPECT_STR(s, "1\n");
	free(s);
	s = wt_wdm_read(base, "interrupts/" OBJ_A "/reset");
	WT_EXPECT_STR(s, "");
	free(s);
	wt_run_free(&r);

	/* by directory, as the next argument */
	wt_wdm_write(base, "reset", "");
	wt_ws_run(&r, base, false, "--reset", OBJ_C, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	snprintf(want, sizeof(want), "reset " OBJ_C " (%s/debug/wdm/interrupts/" OBJ_C "/reset)\n",
		 base);
	WT_EXPECT_STR(r.out.buf, want);
	s = wt_wdm_read(base, "interrupts/" OBJ_C "/reset");
	WT_EXPECT_STR(s, "1\n");
	free(s);
	s = wt_wdm_read(base, "interrupts/" OBJ_A "/reset");
	WT_EXPECT_STR(s, "");
	free(s);
	s = wt_wdm_read(base, "reset");
	WT_EXPECT_STR(s, "");
	free(s);
	wt_run_free(&r);

	/* by interrupt name, attached */
	wt_ws_run(&r, base, false, "--reset=wdm-intx(0000:00:05.0)", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_OK);
	s = wt_wdm_read(base, "interrupts/" OBJ_B "/reset");
	WT_EXPECT_STR(s, "1\n");
	free(s);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_reset_errors(void)
{
	char *base = fixture_abc(), want[PATH_MAX * 2], *s;
	struct wt_run r;

	wt_wdm_obj(base, OBJ_A "#2", &st_a, "", "", "");
	wt_ws_run(&r, base, false, "--reset", "wdm-msix[0](0000:00:04.0)", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: wdm-msix[0](0000:00:04.0): 2 interrupt objects have this name: give the directory (ls %s/debug/wdm/interrupts)\n",
		 base);
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);

	wt_ws_run(&r, base, false, "--reset", "wdm-msix[7](0000:00:04.0)", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: wdm-msix[7](0000:00:04.0): no such interrupt object in %s/debug/wdm/interrupts\n",
		 base);
	WT_EXPECT_STR(r.err.buf, want);
	wt_run_free(&r);

	wt_ws_run(&r, base, false, "--reset", "../../reset", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	WT_EXPECT_STR(r.err.buf, "wdmstat: ../../reset: no such interrupt object (a name has no '/')\n");
	wt_run_free(&r);

	/* nothing was written */
	s = wt_wdm_read(base, "reset");
	WT_EXPECT_STR(s, "");
	free(s);
	wt_sysfs_free(base);

	base = wt_wdm_new();
	wt_ws_run(&r, base, false, "--reset", "--root", "/nonexistent/wdm", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_NO_WDM);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_missing(void)
{
	char *base = wt_wdm_new(), root[PATH_MAX], want[PATH_MAX * 3];
	struct wt_run r;

	/* debugfs mounted, no wdm directory: wdm.ko is not loaded */
	wt_wdm_path(root, sizeof(root), base, "");
	wt_sysfs_free(strdup(root));
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_NO_WDM);
	snprintf(want, sizeof(want),
		 "wdmstat: %s: No such file or directory (wdm.ko is not loaded: modprobe wdm)\n", root);
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);

	/* debugfs not mounted where it belongs */
	wt_wdm_mounted = false;
	wt_ws_run(&r, base, false, "--json", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: %s: debugfs is not mounted on %s/debug (mount -t debugfs none %s/debug)\n",
		 root, base, base);
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);

	/* a wdm directory without interrupts/ */
	wt_wdm_write(base, "reset", "");
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: %s/interrupts: No such file or directory (a wdm.ko without interrupt statistics?)\n",
		 root);
	WT_EXPECT_STR(r.err.buf, want);
	wt_run_free(&r);
	wt_sysfs_free(base);
}

static void t_malformed(void)
{
	char *base = fixture_abc(), want[PATH_MAX * 2];
	struct wt_run r;

	wt_wdm_write(base, "interrupts/" OBJ_C "/stats",
		     "name x\nirq 26\nmessage 0\nisr I\ndpc D\nisr_calls 3\nisr_true three\n");
	wt_ws_run(&r, base, false, NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: %s/debug/wdm/interrupts/" OBJ_C "/stats:7: isr_true: 'three' is not a decimal number\n",
		 base);
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);

	wt_wdm_obj(base, OBJ_C, &st_c, "", "", "");
	wt_wdm_write(base, "interrupts/" OBJ_A "/histograms", "isr_ns 1 2\n");
	wt_ws_run(&r, base, false, "--json", NULL);
	WT_EXPECT_INT(r.status, WS_EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "wdmstat: %s/debug/wdm/interrupts/" OBJ_A "/histograms:1: isr_ns: 2 counts, expected 32\n",
		 base);
	WT_EXPECT_STR(r.err.buf, want);
	WT_EXPECT_STR(r.out.buf, "");
	wt_run_free(&r);
	wt_sysfs_free(base);
}

/* Parse the arguments after argv[0]; messages into @err. */
static int parse(struct ws_config *cfg, struct wt_cap *err, ...)
{
	const char *argv[16] = { "wdmstat" };
	const char *arg;
	int argc = 1, ret;
	va_list ap;

	va_start(ap, err);
	while ((arg = va_arg(ap, const char *)) && argc < 15)
		argv[argc++] = arg;
	va_end(ap);
	wt_cap_open(err);
	ret = ws_opts_parse(cfg, argc, (char **)argv, err->f);
	wt_cap_str(err);
	return ret;
}

static void t_opts(void)
{
	struct ws_config cfg;
	struct wt_cap err;

	WT_EXPECT_INT(parse(&cfg, &err, NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.mode, WS_MODE_SHOW);
	WT_EXPECT_INT(cfg.watch, false);
	WT_EXPECT_INT(cfg.json, false);
	WT_EXPECT_TRUE(cfg.root == NULL);
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--watch", NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.watch, true);
	WT_EXPECT_INT(cfg.interval_ms, 1000);
	WT_EXPECT_INT(cfg.count, 0);
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--watch", "2", "-r", "/x", NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.interval_ms, 2000);
	WT_EXPECT_STR(cfg.root, "/x");
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--watch=0.25", "--count", "7", NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.interval_ms, 250);
	WT_EXPECT_INT(cfg.count, 7);
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "-n", "1", NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.watch, true);
	WT_EXPECT_INT(cfg.count, 1);
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--reset", "x", NULL), WS_EXIT_OK);
	WT_EXPECT_INT(cfg.mode, WS_MODE_RESET);
	WT_EXPECT_STR(cfg.reset_obj, "x");
	wt_cap_close(&err);
	WT_EXPECT_INT(parse(&cfg, &err, "--reset", NULL), WS_EXIT_OK);
	WT_EXPECT_TRUE(cfg.reset_obj == NULL);
	wt_cap_close(&err);
}

static void t_opts_bad(void)
{
	static const struct {
		const char *a[3];
		const char *err;
	} t[] = {
		{ { "--watch", "0" }, "invalid interval '0': expected 0.01 to 86400 seconds" },
		{ { "-w", "1s" }, "invalid interval '1s': expected 0.01 to 86400 seconds" },
		{ { "--watch=86401" }, "invalid interval '86401': expected 0.01 to 86400 seconds" },
		{ { "-n", "0" }, "invalid count '0': expected 1 to 18446744073709551615 refreshes" },
		{ { "-n", "-1" }, "invalid count '-1': expected 1 to 18446744073709551615 refreshes" },
		{ { "--reset", "--json" }, "--reset cannot be used with --json" },
		{ { "-n", "2", "--reset" }, "--reset cannot be used with -n" },
		{ { "x" }, "unexpected argument 'x'" },
		{ { "--watch", "1", "2" }, "unexpected argument '2'" },
		{ { "--json=1" }, "option '--json' takes no value" },
		{ { "--root" }, "option '--root' needs a value" },
		{ { "-q" }, "unrecognized option '-q'" },
		{ { "--reset=" }, "invalid object '': expected a name" },
	};
	struct ws_config cfg;
	struct wt_cap err;
	char want[256];
	size_t i;

	for (i = 0; i < WT_ARRAY_SIZE(t); i++) {
		snprintf(want, sizeof(want),
			 "wdmstat: %s\nTry 'wdmstat --help' for more information.\n", t[i].err);
		if (!WT_EXPECT_INT(parse(&cfg, &err, t[i].a[0], t[i].a[1], t[i].a[2], NULL),
				   WS_EXIT_USAGE) ||
		    !WT_EXPECT_STR(err.buf, want))
			printf("#   for case %zu (%s ...)\n", i, t[i].a[0]);
		wt_cap_close(&err);
	}
}

WT_SUITE(wt_wdmstat_suite,
	{ "wdmstat: percentile buckets", t_pct_bucket },
	{ "wdmstat: durations and percentiles with units", t_fmt },
	{ "wdmstat: stats files, good and malformed", t_parse_stats },
	{ "wdmstat: histograms files, good and malformed", t_parse_histograms },
	{ "wdmstat: the table: cells, order, the worst marked or highlighted", t_table },
	{ "wdmstat: equal maxima all marked, 0 marks nothing", t_table_marks },
	{ "wdmstat: an object that went away is left out", t_table_vanished },
	{ "wdmstat: no interrupt objects", t_empty },
	{ "wdmstat: --json values", t_json },
	{ "wdmstat: --json order, nulls and the open bucket", t_json_abc },
	{ "wdmstat: --watch -n frames, and one JSON line per refresh", t_watch },
	{ "wdmstat: --reset writes 1 to the right file", t_reset },
	{ "wdmstat: --reset of an ambiguous or unknown object", t_reset_errors },
	{ "wdmstat: no wdm directory exits 4, no debugfs 1", t_missing },
	{ "wdmstat: a malformed file exits 1 naming it and the line", t_malformed },
	{ "wdmstat: command line", t_opts },
	{ "wdmstat: command line errors exit 2", t_opts_bad },
);
