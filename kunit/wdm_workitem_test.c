// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: work items. The routine runs once, at PASSIVE_LEVEL in a thread
 * where it may sleep, with the device object and context it was given,
 * whether queued from process context, DISPATCH_LEVEL or a hard interrupt;
 * an item may be queued again once its routine has started, but not while
 * it is queued (reported, or FALSE from IoTryQueueWorkItem); the routine's
 * module (here wdm_kunit.ko) holds one more reference while the item is
 * queued or running.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

#define MAX_RUNS	4

/* What each run of a routine saw, in run order. */
struct wi_ctx {
	DEVICE_OBJECT dev;
	PIO_WORKITEM item;		/* from IoAllocateWorkItem, freed at exit */
	int refs_before;		/* module_refcount(THIS_MODULE) at start */
	unsigned long bugs_before;
	bool block_first;		/* the first run waits for release */
	bool free_self;			/* the Ex routine frees its item */
	struct completion started;	/* the first run has begun */
	struct completion release;
	struct completion ran;		/* one per finished run */
	atomic_t runs;
	PVOID seen_object[MAX_RUNS];
	PVOID seen_ctx[MAX_RUNS];
	PIO_WORKITEM seen_item[MAX_RUNS];
	KIRQL irql[MAX_RUNS];
	bool in_task[MAX_RUNS];
	int nice[MAX_RUNS];
	unsigned long slept_jiffies[MAX_RUNS];
	/* the hard-IRQ case */
	struct hrtimer timer;
	bool timer_in_hardirq;
	KIRQL timer_irql;
};

static struct wi_ctx *the_ctx;

static void record_run(struct wi_ctx *c, PVOID io_object, PVOID context,
		       PIO_WORKITEM item)
{
	int n = atomic_read(&c->runs);
	unsigned long j0;

	if (n < MAX_RUNS) {
		c->seen_object[n] = io_object;
		c->seen_ctx[n] = context;
		c->seen_item[n] = item;
		c->irql[n] = KeGetCurrentIrql();
		c->in_task[n] = in_task();
		c->nice[n] = task_nice(current);
	}
	if (n == 0 && c->block_first) {
		complete(&c->started);
		wait_for_completion_timeout(&c->release, 10 * HZ);
	}
	/* PASSIVE_LEVEL: the routine may sleep (in jiffies, msleep's own clock). */
	j0 = jiffies;
	msleep(20);
	if (n < MAX_RUNS)
		c->slept_jiffies[n] = jiffies - j0;
	atomic_inc(&c->runs);
	complete(&c->ran);
}

/* The Context may be any pointer, so the routines find the fixture here. */
static IO_WORKITEM_ROUTINE record_routine;

_Use_decl_annotations_
static VOID record_routine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	record_run(the_ctx, DeviceObject, Context, NULL);
}

static IO_WORKITEM_ROUTINE_EX record_routine_ex;

_Use_decl_annotations_
static VOID record_routine_ex(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
	struct wi_ctx *c = the_ctx;

	record_run(c, IoObject, Context, IoWorkItem);
	if (c->free_self)
		IoFreeWorkItem(IoWorkItem);
}

static void wait_runs(struct kunit *test, struct wi_ctx *c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->ran, 5 * HZ), 0UL);
}

/* The module reference is dropped just after the routine returns. */
static int refs_settled(struct wi_ctx *c)
{
	int i;

	for (i = 0; i < 5000 && module_refcount(THIS_MODULE) != c->refs_before; i++)
		usleep_range(1000, 2000);
	return module_refcount(THIS_MODULE);
}

static long bugs(struct wi_ctx *c)
{
	return wdm_bugs_reported() - c->bugs_before;
}

static int wi_init(struct kunit *test)
{
	struct wi_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	init_completion(&c->started);
	init_completion(&c->release);
	init_completion(&c->ran);
	c->refs_before = module_refcount(THIS_MODULE);
	c->bugs_before = wdm_bugs_reported();
	c->item = IoAllocateWorkItem(&c->dev);
	if (!c->item)
		return -ENOMEM;
	the_ctx = c;
	test->priv = c;
	return 0;
}

