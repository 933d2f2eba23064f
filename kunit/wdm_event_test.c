// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: events and waits. KeSetEvent/KeResetEvent/KePulseEvent return the
 * previous state; a synchronization event satisfies exactly one wait and
 * resets, a notification event satisfies all and stays signaled; WaitAny
 * reports the lowest signaled index, WaitAll takes its objects only all at
 * once; timeouts are 0 (a test), relative (negative) or absolute
 * (positive); too many objects and sleeping at DISPATCH_LEVEL are reported
 * driver bugs. Waiters and setters run on different CPUs.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/preempt.h>

#include "wdm_test.h"
#include "../module/wdm/wdm_internal.h"

/* 100 ns units in a millisecond, negative: a relative timeout of n ms */
#define REL_MS(n)	(-10000LL * (n))
/* Long enough to never pass on a loaded machine, for waits that must succeed */
#define LONG_WAIT	REL_MS(10000)

struct event_ctx {
	KEVENT ev[THREAD_WAIT_OBJECTS + 1];
	struct wdm_test_waiter w[2];
	KDPC dpc;
	KIRQL dpc_irql;
};

static int event_init(struct kunit *test)
{
	struct event_ctx *c;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	return 0;
}

/* The header as Windows fills it (ReactOS's KeEvent test checks the same). */
static void wdm_event_initial_header(struct kunit *test)
{
	struct event_ctx *c = test->priv;

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	KeInitializeEvent(&c->ev[1], SynchronizationEvent, TRUE);
	KUNIT_EXPECT_EQ(test, c->ev[0].Header.Type, 0);
	KUNIT_EXPECT_EQ(test, c->ev[1].Header.Type, 1);
	KUNIT_EXPECT_EQ(test, c->ev[0].Header.Size, sizeof(KEVENT) / sizeof(ULONG));
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[1]), 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->ev[0].Header.WaitListHead));
}

/* KeSetEvent returns 0 then 1; KeResetEvent returns 1 then 0. */
static void wdm_event_set_and_reset_return_previous_state(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PKEVENT ev = &c->ev[0];

	KeInitializeEvent(ev, NotificationEvent, FALSE);
	KUNIT_EXPECT_EQ(test, KeSetEvent(ev, IO_NO_INCREMENT, FALSE), 0);
	KUNIT_EXPECT_EQ(test, KeSetEvent(ev, IO_NO_INCREMENT, FALSE), 1);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 1);
	KUNIT_EXPECT_EQ(test, KeResetEvent(ev), 1);
	KUNIT_EXPECT_EQ(test, KeResetEvent(ev), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 0);
	KeSetEvent(ev, EVENT_INCREMENT, TRUE);
	KeClearEvent(ev);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 0);
}

/*
 * The previous state is returned as it was, and set/pulse leave 1/0
 * (ReactOS's KeEvent test, TestEventFunctional).
 */
static void wdm_event_raw_signal_state(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PKEVENT ev = &c->ev[0];

	KeInitializeEvent(ev, SynchronizationEvent, TRUE);
	ev->Header.SignalState = 0x12345678;
	KUNIT_EXPECT_EQ(test, KePulseEvent(ev, IO_NO_INCREMENT, FALSE), 0x12345678);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 0);
	ev->Header.SignalState = 0x23456789;
	KUNIT_EXPECT_EQ(test, KeSetEvent(ev, IO_NO_INCREMENT, FALSE), 0x23456789);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 1);
	ev->Header.SignalState = 0x3456789a;
	KUNIT_EXPECT_EQ(test, KeResetEvent(ev), 0x3456789a);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(ev), 0);
}

/*
 * A zero timeout tests: STATUS_TIMEOUT when not signaled; a signaled
 * synchronization event is taken (reset), a notification event is not.
 */
static void wdm_event_zero_timeout_polls(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER zero = { .QuadPart = 0 };

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, FALSE);
	KeInitializeEvent(&c->ev[1], NotificationEvent, TRUE);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &zero), STATUS_TIMEOUT);
	KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &zero), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &zero), STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[1], Executive, KernelMode, FALSE,
						    &zero), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[1]), 1);
}

