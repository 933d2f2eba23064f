// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatcher objects and waits: events, timers, KeWaitForSingleObject and
 * KeWaitForMultipleObjects. As in Windows, one dispatcher lock covers the
 * state and the wait list of every object. A waiting thread hangs one wait
 * block per object on the objects' lists, in arrival order, and sleeps; the
 * routine that signals an object satisfies the waits it can, oldest first,
 * and wakes their threads. Timers are hrtimers that expire in hard-IRQ
 * context, so the lock is a raw spinlock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/spinlock.h>

#include "wdm_compat.h"
#include "wdm_internal.h"

/*
 * Protects DISPATCHER_HEADER.SignalState, .WaitListHead and .Inserted of
 * every object, KTIMER.Dpc and .Period, and every wdm_waiter.status.
 */
static DEFINE_RAW_SPINLOCK(wdm_dispatcher_lock);

/* A thread's wait, on its stack for as long as KeWaitFor*() runs. */
struct wdm_waiter {
	struct task_struct *task;
	PKWAIT_BLOCK blocks;		/* one per object */
	ULONG count;
	WAIT_TYPE type;
	NTSTATUS status;		/* STATUS_PENDING until satisfied */
};

/*
 * Time conversions
 */

/* 100 ns units as a ktime interval, KTIME_MAX if it is longer. */
static ktime_t wdm_units_to_ktime(u64 units)
{
	if (units > KTIME_MAX / WDM_NSEC_PER_UNIT)
		return KTIME_MAX;
	return units * WDM_NSEC_PER_UNIT;
}

/*
 * A Windows due time as an absolute time on *@clock: negative is relative
 * to now and runs on CLOCK_BOOTTIME (not moved by setting the clock, goes
 * on in suspend); positive is a system time and runs on CLOCK_REALTIME
 * (moves with the clock). Times before 1970 are 0: long past.
 */
static ktime_t wdm_due_to_ktime(LONGLONG due, clockid_t *clock)
{
	if (due < 0) {
		*clock = CLOCK_BOOTTIME;
		return ktime_add_safe(ktime_get_boottime(),
				      wdm_units_to_ktime(-(u64)due));
	}
	*clock = CLOCK_REALTIME;
	if (due <= WDM_EPOCH_1601)
		return 0;
	return wdm_units_to_ktime(due - WDM_EPOCH_1601);
}

/*
 * Objects and wait blocks
 */

static bool wdm_object_valid(const DISPATCHER_HEADER *h)
{
	switch (h->Type) {
	case EventNotificationObject:
	case EventSynchronizationObject:
	case TimerNotificationObject:
	case TimerSynchronizationObject:
		return true;
	}
	return false;
}

/* What satisfying a wait does to an object: a synchronization one resets. */
static void wdm_object_satisfy(DISPATCHER_HEADER *h)
{
	lockdep_assert_held(&wdm_dispatcher_lock);
	if (h->Type == EventSynchronizationObject ||
	    h->Type == TimerSynchronizationObject)
		h->SignalState = 0;
}

/*
 * Can @w be satisfied now? If so, do it: WaitAny takes the signaled object
 * of lowest index, WaitAll takes all of them at once.
 *
 * Return: the wait's status, or STATUS_PENDING if it must go on waiting.
 */
static NTSTATUS wdm_wait_test(struct wdm_waiter *w)
{
	DISPATCHER_HEADER *h;
	ULONG i;

	lockdep_assert_held(&wdm_dispatcher_lock);
	if (w->type == WaitAny) {
		for (i = 0; i < w->count; i++) {
			h = w->blocks[i].Object;
			if (h->SignalState > 0) {
				wdm_object_satisfy(h);
				return STATUS_WAIT_0 + i;
			}
		}
		return STATUS_PENDING;
	}
	for (i = 0; i < w->count; i++) {
		h = w->blocks[i].Object;
		if (h->SignalState <= 0)
			return STATUS_PENDING;
	}
	for (i = 0; i < w->count; i++)
		wdm_object_satisfy(w->blocks[i].Object);
	return STATUS_SUCCESS;
}

