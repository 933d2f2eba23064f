/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.ko internals: the interrupt object, DPC queues and the message table,
 * shared by the shim's source files and never seen by drivers.
 */
#ifndef _WDM_INTERNAL_H
#define _WDM_INTERNAL_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/wait.h>
#include <wdm.h>

/*
 * A FIFO of queued DPCs and the context that runs them: the threaded
 * handler of one interrupt object, or a per-CPU work item of the shim's
 * workqueue.
 */
struct wdm_dpc_queue {
	/* protects pending, next_ticket and running_ticket */
	raw_spinlock_t lock;
	struct list_head pending;	/* KDPC.entry, in queue order */
	u64 next_ticket;		/* ticket of the next DPC queued */
	u64 running_ticket;		/* ticket of the DPC running, or 0 */
	wait_queue_head_t idle;		/* KeFlushQueuedDpcs() waits here */
	struct list_head node;		/* on wdm_dpc_queues, under its mutex */
};

void wdm_dpc_queue_init(struct wdm_dpc_queue *q);
void wdm_dpc_queue_register(struct wdm_dpc_queue *q);
void wdm_dpc_queue_unregister(struct wdm_dpc_queue *q);
void wdm_dpc_queue_run(struct wdm_dpc_queue *q, bool all);
void wdm_dpc_flush_deferred(void);
int wdm_dpc_init(void);
void wdm_dpc_exit(void);

#define WDM_INTERRUPT_MAGIC	0x4b494e54	/* "KINT" */

/*
 * The interrupt object. wdm_interrupt_create() writes every field before it
 * requests the handler, and wdm_interrupt_destroy() frees the object after
 * free_irq(); in between the fields are read-only, except the three whose
 * comments name their writers.
 */
struct _KINTERRUPT {
	u32 magic;
	/*
	 * The ISR may be entered. Written by wdm_interrupt_arm() (release,
	 * the last step of a connect) and wdm_interrupt_destroy() (the first
	 * step of a disconnect); read by the handlers (acquire).
	 */
	bool armed;
	bool passive;			/* runs in the irq thread under plock */
	/* the running ISR queued a DPC: written and read under *lock */
	bool queued_dpc;
	ULONG version;			/* the CONNECT_* it was connected with */
	unsigned int irq;
	ULONG message_id;
	PKSERVICE_ROUTINE isr;		/* one of isr and misr is set */
	PKMESSAGE_SERVICE_ROUTINE misr;
	PVOID context;
	raw_spinlock_t *lock;		/* the interrupt spin lock: own or shared */
	struct mutex *plock;		/* the passive interrupt lock */
	/* saved by KeAcquireInterruptSpinLock() for the release; under *lock */
	unsigned long lock_flags;
	KIRQL lock_prev_irql;		/* the same, for wdm_lock_irql */
	KIRQL irql;
	KIRQL sync_irql;
	bool nested;			/* the IRQ nests into another thread */
	/* restored at disconnect; empty if ProcessorEnableMask changed nothing */
	cpumask_var_t saved_affinity;
	char *name;			/* the irqaction name, /proc/interrupts */
	struct list_head conn;		/* on the connected list, unless in a table */
	struct wdm_dpc_queue dpcq;	/* DPCs queued from this ISR */
	raw_spinlock_t own_lock;	/* the lock when no SpinLock was given */
	struct mutex own_plock;		/* the same, for a passive ISR */
	struct rcu_head rcu;		/* freed after KeRemoveQueueDpc()s */
};

/* What one connect asks of wdm_interrupt_create(). */
struct wdm_connect_req {
	unsigned int irq;
	const char *name;
	PKSERVICE_ROUTINE isr;
	PKMESSAGE_SERVICE_ROUTINE misr;
	ULONG message_id;
	PVOID context;
	raw_spinlock_t *lock;		/* NULL: the object's own */
	struct mutex *plock;		/* NULL: the object's own */
	ULONG version;			/* the CONNECT_* of the connect */
	bool passive;
	bool nested;			/* wdm_irq_is_nested(irq) */
	bool shared;
	KIRQL irql;
	KIRQL sync_irql;
};

DECLARE_PER_CPU(struct _KINTERRUPT *, wdm_current_interrupt);
DECLARE_PER_CPU(KIRQL, wdm_lock_irql);

/*
 * The IRQL of an interrupt line: PASSIVE_LEVEL if it nests into another
 * thread (an interrupt behind I2C or SPI), else the device level.
 */
static inline bool wdm_irq_is_nested(unsigned int irq)
{
	return irq_check_status_bit(irq, IRQ_NESTED_THREAD);
}

NTSTATUS wdm_interrupt_create(const struct wdm_connect_req *req,
			      struct _KINTERRUPT **out);
void wdm_interrupt_arm(struct _KINTERRUPT *ki);
void wdm_interrupt_destroy(struct _KINTERRUPT *ki);
bool wdm_interrupt_valid(const struct _KINTERRUPT *ki);
unsigned int wdm_connections_check(void);
#if IS_ENABLED(CONFIG_KUNIT)
irqreturn_t wdm_interrupt_dispatch(struct _KINTERRUPT *ki);
#endif
NTSTATUS wdm_errno_to_ntstatus(int err);
#if IS_ENABLED(CONFIG_KUNIT)
int wdm_module_refcount(void);
#endif

/*
 * A driver bug that stops the machine on Windows (a bug check) or that
 * Windows leaves undefined: logged with the caller and counted, never a
 * crash. The count lets the tests see each report.
 */
__printf(2, 3) void wdm_report_bug(unsigned long caller, const char *fmt, ...);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned long wdm_bugs_reported(void);
#endif

int wdm_workitem_init(void);
void wdm_workitem_exit(void);

#endif /* _WDM_INTERNAL_H */
