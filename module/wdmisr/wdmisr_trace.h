/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of wdmisr.ko (tracefs events/wdmisr/): each event an ISR
 * queues for the reader or loses to a full queue, and each read() that
 * delivers records.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM wdmisr

#if !defined(_WDMISR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _WDMISR_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(wdmisr_event_class,
	TP_PROTO(int minor, u32 msg, u64 seq, u64 src_seq, u64 dropped),
	TP_ARGS(minor, msg, seq, src_seq, dropped),
	TP_STRUCT__entry(
		__field(int, minor)
		__field(u32, msg)
		__field(u64, seq)
		__field(u64, src_seq)
		__field(u64, dropped)
	),
	TP_fast_assign(
		__entry->minor = minor;
		__entry->msg = msg;
		__entry->seq = seq;
		__entry->src_seq = src_seq;
		__entry->dropped = dropped;
	),
	TP_printk("wdmisr%d msg=%u seq=%llu src_seq=%llu dropped=%llu",
		  __entry->minor, __entry->msg, __entry->seq,
		  __entry->src_seq, __entry->dropped)
);

/* An ISR queued an event for the reader. */
DEFINE_EVENT(wdmisr_event_class, wdmisr_event,
	TP_PROTO(int minor, u32 msg, u64 seq, u64 src_seq, u64 dropped),
	TP_ARGS(minor, msg, seq, src_seq, dropped)
);

/* The queue was full: the event is lost, and dropped counts it. */
DEFINE_EVENT(wdmisr_event_class, wdmisr_drop,
	TP_PROTO(int minor, u32 msg, u64 seq, u64 src_seq, u64 dropped),
	TP_ARGS(minor, msg, seq, src_seq, dropped)
);

/* read() copied @records whole records, the first with sequence @first_seq. */
TRACE_EVENT(wdmisr_deliver,
	TP_PROTO(int minor, unsigned int records, u64 first_seq),
	TP_ARGS(minor, records, first_seq),
	TP_STRUCT__entry(
		__field(int, minor)
		__field(unsigned int, records)
		__field(u64, first_seq)
	),
	TP_fast_assign(
		__entry->minor = minor;
		__entry->records = records;
		__entry->first_seq = first_seq;
	),
	TP_printk("wdmisr%d records=%u first_seq=%llu", __entry->minor,
		  __entry->records, __entry->first_seq)
);

#endif /* _WDMISR_TRACE_H */

/* Out of tree: the header is found in this directory (Kbuild adds -I$(src)). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE wdmisr_trace
#include <trace/define_trace.h>