/* A relative timeout of 10 ms on an event nobody sets: at least 10 ms. */
static void wdm_event_relative_timeout(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = REL_MS(10) };
	u64 t0, t1;

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	t0 = ktime_get_boottime_ns();
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
	t1 = ktime_get_boottime_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, 10 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[0]), 0);
}

/*
 * A wait may sleep at APC_LEVEL (Microsoft: IRQL <= APC_LEVEL for a
 * non-zero timeout): 10 ms pass, STATUS_TIMEOUT, no report, and the caller
 * is still at APC_LEVEL after.
 */
static void wdm_event_wait_at_apc_level_sleeps(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = REL_MS(10) };
	unsigned long bugs = wdm_bugs_reported();
	NTSTATUS status;
	KIRQL old, during;
	u64 t0, t1;

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	KeRaiseIrql(APC_LEVEL, &old);
	t0 = ktime_get_boottime_ns();
	status = KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE, &timeout);
	t1 = ktime_get_boottime_ns();
	during = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, status, STATUS_TIMEOUT);
	KUNIT_EXPECT_GE(test, t1 - t0, 10 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, during, APC_LEVEL);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0UL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/*
 * An absolute timeout (a system time) 20 ms ahead passes after 20 ms; one
 * in the past, or before 1970, passes at once.
 */
static void wdm_event_absolute_timeout(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER timeout;
	u64 t0, t1;

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	t0 = ktime_get_real_ns();
	KeQuerySystemTimePrecise(&timeout);
	timeout.QuadPart += 20 * 10000;
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
	t1 = ktime_get_real_ns();
	/* Less the 100 ns the system time was rounded down by */
	KUNIT_EXPECT_GE(test, t1 - t0, 20 * NSEC_PER_MSEC - 100);

	KeQuerySystemTime(&timeout);
	timeout.QuadPart -= 10000000;
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
	timeout.QuadPart = 1;
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
}

/*
 * Two waits on a synchronization event, on two CPUs, and one KeSetEvent:
 * the first waiter gets it (FIFO), the second times out, the event ends
 * not signaled and KeSetEvent returned 0.
 */
static void wdm_event_sync_satisfies_one_waiter(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PVOID objs[1] = { &c->ev[0] };

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, FALSE);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 1, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[0], 1));
	wdm_test_waiter_start(test, &c->w[1], 1, objs, 1, WaitAny, REL_MS(2000));
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[0], 2));
	KUNIT_EXPECT_EQ(test, KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE), 0);
	wdm_test_worker_wait(&c->w[0].worker);
	wdm_test_worker_wait(&c->w[1].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->w[1].status, STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[0]), 0);
}

/* A notification event wakes both waiters and stays signaled. */
static void wdm_event_notification_wakes_all(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PVOID objs[1] = { &c->ev[0] };

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 1, WaitAny, LONG_WAIT);
	wdm_test_waiter_start(test, &c->w[1], 1, objs, 1, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[0], 2));
	KUNIT_EXPECT_EQ(test, KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE), 0);
	wdm_test_worker_wait(&c->w[0].worker);
	wdm_test_worker_wait(&c->w[1].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->w[1].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 1);
}

/* KePulseEvent wakes the waiter, leaves the event not signaled, returns 0. */
static void wdm_event_pulse_wakes_and_resets(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PVOID objs[1] = { &c->ev[0] };

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	wdm_test_waiter_start(test, &c->w[0], 1, objs, 1, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[0], 1));
	KUNIT_EXPECT_EQ(test, KePulseEvent(&c->ev[0], IO_NO_INCREMENT, FALSE), 0);
	wdm_test_worker_wait(&c->w[0].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
}

/*
 * WaitAny on CPU 0 over three events; the second is set from this thread:
 * STATUS_WAIT_0 + 1. With the first and third signaled, a test returns
 * STATUS_WAIT_0 (the lowest index), and takes only that one.
 */
