// SPDX-License-Identifier: GPL-2.0
/*
 * wdmisr-read --format summary. Each record updates the counters of its
 * MessageID and of the stream; the report is printed once, at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wdmisr-read.h"

void wr_summary_init(struct wr_summary *s)
{
	memset(s, 0, sizeof(*s));
}

void wr_summary_free(struct wr_summary *s)
{
	free(s->m);
	wr_summary_init(s);
}

/* The entry for @msg, inserted in order if it is new; NULL if out of memory. */
static struct wr_summary_msg *wr_summary_slot(struct wr_summary *s,
					      uint32_t msg)
{
	struct wr_summary_msg *m;
	size_t i;

	for (i = 0; i < s->nmsg && s->m[i].msg < msg; i++)
		;
	if (i < s->nmsg && s->m[i].msg == msg)
		return &s->m[i];
	if (s->nmsg == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;

		m = realloc(s->m, cap * sizeof(*m));
		if (!m) {
			errno = ENOMEM;
			return NULL;
		}
		s->m = m;
		s->cap = cap;
	}
	memmove(&s->m[i + 1], &s->m[i], (s->nmsg - i) * sizeof(*s->m));
	s->nmsg++;
	m = &s->m[i];
	memset(m, 0, sizeof(*m));
	m->msg = msg;
	m->crc = crc32(0L, Z_NULL, 0);
	return m;
}

static void wr_summary_msg_add(struct wr_summary_msg *m,
			       const struct wdmisr_event *ev)
{
	bool malformed = ev->flags & WDMISR_EV_MALFORMED;
	unsigned int len = ev->len;

	if (!m->events)
		m->first_src_seq = ev->src_seq;
	else if (!m->last_corrupt && ev->src_seq != (uint32_t)(m->last_src_seq + 1))
		m->order_bad = true;
	m->last_src_seq = ev->src_seq;
	m->last_corrupt = ev->flags & WDMISR_EV_RING_CORRUPT;
	m->events++;
	if (malformed) {
		m->malformed++;
		return;
	}
	m->good++;
	if (len > WDMISR_DATA_MAX)
		len = WDMISR_DATA_MAX;
	m->crc = crc32(m->crc, ev->data, len);
}

int wr_summary_add(struct wr_summary *s, const struct wdmisr_event *ev)
{
	struct wr_summary_msg *m = wr_summary_slot(s, ev->msg);

	if (!m)
		return -1;
	wr_summary_msg_add(m, ev);
	if (s->events && ev->seq != s->prev_seq + 1)
		s->seq_gaps++;
	s->prev_seq = ev->seq;
	s->dropped = ev->dropped;
	s->events++;
	if (ev->flags & WDMISR_EV_MALFORMED)
		s->malformed++;
	else
		s->good++;
	return 0;
}

void wr_summary_print(const struct wr_summary *s, FILE *out)
{
	const struct wr_summary_msg *m;
	size_t i;

	for (i = 0; i < s->nmsg; i++) {
		m = &s->m[i];
		fprintf(out,
			"summary msg=%u events=%llu good=%llu malformed=%llu order=%s crc=0x%08x first_src_seq=%u last_src_seq=%u\n",
			m->msg, (unsigned long long)m->events,
			(unsigned long long)m->good,
			(unsigned long long)m->malformed,
			m->order_bad ? "bad" : "ok", m->crc, m->first_src_seq,
			m->last_src_seq);
	}
	fprintf(out,
		"summary total events=%llu good=%llu malformed=%llu dropped=%llu seq_gaps=%llu\n",
		(unsigned long long)s->events, (unsigned long long)s->good,
		(unsigned long long)s->malformed,
		(unsigned long long)s->dropped,
		(unsigned long long)s->seq_gaps);
}
