// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the summary format on synthetic record streams: per-message CRC
 * (checked against zlib on the same bytes), ordering, counts and seq gaps.
 */
#include <string.h>
#include <zlib.h>

#include "fakedev.h"
#include "harness.h"
#include "wdmisr-read.h"

/* Run the records through a summary and return its report in @out. */
static void summarize(const struct wdmisr_event *ev, size_t n, struct wt_cap *out)
{
	struct wr_summary s;
	size_t i;

	wr_summary_init(&s);
	for (i = 0; i < n; i++)
		WT_EXPECT_INT(wr_summary_add(&s, &ev[i]), 0);
	wt_cap_open(out);
	wr_summary_print(&s, out->f);
	wt_cap_str(out);
	wr_summary_free(&s);
}

static void t_empty(void)
{
	struct wt_cap out;

	summarize(NULL, 0, &out);
	WT_EXPECT_STR(out.buf, "summary total events=0 good=0 malformed=0 dropped=0 seq_gaps=0\n");
	wt_cap_close(&out);
}

static void t_crc_chained(void)
{
	struct wdmisr_event ev[3];
	struct wt_cap out;
	char want[256];
	uLong crc;

	ev[0] = wt_ev(0, 0, 1, 0, 0);
	wt_ev_data(&ev[0], "hello", 5);
	ev[1] = wt_ev(1, 0, 2, 0, 0);
	wt_ev_data(&ev[1], " world", 6);
	ev[2] = wt_ev(2, 0, 3, 0, 0);	/* empty payload: CRC unchanged */

	/* the same bytes through zlib in one go, and the well-known value */
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (const Bytef *)"hello world", 11);
	WT_EXPECT_INT(crc, 0x0d4a1185);

	summarize(ev, 3, &out);
	snprintf(want, sizeof(want),
		 "summary msg=0 events=3 good=3 malformed=0 order=ok crc=0x%08lx first_src_seq=1 last_src_seq=3\n"
		 "summary total events=3 good=3 malformed=0 dropped=0 seq_gaps=0\n", crc);
	WT_EXPECT_STR(out.buf, want);
	wt_cap_close(&out);
}

