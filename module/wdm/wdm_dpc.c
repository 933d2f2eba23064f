// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred procedure calls, as Windows runs them. Each CPU has a queue of
 * DPCs, run at DISPATCH_LEVEL in softirq context on that CPU (from a
 * high-priority tasklet): a DPC queued by an ISR runs right
 * after it, at interrupt exit; one queued while the CPU is at DISPATCH_LEVEL
 * or higher runs as the level drops below it; one queued at PASSIVE_LEVEL
 * has run when KeInsertQueueDpc() returns. Threaded DPCs run at
 * PASSIVE_LEVEL: queued by a DIRQL ISR, in that interrupt's threaded
 * handler (the ISR's TRUE becomes IRQ_WAKE_THREAD); queued anywhere else, in
 * a real-time kthread of the CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/export.h>
#include <linux/smp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "wdm_compat.h"
#include "wdm_internal.h"
#include "wdm_trace.h"

/*
 * The DPC watchdog. Windows' defaults: a single DPC may run 20 s, DPCs run
 * back to back 120 s, before it stops the machine (DPC_WATCHDOG_VIOLATION).
 * Here a DPC past a limit is reported, once per routine. 0 disables.
 */
VISIBLE_IF_KUNIT unsigned int dpc_time_limit_ms = 20000;
EXPORT_SYMBOL_IF_KUNIT(dpc_time_limit_ms);
module_param(dpc_time_limit_ms, uint, 0644);
MODULE_PARM_DESC(dpc_time_limit_ms,
		 "Report a DPC that runs longer than this, in ms (0: off; default 20000, as Windows)");

VISIBLE_IF_KUNIT unsigned int dpc_watchdog_limit_ms = 120000;
EXPORT_SYMBOL_IF_KUNIT(dpc_watchdog_limit_ms);
module_param(dpc_watchdog_limit_ms, uint, 0644);
MODULE_PARM_DESC(dpc_watchdog_limit_ms,
		 "Report DPCs that run back to back longer than this, in ms (0: off; default 120000, as Windows)");

/*
 * Every DPC queue, for KeFlushQueuedDpcs() and the verifier's look at
 * memory being freed: the mutex serialises changes, readers hold it or
 * rcu_read_lock() (an interrupt object's queue is freed after a grace
 * period, the CPUs' are static).
 */
static LIST_HEAD(wdm_dpc_queues);
static DEFINE_MUTEX(wdm_dpc_queues_lock);

/* One CPU's DPC machinery. */
struct wdm_dpc_cpu {
	struct wdm_dpc_queue q;		/* DPCs, run in softirq */
	struct wdm_dpc_queue tq;	/* threaded DPCs, run by tworker */
	struct tasklet_struct bh;
	call_single_data_t kick;	/* schedules bh from another CPU */
	struct kthread_worker *tworker;
	struct kthread_work twork;
	int cpu;
	/* the watchdog; written and read on this CPU at DISPATCH_LEVEL */
	bool executing;			/* a DPC routine is running */
	bool seq_reported;
	u64 dpc_start;			/* wdm_now_ns() at the routine's start */
	u64 seq_start;			/* at the start of the run */
	PKDPC running;			/* the DPC whose routine is running */
};

static DEFINE_PER_CPU(struct wdm_dpc_cpu, wdm_dpc_cpus);

/* The task running a threaded DPC on this CPU (migration off meanwhile). */
static DEFINE_PER_CPU(struct task_struct *, wdm_tdpc_task);
/* and that DPC */
static DEFINE_PER_CPU(PKDPC, wdm_tdpc_dpc);

static atomic_long_t wdm_dpc_watchdog_reports = ATOMIC_LONG_INIT(0);

/* Routines already reported by the watchdog: each is reported once. */
static struct wdm_seen wdm_watchdog_seen = WDM_SEEN_INIT(wdm_watchdog_seen);

void wdm_dpc_queue_init(struct wdm_dpc_queue *q, bool threaded)
{
	raw_spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	INIT_LIST_HEAD(&q->batch);
	q->next_ticket = 1;
	q->running_ticket = 0;
	q->threaded = threaded;
	init_waitqueue_head(&q->idle);
	INIT_LIST_HEAD(&q->node);
}

void wdm_dpc_queue_register(struct wdm_dpc_queue *q)
{
	mutex_lock(&wdm_dpc_queues_lock);
	list_add_tail_rcu(&q->node, &wdm_dpc_queues);
	mutex_unlock(&wdm_dpc_queues_lock);
}

/*
 * Waits for a KeFlushQueuedDpcs() that is looking at @q; @q's memory may be
 * reused only after an RCU grace period.
 */
void wdm_dpc_queue_unregister(struct wdm_dpc_queue *q)
{
	mutex_lock(&wdm_dpc_queues_lock);
	list_del_rcu(&q->node);
	mutex_unlock(&wdm_dpc_queues_lock);
}

/* Mark @q idle after a DPC and let flushers look again. */
static void wdm_dpc_queue_ran(struct wdm_dpc_queue *q)
{
	raw_spin_lock_irq(&q->lock);
	q->running_ticket = 0;
	raw_spin_unlock_irq(&q->lock);
	/*
	 * On PREEMPT_RT the wait queue's lock sleeps: not with preemption off
	 * (a drain at APC_LEVEL). Flushers look again every 10 ms anyway.
	 */
	if (wq_has_sleeper(&q->idle) && (!IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible()))
		wake_up_all(&q->idle);
}

/* After a DPC routine: report it, or the run, if past a limit. */
static void wdm_dpc_watchdog(struct wdm_dpc_cpu *d, PKDEFERRED_ROUTINE routine,
			     u64 now)
{
	u64 ran = now - d->dpc_start, seq = now - d->seq_start;
	unsigned int limit = READ_ONCE(dpc_time_limit_ms);
	unsigned int wlimit = READ_ONCE(dpc_watchdog_limit_ms);

	if (limit && ran > (u64)limit * NSEC_PER_MSEC) {
		atomic_long_inc(&wdm_dpc_watchdog_reports);
		if (wdm_seen_first(&wdm_watchdog_seen, routine))
			pr_warn("DPC %ps ran %llu us on CPU %d, past the DPC time limit of %u ms\n",
				routine, div_u64(ran, NSEC_PER_USEC), d->cpu, limit);
	}
	if (wlimit && !d->seq_reported && seq > (u64)wlimit * NSEC_PER_MSEC) {
		d->seq_reported = true;
		atomic_long_inc(&wdm_dpc_watchdog_reports);
		pr_warn("DPCs ran back to back for %llu us on CPU %d, past the DPC watchdog limit of %u ms; the last was %ps\n",
			div_u64(seq, NSEC_PER_USEC), d->cpu, wlimit, routine);
	}
}

/*
 * Run one DPC routine of @q, at the level and in the frame it needs. @origin
 * is the interrupt object whose ISR queued it (or NULL), at @queued: the
 * run counts for it. @origin is valid here: wdm_interrupt_destroy() waits
 * for this call to return before it frees the object.
 */
static void wdm_dpc_call(struct wdm_dpc_queue *q, PKDPC dpc, PKDEFERRED_ROUTINE routine,
			 PVOID context, PVOID arg1, PVOID arg2,
			 struct _KINTERRUPT *origin, u64 queued)
{
	/* @dpc may be freed by its routine: what the statistics show is taken first */
	void *shown = wdm_dpc_shown(routine, context);
	struct task_struct *prev_task;
	struct wdm_dpc_cpu *d;
	unsigned long flags;
	PKDPC prev_dpc;
	u64 irql, start;

	if (q->threaded) {
		/* PASSIVE_LEVEL, in a thread; KeIsExecutingDpc() knows it. */
		migrate_disable();
		prev_task = this_cpu_read(wdm_tdpc_task);
		prev_dpc = this_cpu_read(wdm_tdpc_dpc);
		this_cpu_write(wdm_tdpc_task, current);
		this_cpu_write(wdm_tdpc_dpc, dpc);
		start = wdm_stats_now();
		routine(dpc, context, arg1, arg2);
		/* Preemptible: the counters of this CPU, with nothing in between. */
		local_irq_save(flags);
		wdm_stats_dpc(origin, shown, queued, start, wdm_stats_now(), false);
		local_irq_restore(flags);
		this_cpu_write(wdm_tdpc_dpc, prev_dpc);
		this_cpu_write(wdm_tdpc_task, prev_task);
		migrate_enable();
		return;
	}
	/* DISPATCH_LEVEL: bottom halves (the caller) and preemption off. */
	preempt_disable();
	d = this_cpu_ptr(&wdm_dpc_cpus);
	irql = wdm_irql_frame_enter(DISPATCH_LEVEL);
	d->executing = true;
	d->running = dpc;
	d->dpc_start = wdm_now_ns();
	routine(dpc, context, arg1, arg2);
	start = wdm_now_ns();
	wdm_dpc_watchdog(d, routine, start);
	wdm_stats_dpc(origin, shown, queued, d->dpc_start, start, true);
	d->running = NULL;
	d->executing = false;
	if (KeGetCurrentIrql() != DISPATCH_LEVEL) {
		wdm_report_bug((unsigned long)routine, "DPC returned at IRQL %u",
			       KeGetCurrentIrql());
		KeLowerIrql(DISPATCH_LEVEL);
	}
	wdm_irql_frame_exit(irql);
	preempt_enable();
}

/**
 * wdm_dpc_queue_run() - run the DPCs of @q, oldest first
 * @q: the queue
 * @all: until it is empty; else only the DPCs queued before the call
 *
 * A DPC leaves the queue before its routine is called, so queuing it again
 * from the routine (or while it runs) makes it run once more: in the same
 * call if @all, else in the next one, after a reschedule point.
 *
 * Context: a threaded queue: process context. A CPU's queue: on that CPU,
 * bottom halves off. One runner per queue at a time.
 */
void wdm_dpc_queue_run(struct wdm_dpc_queue *q, bool all)
{
	struct _KINTERRUPT *origin;
	PKDEFERRED_ROUTINE routine;
	PVOID context, arg1, arg2;
	bool taken = false;
	u64 ticket, queued;
	PKDPC dpc;

	for (;;) {
		raw_spin_lock_irq(&q->lock);
		if (list_empty(&q->batch)) {
			if (list_empty(&q->pending) || (taken && !all)) {
				raw_spin_unlock_irq(&q->lock);
				return;
			}
			/* What is queued from here on waits for the next pass. */
			list_splice_init(&q->pending, &q->batch);
			taken = true;
		}
		dpc = list_first_entry(&q->batch, KDPC, entry);
		list_del_init(&dpc->entry);
		ticket = dpc->ticket;
		q->running_ticket = ticket;
		routine = dpc->DeferredRoutine;
		context = dpc->DeferredContext;
		arg1 = dpc->SystemArgument1;
		arg2 = dpc->SystemArgument2;
		origin = dpc->wdm_private_origin;
		queued = dpc->wdm_private_queued_ns;
		dpc->wdm_private_origin = NULL;
		/* Off the list first: an insert on another queue may follow at once. */
		smp_store_release(&dpc->queue, NULL);
		raw_spin_unlock_irq(&q->lock);

		trace_wdm_dpc_run(dpc, routine, ticket);
		wdm_dpc_call(q, dpc, routine, context, arg1, arg2, origin, queued);
		wdm_dpc_queue_ran(q);
	}
}

/* One pass over this CPU's DPC queue. Context: bottom halves off. */
static void wdm_dpc_cpu_run(struct wdm_dpc_cpu *d)
{
	d->seq_start = wdm_now_ns();
	d->seq_reported = false;
	wdm_dpc_queue_run(&d->q, false);
}

/*
 * wdm_dpc_drain_local() - run this CPU's DPCs as its IRQL drops below
 * DISPATCH_LEVEL
 *
 * Context: bottom halves off, about to be turned on.
 */
void wdm_dpc_drain_local(void)
{
	struct wdm_dpc_cpu *d = this_cpu_ptr(&wdm_dpc_cpus);

	if (!list_empty(&d->q.pending))
		wdm_dpc_cpu_run(d);
}

/* Is a DPC routine (not a threaded one) running on this CPU, below us? */
bool wdm_dpc_running_here(void)
{
	return this_cpu_read(wdm_dpc_cpus.executing) && !in_hardirq();
}

/*
 * wdm_dpc_run_pending() - run this CPU's DPCs if its IRQL is below
 * DISPATCH_LEVEL: after an interrupt spin lock taken from there is
 * released, as the IRQL drops.
 *
 * Context: any.
 */
void wdm_dpc_run_pending(void)
{
	if (list_empty(raw_cpu_ptr(&wdm_dpc_cpus.q.pending)) ||
	    KeGetCurrentIrql() >= DISPATCH_LEVEL)
		return;
	KeLowerIrql(KfRaiseIrql(DISPATCH_LEVEL));
}

/*
 * A high-priority tasklet per CPU runs its DPC queue in softirq. Linux 6.9
 * added BH workqueues to replace tasklets; a BH work item per CPU did the
 * same job, but its worker's bookkeeping (process_one_work()) added about
 * 4 us to each DPC run under QEMU TCG, so that an interrupt reached a
 * reader on another CPU at 1.13-1.20 of UIO's median instead of 0.90-1.04
 * (make bench, latency, three runs of each in turn).
 */
static void wdm_dpc_bh_fn(struct tasklet_struct *t)
{
	wdm_dpc_cpu_run(container_of(t, struct wdm_dpc_cpu, bh));
}

static void wdm_dpc_kick_fn(void *info)
{
	tasklet_hi_schedule(&((struct wdm_dpc_cpu *)info)->bh);
}

/* Run @d's queue in softirq on its CPU. Context: any; interrupts off. */
static void wdm_dpc_kick(struct wdm_dpc_cpu *d)
{
	if (d->cpu == smp_processor_id())
		tasklet_hi_schedule(&d->bh);
	else
		/* -EBUSY: a kick is pending, and it runs after our insert. */
		smp_call_function_single_async(d->cpu, &d->kick);
}

static void wdm_tdpc_work_fn(struct kthread_work *work)
{
	wdm_dpc_queue_run(&container_of(work, struct wdm_dpc_cpu, twork)->tq, false);
}

/* Has every DPC with a ticket up to @last left @q and finished running? */
static bool wdm_dpc_queue_passed(struct wdm_dpc_queue *q, u64 last)
{
	bool passed;
	PKDPC dpc;

	/* HighImportance DPCs go to the head: the lists are not in ticket order. */
	raw_spin_lock_irq(&q->lock);
	passed = !q->running_ticket || q->running_ticket > last;
	list_for_each_entry(dpc, &q->pending, entry)
		passed &= dpc->ticket > last;
	list_for_each_entry(dpc, &q->batch, entry)
		passed &= dpc->ticket > last;
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

/**
 * KeInitializeDpc() - initialise a DPC object
 * @Dpc: the object
 * @DeferredRoutine: the routine it runs
 * @DeferredContext: the routine's second argument
 *
 * The DPC runs at DISPATCH_LEVEL, with medium importance, on the processor
 * that queues it.
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
	Dpc->threaded = false;
	Dpc->importance = MediumImportance;
	Dpc->target_cpu = -1;
}
EXPORT_SYMBOL_GPL(KeInitializeDpc);

/**
 * KeInitializeThreadedDpc() - initialise a threaded DPC object
 * @Dpc: the object
 * @DeferredRoutine: the routine it runs
 * @DeferredContext: the routine's second argument
 *
 * A threaded DPC runs at PASSIVE_LEVEL in a real-time thread: queued by a
 * DIRQL ISR, in that interrupt's threaded handler; else in a SCHED_FIFO
 * kthread of the processor that queues it. Its routine must still not
 * sleep: Windows may run it as an ordinary DPC.
 *
 * Context: any; @Dpc must not be queued.
 */
void KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
			     PVOID DeferredContext)
{
	KeInitializeDpc(Dpc, DeferredRoutine, DeferredContext);
	Dpc->threaded = true;
}
EXPORT_SYMBOL_GPL(KeInitializeThreadedDpc);

/**
 * KeSetImportanceDpc() - set where KeInsertQueueDpc() puts a DPC
 * @Dpc: the DPC object, not queued
 * @Importance: HighImportance queues it at the head, every other
 *	importance at the tail
 *
 * Context: any.
 */
void KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
	Dpc->importance = Importance;
}
EXPORT_SYMBOL_GPL(KeSetImportanceDpc);

