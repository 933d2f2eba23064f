/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of wdm.ko (tracefs events/wdm/): each ISR call with its
 * BOOLEAN, and each DPC as it is queued and as it runs.
 *
 *   echo 1 > /sys/kernel/tracing/events/wdm/enable
 *   trace-cmd record -e wdm -e wdmisr
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM wdm

#if !defined(_WDM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _WDM_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(wdm_isr_entry,
	TP_PROTO(unsigned int irq, u32 message_id, bool message_based),
	TP_ARGS(irq, message_id, message_based),
	TP_STRUCT__entry(
		__field(unsigned int, irq)
		__field(u32, message_id)
		__field(bool, message_based)
	),
	TP_fast_assign(
		__entry->irq = irq;
		__entry->message_id = message_id;
		__entry->message_based = message_based;
	),
	TP_printk("irq=%u msg=%u %s", __entry->irq, __entry->message_id,
		  __entry->message_based ? "message" : "line")
);

TRACE_EVENT(wdm_isr_exit,
	TP_PROTO(unsigned int irq, u32 message_id, bool ret, bool dpc),
	TP_ARGS(irq, message_id, ret, dpc),
	TP_STRUCT__entry(
		__field(unsigned int, irq)
		__field(u32, message_id)
		__field(bool, ret)
		__field(bool, dpc)
	),
	TP_fast_assign(
		__entry->irq = irq;
		__entry->message_id = message_id;
		__entry->ret = ret;
		__entry->dpc = dpc;
	),
	TP_printk("irq=%u msg=%u ret=%s dpc=%d", __entry->irq,
		  __entry->message_id, __entry->ret ? "TRUE" : "FALSE",
		  __entry->dpc)
);

DECLARE_EVENT_CLASS(wdm_dpc_class,
	TP_PROTO(const void *dpc, const void *routine, u64 ticket),
	TP_ARGS(dpc, routine, ticket),
	TP_STRUCT__entry(
		__field(const void *, dpc)
		__field(const void *, routine)
		__field(u64, ticket)
	),
	TP_fast_assign(
		__entry->dpc = dpc;
		__entry->routine = routine;
		__entry->ticket = ticket;
	),
	TP_printk("dpc=%p routine=%ps ticket=%llu", __entry->dpc,
		  __entry->routine, __entry->ticket)
);

/* KeInsertQueueDpc() queued it (not when it was already queued). */
DEFINE_EVENT(wdm_dpc_class, wdm_dpc_queue,
	TP_PROTO(const void *dpc, const void *routine, u64 ticket),
	TP_ARGS(dpc, routine, ticket)
);

/* Its routine is about to be called. */
DEFINE_EVENT(wdm_dpc_class, wdm_dpc_run,
	TP_PROTO(const void *dpc, const void *routine, u64 ticket),
	TP_ARGS(dpc, routine, ticket)
);

#endif /* _WDM_TRACE_H */

/* Out of tree: the header is found in this directory (Kbuild adds -I$(src)). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE wdm_trace
#include <trace/define_trace.h>