static void t_malformed_not_in_crc(void)
{
	static const uint8_t a[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t junk[] = { 0xff, 0xff };
	static const uint8_t b[] = { 9, 10 };
	struct wdmisr_event ev[3];
	struct wt_cap out;
	char want[256];
	uLong crc;

	ev[0] = wt_ev(0, 1, 10, 0, 0);
	wt_ev_data(&ev[0], a, sizeof(a));
	ev[1] = wt_ev(1, 1, 11, WDMISR_EV_MALFORMED | WDMISR_EV_BAD_CRC, 0);
	wt_ev_data(&ev[1], junk, sizeof(junk));
	ev[2] = wt_ev(2, 1, 12, 0, 0);
	wt_ev_data(&ev[2], b, sizeof(b));

	crc = crc32(crc32(crc32(0L, Z_NULL, 0), a, sizeof(a)), b, sizeof(b));
	summarize(ev, 3, &out);
	snprintf(want, sizeof(want),
		 "summary msg=1 events=3 good=2 malformed=1 order=ok crc=0x%08lx first_src_seq=10 last_src_seq=12\n"
		 "summary total events=3 good=2 malformed=1 dropped=0 seq_gaps=0\n", crc);
	WT_EXPECT_STR(out.buf, want);
	wt_cap_close(&out);
}

static void t_order(void)
{
	struct wdmisr_event ev[] = {
		/* msg 0: 5, 6, then a jump to 9: bad */
		wt_ev(0, 0, 5, 0, 0), wt_ev(1, 0, 6, 0, 0), wt_ev(2, 0, 9, 0, 0),
		/* msg 1: 0, a corrupt ring at 1, then any jump: ok */
		wt_ev(3, 1, 0, 0, 0), wt_ev(4, 1, 1, WDMISR_EV_RING_CORRUPT, 0),
		wt_ev(5, 1, 40, 0, 0), wt_ev(6, 1, 41, 0, 0),
		/* msg 2: wraps around 2^32: ok */
		wt_ev(7, 2, 0xfffffffe, 0, 0), wt_ev(8, 2, 0xffffffff, 0, 0),
		wt_ev(9, 2, 0, 0, 0),
		/* msg 3: a corrupt ring on another msg does not excuse a jump */
		wt_ev(10, 3, 1, 0, 0), wt_ev(11, 0, 10, WDMISR_EV_RING_CORRUPT, 0),
		wt_ev(12, 3, 3, 0, 0),
	};
	uint32_t e = crc32(0L, Z_NULL, 0);
	struct wt_cap out;
	char want[1024];

	summarize(ev, WT_ARRAY_SIZE(ev), &out);
	snprintf(want, sizeof(want),
		 "summary msg=0 events=4 good=4 malformed=0 order=bad crc=0x%08x first_src_seq=5 last_src_seq=10\n"
		 "summary msg=1 events=4 good=4 malformed=0 order=ok crc=0x%08x first_src_seq=0 last_src_seq=41\n"
		 "summary msg=2 events=3 good=3 malformed=0 order=ok crc=0x%08x first_src_seq=4294967294 last_src_seq=0\n"
		 "summary msg=3 events=2 good=2 malformed=0 order=bad crc=0x%08x first_src_seq=1 last_src_seq=3\n"
		 "summary total events=13 good=13 malformed=0 dropped=0 seq_gaps=0\n",
		 e, e, e, e);
	WT_EXPECT_STR(out.buf, want);
	WT_EXPECT_INT(e, 0);	/* no payload at all: crc32 of nothing */
	wt_cap_close(&out);
}

static void t_malformed_breaks_order_too(void)
{
	/* ordering counts malformed records as well: 1, 2 (malformed), 4 */
	struct wdmisr_event ev[] = {
		wt_ev(0, 0, 1, 0, 0), wt_ev(1, 0, 2, WDMISR_EV_MALFORMED, 0),
		wt_ev(2, 0, 4, 0, 0),
	};
	struct wt_cap out;

	summarize(ev, WT_ARRAY_SIZE(ev), &out);
	WT_EXPECT_STR(out.buf,
		      "summary msg=0 events=3 good=2 malformed=1 order=bad crc=0x00000000 first_src_seq=1 last_src_seq=4\n"
		      "summary total events=3 good=2 malformed=1 dropped=0 seq_gaps=0\n");
	wt_cap_close(&out);
}

static void t_msgs_ascending(void)
{
	struct wdmisr_event ev[] = {
		wt_ev(0, 30, 0, 0, 0), wt_ev(1, 2, 0, 0, 0), wt_ev(2, 17, 0, 0, 0),
		wt_ev(3, 2, 1, 0, 0), wt_ev(4, 4000000000U, 7, 0, 0),
		wt_ev(5, 0, 0, 0, 0),
	};
	struct wt_cap out;

	summarize(ev, WT_ARRAY_SIZE(ev), &out);
	WT_EXPECT_STR(out.buf,
		      "summary msg=0 events=1 good=1 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=0\n"
		      "summary msg=2 events=2 good=2 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=1\n"
		      "summary msg=17 events=1 good=1 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=0\n"
		      "summary msg=30 events=1 good=1 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=0\n"
		      "summary msg=4000000000 events=1 good=1 malformed=0 order=ok crc=0x00000000 first_src_seq=7 last_src_seq=7\n"
		      "summary total events=6 good=6 malformed=0 dropped=0 seq_gaps=0\n");
	wt_cap_close(&out);
}

static void t_many_msgs(void)
{
	/* more messages than the first allocation holds, in descending order */
	struct wr_summary s;
	struct wdmisr_event ev;
	int i;

	wr_summary_init(&s);
	for (i = 63; i >= 0; i--) {
		ev = wt_ev(63 - i, i, 0, 0, 0);
		WT_EXPECT_INT(wr_summary_add(&s, &ev), 0);
	}
	WT_ASSERT_INT(s.nmsg, 64);
	for (i = 0; i < 64; i++)
		WT_EXPECT_INT(s.m[i].msg, i);
	WT_EXPECT_INT(s.events, 64);
	wr_summary_free(&s);
}

static void t_seq_gaps_and_dropped(void)
{
	/*
	 * seq 0 1 3 4 10 9: three records do not follow on; dropped is the
	 * last record's counter, not the largest one
	 */
	struct wdmisr_event ev[] = {
		wt_ev(0, 0, 0, 0, 0), wt_ev(1, 0, 1, 0, 0), wt_ev(3, 0, 2, 0, 1),
		wt_ev(4, 0, 3, 0, 1), wt_ev(10, 0, 4, 0, 9), wt_ev(9, 0, 5, 0, 4),
	};
	struct wt_cap out;

	summarize(ev, WT_ARRAY_SIZE(ev), &out);
	WT_EXPECT_STR(out.buf,
		      "summary msg=0 events=6 good=6 malformed=0 order=ok crc=0x00000000 first_src_seq=0 last_src_seq=5\n"
		      "summary total events=6 good=6 malformed=0 dropped=4 seq_gaps=3\n");
	wt_cap_close(&out);
}

WT_SUITE(wt_summary_suite,
	{ "summary: no records", t_empty },
	{ "summary: crc chained over payloads equals zlib's", t_crc_chained },
	{ "summary: malformed records counted, left out of the crc", t_malformed_not_in_crc },
	{ "summary: order per msg, ring-corrupt excuse, wraparound", t_order },
	{ "summary: malformed records count for order", t_malformed_breaks_order_too },
	{ "summary: msg lines ascending", t_msgs_ascending },
	{ "summary: 64 messages inserted in reverse", t_many_msgs },
	{ "summary: seq gaps and last dropped", t_seq_gaps_and_dropped },
);
