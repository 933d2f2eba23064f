// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred procedure calls. A DPC queued by a DIRQL ISR runs in that
 * interrupt's threaded handler (the ISR's return becomes IRQ_WAKE_THREAD);
 * one queued from anywhere else (a passive ISR, a DPC, a thread) runs from
 * the queue of the CPU that queued it, on the shim's workqueue, bound to
 * that CPU. Either way it runs in process context with bottom halves off,
 * never in hard-IRQ context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/export.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "wdm_internal.h"
#include "wdm_trace.h"

/* Every DPC queue, for KeFlushQueuedDpcs(); the mutex protects the list. */
static LIST_HEAD(wdm_dpc_queues);
static DEFINE_MUTEX(wdm_dpc_queues_lock);

/*
 * DPCs queued outside a DIRQL ISR: one queue per CPU, each run by its own
 * work item on that CPU, so that one driver's DPCs never wait behind
 * another's on another CPU.
 */
struct wdm_deferred {
	struct wdm_dpc_queue q;
	struct work_struct work;
};

static DEFINE_PER_CPU(struct wdm_deferred, wdm_deferred);
static struct workqueue_struct *wdm_dpc_wq;

/*
 * Only the DPCs queued before the run started: one that queues itself
 * again queued the work again too, and runs in the next pass, after the
 * workqueue's own reschedule point.
 */
static void wdm_dpc_work_fn(struct work_struct *work)
{
	struct wdm_deferred *d = container_of(work, struct wdm_deferred, work);

	wdm_dpc_queue_run(&d->q, false);
}

void wdm_dpc_queue_init(struct wdm_dpc_queue *q)
{
	raw_spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	q->next_ticket = 1;
	q->running_ticket = 0;
	init_waitqueue_head(&q->idle);
	INIT_LIST_HEAD(&q->node);
}

void wdm_dpc_queue_register(struct wdm_dpc_queue *q)
{
	mutex_lock(&wdm_dpc_queues_lock);
	list_add_tail(&q->node, &wdm_dpc_queues);
	mutex_unlock(&wdm_dpc_queues_lock);
}

/* Waits for a KeFlushQueuedDpcs() that is looking at @q. */
void wdm_dpc_queue_unregister(struct wdm_dpc_queue *q)
{
	mutex_lock(&wdm_dpc_queues_lock);
	list_del_init(&q->node);
	mutex_unlock(&wdm_dpc_queues_lock);
}

/* Mark @q idle after a run and let flushers look again. */
static void wdm_dpc_queue_ran(struct wdm_dpc_queue *q)
{
	raw_spin_lock_irq(&q->lock);
	q->running_ticket = 0;
	raw_spin_unlock_irq(&q->lock);
	if (wq_has_sleeper(&q->idle))
		wake_up_all(&q->idle);
}

/*
 * wdm_dpc_queue_run() - run the DPCs of @q, oldest first
 * @q: the queue
 * @all: until it is empty; else only the DPCs queued before the call
 *
 * A DPC leaves the queue before its routine is called, so queuing it again
 * from the routine (or while it runs) makes it run once more: in the same
 * call if @all, else in the next one.
 *
 * Context: process context; one runner per queue at a time.
 */
void wdm_dpc_queue_run(struct wdm_dpc_queue *q, bool all)
{
	PKDEFERRED_ROUTINE routine;
	PVOID context, arg1, arg2;
	u64 ticket, last;
	PKDPC dpc;

	raw_spin_lock_irq(&q->lock);
	last = q->next_ticket - 1;
	raw_spin_unlock_irq(&q->lock);

	for (;;) {
		raw_spin_lock_irq(&q->lock);
		dpc = list_first_entry_or_null(&q->pending, KDPC, entry);
		if (!dpc || (!all && dpc->ticket > last)) {
			raw_spin_unlock_irq(&q->lock);
			return;
		}
		list_del_init(&dpc->entry);
		ticket = dpc->ticket;
		q->running_ticket = ticket;
		routine = dpc->DeferredRoutine;
		context = dpc->DeferredContext;
		arg1 = dpc->SystemArgument1;
		arg2 = dpc->SystemArgument2;
		/* Off the list first: an insert on another queue may follow at once. */
		smp_store_release(&dpc->queue, NULL);
		raw_spin_unlock_irq(&q->lock);

		/* DISPATCH_LEVEL: the routine must not sleep. */
		trace_wdm_dpc_run(dpc, routine, ticket);
		local_bh_disable();
		routine(dpc, context, arg1, arg2);
		local_bh_enable();

		wdm_dpc_queue_ran(q);
	}
}

