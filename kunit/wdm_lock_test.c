// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the interrupt spin lock. KeSynchronizeExecution and
 * KeAcquireInterruptSpinLock on one CPU never overlap the ISR on another; a
 * caller-supplied SpinLock serializes every interrupt connected with it;
 * passive-level interrupts use a sleeping lock and refuse the spin lock.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/interrupt.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

#define LOCK_ROUNDS	2000

struct lock_ctx {
	struct wdm_test_irqs irqs;
	DEVICE_OBJECT pdo;
	PKINTERRUPT intr[2];
	KSPIN_LOCK shared;
	atomic_t inside;		/* CPUs inside a critical region now */
	atomic_t overlaps;		/* times two were inside at once */
	atomic_t isr_calls;
	atomic_t other_calls;
	/* passive cases */
	bool slept, hardirq;
	KIRQL irql;
};

/* The region the lock must keep to one CPU at a time. */
static void lock_region(struct lock_ctx *c)
{
	if (atomic_inc_return(&c->inside) != 1)
		atomic_inc(&c->overlaps);
	udelay(2);
	atomic_dec(&c->inside);
}

static KSERVICE_ROUTINE lock_isr;

_Use_decl_annotations_
static BOOLEAN lock_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct lock_ctx *c = ServiceContext;

	lock_region(c);
	atomic_inc(&c->isr_calls);
	return TRUE;
}

static KSYNCHRONIZE_ROUTINE lock_sync_routine;

_Use_decl_annotations_
static BOOLEAN lock_sync_routine(PVOID SynchronizeContext)
{
	struct lock_ctx *c = SynchronizeContext;

	lock_region(c);
	atomic_inc(&c->other_calls);
	return TRUE;
}

static int lock_init(struct kunit *test)
{
	struct lock_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	wdm_init_device_object(&c->pdo, NULL);
	KeInitializeSpinLock(&c->shared);
	return wdm_test_irqs_init(test, &c->irqs);
}

static void lock_exit(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	wdm_test_irqs_exit(&c->irqs);
}

static void lock_connect(struct kunit *test, unsigned int i, PKSPIN_LOCK lock,
			 PKSERVICE_ROUTINE isr, KIRQL sync_irql)
{
	struct lock_ctx *c = test->priv;
	IO_CONNECT_INTERRUPT_PARAMETERS p;

	wdm_test_fully_specified(&p, &c->pdo, c->irqs.virq[i], &c->intr[i],
				 isr, c);
	p.FullySpecified.SpinLock = lock;
	p.FullySpecified.SynchronizeIrql = sync_irql;
	if (sync_irql == PASSIVE_LEVEL)
		p.FullySpecified.Irql = PASSIVE_LEVEL;
	KUNIT_ASSERT_EQ(test, IoConnectInterruptEx(&p), STATUS_SUCCESS);
}

static void lock_disconnect(struct kunit *test, unsigned int i)
{
	struct lock_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, wdm_test_disconnect(CONNECT_FULLY_SPECIFIED, c->intr[i]),
			STATUS_SUCCESS);
}

static void fire_first(void *arg)
{
	struct lock_ctx *c = arg;
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++)
		wdm_test_fire(c->irqs.virq[0]);
}

static void fire_second(void *arg)
{
	struct lock_ctx *c = arg;
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++)
		wdm_test_fire(c->irqs.virq[1]);
}

static void sync_rounds(void *arg)
{
	struct lock_ctx *c = arg;
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++)
		KeSynchronizeExecution(c->intr[0], lock_sync_routine, c);
}

static void acquire_rounds(void *arg)
{
	struct lock_ctx *c = arg;
	KIRQL old;
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++) {
		old = KeAcquireInterruptSpinLock(c->intr[0]);
		lock_region(c);
		atomic_inc(&c->other_calls);
		KeReleaseInterruptSpinLock(c->intr[0], old);
	}
}

/* Run @a on CPU 0 and @b on CPU 1 at the same time. */
static void lock_race(struct kunit *test, void (*a)(void *), void (*b)(void *))
{
	struct wdm_test_worker wa, wb;

	KUNIT_ASSERT_GE(test, num_online_cpus(), 2U);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&wa, 0, a, test->priv), 0);
	KUNIT_ASSERT_EQ(test, wdm_test_worker_start(&wb, 1, b, test->priv), 0);
	wdm_test_worker_wait(&wa);
	wdm_test_worker_wait(&wb);
}

static void wdm_sync_returns_routine_value(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_isr, WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr[0], lock_sync_routine, c),
			(BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), 1);
	lock_disconnect(test, 0);
}

static KSYNCHRONIZE_ROUTINE lock_false_routine;

_Use_decl_annotations_
static BOOLEAN lock_false_routine(PVOID SynchronizeContext)
{
	struct lock_ctx *c = SynchronizeContext;

	atomic_inc(&c->other_calls);
	return FALSE;
}

static void wdm_sync_returns_false_unchanged(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_isr, WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr[0], lock_false_routine, c),
			(BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), 1);
	lock_disconnect(test, 0);
}

static void wdm_sync_rejects_bad_object(struct kunit *test)
{
	struct lock_ctx *c = test->priv;
	struct _KINTERRUPT *bogus = kunit_kzalloc(test, sizeof(*bogus), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bogus);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(NULL, lock_sync_routine, c),
			(BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(bogus, lock_sync_routine, c),
			(BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), 0);
}

static void wdm_sync_never_overlaps_isr(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_isr, WDM_DEVICE_IRQL);
	lock_race(test, fire_first, sync_rounds);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->isr_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->overlaps), 0);
	lock_disconnect(test, 0);
}