static void wdm_event_wait_any_reports_index(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	PVOID objs[3] = { &c->ev[0], &c->ev[1], &c->ev[2] };
	int i;

	for (i = 0; i < 3; i++)
		KeInitializeEvent(&c->ev[i], SynchronizationEvent, FALSE);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 3, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[1], 1));
	KeSetEvent(&c->ev[1], IO_NO_INCREMENT, FALSE);
	wdm_test_worker_wait(&c->w[0].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_WAIT_0 + 1);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[1]), 0);
	/* The satisfied wait left no block on the other objects. */
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[2]), 0);

	KeSetEvent(&c->ev[2], IO_NO_INCREMENT, FALSE);
	KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(3, objs, WaitAny, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_WAIT_0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[2]), 1);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(3, objs, WaitAny, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_WAIT_2);
}

/*
 * WaitAll over two synchronization events: with one signaled a test times
 * out and takes nothing; with both it succeeds and resets both.
 */
static void wdm_event_wait_all_takes_all_or_nothing(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	PVOID objs[2] = { &c->ev[0], &c->ev[1] };

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, TRUE);
	KeInitializeEvent(&c->ev[1], SynchronizationEvent, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, objs, WaitAll, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 1);
	KeSetEvent(&c->ev[1], IO_NO_INCREMENT, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, objs, WaitAll, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[1]), 0);
}

/*
 * A WaitAll waiter on CPU 0: setting the first event does not satisfy it,
 * and the event stays signaled; setting the second satisfies it with
 * STATUS_SUCCESS and resets both.
 */
static void wdm_event_wait_all_sleeping(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PVOID objs[2] = { &c->ev[0], &c->ev[1] };

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, FALSE);
	KeInitializeEvent(&c->ev[1], SynchronizationEvent, FALSE);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 2, WaitAll, LONG_WAIT);
	KUNIT_ASSERT_TRUE(test, wdm_test_waiters_reach(&c->ev[1], 1));
	KUNIT_EXPECT_EQ(test, KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE), 0);
	msleep(20);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(c->w[0].done));
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 1);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[0]), 1);
	KUNIT_EXPECT_EQ(test, KeSetEvent(&c->ev[1], IO_NO_INCREMENT, FALSE), 0);
	wdm_test_worker_wait(&c->w[0].worker);
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[1]), 0);
}

/*
 * Four objects need a WaitBlockArray (THREAD_WAIT_OBJECTS is 3): without
 * one it is bug check 0xC, reported once and refused; with one it works.
 * Sixty-five is too many even with one.
 */
static void wdm_event_too_many_objects(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	PVOID objs[4] = { &c->ev[0], &c->ev[1], &c->ev[2], &c->ev[3] };
	PKWAIT_BLOCK blocks;
	unsigned long bugs;
	int i;

	blocks = kunit_kcalloc(test, MAXIMUM_WAIT_OBJECTS + 1, sizeof(*blocks), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blocks);
	for (i = 0; i < 4; i++)
		KeInitializeEvent(&c->ev[i], NotificationEvent, TRUE);

	bugs = wdm_bugs_reported();
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(4, objs, WaitAll, Executive, KernelMode,
						       FALSE, &zero, NULL),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1);

	bugs = wdm_bugs_reported();
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(4, objs, WaitAll, Executive, KernelMode,
						       FALSE, &zero, blocks), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 0);

	bugs = wdm_bugs_reported();
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, objs, WaitAny,
						       Executive, KernelMode, FALSE, &zero,
						       blocks),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1);
}

/*
 * At DISPATCH_LEVEL a wait that may sleep is a driver bug: reported once,
 * and it only tests the event (STATUS_TIMEOUT), for a relative timeout and
 * for none. A zero timeout is allowed there: no report.
 */