/* Has every DPC with a ticket up to @last left @q and finished running? */
static bool wdm_dpc_queue_passed(struct wdm_dpc_queue *q, u64 last)
{
	PKDPC first;
	bool passed;

	raw_spin_lock_irq(&q->lock);
	first = list_first_entry_or_null(&q->pending, KDPC, entry);
	passed = (!first || first->ticket > last) &&
		 (!q->running_ticket || q->running_ticket > last);
	raw_spin_unlock_irq(&q->lock);
	return passed;
}

/* Wait until each DPC queued so far on @q has run (or was removed). */
static void wdm_dpc_queue_wait(struct wdm_dpc_queue *q)
{
	u64 last;

	raw_spin_lock_irq(&q->lock);
	last = q->next_ticket - 1;
	raw_spin_unlock_irq(&q->lock);
	/*
	 * The runner wakes us after each DPC; a KeRemoveQueueDpc(), which may
	 * run where waking is not allowed, does not: look again every few
	 * milliseconds for that case.
	 */
	while (!wait_event_timeout(q->idle, wdm_dpc_queue_passed(q, last),
				   msecs_to_jiffies(10)))
		;
}

/*
 * wdm_dpc_flush_deferred() - wait for the DPCs of every CPU's queue
 *
 * What a passive-level ISR queued is on those queues: its disconnect waits
 * here, so that none of its DPCs is left to run after it returns.
 *
 * Context: process context; may sleep. Not from a DPC routine.
 */
void wdm_dpc_flush_deferred(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		wdm_dpc_queue_wait(&per_cpu_ptr(&wdm_deferred, cpu)->q);
}

/**
 * KeInitializeDpc() - initialise a DPC object
 * @Dpc: the object
 * @DeferredRoutine: the routine it runs
 * @DeferredContext: the routine's second argument
 *
 * Context: any; @Dpc must not be queued.
 */
void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
		     PVOID DeferredContext)
{
	Dpc->DeferredRoutine = DeferredRoutine;
	Dpc->DeferredContext = DeferredContext;
	Dpc->SystemArgument1 = NULL;
	Dpc->SystemArgument2 = NULL;
	INIT_LIST_HEAD(&Dpc->entry);
	Dpc->queue = NULL;
	Dpc->ticket = 0;
}
EXPORT_SYMBOL_GPL(KeInitializeDpc);

/**
 * KeInsertQueueDpc() - queue a DPC
 * @Dpc: an initialised DPC object
 * @SystemArgument1: the routine's third argument
 * @SystemArgument2: the routine's fourth argument
 *
 * From an ISR the DPC runs in that interrupt's threaded handler; from
 * anywhere else, on the shim's workqueue. Queuing a DPC that is already
 * queued changes nothing: the arguments of the first call stand.
 *
 * Context: any, including hard-IRQ context.
 * Return: TRUE if the DPC was queued, FALSE if it already was.
 */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
			 PVOID SystemArgument2)
{
	PKDEFERRED_ROUTINE routine = Dpc->DeferredRoutine;
	struct wdm_deferred *d = NULL;
	struct wdm_dpc_queue *q;
	struct _KINTERRUPT *ki;
	unsigned long flags;
	int cpu;
	u64 ticket;

	/* With interrupts off we stay on this CPU and its queue. */
	local_irq_save(flags);
	ki = this_cpu_read(wdm_current_interrupt);
	if (ki) {
		q = &ki->dpcq;
	} else {
		d = this_cpu_ptr(&wdm_deferred);
		q = &d->q;
	}
	cpu = smp_processor_id();
	raw_spin_lock(&q->lock);
	/* Another queue's lock may be held by a racing insert: claim it. */
	if (cmpxchg(&Dpc->queue, NULL, q)) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return FALSE;
	}
	Dpc->SystemArgument1 = SystemArgument1;
	Dpc->SystemArgument2 = SystemArgument2;
	ticket = q->next_ticket++;
	Dpc->ticket = ticket;
	list_add_tail(&Dpc->entry, &q->pending);
	raw_spin_unlock(&q->lock);
	/*
	 * From here the DPC may run, and free @Dpc, on another CPU: only the
	 * values read above are used.
	 */
	trace_wdm_dpc_queue(Dpc, routine, ticket);
	if (ki)
		ki->queued_dpc = true;
	else
		queue_work_on(cpu, wdm_dpc_wq, &d->work);
	local_irq_restore(flags);
	return TRUE;
}
EXPORT_SYMBOL_GPL(KeInsertQueueDpc);