static void wdm_wait_unlink(struct wdm_waiter *w)
{
	ULONG i;

	lockdep_assert_held(&wdm_dispatcher_lock);
	for (i = 0; i < w->count; i++)
		list_del_init(&w->blocks[i].WaitListEntry);
}

/*
 * @h became signaled: satisfy the waits on it that can be, oldest first,
 * until it is no longer signaled (a synchronization object satisfies one).
 * The waiter is woken under the lock: it cannot return, and its task
 * cannot go away, before we let go.
 */
static void wdm_object_signaled(DISPATCHER_HEADER *h)
{
	struct wdm_waiter *w;
	PKWAIT_BLOCK wb;
	NTSTATUS status;

	lockdep_assert_held(&wdm_dispatcher_lock);
again:
	list_for_each_entry(wb, &h->WaitListHead, WaitListEntry) {
		if (h->SignalState <= 0)
			return;
		w = wb->Thread;
		status = wdm_wait_test(w);
		if (status == STATUS_PENDING)
			continue;
		/* This takes @wb and maybe its neighbours off the list. */
		wdm_wait_unlink(w);
		w->status = status;
		wake_up_process(w->task);
		goto again;
	}
}

#if IS_ENABLED(CONFIG_KUNIT)
/* How many wait blocks hang on @Object: the waits it is part of. */
unsigned int wdm_object_waiters(PVOID Object)
{
	DISPATCHER_HEADER *h = Object;
	unsigned int n = 0;
	unsigned long flags;
	PKWAIT_BLOCK wb;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	list_for_each_entry(wb, &h->WaitListHead, WaitListEntry)
		n++;
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(wdm_object_waiters);
#endif

/*
 * Events
 */

/**
 * KeInitializeEvent() - initialise an event object
 * @Event: the event
 * @Type: NotificationEvent (stays signaled until cleared) or
 *	SynchronizationEvent (satisfies one wait, then resets)
 * @State: TRUE to start signaled
 *
 * Context: any; nobody may be waiting on @Event.
 */
void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
	Event->Header.Type = Type == SynchronizationEvent ?
			     EventSynchronizationObject : EventNotificationObject;
	Event->Header.Signalling = 0;
	Event->Header.Size = sizeof(*Event) / sizeof(ULONG);
	Event->Header.Inserted = 0;
	Event->Header.SignalState = State;
	INIT_LIST_HEAD(&Event->Header.WaitListHead);
}
EXPORT_SYMBOL_GPL(KeInitializeEvent);

/**
 * KeSetEvent() - signal an event
 * @Event: the event
 * @Increment: the priority boost for the threads it wakes: ignored
 * @Wait: TRUE if a KeWaitFor*() call follows at once. Windows then returns
 *	with the dispatcher lock held; here it means nothing.
 *
 * A notification event satisfies every wait it can and stays signaled; a
 * synchronization event satisfies the oldest wait it can and is then
 * reset, or stays signaled if there is none.
 *
 * Context: any, up to DISPATCH_LEVEL in Windows; here hard-IRQ context too.
 * Return: the previous signal state: 0 if it was not signaled.
 */
LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
	unsigned long flags;
	LONG old;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	old = Event->Header.SignalState;
	Event->Header.SignalState = 1;
	if (!old)
		wdm_object_signaled(&Event->Header);
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return old;
}
EXPORT_SYMBOL_GPL(KeSetEvent);

/**
 * KePulseEvent() - signal an event and reset it at once
 * @Event: the event
 * @Increment: the priority boost for the threads it wakes: ignored
 * @Wait: as for KeSetEvent(): means nothing here
 *
 * The waits the event can satisfy now are satisfied, as by KeSetEvent();
 * then the event is not signaled, whatever its type.
 *
 * Context: any, up to DISPATCH_LEVEL in Windows.
 * Return: the previous signal state.
 */
LONG KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
	unsigned long flags;
	LONG old;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	old = Event->Header.SignalState;
	if (!old) {
		Event->Header.SignalState = 1;
		wdm_object_signaled(&Event->Header);
	}
	Event->Header.SignalState = 0;
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return old;
}
EXPORT_SYMBOL_GPL(KePulseEvent);