/**
 * KeSetTargetProcessorDpc() - run a DPC on one processor
 * @Dpc: the DPC object, not queued
 * @Number: the processor (Linux CPU) number
 *
 * A processor that is offline when the DPC is queued is not waited for:
 * the DPC runs on the processor that queues it.
 *
 * Context: any.
 */
void KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
	if ((unsigned char)Number >= nr_cpu_ids) {
		wdm_report_bug(_RET_IP_, "%s(%d): no such processor", __func__, Number);
		return;
	}
	Dpc->target_cpu = (unsigned char)Number;
}
EXPORT_SYMBOL_GPL(KeSetTargetProcessorDpc);

/**
 * KeSetTargetProcessorDpcEx() - run a DPC on one processor, by group and number
 * @Dpc: the DPC object, not queued
 * @ProcNumber: the processor
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for a processor that
 * does not exist.
 */
NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber)
{
	ULONG cpu = ProcNumber ? KeGetProcessorIndexFromNumber(ProcNumber) :
				 INVALID_PROCESSOR_INDEX;

	if (cpu == INVALID_PROCESSOR_INDEX)
		return STATUS_INVALID_PARAMETER;
	Dpc->target_cpu = cpu;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(KeSetTargetProcessorDpcEx);

/* The CPU a DPC queued now goes to. Context: preemption off. */
static int wdm_dpc_cpu_of(PKDPC Dpc)
{
	int cpu = Dpc->target_cpu;

	return cpu >= 0 && cpu_online(cpu) ? cpu : smp_processor_id();
}

/* Is @Dpc queued from its own routine? Context: interrupts off. */
static bool wdm_dpc_is_self(PKDPC Dpc)
{
	/* An ISR that queues the DPC while its routine runs is not the routine. */
	if (in_hardirq() || this_cpu_read(wdm_current_interrupt))
		return false;
	if (wdm_dpc_running_here())
		return this_cpu_read(wdm_dpc_cpus.running) == Dpc;
	return this_cpu_read(wdm_tdpc_task) == current && this_cpu_read(wdm_tdpc_dpc) == Dpc;
}

/*
 * Put @Dpc on @q; FALSE if it is queued already. *@first (if not NULL) says
 * whether @q had nothing pending: if it had, whoever queued that kicked the
 * runner (or runs the queue as its IRQL drops), and the runner has not taken
 * it yet, so it takes this one too. Interrupts off.
 */
static bool wdm_dpc_enqueue(struct wdm_dpc_queue *q, PKDPC Dpc,
			    PVOID SystemArgument1, PVOID SystemArgument2, bool *first)
{
	PKDEFERRED_ROUTINE routine = Dpc->DeferredRoutine;
	u64 ticket;

	raw_spin_lock(&q->lock);
	/* Another queue's lock may be held by a racing insert: claim it. */
	if (cmpxchg(&Dpc->queue, NULL, q)) {
		raw_spin_unlock(&q->lock);
		return false;
	}
	Dpc->SystemArgument1 = SystemArgument1;
	Dpc->SystemArgument2 = SystemArgument2;
	ticket = q->next_ticket++;
	Dpc->ticket = ticket;
	wdm_stats_queued(Dpc);
	wdm_verify_requeue(Dpc, wdm_dpc_is_self(Dpc));
	if (first)
		*first = list_empty(&q->pending);
	if (Dpc->importance == HighImportance)
		list_add(&Dpc->entry, &q->pending);
	else
		list_add_tail(&Dpc->entry, &q->pending);
	raw_spin_unlock(&q->lock);
	/* From here the DPC may run, and free @Dpc, on another CPU. */
	trace_wdm_dpc_queue(Dpc, routine, ticket);
	return true;
}

static BOOLEAN wdm_insert_threaded(PRKDPC Dpc, PVOID SystemArgument1,
				   PVOID SystemArgument2)
{
	struct wdm_dpc_cpu *d;
	struct _KINTERRUPT *ki;
	unsigned long flags;
	bool queued;

	local_irq_save(flags);
	ki = this_cpu_read(wdm_current_interrupt);
	if (ki && Dpc->target_cpu < 0) {
		queued = wdm_dpc_enqueue(&ki->dpcq, Dpc, SystemArgument1, SystemArgument2, NULL);
		if (queued)
			ki->queued_dpc = true;
	} else {
		d = per_cpu_ptr(&wdm_dpc_cpus, wdm_dpc_cpu_of(Dpc));
		queued = wdm_dpc_enqueue(&d->tq, Dpc, SystemArgument1, SystemArgument2, NULL);
		if (queued)
			kthread_queue_work(d->tworker, &d->twork);
	}
	local_irq_restore(flags);
	return queued ? TRUE : FALSE;
}

/**
 * KeInsertQueueDpc() - queue a DPC
 * @Dpc: an initialised DPC object
 * @SystemArgument1: the routine's third argument
 * @SystemArgument2: the routine's fourth argument
 *
 * The DPC goes on the queue of the processor that queues it (or of its
 * target processor) and runs there once that processor's IRQL is below
 * DISPATCH_LEVEL: queued at PASSIVE_LEVEL, before this call returns; from
 * an ISR, right after it. Queuing a DPC that is already queued changes
 * nothing: the arguments of the first call stand.
 *
 * Context: any, including hard-IRQ context.
 * Return: TRUE if the DPC was queued, FALSE if it already was.
 */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
			 PVOID SystemArgument2)
{
	struct wdm_dpc_cpu *d;
	unsigned long flags;
	bool now, queued, first;
	KIRQL old = PASSIVE_LEVEL;

	if (Dpc->threaded)
		return wdm_insert_threaded(Dpc, SystemArgument1, SystemArgument2);

	/*
	 * Below DISPATCH_LEVEL: the DPC runs here, on this CPU, before we
	 * return, as the level drops again. An ISR runs above it: no need to
	 * look up the level.
	 */
	now = !this_cpu_read(wdm_current_interrupt) && KeGetCurrentIrql() < DISPATCH_LEVEL;
	if (now)
		old = KfRaiseIrql(DISPATCH_LEVEL);
	local_irq_save(flags);
	d = per_cpu_ptr(&wdm_dpc_cpus, wdm_dpc_cpu_of(Dpc));
	queued = wdm_dpc_enqueue(&d->q, Dpc, SystemArgument1, SystemArgument2, &first);
	if (queued && first && (!now || d->cpu != smp_processor_id()))
		wdm_dpc_kick(d);
	local_irq_restore(flags);
	if (now)
		KeLowerIrql(old);
	return queued ? TRUE : FALSE;
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

/* The queued DPCs found in a block being freed, reported after the locks. */
#define WDM_FREED_SHOWN	4

struct wdm_freed_dpcs {
	unsigned int n;
	PKDPC dpc[WDM_FREED_SHOWN];
	PKDEFERRED_ROUTINE routine[WDM_FREED_SHOWN];
};

/* Take the DPCs on @list that lie in [@lo, @hi) off @q. Under q->lock. */
static void wdm_dpc_unqueue_range(struct wdm_dpc_queue *q, struct list_head *list,
				  uintptr_t lo, uintptr_t hi, struct wdm_freed_dpcs *f)
{
	PKDPC dpc, tmp;

	list_for_each_entry_safe(dpc, tmp, list, entry) {
		if ((uintptr_t)dpc + sizeof(*dpc) <= lo || (uintptr_t)dpc >= hi)
			continue;
		list_del_init(&dpc->entry);
		/* As in KeRemoveQueueDpc(): off the list first. */
		smp_store_release(&dpc->queue, NULL);
		if (f->n < WDM_FREED_SHOWN) {
			f->dpc[f->n] = dpc;
			f->routine[f->n] = dpc->DeferredRoutine;
		}
		f->n++;
	}
}

/**
 * wdm_dpc_check_free() - the verifier's look at a block of pool being freed
 * @block: the block
 * @size: its size
 *
 * A DPC still queued in memory being freed would run from freed memory:
 * Windows stops with TIMER_OR_DPC_INVALID (bug check 0xC7) when its pool
 * checks find one. Each such DPC is reported, naming its routine, and taken
 * off its queue, so that it never runs.
 *
 * Context: IRQL <= DISPATCH_LEVEL, as ExFreePool().
 */
void wdm_dpc_check_free(const void *block, size_t size)
{
	uintptr_t lo = (uintptr_t)block, hi = lo + size;
	struct wdm_freed_dpcs f = { 0 };
	struct wdm_dpc_queue *q;
	unsigned long flags;
	unsigned int i;

	rcu_read_lock();
	list_for_each_entry_rcu(q, &wdm_dpc_queues, node) {
		raw_spin_lock_irqsave(&q->lock, flags);
		wdm_dpc_unqueue_range(q, &q->pending, lo, hi, &f);
		wdm_dpc_unqueue_range(q, &q->batch, lo, hi, &f);
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
	rcu_read_unlock();
	for (i = 0; i < min_t(unsigned int, f.n, WDM_FREED_SHOWN); i++)
		wdm_verify_report(f.routine[i],
				  "DPC %p (routine %ps) is queued in pool block %p-%p being freed; taken off its queue (verifier: TIMER_OR_DPC_INVALID, 0xC7)",
				  f.dpc[i], f.routine[i], block, (void *)hi);
	if (f.n > WDM_FREED_SHOWN)
		wdm_verify_report(f.routine[0],
				  "%u more DPCs queued in pool block %p-%p being freed; taken off their queues (verifier: TIMER_OR_DPC_INVALID, 0xC7)",
				  f.n - WDM_FREED_SHOWN, block, (void *)hi);
}

/**
 * KeFlushQueuedDpcs() - wait for every DPC queued so far to finish
 *
 * Returns once each DPC (threaded or not, on every processor) that was
 * queued when it was called has run (or was removed). DPCs queued later
 * are not waited for.
 *
 * Context: PASSIVE_LEVEL; may sleep. Not from a DPC routine.
 */
void KeFlushQueuedDpcs(void)
{
	struct wdm_dpc_queue *q;

	if (KeIsExecutingDpc()) {
		/* It would wait for itself for ever. */
		wdm_report_bug(_RET_IP_, "%s() from a DPC routine", __func__);
		return;
	}
	might_sleep();
	mutex_lock(&wdm_dpc_queues_lock);
	list_for_each_entry(q, &wdm_dpc_queues, node)
		wdm_dpc_queue_wait(q);
	mutex_unlock(&wdm_dpc_queues_lock);
}
EXPORT_SYMBOL_GPL(KeFlushQueuedDpcs);

/**
 * KeIsExecutingDpc() - is the current processor running a DPC?
 *
 * Context: any.
 * Return: TRUE inside a DPC routine (threaded or not), else FALSE.
 */
BOOLEAN KeIsExecutingDpc(void)
{
	if (in_hardirq())
		return FALSE;
	return wdm_dpc_running_here() || this_cpu_read(wdm_tdpc_task) == current ?
	       TRUE : FALSE;
}
EXPORT_SYMBOL_GPL(KeIsExecutingDpc);

/**
 * KeQueryDpcWatchdogInformation() - the DPC watchdog's limits and what is left
 * @WatchdogInformation: receives the limits and the time left, in clock
 *	ticks (KeQueryTimeIncrement() units: jiffies here)
 *
 * DpcTimeLimit and DpcWatchdogLimit are the limits for one DPC and for DPCs
 * run back to back (module parameters dpc_time_limit_ms and
 * dpc_watchdog_limit_ms; 0 when off); DpcTimeCount and DpcWatchdogCount
 * the ticks left of each, counting down from the limit to 0.
 *
 * Context: a DPC routine (not a threaded one).
 * Return: STATUS_SUCCESS, or STATUS_UNSUCCESSFUL if no DPC is running on
 * the current processor.
 */
NTSTATUS KeQueryDpcWatchdogInformation(PKDPC_WATCHDOG_INFORMATION WatchdogInformation)
{
	unsigned int limit = READ_ONCE(dpc_time_limit_ms);
	unsigned int wlimit = READ_ONCE(dpc_watchdog_limit_ms);
	struct wdm_dpc_cpu *d;
	unsigned long ran, seq;
	u64 now;

	if (!wdm_dpc_running_here())
		return STATUS_UNSUCCESSFUL;
	d = this_cpu_ptr(&wdm_dpc_cpus);
	now = wdm_now_ns();
	ran = nsecs_to_jiffies(now - d->dpc_start);
	seq = nsecs_to_jiffies(now - d->seq_start);
	memset(WatchdogInformation, 0, sizeof(*WatchdogInformation));
	if (limit) {
		WatchdogInformation->DpcTimeLimit = msecs_to_jiffies(limit);
		WatchdogInformation->DpcTimeCount =
			WatchdogInformation->DpcTimeLimit - min_t(unsigned long, ran,
						WatchdogInformation->DpcTimeLimit);
	}
	if (wlimit) {
		WatchdogInformation->DpcWatchdogLimit = msecs_to_jiffies(wlimit);
		WatchdogInformation->DpcWatchdogCount =
			WatchdogInformation->DpcWatchdogLimit - min_t(unsigned long, seq,
						WatchdogInformation->DpcWatchdogLimit);
	}
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(KeQueryDpcWatchdogInformation);

#if IS_ENABLED(CONFIG_KUNIT)
/* How many times the DPC watchdog reported a DPC or a run of them. */
unsigned long wdm_dpc_watchdog_count(void)
{
	return atomic_long_read(&wdm_dpc_watchdog_reports);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_dpc_watchdog_count);
#endif

static void wdm_dpc_for_isr(PKDPC Dpc, PVOID DeferredContext,
			    PVOID SystemArgument1, PVOID SystemArgument2)
{
	PDEVICE_OBJECT DeviceObject = DeferredContext;

	DeviceObject->DpcForIsr(Dpc, DeviceObject, SystemArgument1,
				SystemArgument2);
}

/* The routine a DPC runs for the driver: an IoRequestDpc() runs DpcForIsr. */
void *wdm_dpc_shown(PKDEFERRED_ROUTINE routine, PVOID context)
{
	if (routine == wdm_dpc_for_isr)
		return ((PDEVICE_OBJECT)context)->DpcForIsr;
	return routine;
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
	struct wdm_dpc_cpu *d;
	int cpu;

	for_each_possible_cpu(cpu) {
		d = per_cpu_ptr(&wdm_dpc_cpus, cpu);
		d->cpu = cpu;
		wdm_dpc_queue_init(&d->q, false);
		wdm_dpc_queue_init(&d->tq, true);
		tasklet_setup(&d->bh, wdm_dpc_bh_fn);
		INIT_CSD(&d->kick, wdm_dpc_kick_fn, d);
		kthread_init_work(&d->twork, wdm_tdpc_work_fn);
	}
	for_each_possible_cpu(cpu) {
		d = per_cpu_ptr(&wdm_dpc_cpus, cpu);
		d->tworker = kthread_create_worker_on_cpu(cpu, 0, "wdm_tdpc/%d", cpu);
		if (IS_ERR(d->tworker)) {
			int err = PTR_ERR(d->tworker);

			d->tworker = NULL;
			wdm_dpc_exit();
			return err;
		}
		sched_set_fifo(d->tworker->task);
		wdm_dpc_queue_register(&d->q);
		wdm_dpc_queue_register(&d->tq);
	}
	return 0;
}

static void wdm_dpc_nop(void *info)
{
}

void wdm_dpc_exit(void)
{
	struct wdm_dpc_cpu *d;
	int cpu;

	/*
	 * A kick sent before is handled by the time a CPU has taken two IPIs
	 * since: the first may be served in the same pass, ahead of it.
	 */
	on_each_cpu(wdm_dpc_nop, NULL, 1);
	on_each_cpu(wdm_dpc_nop, NULL, 1);
	for_each_possible_cpu(cpu) {
		d = per_cpu_ptr(&wdm_dpc_cpus, cpu);
		if (!d->tworker)
			continue;
		wdm_dpc_queue_unregister(&d->q);
		wdm_dpc_queue_unregister(&d->tq);
		kthread_destroy_worker(d->tworker);
		d->tworker = NULL;
		tasklet_kill(&d->bh);
	}
}
