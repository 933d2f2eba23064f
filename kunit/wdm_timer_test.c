// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: timer objects. A one-shot timer runs its DPC once, with the system
 * time in SystemArgument1/2, and is signaled; KeCancelTimer returns TRUE
 * before the expiry and FALSE after; KeSetTimer on a set timer returns TRUE
 * and resets the signal state; a periodic timer fires until cancelled; a
 * wait on a timer ends after its due time; a synchronization timer
 * satisfies one waiter and resets.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/ktime.h>

#include "wdm_test.h"
#include "../module/wdm/wdm_internal.h"

/* A relative due time or timeout of n ms, in 100 ns units */
#define REL_MS(n)	(-10000LL * (n))
/* Long enough to never pass on a loaded machine, for waits that must succeed */
#define LONG_WAIT	REL_MS(10000)

struct timer_ctx {
	KTIMER timer;
	KEVENT event;
	KDPC dpc;
	KEVENT done;		/* set by the DPC's stop_at-th run */
	atomic_t runs;
	int stop_at;
	PVOID arg1, arg2;	/* of the last run */
	struct wdm_test_waiter w[2];
};

static KDEFERRED_ROUTINE count_dpc;

_Use_decl_annotations_
static VOID count_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		      PVOID SystemArgument2)
{
	struct timer_ctx *c = DeferredContext;

	c->arg1 = SystemArgument1;
	c->arg2 = SystemArgument2;
	if (atomic_inc_return(&c->runs) == READ_ONCE(c->stop_at))
		KeSetEvent(&c->done, IO_NO_INCREMENT, FALSE);
}

/* Wait for the DPC's @n-th run. */
static NTSTATUS wait_runs(struct timer_ctx *c, int n)
{
	LARGE_INTEGER timeout = { .QuadPart = LONG_WAIT };

	KeClearEvent(&c->done);
	WRITE_ONCE(c->stop_at, n);
	/* Pairs with atomic_inc_return() in count_dpc(). */
	smp_mb();
	if (atomic_read(&c->runs) >= n)
		return STATUS_SUCCESS;
	return KeWaitForSingleObject(&c->done, Executive, KernelMode, FALSE, &timeout);
}

static LARGE_INTEGER due(LONGLONG t)
{
	LARGE_INTEGER li = { .QuadPart = t };

	return li;
}

static int timer_init(struct kunit *test)
{
	struct timer_ctx *c;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	KeInitializeTimer(&c->timer);
	KeInitializeEvent(&c->event, NotificationEvent, FALSE);
	KeInitializeEvent(&c->done, NotificationEvent, FALSE);
	KeInitializeDpc(&c->dpc, count_dpc, c);
	atomic_set(&c->runs, 0);
	c->stop_at = -1;
	test->priv = c;
	return 0;
}

static void timer_exit(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	if (!c)
		return;
	KeCancelTimer(&c->timer);
	KeFlushQueuedDpcs();
}

/* The header as Windows fills it (ReactOS's KeTimer test checks the same). */
static void wdm_timer_initial_state(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, c->timer.Header.Type, TimerNotificationObject);
	KUNIT_EXPECT_EQ(test, c->timer.Header.Type, 8);
	KUNIT_EXPECT_EQ(test, c->timer.Header.Size, sizeof(KTIMER) / sizeof(ULONG));
	KUNIT_EXPECT_FALSE(test, KeReadStateTimer(&c->timer));
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&c->timer));
	KeInitializeTimerEx(&c->timer, SynchronizationTimer);
	KUNIT_EXPECT_EQ(test, c->timer.Header.Type, 9);
	KUNIT_EXPECT_FALSE(test, KeReadStateTimer(&c->timer));
}

/*
 * A one-shot timer due in 10 ms: KeSetTimer returns FALSE, the DPC runs
 * once with the system time of the expiry (low part, high part), the timer
 * is signaled, and KeCancelTimer then returns FALSE.
 */
static void wdm_timer_one_shot_runs_dpc_once(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER before, after;
	LONGLONG when;

	KeQuerySystemTime(&before);
	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(REL_MS(10)), &c->dpc));
	KUNIT_ASSERT_EQ(test, wait_runs(c, 1), STATUS_SUCCESS);
	KeQuerySystemTime(&after);
	msleep(30);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
	KUNIT_EXPECT_TRUE(test, KeReadStateTimer(&c->timer));
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&c->timer));
	KUNIT_EXPECT_TRUE(test, KeReadStateTimer(&c->timer));
	when = (LONGLONG)(((u64)(ULONG_PTR)c->arg2 << 32) | (ULONG)(ULONG_PTR)c->arg1);
	KUNIT_EXPECT_GE(test, when, before.QuadPart);
	KUNIT_EXPECT_LE(test, when, after.QuadPart);
}