/**
 * KeClearEvent() - set an event to not signaled
 * @Event: the event
 *
 * Context: any, up to DISPATCH_LEVEL in Windows.
 */
void KeClearEvent(PRKEVENT Event)
{
	WRITE_ONCE(Event->Header.SignalState, 0);
}
EXPORT_SYMBOL_GPL(KeClearEvent);

/**
 * KeResetEvent() - set an event to not signaled, saying what it was
 * @Event: the event
 *
 * Context: any, up to DISPATCH_LEVEL in Windows.
 * Return: the previous signal state.
 */
LONG KeResetEvent(PRKEVENT Event)
{
	unsigned long flags;
	LONG old;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	old = Event->Header.SignalState;
	Event->Header.SignalState = 0;
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return old;
}
EXPORT_SYMBOL_GPL(KeResetEvent);

/**
 * KeReadStateEvent() - the signal state of an event
 * @Event: the event
 *
 * Context: any.
 * Return: 0 if not signaled, else the (non-zero) state.
 */
LONG KeReadStateEvent(PRKEVENT Event)
{
	return READ_ONCE(Event->Header.SignalState);
}
EXPORT_SYMBOL_GPL(KeReadStateEvent);

/*
 * Timers
 */

/*
 * The expiry of @t, in hard-IRQ context: signal it and queue its DPC with
 * the system time, as Windows does (SystemArgument1 is the low part,
 * SystemArgument2 the high part). Once the lock is dropped @t may be gone
 * (a waiter, or the DPC, may free a one-shot timer): only @dpc is used.
 */
static enum hrtimer_restart wdm_timer_expired(PKTIMER t, struct hrtimer *hr)
{
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	PKDPC dpc = NULL;
	LARGE_INTEGER now;
	unsigned long flags;

	KeQuerySystemTime(&now);
	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	/* Not inserted: a cancel or a new set overtook this expiry. */
	if (t->Header.Inserted) {
		t->Header.SignalState = 1;
		wdm_object_signaled(&t->Header);
		dpc = t->Dpc;
		if (t->Period) {
			hrtimer_forward_now(hr, ms_to_ktime(t->Period));
			ret = HRTIMER_RESTART;
		} else {
			t->Header.Inserted = FALSE;
		}
	}
	/*
	 * Queued under the dispatcher lock, as Windows does: a waiter woken
	 * above cannot see the timer expired with its DPC not yet queued, and
	 * free both before the insert.
	 */
	if (dpc)
		KeInsertQueueDpc(dpc, (PVOID)(ULONG_PTR)now.LowPart,
				 (PVOID)(ULONG_PTR)(ULONG)now.HighPart);
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return ret;
}

static enum hrtimer_restart wdm_timer_rel_fn(struct hrtimer *hr)
{
	return wdm_timer_expired(container_of(hr, KTIMER, rel), hr);
}

static enum hrtimer_restart wdm_timer_abs_fn(struct hrtimer *hr)
{
	return wdm_timer_expired(container_of(hr, KTIMER, abs), hr);
}

/* A KTIMER may live on the stack: tell debugobjects so. */
static void wdm_hrtimer_init(struct hrtimer *hr, clockid_t clock,
			     enum hrtimer_restart (*fn)(struct hrtimer *))
{
	if (object_is_on_stack(hr))
		hrtimer_init_on_stack(hr, clock, HRTIMER_MODE_ABS_HARD);
	else
		hrtimer_init(hr, clock, HRTIMER_MODE_ABS_HARD);
	hr->function = fn;
}

/*
 * Take @t out of the timer queue and wait for an expiry that is running
 * (on another CPU: it needs the lock, which is dropped meanwhile). After
 * this no part of @t is in use by an expiry.
 *
 * Return: TRUE if @t was in the queue.
 */
