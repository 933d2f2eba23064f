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

#include "wdm_compat.h"

/*
 * Each ISR call names its interrupt as /proc/interrupts does (the irqaction
 * name, one per object on a shared line) and the routine, so that on a
 * shared line the trace tells which ISR returned FALSE.
 */
TRACE_EVENT(wdm_isr_entry,
	TP_PROTO(unsigned int irq, const char *name, u32 message_id,
		 bool message_based, const void *routine),
	TP_ARGS(irq, name, message_id, message_based, routine),
	TP_STRUCT__entry(
		__field(unsigned int, irq)
		__string(name, name)
		__field(u32, message_id)
		__field(bool, message_based)
		__field(const void *, routine)
	),
	TP_fast_assign(
		__entry->irq = irq;
		wdm_assign_str(name, name);
		__entry->message_id = message_id;
		__entry->message_based = message_based;
		__entry->routine = routine;
	),
	TP_printk("irq=%u name=%s msg=%u %s routine=%ps", __entry->irq,
		  __get_str(name), __entry->message_id,
		  __entry->message_based ? "message" : "line", __entry->routine)
);

TRACE_EVENT(wdm_isr_exit,
	TP_PROTO(unsigned int irq, const char *name, u32 message_id, bool ret,
		 bool dpc),
	TP_ARGS(irq, name, message_id, ret, dpc),
	TP_STRUCT__entry(
		__field(unsigned int, irq)
		__string(name, name)
		__field(u32, message_id)
		__field(bool, ret)
		__field(bool, dpc)
	),
	TP_fast_assign(
		__entry->irq = irq;
		wdm_assign_str(name, name);
		__entry->message_id = message_id;
		__entry->ret = ret;
		__entry->dpc = dpc;
	),
	TP_printk("irq=%u name=%s msg=%u ret=%s dpc=%d", __entry->irq,
		  __get_str(name), __entry->message_id,
		  __entry->ret ? "TRUE" : "FALSE", __entry->dpc)
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