/* Cancelled before its due time: TRUE, then FALSE; no DPC, not signaled. */
static void wdm_timer_cancel_before_expiry(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(REL_MS(10000)), &c->dpc));
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&c->timer));
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 0);
	KUNIT_EXPECT_FALSE(test, KeReadStateTimer(&c->timer));
}

/* Setting a set timer cancels the first setting and returns TRUE. */
static void wdm_timer_set_on_set_timer_returns_true(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(REL_MS(10000)), &c->dpc));
	KUNIT_EXPECT_TRUE(test, KeSetTimer(&c->timer, due(REL_MS(10000)), &c->dpc));
	KUNIT_EXPECT_TRUE(test, KeSetTimerEx(&c->timer, due(REL_MS(10000)), 0, NULL));
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 0);
}

/*
 * A signaled timer becomes not signaled when set again; an expired
 * one-shot timer is no longer in the queue, so that KeSetTimer returns
 * FALSE.
 */
static void wdm_timer_set_resets_signal_state(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = LONG_WAIT };

	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(REL_MS(1)), NULL));
	KUNIT_ASSERT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, KeReadStateTimer(&c->timer));
	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(REL_MS(10000)), NULL));
	KUNIT_EXPECT_FALSE(test, KeReadStateTimer(&c->timer));
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
}

/*
 * A periodic timer (10 ms) fires until cancelled: five DPC runs take at
 * least 50 ms; KeCancelTimer returns TRUE; after it and a flush, no more
 * runs.
 */
static void wdm_timer_periodic_fires_until_cancelled(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	u64 t0, t1;
	int runs;

	t0 = ktime_get_boottime_ns();
	KUNIT_EXPECT_FALSE(test, KeSetTimerEx(&c->timer, due(REL_MS(10)), 10, &c->dpc));
	KUNIT_ASSERT_EQ(test, wait_runs(c, 5), STATUS_SUCCESS);
	t1 = ktime_get_boottime_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, 50 * NSEC_PER_MSEC);
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
	KeFlushQueuedDpcs();
	runs = atomic_read(&c->runs);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), runs);
	KUNIT_EXPECT_GE(test, runs, 5);
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&c->timer));
}

/* KeSetCoalescableTimer: the same, with 5 ms of tolerance. */
static void wdm_timer_coalescable_periodic(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	u64 t0, t1;

	t0 = ktime_get_boottime_ns();
	KUNIT_EXPECT_FALSE(test, KeSetCoalescableTimer(&c->timer, due(REL_MS(10)), 10, 5,
						       &c->dpc));
	KUNIT_ASSERT_EQ(test, wait_runs(c, 3), STATUS_SUCCESS);
	t1 = ktime_get_boottime_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, 30 * NSEC_PER_MSEC);
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
}

/*
 * A wait on a notification timer due in 20 ms returns STATUS_SUCCESS after
 * at least 20 ms; the timer stays signaled, so a second wait succeeds at
 * once.
 */
static void wdm_timer_wait_ends_after_due_time(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	u64 t0, t1;

	t0 = ktime_get_boottime_ns();
	KeSetTimer(&c->timer, due(REL_MS(20)), NULL);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    NULL), STATUS_SUCCESS);
	t1 = ktime_get_boottime_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_TRUE(test, KeReadStateTimer(&c->timer));
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &zero), STATUS_SUCCESS);
}

/* An absolute due time (a system time) 20 ms ahead: at least 20 ms. */
static void wdm_timer_absolute_due_time(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER when, timeout = { .QuadPart = LONG_WAIT };
	u64 t0, t1;

	t0 = ktime_get_real_ns();
	KeQuerySystemTimePrecise(&when);
	when.QuadPart += 20 * 10000;
	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, when, &c->dpc));
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	t1 = ktime_get_real_ns();
	/* Less the 100 ns the system time was rounded down by */
	KUNIT_EXPECT_GE(test, t1 - t0, 20 * NSEC_PER_MSEC - 100);
	KUNIT_EXPECT_EQ(test, wait_runs(c, 1), STATUS_SUCCESS);
}