static BOOLEAN wdm_timer_stop(PKTIMER t, unsigned long *flags)
	__must_hold(&wdm_dispatcher_lock)
{
	BOOLEAN was = t->Header.Inserted;

	t->Header.Inserted = FALSE;
	while (hrtimer_try_to_cancel(&t->rel) < 0 ||
	       hrtimer_try_to_cancel(&t->abs) < 0) {
		raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, *flags);
		cpu_relax();
		raw_spin_lock_irqsave(&wdm_dispatcher_lock, *flags);
		t->Header.Inserted = FALSE;
	}
	return was;
}

/**
 * KeInitializeTimerEx() - initialise a timer object
 * @Timer: the timer
 * @Type: NotificationTimer (stays signaled until set again) or
 *	SynchronizationTimer (satisfies one wait, then resets)
 *
 * Context: any; @Timer must not be set.
 */
void KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
	BUILD_BUG_ON(sizeof(KTIMER) / sizeof(ULONG) > U8_MAX);

	Timer->Header.Type = Type == SynchronizationTimer ?
			     TimerSynchronizationObject : TimerNotificationObject;
	Timer->Header.Signalling = 0;
	Timer->Header.Size = sizeof(*Timer) / sizeof(ULONG);
	Timer->Header.Inserted = FALSE;
	Timer->Header.SignalState = 0;
	INIT_LIST_HEAD(&Timer->Header.WaitListHead);
	Timer->DueTime = 0;
	Timer->Dpc = NULL;
	Timer->Period = 0;
	wdm_hrtimer_init(&Timer->rel, CLOCK_BOOTTIME, wdm_timer_rel_fn);
	wdm_hrtimer_init(&Timer->abs, CLOCK_REALTIME, wdm_timer_abs_fn);
}
EXPORT_SYMBOL_GPL(KeInitializeTimerEx);

/**
 * KeInitializeTimer() - initialise a notification timer
 * @Timer: the timer
 *
 * Context: any; @Timer must not be set.
 */
void KeInitializeTimer(PKTIMER Timer)
{
	KeInitializeTimerEx(Timer, NotificationTimer);
}
EXPORT_SYMBOL_GPL(KeInitializeTimer);

/**
 * KeSetCoalescableTimer() - set a timer, with a tolerance
 * @Timer: the timer
 * @DueTime: when it expires first, in 100 ns units: negative is relative
 *	to now, positive is an absolute system time (which follows changes
 *	of the clock); a time in the past expires at once
 * @Period: 0 for a one-shot timer, else the period in ms (at most MAXLONG)
 * @TolerableDelay: how much later, in ms, each expiry may come: the
 *	hrtimer's slack
 * @Dpc: if not NULL, queued at each expiry with the system time in
 *	SystemArgument1 (low part) and SystemArgument2 (high part)
 *
 * The timer is set to not signaled; if it was set, that setting is
 * cancelled first (a DPC it already queued still runs). At each expiry the
 * timer is signaled and @Dpc queued.
 *
 * Context: any, up to DISPATCH_LEVEL in Windows; not from @Timer's own
 * expiry.
 * Return: TRUE if the timer was set and had not expired.
 */
BOOLEAN KeSetCoalescableTimer(PKTIMER Timer, LARGE_INTEGER DueTime,
			      ULONG Period, ULONG TolerableDelay, PKDPC Dpc)
{
	unsigned long flags;
	clockid_t clock;
	ktime_t expires;
	BOOLEAN was;

	if (Period > S32_MAX) {
		wdm_report_bug(_RET_IP_, "timer period %u ms is over MAXLONG", Period);
		Period = 0;
	}
	expires = wdm_due_to_ktime(DueTime.QuadPart, &clock);
	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	was = wdm_timer_stop(Timer, &flags);
	Timer->Header.SignalState = 0;
	Timer->Header.Inserted = TRUE;
	Timer->DueTime = DueTime.QuadPart;
	Timer->Dpc = Dpc;
	Timer->Period = Period;
	hrtimer_start_range_ns(clock == CLOCK_REALTIME ? &Timer->abs : &Timer->rel,
			       expires, (u64)TolerableDelay * NSEC_PER_MSEC,
			       HRTIMER_MODE_ABS_HARD);
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return was;
}
EXPORT_SYMBOL_GPL(KeSetCoalescableTimer);

