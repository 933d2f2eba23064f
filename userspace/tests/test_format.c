// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of wdmisr-read per-record output: flag names, payload hex, the exact
 * JSON line, and the text columns with their gap lines.
 */
#include <stdint.h>
#include <string.h>

#include "fakedev.h"
#include "harness.h"
#include "wdmisr-read.h"

static const uint8_t deadbeef[] = { 0xde, 0xad, 0xbe, 0xef };

static void t_flags(void)
{
	char buf[WR_FLAGS_BUF];

	wr_format_flags(buf, sizeof(buf), 0);
	WT_EXPECT_STR(buf, "-");
	wr_format_flags(buf, sizeof(buf), WDMISR_EV_MALFORMED | WDMISR_EV_BAD_CRC);
	WT_EXPECT_STR(buf, "MALFORMED|BAD_CRC");
	wr_format_flags(buf, sizeof(buf), WDMISR_EV_RING_CORRUPT);
	WT_EXPECT_STR(buf, "RING_CORRUPT");
	wr_format_flags(buf, sizeof(buf), 0xffff);
	WT_EXPECT_STR(buf, "MALFORMED|BAD_SEQ|BAD_LEN|BAD_CRC|RING_CORRUPT|0xffe0");
	wr_format_flags(buf, sizeof(buf), 0x8000);
	WT_EXPECT_STR(buf, "0x8000");
}

static void t_hex(void)
{
	struct wdmisr_event ev = wt_ev(0, 0, 0, 0, 0);
	char buf[WR_HEX_BUF];
	uint8_t all[WDMISR_DATA_MAX];
	int i;

	wr_format_hex(buf, &ev);
	WT_EXPECT_STR(buf, "");
	wt_ev_data(&ev, deadbeef, 4);
	wr_format_hex(buf, &ev);
	WT_EXPECT_STR(buf, "deadbeef");
	for (i = 0; i < WDMISR_DATA_MAX; i++)
		all[i] = i * 7;
	wt_ev_data(&ev, all, WDMISR_DATA_MAX);
	ev.len = 1000;	/* a bad length never reads past data[] */
	wr_format_hex(buf, &ev);
	WT_EXPECT_STR(buf, "00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11");
}

static void t_json(void)
{
	struct wdmisr_event ev = wt_ev(42, 3, 17, WDMISR_EV_MALFORMED | WDMISR_EV_BAD_CRC, 5);
	struct wt_cap out;

	ev.ts_ns = 123456789012ULL;
	ev.src_stamp = 99;	/* not part of the output */
	wt_ev_data(&ev, deadbeef, 4);
	wt_cap_open(&out);
	wr_json_record(out.f, &ev);
	WT_EXPECT_STR(wt_cap_str(&out),
		      "{\"seq\":42,\"ts_ns\":123456789012,\"msg\":3,\"src_seq\":17,"
		      "\"len\":4,\"flags\":9,\"dropped\":5,\"data\":\"deadbeef\"}\n");
	wt_cap_close(&out);
}

static void t_json_limits(void)
{
	struct wdmisr_event ev = wt_ev(UINT64_MAX, UINT32_MAX, UINT32_MAX, 0, UINT64_MAX);
	struct wt_cap out;

	ev.ts_ns = UINT64_MAX;
	wt_cap_open(&out);
	wr_json_record(out.f, &ev);
	WT_EXPECT_STR(wt_cap_str(&out),
		      "{\"seq\":18446744073709551615,\"ts_ns\":18446744073709551615,"
		      "\"msg\":4294967295,\"src_seq\":4294967295,\"len\":0,\"flags\":0,"
		      "\"dropped\":18446744073709551615,\"data\":\"\"}\n");
	wt_cap_close(&out);
}

static void t_text_rows(void)
{
	struct wr_text_state st = { 0 };
	struct wdmisr_event a = wt_ev(0, 0, 7, 0, 0);
	struct wdmisr_event b = wt_ev(1, 12, 8, WDMISR_EV_MALFORMED | WDMISR_EV_BAD_LEN, 0);
	struct wt_cap out;

	wt_ev_data(&a, deadbeef, 4);
	wt_cap_open(&out);
	wr_text_header(out.f);
	wr_text_record(out.f, &st, &a);
	wr_text_record(out.f, &st, &b);
	WT_EXPECT_STR(wt_cap_str(&out),
		"       seq            ts_ns  msg    src_seq  len flags                         dropped data\n"
		"         0          1000000    0          7    4 -                                   0 deadbeef\n"
		"         1          1000001   12          8    0 MALFORMED|BAD_LEN                   0 -\n");
	wt_cap_close(&out);
}

/* Feed records with these (seq, dropped) pairs; return only the '#' lines. */
static void text_gaps(const uint64_t (*sd)[2], size_t n, char *buf, size_t size)
{
	struct wr_text_state st = { 0 };
	struct wdmisr_event ev;
	struct wt_cap out;
	const char *p, *nl;
	size_t i, used = 0;

	wt_cap_open(&out);
	for (i = 0; i < n; i++) {
		ev = wt_ev(sd[i][0], 0, 0, 0, sd[i][1]);
		wr_text_record(out.f, &st, &ev);
	}
	buf[0] = '\0';
	for (p = wt_cap_str(&out); *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (*p == '#')
			used += snprintf(buf + used, size - used, "%.*s",
					 (int)(nl - p + 1), p);
	}
	wt_cap_close(&out);
}

static void t_text_gap_seq(void)
{
	static const uint64_t sd[][2] = { { 0, 0 }, { 1, 0 }, { 4, 0 }, { 5, 0 } };
	char buf[512];

	text_gaps(sd, WT_ARRAY_SIZE(sd), buf, sizeof(buf));
	WT_EXPECT_STR(buf, "# gap: 2 records lost before seq 4\n");
}

static void t_text_gap_dropped(void)
{
	/*
	 * seq stays contiguous, the drop counter grows by 3, then by 5 with a
	 * seq gap of 2: the larger loss is reported
	 */
	static const uint64_t sd[][2] = { { 5, 0 }, { 6, 3 }, { 9, 8 }, { 10, 8 } };
	char buf[512];

	text_gaps(sd, WT_ARRAY_SIZE(sd), buf, sizeof(buf));
	WT_EXPECT_STR(buf, "# gap: 3 records lost before seq 6\n"
			   "# gap: 5 records lost before seq 9\n");
}

static void t_text_gap_first_and_restart(void)
{
	/* the first record is never a gap, whatever its seq and dropped */
	static const uint64_t sd[][2] = { { 100, 7 }, { 101, 7 }, { 0, 0 }, { 1, 0 } };
	char buf[512];

	text_gaps(sd, WT_ARRAY_SIZE(sd), buf, sizeof(buf));
	WT_EXPECT_STR(buf, "# seq restarted: 0 after 101\n");
}

WT_SUITE(wt_format_suite,
	{ "format: flag names", t_flags },
	{ "format: payload hex, length capped", t_hex },
	{ "format: json line", t_json },
	{ "format: json at the type limits", t_json_limits },
	{ "format: text header and rows", t_text_rows },
	{ "format: text gap line on a seq gap", t_text_gap_seq },
	{ "format: text gap line on a growing drop counter", t_text_gap_dropped },
	{ "format: text first record and seq restart", t_text_gap_first_and_restart },
);
