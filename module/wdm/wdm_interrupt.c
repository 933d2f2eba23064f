// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt object: its life around request_threaded_irq()/free_irq(),
 * the handlers that call a driver's ISR and run its DPCs, and the interrupt
 * spin lock (KeSynchronizeExecution, KeAcquire/ReleaseInterruptSpinLock).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/hardirq.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "wdm_compat.h"
#include "wdm_internal.h"
#include "wdm_trace.h"

/* The interrupt whose ISR this CPU is running, for KeInsertQueueDpc(). */
DEFINE_PER_CPU(struct _KINTERRUPT *, wdm_current_interrupt);

/*
 * Dispatch
 */

static __always_inline BOOLEAN wdm_call_isr(struct _KINTERRUPT *ki)
{
	if (ki->misr)
		return ki->misr(ki, ki->context, ki->message_id);
	return ki->isr(ki, ki->context);
}

/*
 * wdm_dispatch() - the hard-IRQ half of an interrupt object
 * @ki: the object
 * @hardirq: in_hardirq(), as the caller found it
 *
 * Runs the ISR under the interrupt spin lock with local interrupts off.
 * FALSE is IRQ_NONE, so genirq tries the next handler on a shared line;
 * TRUE is IRQ_HANDLED, or IRQ_WAKE_THREAD when the ISR queued a DPC, which
 * the threaded handler then runs.
 *
 * Inlined into the handler genirq calls: on every interrupt of every
 * object, one call less.
 *
 * Context: hard-IRQ (or force-threaded) handler of @ki->irq.
 */