/**
 * KeSetTimerEx() - set a timer, maybe periodic
 * @Timer: the timer
 * @DueTime: when it expires first, as for KeSetCoalescableTimer()
 * @Period: 0 for a one-shot timer, else the period in ms
 * @Dpc: if not NULL, queued at each expiry
 *
 * KeSetCoalescableTimer() with no tolerance.
 *
 * Context: any, up to DISPATCH_LEVEL in Windows.
 * Return: TRUE if the timer was set and had not expired.
 */
BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period,
		     PKDPC Dpc)
{
	if (Period < 0) {
		wdm_report_bug(_RET_IP_, "negative timer period %d ms", Period);
		Period = 0;
	}
	return KeSetCoalescableTimer(Timer, DueTime, Period, 0, Dpc);
}
EXPORT_SYMBOL_GPL(KeSetTimerEx);

/**
 * KeSetTimer() - set a one-shot timer
 * @Timer: the timer
 * @DueTime: when it expires, as for KeSetCoalescableTimer()
 * @Dpc: if not NULL, queued when it expires
 *
 * Context: any, up to DISPATCH_LEVEL in Windows.
 * Return: TRUE if the timer was set and had not expired.
 */
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
	return KeSetCoalescableTimer(Timer, DueTime, 0, 0, Dpc);
}
EXPORT_SYMBOL_GPL(KeSetTimer);

/**
 * KeCancelTimer() - take a timer out of the timer queue
 * @Timer: the timer
 *
 * Its signal state does not change, and a DPC it already queued still
 * runs (KeFlushQueuedDpcs() waits for it). When this returns, no expiry of
 * @Timer is running: it may be freed.
 *
 * Context: any, up to DISPATCH_LEVEL in Windows; not from @Timer's own
 * expiry.
 * Return: TRUE if the timer was set and had not expired (a periodic timer
 * that was set: always).
 */
BOOLEAN KeCancelTimer(PKTIMER Timer)
{
	unsigned long flags;
	BOOLEAN was;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	was = wdm_timer_stop(Timer, &flags);
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return was;
}
EXPORT_SYMBOL_GPL(KeCancelTimer);

/**
 * KeReadStateTimer() - whether a timer is signaled
 * @Timer: the timer
 *
 * Context: any.
 * Return: TRUE if the timer is signaled.
 */
BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
	return READ_ONCE(Timer->Header.SignalState) != 0;
}
EXPORT_SYMBOL_GPL(KeReadStateTimer);

/*
 * Waits
 */

/*
 * Hang @w's wait blocks on its objects and sleep until a signal satisfies
 * it or the timeout (NULL: none) passes. The sleep is TASK_IDLE: signals
 * do not end it, and a long one is neither load nor a hung task.
 */
static NTSTATUS wdm_wait_sleep(struct wdm_waiter *w, PLARGE_INTEGER Timeout)
{
	clockid_t clock = CLOCK_BOOTTIME;
	bool timed_out = false;
	ktime_t expires = 0;
	unsigned long flags;
	NTSTATUS status;
	ULONG i;

	if (Timeout)
		expires = wdm_due_to_ktime(Timeout->QuadPart, &clock);
	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	status = wdm_wait_test(w);
	if (status != STATUS_PENDING) {
		raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
		return status;
	}
	for (i = 0; i < w->count; i++) {
		DISPATCHER_HEADER *h = w->blocks[i].Object;

		list_add_tail(&w->blocks[i].WaitListEntry, &h->WaitListHead);
	}
	w->status = STATUS_PENDING;
	for (;;) {
		set_current_state(TASK_IDLE);
		raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
		if (Timeout)
			timed_out = !schedule_hrtimeout_range_clock(&expires, 0,
								     HRTIMER_MODE_ABS,
								     clock);
		else
			schedule();
		raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
		if (w->status != STATUS_PENDING)
			break;
		if (timed_out) {
			wdm_wait_unlink(w);
			w->status = STATUS_TIMEOUT;
			break;
		}
	}
	status = w->status;
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	__set_current_state(TASK_RUNNING);
	return status;
}