static void wdm_acquire_never_overlaps_isr(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_isr, WDM_DEVICE_IRQL);
	lock_race(test, fire_first, acquire_rounds);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->isr_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->overlaps), 0);
	lock_disconnect(test, 0);
}

static void wdm_shared_spinlock_serializes_interrupts(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, &c->shared, lock_isr, WDM_DEVICE_IRQL);
	lock_connect(test, 1, &c->shared, lock_isr, WDM_DEVICE_IRQL);
	lock_race(test, fire_first, fire_second);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->isr_calls), 2 * LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->overlaps), 0);
	lock_disconnect(test, 0);
	lock_disconnect(test, 1);
}

static void wdm_shared_spinlock_serializes_sync(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	/* KeSynchronizeExecution on interrupt 0 against the ISR of interrupt 1. */
	lock_connect(test, 0, &c->shared, lock_isr, WDM_DEVICE_IRQL);
	lock_connect(test, 1, &c->shared, lock_isr, WDM_DEVICE_IRQL);
	lock_race(test, fire_second, sync_rounds);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->isr_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other_calls), LOCK_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->overlaps), 0);
	lock_disconnect(test, 0);
	lock_disconnect(test, 1);
}

static void wdm_acquire_reports_irql(struct kunit *test)
{
	struct lock_ctx *c = test->priv;
	KIRQL old, inside;

	lock_connect(test, 0, NULL, lock_isr, WDM_DEVICE_IRQL);
	old = KeAcquireInterruptSpinLock(c->intr[0]);
	inside = KeGetCurrentIrql();
	KUNIT_EXPECT_TRUE(test, raw_spin_is_locked(c->intr[0]->lock));
	KeReleaseInterruptSpinLock(c->intr[0], old);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, inside, WDM_DEVICE_IRQL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(c->intr[0]->lock));
	lock_disconnect(test, 0);
}

static KSERVICE_ROUTINE lock_passive_isr;

_Use_decl_annotations_
static BOOLEAN lock_passive_isr(struct _KINTERRUPT *Interrupt, PVOID ServiceContext)
{
	struct lock_ctx *c = ServiceContext;

	c->hardirq = in_hardirq();
	c->irql = KeGetCurrentIrql();
	usleep_range(1000, 2000);		/* a passive-level ISR may sleep */
	c->slept = true;
	atomic_inc(&c->isr_calls);
	return TRUE;
}

static void wdm_passive_isr_runs_in_thread_and_sleeps(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_passive_isr, PASSIVE_LEVEL);
	wdm_test_fire(c->irqs.virq[0]);
	synchronize_irq(c->irqs.virq[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->isr_calls), 1);
	KUNIT_EXPECT_TRUE(test, c->slept);
	KUNIT_EXPECT_FALSE(test, c->hardirq);
	KUNIT_EXPECT_EQ(test, c->irql, PASSIVE_LEVEL);
	lock_disconnect(test, 0);
}

static KSYNCHRONIZE_ROUTINE lock_sleeping_routine;

_Use_decl_annotations_
static BOOLEAN lock_sleeping_routine(PVOID SynchronizeContext)
{
	struct lock_ctx *c = SynchronizeContext;

	usleep_range(1000, 2000);
	c->slept = true;
	return TRUE;
}

static void wdm_passive_sync_may_sleep(struct kunit *test)
{
	struct lock_ctx *c = test->priv;

	lock_connect(test, 0, NULL, lock_passive_isr, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr[0], lock_sleeping_routine, c),
			(BOOLEAN)TRUE);
	KUNIT_EXPECT_TRUE(test, c->slept);
	lock_disconnect(test, 0);
}

static void wdm_passive_spinlock_refused_loudly(struct kunit *test)
{
	struct lock_ctx *c = test->priv;
	KIRQL old;

	lock_connect(test, 0, NULL, lock_passive_isr, PASSIVE_LEVEL);
	/* A bug on Windows: here an error in the log, nothing taken, no hang. */
	old = KeAcquireInterruptSpinLock(c->intr[0]);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(c->intr[0]->plock));
	KeReleaseInterruptSpinLock(c->intr[0], old);
	/* The passive lock still works. */
	KUNIT_EXPECT_EQ(test, KeSynchronizeExecution(c->intr[0], lock_sleeping_routine, c),
			(BOOLEAN)TRUE);
	lock_disconnect(test, 0);
}

static struct kunit_case wdm_lock_cases[] = {
	KUNIT_CASE(wdm_sync_returns_routine_value),
	KUNIT_CASE(wdm_sync_returns_false_unchanged),
	KUNIT_CASE(wdm_sync_rejects_bad_object),
	KUNIT_CASE(wdm_sync_never_overlaps_isr),
	KUNIT_CASE(wdm_acquire_never_overlaps_isr),
	KUNIT_CASE(wdm_shared_spinlock_serializes_interrupts),
	KUNIT_CASE(wdm_shared_spinlock_serializes_sync),
	KUNIT_CASE(wdm_acquire_reports_irql),
	KUNIT_CASE(wdm_passive_isr_runs_in_thread_and_sleeps),
	KUNIT_CASE(wdm_passive_sync_may_sleep),
	KUNIT_CASE(wdm_passive_spinlock_refused_loudly),
	{}
};

static struct kunit_suite wdm_lock_suite = {
	.name = "wdm_lock",
	.init = lock_init,
	.exit = lock_exit,
	.test_cases = wdm_lock_cases,
};

kunit_test_suite(wdm_lock_suite);