/* A due time in the past (absolute, or 100 ns from now) expires at once. */
static void wdm_timer_due_time_in_past(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER when, timeout = { .QuadPart = LONG_WAIT };

	KeQuerySystemTime(&when);
	when.QuadPart -= 10000000;
	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, when, &c->dpc));
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wait_runs(c, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, KeSetTimer(&c->timer, due(-1), &c->dpc));
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wait_runs(c, 2), STATUS_SUCCESS);
}

/* A wait shorter than the timer's due time times out. */
static void wdm_timer_wait_times_out_first(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = REL_MS(10) };

	KeSetTimer(&c->timer, due(REL_MS(10000)), NULL);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
	KUNIT_EXPECT_TRUE(test, KeCancelTimer(&c->timer));
}

/*
 * Two threads, on CPUs 0 and 1, wait on a synchronization timer: its
 * expiry satisfies the first (FIFO) and resets the timer; the second
 * times out.
 */
static void wdm_timer_sync_timer_satisfies_one(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	PVOID objs[1] = { &c->timer };

	KeInitializeTimerEx(&c->timer, SynchronizationTimer);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 1, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->timer, 1));
	wdm_test_waiter_start(test, &c->w[1], 1, objs, 1, WaitAny, REL_MS(1000));
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->timer, 2));
	KeSetTimer(&c->timer, due(REL_MS(10)), NULL);
	wdm_test_worker_wait(&c->w[0].worker);
	wdm_test_worker_wait(&c->w[1].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->w[1].status, STATUS_TIMEOUT);
	KUNIT_EXPECT_FALSE(test, KeReadStateTimer(&c->timer));
}

/*
 * A thread on CPU 1 waits for an event or a timer that this thread sets:
 * the timer expires first, so STATUS_WAIT_0 + 1; the event is untouched.
 */
static void wdm_timer_wait_any_event_or_timer(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	PVOID objs[2] = { &c->event, &c->timer };

	wdm_test_waiter_start(test, &c->w[0], 1, objs, 2, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->timer, 1));
	KeSetTimer(&c->timer, due(REL_MS(10)), NULL);
	wdm_test_worker_wait(&c->w[0].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_WAIT_0 + 1);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->event), 0);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->event), 0);
}

/* A negative period is a driver bug: reported once, the timer is one-shot. */
static void wdm_timer_negative_period_is_a_bug(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	unsigned long bugs = wdm_bugs_reported();

	KUNIT_EXPECT_FALSE(test, KeSetTimerEx(&c->timer, due(REL_MS(1)), -5, &c->dpc));
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1);
	KUNIT_ASSERT_EQ(test, wait_runs(c, 1), STATUS_SUCCESS);
	msleep(30);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&c->timer));
}

/* A timer on the stack, as Windows drivers may have one. */
static void wdm_timer_on_stack(struct kunit *test)
{
	LARGE_INTEGER timeout = { .QuadPart = LONG_WAIT };
	KTIMER timer;

	KeInitializeTimer(&timer);
	KeSetTimer(&timer, due(REL_MS(5)), NULL);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&timer, Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, KeCancelTimer(&timer));
}

static struct kunit_case wdm_timer_cases[] = {
	KUNIT_CASE(wdm_timer_initial_state),
	KUNIT_CASE(wdm_timer_one_shot_runs_dpc_once),
	KUNIT_CASE(wdm_timer_cancel_before_expiry),
	KUNIT_CASE(wdm_timer_set_on_set_timer_returns_true),
	KUNIT_CASE(wdm_timer_set_resets_signal_state),
	KUNIT_CASE(wdm_timer_periodic_fires_until_cancelled),
	KUNIT_CASE(wdm_timer_coalescable_periodic),
	KUNIT_CASE(wdm_timer_wait_ends_after_due_time),
	KUNIT_CASE(wdm_timer_absolute_due_time),
	KUNIT_CASE(wdm_timer_due_time_in_past),
	KUNIT_CASE(wdm_timer_wait_times_out_first),
	KUNIT_CASE(wdm_timer_sync_timer_satisfies_one),
	KUNIT_CASE(wdm_timer_wait_any_event_or_timer),
	KUNIT_CASE(wdm_timer_negative_period_is_a_bug),
	KUNIT_CASE(wdm_timer_on_stack),
	{}
};

static struct kunit_suite wdm_timer_suite = {
	.name = "wdm_timer",
	.init = timer_init,
	.exit = timer_exit,
	.test_cases = wdm_timer_cases,
};

kunit_test_suite(wdm_timer_suite);