/* Satisfy @w now if it can be: a zero timeout. */
static NTSTATUS wdm_wait_poll(struct wdm_waiter *w)
{
	unsigned long flags;
	NTSTATUS status;

	raw_spin_lock_irqsave(&wdm_dispatcher_lock, flags);
	status = wdm_wait_test(w);
	raw_spin_unlock_irqrestore(&wdm_dispatcher_lock, flags);
	return status == STATUS_PENDING ? STATUS_TIMEOUT : status;
}

static NTSTATUS wdm_wait_objects(ULONG Count, PVOID Object[],
				 WAIT_TYPE WaitType, PLARGE_INTEGER Timeout,
				 PKWAIT_BLOCK WaitBlockArray,
				 unsigned long caller)
{
	KWAIT_BLOCK own[THREAD_WAIT_OBJECTS];
	struct wdm_waiter w;
	KIRQL irql;
	ULONG i;

	if (Count > MAXIMUM_WAIT_OBJECTS ||
	    (!WaitBlockArray && Count > THREAD_WAIT_OBJECTS)) {
		wdm_report_bug(caller, "MAXIMUM_WAIT_OBJECTS_EXCEEDED: %u objects, %s",
			       Count, WaitBlockArray ? "wait blocks given" : "no wait blocks");
		return STATUS_INVALID_PARAMETER;
	}
	if (!Count || (WaitType != WaitAll && WaitType != WaitAny)) {
		wdm_report_bug(caller, "wait on %u objects with wait type %d",
			       Count, WaitType);
		return STATUS_INVALID_PARAMETER;
	}
	w.task = current;
	w.blocks = WaitBlockArray ?: own;
	w.count = Count;
	w.type = WaitType;
	w.status = STATUS_PENDING;
	for (i = 0; i < Count; i++) {
		DISPATCHER_HEADER *h = Object[i];

		if (!wdm_object_valid(h)) {
			wdm_report_bug(caller, "wait on %p, not an event or a timer", h);
			return STATUS_INVALID_PARAMETER;
		}
		INIT_LIST_HEAD(&w.blocks[i].WaitListEntry);
		w.blocks[i].Thread = &w;
		w.blocks[i].Object = h;
		w.blocks[i].WaitKey = i;
		w.blocks[i].WaitType = WaitType;
	}

	if (Timeout && !Timeout->QuadPart)
		return wdm_wait_poll(&w);
	irql = KeGetCurrentIrql();
	if (irql >= DISPATCH_LEVEL) {
		wdm_report_bug(caller, "wait with a timeout at IRQL %u", irql);
		return wdm_wait_poll(&w);
	}
	if (irql == APC_LEVEL) {
		NTSTATUS status;

		/*
		 * A wait is allowed at APC_LEVEL, which is preemption off here:
		 * sleep at PASSIVE_LEVEL, and come back to APC_LEVEL after.
		 */
		KeLowerIrql(PASSIVE_LEVEL);
		status = wdm_wait_sleep(&w, Timeout);
		KfRaiseIrql(APC_LEVEL);
		return status;
	}
	might_sleep();
	return wdm_wait_sleep(&w, Timeout);
}