static __always_inline irqreturn_t wdm_dispatch(struct _KINTERRUPT *ki, bool hardirq)
{
	struct wdm_verify_state v;
	unsigned long flags = 0;
	bool wake, verify;
	BOOLEAN handled;
	u64 irql, start;

	/*
	 * Not connected yet, or being disconnected (DEBUG_SHIRQ calls here).
	 * Pairs with wdm_interrupt_arm(): armed, the object is complete.
	 */
	if (!smp_load_acquire(&ki->armed))
		return IRQ_NONE;

	/*
	 * In hard-IRQ context interrupts are already off: no need to save and
	 * restore them. Force-threaded (PREEMPT_RT) they may be on.
	 */
	if (hardirq)
		raw_spin_lock(ki->lock);
	else
		raw_spin_lock_irqsave(ki->lock, flags);
	/*
	 * Reported inactive: an exclusive IRQ was disabled first and genirq
	 * keeps what arrives now pending, so this is one that was already on
	 * its way; on a shared line the other handlers are called as usual.
	 */
	if (unlikely(ki->inactive)) {
		if (hardirq)
			raw_spin_unlock(ki->lock);
		else
			raw_spin_unlock_irqrestore(ki->lock, flags);
		return IRQ_NONE;
	}
	__this_cpu_write(wdm_current_interrupt, ki);
	/* Interrupts are off now, either way. */
	irql = wdm_irql_frame_enter_irqs_off(ki->sync_irql);
	ki->queued_dpc = false;
	trace_wdm_isr_entry(ki->irq, ki->name, ki->message_id, !!ki->misr,
			    wdm_isr_routine(ki));
	verify = READ_ONCE(wdm_verify);
	if (unlikely(verify))
		wdm_verify_save(&v);
	start = wdm_isr_clock();
	handled = wdm_call_isr(ki);
	wdm_stats_isr(ki, handled, wdm_isr_ns(start, wdm_isr_clock()));
	if (unlikely(verify))
		wdm_verify_isr(ki, &v);
	wake = ki->queued_dpc;
	trace_wdm_isr_exit(ki->irq, ki->name, ki->message_id, handled, wake);
	if (ki->intx_pdev)
		wdm_storm_watch(ki, handled);
	wdm_irql_frame_exit(irql);
	__this_cpu_write(wdm_current_interrupt, NULL);
	if (hardirq)
		raw_spin_unlock(ki->lock);
	else
		raw_spin_unlock_irqrestore(ki->lock, flags);

	if (likely(handled))
		return wake ? IRQ_WAKE_THREAD : IRQ_HANDLED;
	if (likely(!wake))
		return IRQ_NONE;
	/*
	 * A FALSE that queued a DPC is a driver bug; still run the DPC. In
	 * hard-IRQ context, wake our thread and report IRQ_NONE. Force-threaded
	 * (PREEMPT_RT, threadirqs) this is the primary's own thread, and the
	 * DPCs run in the secondary one, which only IRQ_WAKE_THREAD wakes:
	 * irq_wake_thread() would wake the primary again instead.
	 */
	if (!hardirq)
		return IRQ_WAKE_THREAD;
	irq_wake_thread(ki->irq, ki);
	return IRQ_NONE;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* For the tests: one interrupt dispatched by hand. */
irqreturn_t wdm_interrupt_dispatch(struct _KINTERRUPT *ki)
{
	return wdm_dispatch(ki, in_hardirq());
}
EXPORT_SYMBOL_IF_KUNIT(wdm_interrupt_dispatch);
#endif

static irqreturn_t wdm_hardirq(int irq, void *dev_id)
{
	return wdm_dispatch(dev_id, in_hardirq());
}

/*
 * Threaded handler of a DIRQL interrupt: the DPCs its ISR queued. Only those
 * queued before it started: each later one came with an IRQ_WAKE_THREAD that
 * runs the thread again. genirq counts an IRQ_WAKE_THREAD interrupt handled
 * only if the thread returned since the one before; a thread that kept
 * running DPCs through an interrupt storm would have the line disabled as
 * spurious ("nobody cared").
 */
static irqreturn_t wdm_thread(int irq, void *dev_id)
{
	struct _KINTERRUPT *ki = dev_id;

	wdm_dpc_queue_run(&ki->dpcq, false);
	return IRQ_HANDLED;
}

/* Passive-level ISR: runs in the irq thread under the passive lock. */
static irqreturn_t wdm_passive_thread(int irq, void *dev_id)
{
	struct _KINTERRUPT *ki = dev_id;
	struct wdm_verify_state v;
	unsigned long flags;
	BOOLEAN handled;
	bool verify;
	u64 start;

	/* Pairs with wdm_interrupt_arm(), as in wdm_interrupt_dispatch(). */
	if (!smp_load_acquire(&ki->armed))
		return IRQ_NONE;

	mutex_lock(ki->plock);
	if (unlikely(READ_ONCE(ki->inactive))) {
		mutex_unlock(ki->plock);
		return IRQ_NONE;
	}
	trace_wdm_isr_entry(ki->irq, ki->name, ki->message_id, !!ki->misr,
			    wdm_isr_routine(ki));
	WRITE_ONCE(ki->passive_task, current);
	verify = READ_ONCE(wdm_verify);
	if (unlikely(verify))
		wdm_verify_save(&v);
	start = wdm_stats_now();
	handled = wdm_call_isr(ki);
	/* Preemptible: the counters of this CPU, with nothing in between. */
	local_irq_save(flags);
	wdm_stats_isr(ki, handled, wdm_stats_now() - start);
	local_irq_restore(flags);
	if (unlikely(verify))
		wdm_verify_isr(ki, &v);
	WRITE_ONCE(ki->passive_task, NULL);
	trace_wdm_isr_exit(ki->irq, ki->name, ki->message_id, handled, false);
	mutex_unlock(ki->plock);
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/*
 * Life cycle
 */

/* The group of the first CPU of @cpus that is online, and its CPUs there. */
static void wdm_group_affinity(const struct cpumask *cpus, GROUP_AFFINITY *ga)
{
	unsigned int cpu;
	bool found = false;

	memset(ga, 0, sizeof(*ga));
	for_each_cpu_and(cpu, cpus, cpu_online_mask) {
		if (!found) {
			ga->Group = cpu / BITS_PER_LONG;
			found = true;
		}
		if (cpu / BITS_PER_LONG == ga->Group)
			ga->Mask |= BIT(cpu % BITS_PER_LONG);
	}
}

/*
 * wdm_interrupt_create() - allocate an interrupt object and request its IRQ
 * @req: what to connect
 * @out: receives the object
 *
 * The handler is requested disarmed: until wdm_interrupt_arm() it returns
 * IRQ_NONE without entering the ISR.
 *
 * Context: process context; may sleep.
 * Return: STATUS_SUCCESS, or the status for the allocation or
 * request_threaded_irq() failure, with nothing left behind.
 */
NTSTATUS wdm_interrupt_create(const struct wdm_connect_req *req,
			      struct _KINTERRUPT **out)
{
	/*
	 * A sharing mismatch is the caller's NTSTATUS, not a stack dump. A
	 * nested line is not shared: it has one device behind it, and genirq's
	 * DEBUG_SHIRQ would call its (non-existent) primary handler.
	 */
	unsigned long flags = IRQF_PROBE_SHARED |
			      (req->shared && !req->nested ? IRQF_SHARED : 0);
	struct _KINTERRUPT *ki;
	int err;

	ki = kzalloc(sizeof(*ki), GFP_KERNEL);
	if (!ki)
		return STATUS_INSUFFICIENT_RESOURCES;
	ki->name = kstrdup(req->name, GFP_KERNEL);
	if (!ki->name || !zalloc_cpumask_var(&ki->saved_affinity, GFP_KERNEL)) {
		err = -ENOMEM;
		goto err_free_object;
	}

	ki->magic = WDM_INTERRUPT_MAGIC;
	INIT_LIST_HEAD(&ki->conn);
	ki->version = req->version;
	ki->passive = req->passive;
	ki->nested = req->nested;
	/* A passive ISR runs in a thread: a storm there does not stall a CPU. */
	ki->intx_pdev = req->passive ? NULL : req->intx_pdev;
	ki->irq = req->irq;
	ki->message_id = req->message_id;
	ki->isr = req->isr;
	ki->misr = req->misr;
	ki->context = req->context;
	ki->irql = req->irql;
	ki->sync_irql = req->sync_irql;
	/*
	 * Disabling a shared line would stop the other devices on it too, and
	 * a nested one is disabled under its bus's mutex, which may sleep.
	 */
	ki->maskable = !(flags & IRQF_SHARED) && !req->nested;
	wdm_group_affinity(req->cpus ?: irq_get_affinity_mask(req->irq),
			   &ki->affinity);
	raw_spin_lock_init(&ki->own_lock);
	mutex_init(&ki->own_plock);
	ki->lock = req->lock ?: &ki->own_lock;
	ki->plock = req->plock ?: &ki->own_plock;
	err = wdm_stats_connect(ki);
	if (err)
		goto err_free_object;
	wdm_dpc_queue_init(&ki->dpcq, true);
	wdm_dpc_queue_register(&ki->dpcq);

	/*
	 * A passive ISR is a threaded-only handler: genirq wants IRQF_ONESHOT
	 * for one, except on a nested line, which has no hard handler to keep
	 * the line masked for. A DIRQL one agrees to IRQF_ONESHOT when the line
	 * already has it (6.9+), so that it can join a passive connection.
	 */
	if (ki->passive)
		err = request_threaded_irq(ki->irq, NULL, wdm_passive_thread,
					   flags | (ki->nested ? 0 : IRQF_ONESHOT),
					   ki->name, ki);
	else
		err = request_threaded_irq(ki->irq, wdm_hardirq, wdm_thread,
					   flags | IRQF_COND_ONESHOT, ki->name, ki);
	if (err == -EBUSY && req->shared)
		pr_err("%s: IRQ %u is in use by handlers that cannot share with a %s ISR (IRQF_ONESHOT differs, or the line is exclusive)\n",
		       ki->name, ki->irq, ki->passive ? "passive-level" : "DIRQL");
	if (err)
		goto err_unregister_queue;

	/* Every connection pins wdm.ko: its handlers point into it. */
	__module_get(THIS_MODULE);
	*out = ki;
	return STATUS_SUCCESS;

err_unregister_queue:
	wdm_dpc_queue_unregister(&ki->dpcq);
	wdm_stats_disconnect(ki);
err_free_object:
	free_cpumask_var(ki->saved_affinity);
	kfree(ki->name);
	/* Its DPC queue may be in a wdm_dpc_check_free() walk. */
	kfree_rcu(ki, rcu);
	return wdm_errno_to_ntstatus(err);
}

/* Let the ISR be entered: the last step of a connect. */
void wdm_interrupt_arm(struct _KINTERRUPT *ki)
{
	/* Every field, and the caller's results, are written before this. */
	smp_store_release(&ki->armed, true);
}

/*
 * wdm_interrupt_destroy() - disconnect and free an interrupt object
 * @ki: the object
 *
 * Once this returns the ISR is never entered again, and every DPC its ISR
 * queued has run to completion.
 *
 * Context: process context; may sleep.
 */
void wdm_interrupt_destroy(struct _KINTERRUPT *ki)
{
	/* From here the ISR is not entered, not even by DEBUG_SHIRQ's call. */
	WRITE_ONCE(ki->armed, false);
	/*
	 * Disconnected while inactive: give back the disable of the inactive
	 * report. genirq replays what it held, normally to the disarmed
	 * handler; a replay that only lands after free_irq() is held again for
	 * the next handler, as anything raised on a line without one is.
	 */
	wdm_interrupt_set_active(ki, true);
	/* The same for a line disabled as an interrupt storm. */
	wdm_storm_end(ki);
	/* The affinity the line had before ProcessorEnableMask changed it. */
	if (!cpumask_empty(ki->saved_affinity))
		irq_set_affinity(ki->irq, ki->saved_affinity);
	/* Waits for a running hard handler and stops the thread. */
	free_irq(ki->irq, ki);
	/* Run the threaded DPCs the stopped thread left queued. */
	wdm_dpc_queue_run(&ki->dpcq, true);
	/* The ISR's other DPCs went to the per-CPU queues: wait for them. */
	KeFlushQueuedDpcs();
	wdm_dpc_queue_unregister(&ki->dpcq);
	/* No ISR call nor DPC run is left to count. */
	wdm_stats_disconnect(ki);
	ki->magic = 0;
	free_cpumask_var(ki->saved_affinity);
	kfree(ki->name);
	/* A KeRemoveQueueDpc() racing with us may still lock ki->dpcq. */
	kfree_rcu(ki, rcu);
	module_put(THIS_MODULE);
}

bool wdm_interrupt_valid(const struct _KINTERRUPT *ki)
{
	return ki && ki->magic == WDM_INTERRUPT_MAGIC;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_interrupt_valid);

/*
 * wdm_interrupt_set_active() - the active state of one interrupt object
 * @ki: the object
 * @active: true for IoReportInterruptActive(), false for Inactive
 *
 * Only a change of state does something, so the IRQ's disable depth moves
 * by one at most whatever the number of reports. Inactive, an exclusive
 * IRQ is disabled before the ISR is shut out, so that genirq keeps what
 * arrives as pending; active, the ISR is let in before the IRQ is enabled,
 * so that the interrupt genirq replays then reaches it. Taking *lock waits
 * for an ISR running on another CPU: once this returns, an inactive
 * DIRQL ISR is not running and is not entered. A shared or nested line
 * stays enabled: the handler returns IRQ_NONE without entering the ISR.
 *
 * Context: IRQL <= DISPATCH_LEVEL; not under @ki's interrupt spin lock.
 */
void wdm_interrupt_set_active(struct _KINTERRUPT *ki, bool active)
{
	unsigned long flags;

	raw_spin_lock_irqsave(ki->lock, flags);
	/* Written with WRITE_ONCE(): the passive handler reads it unlocked. */
	if (active && ki->inactive) {
		WRITE_ONCE(ki->inactive, false);
		if (ki->maskable)
			enable_irq(ki->irq);
	} else if (!active && !ki->inactive) {
		if (ki->maskable)
			disable_irq_nosync(ki->irq);
		WRITE_ONCE(ki->inactive, true);
	}
	raw_spin_unlock_irqrestore(ki->lock, flags);
}

/**
 * IoGetAffinityInterrupt() - the processors an interrupt object's ISR runs on
 * @InterruptObject: an object from IoConnectInterrupt(Ex)
 * @GroupAffinity: receives the processor group and the mask of its
 *	processors the interrupt may be delivered to
 *
 * For a fully specified connection, the processors of ProcessorEnableMask
 * in its Group that were online at connect; for a line- or message-based
 * one, the online processors of the IRQ's affinity at connect (by default
 * every processor), in the group of the first of them, as Microsoft says
 * all the processors of one ISR registration are in one group.
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER if @InterruptObject
 * is not a connected interrupt object or @GroupAffinity is NULL.
 */
NTSTATUS IoGetAffinityInterrupt(PKINTERRUPT InterruptObject,
				PGROUP_AFFINITY GroupAffinity)
{
	if (!wdm_interrupt_valid(InterruptObject) || !GroupAffinity)
		return STATUS_INVALID_PARAMETER;
	*GroupAffinity = InterruptObject->affinity;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(IoGetAffinityInterrupt);

#if IS_ENABLED(CONFIG_KUNIT)
/* wdm.ko's module reference count: one per connected interrupt object. */
int wdm_module_refcount(void)
{
	return module_refcount(THIS_MODULE);
}
EXPORT_SYMBOL_IF_KUNIT(wdm_module_refcount);
#endif

/*
 * The interrupt spin lock
 */

static void wdm_report_passive_lock(PKINTERRUPT Interrupt, const char *what,
				    unsigned long caller)
{
	pr_err("%s() on passive-level interrupt %s from %pS: a passive interrupt has no spin lock; use KeSynchronizeExecution()\n",
	       what, Interrupt->name, (void *)caller);
}

/* The ISR this CPU runs that holds @Interrupt's lock, or NULL. */
static void *wdm_synchronize_from_isr(PKINTERRUPT Interrupt)
{
	struct _KINTERRUPT *cur = Interrupt;

	if (Interrupt->passive) {
		if (READ_ONCE(Interrupt->passive_task) != current)
			return NULL;
	} else {
		/* An ISR runs with interrupts off: what this CPU reads is stable. */
		if (!irqs_disabled())
			return NULL;
		cur = this_cpu_read(wdm_current_interrupt);
		if (!cur || cur->lock != Interrupt->lock)
			return NULL;
	}
	return wdm_isr_routine(cur);
}

/**
 * KeSynchronizeExecution() - run a routine under an interrupt's lock
 * @Interrupt: a connected interrupt object
 * @SynchronizeRoutine: the routine
 * @SynchronizeContext: its argument
 *
 * Takes the same lock the ISR runs under (local interrupts off), so the
 * routine never overlaps the ISR, nor any ISR sharing that lock. For a
 * passive-level interrupt it takes the passive interrupt lock instead.
 *
 * Context: any context that can take a raw spinlock with interrupts off
 * (passive-level interrupts: process context). Not from the ISR itself,
 * nor from one sharing its lock: that is reported, and the routine is not
 * run.
 * Return: what @SynchronizeRoutine returned, or FALSE (with an error in the
 * log) if @Interrupt is not a connected interrupt object, the routine is
 * NULL or the caller is the ISR.
 */
BOOLEAN KeSynchronizeExecution(PKINTERRUPT Interrupt,
			       PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
			       PVOID SynchronizeContext)
{
	unsigned long flags;
	BOOLEAN ret;
	void *isr;
	u64 prev;

	if (!wdm_interrupt_valid(Interrupt) || !SynchronizeRoutine) {
		pr_err("%s(%p, %ps) from %pS: invalid argument\n", __func__,
		       Interrupt, SynchronizeRoutine, (void *)_RET_IP_);
		return FALSE;
	}
	/* From the ISR that holds the lock: it would wait for itself for ever. */
	isr = wdm_synchronize_from_isr(Interrupt);
	if (unlikely(isr)) {
		wdm_verify_report(isr,
				  "%s(%s, %ps) from ISR %ps, which holds that lock, would deadlock; not run (verifier: SYNCHRONIZE_FROM_OWN_ISR)",
				  __func__, Interrupt->name, SynchronizeRoutine, isr);
		return FALSE;
	}
	if (Interrupt->passive) {
		mutex_lock(Interrupt->plock);
		ret = SynchronizeRoutine(SynchronizeContext);
		mutex_unlock(Interrupt->plock);
		return ret;
	}
	raw_spin_lock_irqsave(Interrupt->lock, flags);
	prev = wdm_irql_frame_enter_irqs_off(Interrupt->sync_irql);
	ret = SynchronizeRoutine(SynchronizeContext);
	wdm_irql_frame_exit(prev);
	raw_spin_unlock_irqrestore(Interrupt->lock, flags);
	/* What the routine queued runs as the IRQL drops. */
	wdm_dpc_run_pending();
	return ret;
}
EXPORT_SYMBOL_GPL(KeSynchronizeExecution);

/**
 * KeAcquireInterruptSpinLock() - take an interrupt's spin lock
 * @Interrupt: a connected interrupt object, not a passive-level one
 *
 * The lock is the one the ISR runs under; local interrupts stay off until
 * KeReleaseInterruptSpinLock(). On a passive-level interrupt this is a
 * driver bug: it is reported in the kernel log and nothing is taken.
 *
 * Context: any context that can take a raw spinlock with interrupts off.
 * Return: the IRQL before the call, for KeReleaseInterruptSpinLock().
 */
KIRQL KeAcquireInterruptSpinLock(PKINTERRUPT Interrupt)
	__acquires(Interrupt->lock)
{
	KIRQL old = KeGetCurrentIrql();
	unsigned long flags;

	if (unlikely(Interrupt->passive)) {
		wdm_report_passive_lock(Interrupt, __func__, _RET_IP_);
		__acquire(Interrupt->lock);
		return old;
	}
	raw_spin_lock_irqsave(Interrupt->lock, flags);
	Interrupt->lock_flags = flags;
	Interrupt->lock_prev_irql = wdm_irql_frame_enter_irqs_off(Interrupt->sync_irql);
	return old;
}
EXPORT_SYMBOL_GPL(KeAcquireInterruptSpinLock);

/**
 * KeReleaseInterruptSpinLock() - release an interrupt's spin lock
 * @Interrupt: the object passed to KeAcquireInterruptSpinLock()
 * @OldIrql: what KeAcquireInterruptSpinLock() returned
 *
 * Context: the holder of the lock.
 */
void KeReleaseInterruptSpinLock(PKINTERRUPT Interrupt, KIRQL OldIrql)
	__releases(Interrupt->lock)
{
	unsigned long flags;

	if (unlikely(Interrupt->passive)) {
		wdm_report_passive_lock(Interrupt, __func__, _RET_IP_);
		__release(Interrupt->lock);
		return;
	}
	flags = Interrupt->lock_flags;
	wdm_irql_frame_exit(Interrupt->lock_prev_irql);
	raw_spin_unlock_irqrestore(Interrupt->lock, flags);
	/* What was queued under the lock runs as the IRQL drops. */
	if (OldIrql < DISPATCH_LEVEL)
		wdm_dpc_run_pending();
}
EXPORT_SYMBOL_GPL(KeReleaseInterruptSpinLock);