/* A case that stopped early still lets its runs finish before c is freed. */
static void wi_exit(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	complete_all(&c->release);
	refs_settled(c);
	if (c->item)
		IoFreeWorkItem(c->item);
	the_ctx = NULL;
}

static void wdm_workitem_runs_once_with_device_and_context(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	int ctx;

	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, &ctx);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_object[0], (PVOID)&c->dev);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[0], (PVOID)&ctx);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
}

static void wdm_workitem_runs_at_passive_level_and_may_sleep(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, NULL);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_EQ(test, c->irql[0], PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, c->in_task[0]);
	KUNIT_EXPECT_GE(test, c->slept_jiffies[0], msecs_to_jiffies(20));
	KUNIT_EXPECT_NULL(test, c->seen_ctx[0]);
}

static void wdm_workitem_queued_at_dispatch_level(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	KIRQL irql;

	local_bh_disable();
	preempt_disable();
	irql = KeGetCurrentIrql();
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, c);
	preempt_enable();
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, irql, DISPATCH_LEVEL);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_EQ(test, c->irql[0], PASSIVE_LEVEL);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[0], (PVOID)c);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
}

static enum hrtimer_restart queue_from_hardirq(struct hrtimer *t)
{
	struct wi_ctx *c = container_of(t, struct wi_ctx, timer);

	c->timer_in_hardirq = in_hardirq();
	c->timer_irql = KeGetCurrentIrql();
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, c);
	return HRTIMER_NORESTART;
}

static void wdm_workitem_queued_from_hard_irq(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	c->timer.function = queue_from_hardirq;
	hrtimer_start(&c->timer, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
	wait_runs(test, c, 1);
	hrtimer_cancel(&c->timer);
	KUNIT_EXPECT_TRUE(test, c->timer_in_hardirq);
	KUNIT_EXPECT_GT(test, c->timer_irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->irql[0], PASSIVE_LEVEL);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_object[0], (PVOID)&c->dev);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
}

static void wdm_workitem_ex_routine_gets_the_item(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	int ctx;

	IoQueueWorkItemEx(c->item, record_routine_ex, DelayedWorkQueue, &ctx);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_object[0], (PVOID)&c->dev);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[0], (PVOID)&ctx);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_item[0], c->item);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
}

/*
 * The item is dequeued when its routine starts: queuing it then succeeds,
 * and it is queued behind the running instance; queuing it once more fails
 * without a report. Each queuing holds the module once.
 */
static void wdm_workitem_try_queue_false_while_queued(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	int first, second, third;

	c->block_first = true;
	KUNIT_EXPECT_TRUE(test, IoTryQueueWorkItem(c->item, record_routine_ex,
						   DelayedWorkQueue, &first));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->started, 5 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), c->refs_before + 1);
	KUNIT_EXPECT_TRUE(test, IoTryQueueWorkItem(c->item, record_routine_ex,
						   DelayedWorkQueue, &second));
	KUNIT_EXPECT_FALSE(test, IoTryQueueWorkItem(c->item, record_routine_ex,
						    DelayedWorkQueue, &third));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), c->refs_before + 2);
	complete(&c->release);
	wait_runs(test, c, 2);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[0], (PVOID)&first);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[1], (PVOID)&second);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 2);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
}

/*
 * Queuing an item that is queued is reported once and changes nothing: the
 * queued run keeps the first call's context and runs once.
 */
static void wdm_workitem_double_queue_reported_once(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	int first, second, third;

	c->block_first = true;
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, &first);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->started, 5 * HZ), 0UL);
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, &second);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, &third);
	KUNIT_EXPECT_EQ(test, bugs(c), 1);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), c->refs_before + 2);
	complete(&c->release);
	wait_runs(test, c, 2);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_ctx[1], (PVOID)&second);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 2);
	KUNIT_EXPECT_EQ(test, bugs(c), 1);
}

/* Windows keeps the driver while an item is queued or runs: here its module. */
static void wdm_workitem_holds_routine_module(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	c->block_first = true;
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, c);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->started, 5 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), c->refs_before + 1);
	complete(&c->release);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
}

