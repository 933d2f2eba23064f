/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read --format summary: per-message counts, CRC-32 of the good
 * payloads and source ordering, reported once at the end.
 */
#ifndef WR_SUMMARY_H
#define WR_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wdmisr.h"

/**
 * struct wr_summary_msg - what one MessageID delivered
 * @msg:		the MessageID
 * @events:		records
 * @good:		records without WDMISR_EV_MALFORMED
 * @malformed:		records with WDMISR_EV_MALFORMED
 * @crc:		zlib crc32() over the good payloads, in arrival order
 * @first_src_seq:	src_seq of the first record
 * @last_src_seq:	src_seq of the last record
 * @order_bad:		some src_seq did not follow the one before
 * @last_corrupt:	the last record had WDMISR_EV_RING_CORRUPT
 */
struct wr_summary_msg {
	uint32_t msg;
	uint64_t events;
	uint64_t good;
	uint64_t malformed;
	uint32_t crc;
	uint32_t first_src_seq;
	uint32_t last_src_seq;
	bool order_bad;
	bool last_corrupt;
};

/**
 * struct wr_summary - the whole stream
 * @m:		one entry per MessageID seen, sorted by msg
 * @nmsg:	entries in @m
 * @cap:	entries allocated
 * @events:	records
 * @good:	records without WDMISR_EV_MALFORMED
 * @malformed:	records with WDMISR_EV_MALFORMED
 * @dropped:	the last record's dropped counter
 * @seq_gaps:	records whose seq is not the previous seq + 1
 * @prev_seq:	seq of the last record
 */
struct wr_summary {
	struct wr_summary_msg *m;
	size_t nmsg;
	size_t cap;
	uint64_t events;
	uint64_t good;
	uint64_t malformed;
	uint64_t dropped;
	uint64_t seq_gaps;
	uint64_t prev_seq;
};

void wr_summary_init(struct wr_summary *s);
/* Account one record. Returns 0, or -1 with errno ENOMEM. */
int wr_summary_add(struct wr_summary *s, const struct wdmisr_event *ev);
void wr_summary_print(const struct wr_summary *s, FILE *out);
void wr_summary_free(struct wr_summary *s);

#endif /* WR_SUMMARY_H */