static void wdm_event_wait_at_dispatch_is_a_bug(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = REL_MS(10) };
	LARGE_INTEGER zero = { .QuadPart = 0 };
	unsigned long b0, b1, b2;
	NTSTATUS s0, s1, s2;

	KeInitializeEvent(&c->ev[0], NotificationEvent, FALSE);
	local_bh_disable();
	preempt_disable();
	b0 = wdm_bugs_reported();
	s0 = KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE, &timeout);
	b1 = wdm_bugs_reported();
	s1 = KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE, NULL);
	b2 = wdm_bugs_reported();
	s2 = KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE, &zero);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported(), b2);
	preempt_enable();
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, s0, STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, b1 - b0, 1);
	KUNIT_EXPECT_EQ(test, s1, STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, b2 - b1, 1);
	KUNIT_EXPECT_EQ(test, s2, STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, wdm_object_waiters(&c->ev[0]), 0);
}

static KDEFERRED_ROUTINE set_event_dpc;

_Use_decl_annotations_
static VOID set_event_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			  PVOID SystemArgument2)
{
	struct event_ctx *c = DeferredContext;

	c->dpc_irql = KeGetCurrentIrql();
	KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE);
}

static void queue_dpc_when_waited(void *arg)
{
	struct event_ctx *c = arg;

	if (wdm_test_waiters_reach(&c->ev[0], 1))
		KeInsertQueueDpc(&c->dpc, NULL, NULL);
}

/*
 * A thread on CPU 0 waits on a synchronization event; a DPC queued on
 * CPU 1 sets it at DISPATCH_LEVEL: the wait succeeds, the event is reset.
 */
static void wdm_event_set_from_dpc_wakes_waiter(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	PVOID objs[1] = { &c->ev[0] };
	struct wdm_test_worker setter;

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, FALSE);
	KeInitializeDpc(&c->dpc, set_event_dpc, c);
	wdm_test_waiter_start(test, &c->w[0], 0, objs, 1, WaitAny, LONG_WAIT);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&setter, 1, queue_dpc_when_waited, c), 0);
	wdm_test_worker_wait(&setter);
	wdm_test_worker_wait(&c->w[0].worker);
	KeFlushQueuedDpcs();
	KUNIT_EXPECT_EQ(test, c->w[0].status, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
}

/*
 * A synchronization event set with nobody waiting stays signaled until
 * one wait takes it.
 */
static void wdm_event_sync_stays_set_until_taken(struct kunit *test)
{
	struct event_ctx *c = test->priv;
	LARGE_INTEGER timeout = { .QuadPart = REL_MS(10) };

	KeInitializeEvent(&c->ev[0], SynchronizationEvent, FALSE);
	KUNIT_EXPECT_EQ(test, KeSetEvent(&c->ev[0], IO_NO_INCREMENT, FALSE), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 1);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&c->ev[0]), 0);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&c->ev[0], Executive, KernelMode, FALSE,
						    &timeout), STATUS_TIMEOUT);
}

static struct kunit_case wdm_event_cases[] = {
	KUNIT_CASE(wdm_event_initial_header),
	KUNIT_CASE(wdm_event_set_and_reset_return_previous_state),
	KUNIT_CASE(wdm_event_raw_signal_state),
	KUNIT_CASE(wdm_event_zero_timeout_polls),
	KUNIT_CASE(wdm_event_relative_timeout),
	KUNIT_CASE(wdm_event_wait_at_apc_level_sleeps),
	KUNIT_CASE(wdm_event_absolute_timeout),
	KUNIT_CASE(wdm_event_sync_satisfies_one_waiter),
	KUNIT_CASE(wdm_event_notification_wakes_all),
	KUNIT_CASE(wdm_event_pulse_wakes_and_resets),
	KUNIT_CASE(wdm_event_wait_any_reports_index),
	KUNIT_CASE(wdm_event_wait_all_takes_all_or_nothing),
	KUNIT_CASE(wdm_event_wait_all_sleeping),
	KUNIT_CASE(wdm_event_too_many_objects),
	KUNIT_CASE(wdm_event_wait_at_dispatch_is_a_bug),
	KUNIT_CASE(wdm_event_set_from_dpc_wakes_waiter),
	KUNIT_CASE(wdm_event_sync_stays_set_until_taken),
	{}
};

static struct kunit_suite wdm_event_suite = {
	.name = "wdm_event",
	.init = event_init,
	.test_cases = wdm_event_cases,
};

kunit_test_suite(wdm_event_suite);