/**
 * KeRemoveQueueDpc() - take a queued DPC off its queue
 * @Dpc: the DPC object
 *
 * A DPC whose routine is already running is not queued: it finishes.
 *
 * Context: any.
 * Return: TRUE if the DPC was queued and now is not, FALSE if it was not
 * queued.
 */
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
	struct wdm_dpc_queue *q;
	unsigned long flags;
	BOOLEAN removed = FALSE;

	/*
	 * @q may be the queue of an interrupt object being disconnected: it
	 * empties the queue (Dpc->queue becomes NULL) before it frees the
	 * object, and frees it only after an RCU grace period.
	 */
	rcu_read_lock();
	q = READ_ONCE(Dpc->queue);
	if (q) {
		raw_spin_lock_irqsave(&q->lock, flags);
		if (Dpc->queue == q) {
			list_del_init(&Dpc->entry);
			/* As in wdm_dpc_queue_run(): off the list first. */
			smp_store_release(&Dpc->queue, NULL);
			removed = TRUE;
		}
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
	rcu_read_unlock();
	/* No wake-up here (any context, raw lock maybe held): flushers poll. */
	return removed;
}
EXPORT_SYMBOL_GPL(KeRemoveQueueDpc);

/**
 * KeFlushQueuedDpcs() - wait for every DPC queued so far to finish
 *
 * Returns once each DPC that was queued when it was called has run (or was
 * removed). DPCs queued later are not waited for.
 *
 * Context: process context; may sleep. Not from a DPC routine.
 */
void KeFlushQueuedDpcs(void)
{
	struct wdm_dpc_queue *q;

	might_sleep();
	mutex_lock(&wdm_dpc_queues_lock);
	list_for_each_entry(q, &wdm_dpc_queues, node)
		wdm_dpc_queue_wait(q);
	mutex_unlock(&wdm_dpc_queues_lock);
}
EXPORT_SYMBOL_GPL(KeFlushQueuedDpcs);

static void wdm_dpc_for_isr(PKDPC Dpc, PVOID DeferredContext,
			    PVOID SystemArgument1, PVOID SystemArgument2)
{
	PDEVICE_OBJECT DeviceObject = DeferredContext;

	DeviceObject->DpcForIsr(Dpc, DeviceObject, SystemArgument1,
				SystemArgument2);
}

/**
 * IoInitializeDpcRequest() - set up a device object's DpcForIsr
 * @DeviceObject: the device object
 * @DpcRoutine: the routine IoRequestDpc() will run
 *
 * Context: process context, before any IoRequestDpc() on @DeviceObject.
 */
void IoInitializeDpcRequest(PDEVICE_OBJECT DeviceObject,
			    PIO_DPC_ROUTINE DpcRoutine)
{
	DeviceObject->DpcForIsr = DpcRoutine;
	KeInitializeDpc(&DeviceObject->Dpc, wdm_dpc_for_isr, DeviceObject);
}
EXPORT_SYMBOL_GPL(IoInitializeDpcRequest);

/**
 * IoRequestDpc() - queue a device object's DpcForIsr
 * @DeviceObject: the device object, set up with IoInitializeDpcRequest()
 * @Irp: the routine's third argument
 * @Context: the routine's fourth argument
 *
 * KeInsertQueueDpc() on the device object's DPC: if it is already queued
 * this call changes nothing.
 *
 * Context: any, normally the ISR.
 */
void IoRequestDpc(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
	KeInsertQueueDpc(&DeviceObject->Dpc, Irp, Context);
}
EXPORT_SYMBOL_GPL(IoRequestDpc);

int wdm_dpc_init(void)
{
	int cpu;

	wdm_dpc_wq = alloc_workqueue("wdm_dpc", WQ_HIGHPRI, 0);
	if (!wdm_dpc_wq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct wdm_deferred *d = per_cpu_ptr(&wdm_deferred, cpu);

		wdm_dpc_queue_init(&d->q);
		INIT_WORK(&d->work, wdm_dpc_work_fn);
		wdm_dpc_queue_register(&d->q);
	}
	return 0;
}

void wdm_dpc_exit(void)
{
	int cpu;

	destroy_workqueue(wdm_dpc_wq);
	for_each_possible_cpu(cpu)
		wdm_dpc_queue_unregister(&per_cpu_ptr(&wdm_deferred, cpu)->q);
}
