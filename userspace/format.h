/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmisr-read per-record output: aligned text columns with gap lines, and
 * one JSON object per line.
 */
#ifndef WR_FORMAT_H
#define WR_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wdmisr.h"

/* Longest wr_format_flags() result, NUL included. */
#define WR_FLAGS_BUF	64
/* wr_format_hex() result: two digits per payload byte, NUL included. */
#define WR_HEX_BUF	(2 * WDMISR_DATA_MAX + 1)

/* What the text format remembers between records to spot gaps. */
struct wr_text_state {
	bool have_prev;
	uint64_t prev_seq;
	uint64_t prev_dropped;
};

/* Flag names joined by '|', unknown bits as 0x%04x, "-" for none. */
void wr_format_flags(char *buf, size_t size, uint16_t flags);
/* Lowercase hex of data[0..len), len capped at WDMISR_DATA_MAX. */
void wr_format_hex(char *buf, const struct wdmisr_event *ev);

void wr_text_header(FILE *out);
void wr_text_record(FILE *out, struct wr_text_state *st,
		    const struct wdmisr_event *ev);
void wr_json_record(FILE *out, const struct wdmisr_event *ev);

#endif /* WR_FORMAT_H */