/**
 * KeWaitForMultipleObjects() - wait for any or all of several objects
 * @Count: how many objects; at most THREAD_WAIT_OBJECTS (3) without
 *	@WaitBlockArray, at most MAXIMUM_WAIT_OBJECTS (64) with it
 * @Object: the events and timers
 * @WaitType: WaitAny (one signaled object) or WaitAll (all of them, at the
 *	same time)
 * @WaitReason: ignored
 * @WaitMode: ignored: Linux has no APCs, so a UserMode wait is a KernelMode
 *	one
 * @Alertable: ignored, for the same reason: never STATUS_ALERTED or
 *	STATUS_USER_APC
 * @Timeout: NULL to wait for ever; pointing at 0 to test and return; else
 *	a due time in 100 ns units: negative is relative to now, positive is
 *	an absolute system time
 * @WaitBlockArray: @Count wait blocks for the wait's own use, or NULL
 *
 * Satisfying the wait resets the synchronization objects it takes: WaitAny
 * takes the signaled object of lowest index, WaitAll all of them at once.
 * Waits are satisfied in the order they started. The sleep ignores signals.
 *
 * Too many objects is bug check 0xC in Windows: reported here, and the call
 * fails. A wait that may sleep (@Timeout NULL or not 0) at DISPATCH_LEVEL
 * or above is a bug too: reported, and then only a test, as with a zero
 * timeout.
 *
 * Context: process context; with a zero timeout, up to DISPATCH_LEVEL.
 * Return: STATUS_WAIT_0 + the index of the object that satisfied a WaitAny
 * wait, STATUS_SUCCESS for a WaitAll one, STATUS_TIMEOUT if the timeout
 * passed first, STATUS_INVALID_PARAMETER if the call was refused.
 */
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[],
				  WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
				  KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				  PLARGE_INTEGER Timeout,
				  PKWAIT_BLOCK WaitBlockArray)
{
	return wdm_wait_objects(Count, Object, WaitType, Timeout,
				WaitBlockArray, _RET_IP_);
}
EXPORT_SYMBOL_GPL(KeWaitForMultipleObjects);

/**
 * KeWaitForSingleObject() - wait until an object is signaled
 * @Object: the event or timer
 * @WaitReason: ignored
 * @WaitMode: ignored, as for KeWaitForMultipleObjects()
 * @Alertable: ignored, as for KeWaitForMultipleObjects()
 * @Timeout: as for KeWaitForMultipleObjects()
 *
 * A synchronization object that satisfies the wait is reset.
 *
 * Context: process context; with a zero timeout, up to DISPATCH_LEVEL.
 * Return: STATUS_SUCCESS, or STATUS_TIMEOUT if the timeout passed first.
 */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout)
{
	return wdm_wait_objects(1, &Object, WaitAny, Timeout, NULL, _RET_IP_);
}
EXPORT_SYMBOL_GPL(KeWaitForSingleObject);

/**
 * KeDelayExecutionThread() - sleep for an interval
 * @WaitMode: ignored, as for KeWaitForMultipleObjects()
 * @Alertable: ignored, as for KeWaitForMultipleObjects(): never
 *	STATUS_ALERTED or STATUS_USER_APC
 * @Interval: in 100 ns units: negative is relative to now (on
 *	CLOCK_BOOTTIME, as a timer's relative due time); positive is an
 *	absolute system time (on CLOCK_REALTIME: it moves with the clock); 0
 *	gives up the processor if another task wants it, and returns
 *
 * The sleep is TASK_IDLE, as a wait's, and lasts at least @Interval (an
 * hrtimer: not rounded up to a clock tick as on Windows). Called at
 * APC_LEVEL it sleeps at PASSIVE_LEVEL and comes back to APC_LEVEL. A call
 * above APC_LEVEL, or without @Interval, is a driver bug (Windows stops):
 * reported, and the call returns at once.
 *
 * Context: process context, IRQL <= APC_LEVEL; sleeps.
 * Return: STATUS_SUCCESS once the interval has passed,
 * STATUS_INVALID_PARAMETER if the call was refused.
 */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				PLARGE_INTEGER Interval)
{
	KIRQL irql = KeGetCurrentIrql();
	clockid_t clock;
	ktime_t expires;

	if (irql > APC_LEVEL || !Interval) {
		wdm_report_bug(_RET_IP_, "%s(%p) at IRQL %u", __func__, Interval, irql);
		return STATUS_INVALID_PARAMETER;
	}
	if (irql == APC_LEVEL)
		KeLowerIrql(PASSIVE_LEVEL);
	might_sleep();
	if (Interval->QuadPart) {
		expires = wdm_due_to_ktime(Interval->QuadPart, &clock);
		do
			set_current_state(TASK_IDLE);
		while (schedule_hrtimeout_range_clock(&expires, 0, HRTIMER_MODE_ABS, clock));
	} else {
		cond_resched();
	}
	if (irql == APC_LEVEL)
		KfRaiseIrql(APC_LEVEL);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(KeDelayExecutionThread);