static void wdm_workitem_initialize_in_caller_memory(struct kunit *test)
{
	struct wi_ctx *c = test->priv;
	ULONG size = IoSizeofWorkItem();
	PIO_WORKITEM item;

	KUNIT_ASSERT_GT(test, size, 0U);
	item = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, item);
	IoInitializeWorkItem(&c->dev, item);
	IoQueueWorkItemEx(item, record_routine_ex, DelayedWorkQueue, c);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_object[0], (PVOID)&c->dev);
	KUNIT_EXPECT_PTR_EQ(test, c->seen_item[0], item);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	IoUninitializeWorkItem(item);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
}

/* Dequeued before its routine runs, an item may be freed by its routine. */
static void wdm_workitem_routine_frees_its_item(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	c->free_self = true;
	IoQueueWorkItemEx(c->item, record_routine_ex, DelayedWorkQueue, c);
	c->item = NULL;
	wait_runs(test, c, 1);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
}

/* Freeing a queued item is reported, and the item is left to run. */
static void wdm_workitem_free_while_queued_reported(struct kunit *test)
{
	struct wi_ctx *c = test->priv;

	c->block_first = true;
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, c);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c->started, 5 * HZ), 0UL);
	IoQueueWorkItem(c->item, record_routine, DelayedWorkQueue, c);
	IoFreeWorkItem(c->item);
	KUNIT_EXPECT_EQ(test, bugs(c), 1);
	complete(&c->release);
	wait_runs(test, c, 2);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 2);
}

/*
 * CriticalWorkQueue (priority 13) and up run on a high-priority worker
 * (nice -20), DelayedWorkQueue (12) and CustomPriorityWorkQueue + 12 on an
 * ordinary one (nice 0). A QueueType outside the enumeration is reported
 * and runs as DelayedWorkQueue.
 */
static void wdm_workitem_queue_types(struct kunit *test)
{
	static const WORK_QUEUE_TYPE types[MAX_RUNS] = {
		CriticalWorkQueue, DelayedWorkQueue,
		CustomPriorityWorkQueue + 15, CustomPriorityWorkQueue + 12,
	};
	static const int nice[MAX_RUNS] = { -20, 0, -20, 0 };
	struct wi_ctx *c = test->priv;
	int i;

	for (i = 0; i < MAX_RUNS; i++) {
		IoQueueWorkItem(c->item, record_routine, types[i], c);
		wait_runs(test, c, 1);
		KUNIT_EXPECT_EQ_MSG(test, c->nice[i], nice[i], "QueueType %d", types[i]);
	}
	KUNIT_EXPECT_EQ(test, bugs(c), 0);
	IoQueueWorkItem(c->item, record_routine, MaximumWorkQueue, c);
	KUNIT_EXPECT_EQ(test, bugs(c), 1);
	wait_runs(test, c, 1);
	KUNIT_EXPECT_EQ(test, refs_settled(c), c->refs_before);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), MAX_RUNS + 1);
}

static struct kunit_case wdm_workitem_cases[] = {
	KUNIT_CASE(wdm_workitem_runs_once_with_device_and_context),
	KUNIT_CASE(wdm_workitem_runs_at_passive_level_and_may_sleep),
	KUNIT_CASE(wdm_workitem_queued_at_dispatch_level),
	KUNIT_CASE(wdm_workitem_queued_from_hard_irq),
	KUNIT_CASE(wdm_workitem_ex_routine_gets_the_item),
	KUNIT_CASE(wdm_workitem_try_queue_false_while_queued),
	KUNIT_CASE(wdm_workitem_double_queue_reported_once),
	KUNIT_CASE(wdm_workitem_holds_routine_module),
	KUNIT_CASE(wdm_workitem_initialize_in_caller_memory),
	KUNIT_CASE(wdm_workitem_routine_frees_its_item),
	KUNIT_CASE(wdm_workitem_free_while_queued_reported),
	KUNIT_CASE(wdm_workitem_queue_types),
	{}
};

static struct kunit_suite wdm_workitem_suite = {
	.name = "wdm_workitem",
	.init = wi_init,
	.exit = wi_exit,
	.test_cases = wdm_workitem_cases,
};

kunit_test_suite(wdm_workitem_suite);
