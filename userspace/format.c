// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read per-record output. Text: one aligned row per record, and a
 * "# gap" line where the sequence skips or the drop counter grows. JSON: one
 * object per line with fixed keys, for scripts.
 */
#include <string.h>

#include "wdmisr-read.h"

#define WR_TEXT_HEAD	"%10s %16s %4s %10s %4s %-28s %8s %s\n"
#define WR_TEXT_ROW	"%10llu %16llu %4u %10u %4u %-28s %8llu %s\n"

static const struct {
	uint16_t bit;
	const char *name;
} wr_flag_names[] = {
	{ WDMISR_EV_MALFORMED,		"MALFORMED" },
	{ WDMISR_EV_BAD_SEQ,		"BAD_SEQ" },
	{ WDMISR_EV_BAD_LEN,		"BAD_LEN" },
	{ WDMISR_EV_BAD_CRC,		"BAD_CRC" },
	{ WDMISR_EV_RING_CORRUPT,	"RING_CORRUPT" },
};

void wr_format_flags(char *buf, size_t size, uint16_t flags)
{
	size_t i, used = 0;

	buf[0] = '\0';
	if (!flags) {
		snprintf(buf, size, "-");
		return;
	}
	for (i = 0; i < sizeof(wr_flag_names) / sizeof(wr_flag_names[0]); i++) {
		if (!(flags & wr_flag_names[i].bit))
			continue;
		flags &= ~wr_flag_names[i].bit;
		used += snprintf(buf + used, size - used, "%s%s",
				 used ? "|" : "", wr_flag_names[i].name);
		if (used >= size)
			return;
	}
	if (flags)
		snprintf(buf + used, size - used, "%s0x%04x", used ? "|" : "",
			 flags);
}

void wr_format_hex(char *buf, const struct wdmisr_event *ev)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, len = ev->len;

	if (len > WDMISR_DATA_MAX)
		len = WDMISR_DATA_MAX;
	for (i = 0; i < len; i++) {
		buf[2 * i] = digits[ev->data[i] >> 4];
		buf[2 * i + 1] = digits[ev->data[i] & 0xf];
	}
	buf[2 * len] = '\0';
}

void wr_text_header(FILE *out)
{
	fprintf(out, WR_TEXT_HEAD, "seq", "ts_ns", "msg", "src_seq", "len",
		"flags", "dropped", "data");
}

/* The "# gap" line, if the record does not follow on from the last one. */
static void wr_text_gap(FILE *out, const struct wr_text_state *st,
			const struct wdmisr_event *ev)
{
	uint64_t expect = st->prev_seq + 1, lost = 0;

	if (ev->seq < expect) {
		fprintf(out, "# seq restarted: %llu after %llu\n",
			(unsigned long long)ev->seq,
			(unsigned long long)st->prev_seq);
		return;
	}
	if (ev->seq > expect)
		lost = ev->seq - expect;
	if (ev->dropped > st->prev_dropped &&
	    ev->dropped - st->prev_dropped > lost)
		lost = ev->dropped - st->prev_dropped;
	if (lost)
		fprintf(out, "# gap: %llu records lost before seq %llu\n",
			(unsigned long long)lost, (unsigned long long)ev->seq);
}

void wr_text_record(FILE *out, struct wr_text_state *st,
		    const struct wdmisr_event *ev)
{
	char flags[WR_FLAGS_BUF], hex[WR_HEX_BUF];

	if (st->have_prev)
		wr_text_gap(out, st, ev);
	st->have_prev = true;
	st->prev_seq = ev->seq;
	st->prev_dropped = ev->dropped;

	wr_format_flags(flags, sizeof(flags), ev->flags);
	wr_format_hex(hex, ev);
	fprintf(out, WR_TEXT_ROW, (unsigned long long)ev->seq,
		(unsigned long long)ev->ts_ns, ev->msg, ev->src_seq, ev->len,
		flags, (unsigned long long)ev->dropped, hex[0] ? hex : "-");
}

void wr_json_record(FILE *out, const struct wdmisr_event *ev)
{
	char hex[WR_HEX_BUF];

	wr_format_hex(hex, ev);
	fprintf(out,
		"{\"seq\":%llu,\"ts_ns\":%llu,\"msg\":%u,\"src_seq\":%u,"
		"\"len\":%u,\"flags\":%u,\"dropped\":%llu,\"data\":\"%s\"}\n",
		(unsigned long long)ev->seq, (unsigned long long)ev->ts_ns,
		ev->msg, ev->src_seq, ev->len, ev->flags,
		(unsigned long long)ev->dropped, hex);
}
