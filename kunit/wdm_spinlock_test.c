// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: executive spin locks. Acquiring raises to DISPATCH_LEVEL and gives
 * the old level back; two CPUs counting under each kind of acquire lose no
 * count; the try, test and ...AtDpcLevel forms, in-stack handles, DPCs held
 * back by a held lock, nested locks under lockdep. The expectations are
 * Microsoft's, and what ReactOS's kmtests KeSpinLock.c asserts on Windows.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/debug_locks.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "../module/wdm/wdm_internal.h"
#include "wdm_test.h"

/* Increments per CPU in the counting cases. */
#define SPIN_COUNT	100000

enum spin_acquire {
	SPIN_ACQUIRE,		/* KeAcquireSpinLock */
	SPIN_IN_STACK,		/* KeAcquireInStackQueuedSpinLock */
	SPIN_AT_DPC_LEVEL,	/* KeRaiseIrqlToDpcLevel + KeAcquireSpinLockAtDpcLevel */
};

struct spin_ctx {
	KSPIN_LOCK lock;
	/* counting */
	enum spin_acquire how;
	unsigned long counter;		/* under lock */
	unsigned long seen_free[2];	/* by CPU: KeTestSpinLock() TRUE under lock */
	atomic_t started;
	bool start_ok[2];
	/* one CPU holds the lock, the other tries it */
	bool held, tried, released;
	bool holder_ok, trier_ok;
	BOOLEAN try_held, test_held, try_free, test_taken, test_free;
	/* the DPC */
	KDPC dpc;
	int runs;
	int cpu;
	KIRQL dpc_irql;
	BOOLEAN dpc_saw_free;		/* KeTestSpinLock() in the DPC */
	KIRQL for_dpc_old, for_dpc_held;
};

static KDEFERRED_ROUTINE spin_dpc;

_Use_decl_annotations_
static VOID spin_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
		     PVOID SystemArgument2)
{
	struct spin_ctx *c = DeferredContext;

	c->dpc_irql = KeGetCurrentIrql();
	c->dpc_saw_free = KeTestSpinLock(&c->lock);
	c->cpu = raw_smp_processor_id();
	WRITE_ONCE(c->runs, c->runs + 1);
}

static KDEFERRED_ROUTINE spin_dpc_for_dpc;

_Use_decl_annotations_
static VOID spin_dpc_for_dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			     PVOID SystemArgument2)
{
	struct spin_ctx *c = DeferredContext;

	c->for_dpc_old = KeAcquireSpinLockForDpc(&c->lock);
	c->for_dpc_held = KeGetCurrentIrql();
	KeReleaseSpinLockForDpc(&c->lock, c->for_dpc_old);
	c->dpc_irql = KeGetCurrentIrql();
	WRITE_ONCE(c->runs, c->runs + 1);
}

static int spin_init(struct kunit *test)
{
	struct spin_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	KeInitializeSpinLock(&c->lock);
	KeInitializeDpc(&c->dpc, spin_dpc, c);
	return 0;
}

static void spin_exit(struct kunit *test)
{
	KeFlushQueuedDpcs();
}

static void wdm_spin_acquire_raises_to_dispatch_level(struct kunit *test)
{
	struct spin_ctx *c = test->priv;
	bool preemptible_held, bh_off_held, irqs_off_held, preemptible_after;
	KIRQL old, held, after;

	KeAcquireSpinLock(&c->lock, &old);
	held = KeGetCurrentIrql();
	preemptible_held = preemptible();
	bh_off_held = in_softirq();
	irqs_off_held = irqs_disabled();
	KeReleaseSpinLock(&c->lock, old);
	after = KeGetCurrentIrql();
	preemptible_after = preemptible();
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, held, DISPATCH_LEVEL);
	KUNIT_EXPECT_FALSE(test, preemptible_held);
	KUNIT_EXPECT_TRUE(test, bh_off_held);
	KUNIT_EXPECT_FALSE(test, irqs_off_held);
	KUNIT_EXPECT_EQ(test, after, PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, preemptible_after);
}

static void wdm_spin_test_spinlock(struct kunit *test)
{
	struct spin_ctx *c = test->priv;
	BOOLEAN at_start, held, released;
	KIRQL old;

	at_start = KeTestSpinLock(&c->lock);
	KeAcquireSpinLock(&c->lock, &old);
	held = KeTestSpinLock(&c->lock);
	KeReleaseSpinLock(&c->lock, old);
	released = KeTestSpinLock(&c->lock);
	KUNIT_EXPECT_EQ(test, at_start, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, held, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, released, (BOOLEAN)TRUE);
}

/*
 * The critical section: read the counter, look at the lock (held, by us),
 * write the counter back. Longer than one instruction, so that another CPU
 * in it at the same time loses counts.
 */
static void spin_critical(struct spin_ctx *c, int cpu)
{
	unsigned long v = READ_ONCE(c->counter);

	if (KeTestSpinLock(&c->lock))
		c->seen_free[cpu]++;
	WRITE_ONCE(c->counter, v + 1);
}

/* One increment, under the lock taken as @c->how says. */
static void spin_increment(struct spin_ctx *c, int cpu)
{
	KLOCK_QUEUE_HANDLE handle;
	KIRQL old;

	switch (c->how) {
	case SPIN_ACQUIRE:
		KeAcquireSpinLock(&c->lock, &old);
		spin_critical(c, cpu);
		KeReleaseSpinLock(&c->lock, old);
		break;
	case SPIN_IN_STACK:
		KeAcquireInStackQueuedSpinLock(&c->lock, &handle);
		spin_critical(c, cpu);
		KeReleaseInStackQueuedSpinLock(&handle);
		break;
	case SPIN_AT_DPC_LEVEL:
		old = KeRaiseIrqlToDpcLevel();
		KeAcquireSpinLockAtDpcLevel(&c->lock);
		spin_critical(c, cpu);
		KeReleaseSpinLockFromDpcLevel(&c->lock);
		KeLowerIrql(old);
		break;
	}
}

static void spin_count_fn(void *arg)
{
	struct spin_ctx *c = arg;
	int cpu = raw_smp_processor_id();
	ktime_t end;
	int i;

	/* Start together, so that the two CPUs contend. */
	atomic_inc(&c->started);
	end = ktime_add_ms(ktime_get(), 5000);
	while (atomic_read(&c->started) < 2 && ktime_before(ktime_get(), end))
		cpu_relax();
	c->start_ok[cpu] = atomic_read(&c->started) == 2;
	for (i = 0; i < SPIN_COUNT; i++) {
		spin_increment(c, cpu);
		if (i % 1024 == 1023)
			cond_resched();
	}
}

static void spin_count_on_two_cpus(struct kunit *test, enum spin_acquire how)
{
	struct spin_ctx *c = test->priv;

	c->how = how;
	wdm_test_on_two_cpus(test, spin_count_fn, spin_count_fn, c, NULL);
	KUNIT_EXPECT_TRUE(test, c->start_ok[0]);
	KUNIT_EXPECT_TRUE(test, c->start_ok[1]);
	KUNIT_EXPECT_EQ(test, c->counter, 2UL * SPIN_COUNT);
	KUNIT_EXPECT_EQ(test, c->seen_free[0], 0UL);
	KUNIT_EXPECT_EQ(test, c->seen_free[1], 0UL);
	KUNIT_EXPECT_EQ(test, KeTestSpinLock(&c->lock), (BOOLEAN)TRUE);
}

static void wdm_spin_two_cpus_count(struct kunit *test)
{
	spin_count_on_two_cpus(test, SPIN_ACQUIRE);
}

static void wdm_spin_two_cpus_count_in_stack_queued(struct kunit *test)
{
	spin_count_on_two_cpus(test, SPIN_IN_STACK);
}

static void wdm_spin_two_cpus_count_at_dpc_level(struct kunit *test)
{
	spin_count_on_two_cpus(test, SPIN_AT_DPC_LEVEL);
}

/* CPU 1: hold the lock until CPU 0 has tried it. */
static void spin_holder_fn(void *arg)
{
	struct spin_ctx *c = arg;
	KIRQL old;

	KeAcquireSpinLock(&c->lock, &old);
	WRITE_ONCE(c->held, true);
	c->holder_ok = wdm_test_spin_until(&c->tried);
	KeReleaseSpinLock(&c->lock, old);
	WRITE_ONCE(c->released, true);
}

/* CPU 0: try the lock while CPU 1 holds it, then once it is free. */
static void spin_trier_fn(void *arg)
{
	struct spin_ctx *c = arg;
	KIRQL old;

	c->trier_ok = wdm_test_spin_until(&c->held);
	old = KeRaiseIrqlToDpcLevel();
	c->try_held = KeTryToAcquireSpinLockAtDpcLevel(&c->lock);
	c->test_held = KeTestSpinLock(&c->lock);
	if (c->try_held)
		KeReleaseSpinLockFromDpcLevel(&c->lock);
	KeLowerIrql(old);
	WRITE_ONCE(c->tried, true);
	c->trier_ok = wdm_test_spin_until(&c->released) && c->trier_ok;
	old = KeRaiseIrqlToDpcLevel();
	c->try_free = KeTryToAcquireSpinLockAtDpcLevel(&c->lock);
	c->test_taken = KeTestSpinLock(&c->lock);
	if (c->try_free)
		KeReleaseSpinLockFromDpcLevel(&c->lock);
	c->test_free = KeTestSpinLock(&c->lock);
	KeLowerIrql(old);
}

static void wdm_spin_try_fails_while_other_cpu_holds(struct kunit *test)
{
	struct spin_ctx *c = test->priv;

	wdm_test_on_two_cpus(test, spin_trier_fn, spin_holder_fn, c, NULL);
	KUNIT_EXPECT_TRUE(test, c->holder_ok);
	KUNIT_EXPECT_TRUE(test, c->trier_ok);
	KUNIT_EXPECT_EQ(test, c->try_held, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, c->test_held, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, c->try_free, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, c->test_taken, (BOOLEAN)FALSE);
	KUNIT_EXPECT_EQ(test, c->test_free, (BOOLEAN)TRUE);
}

/* The handle keeps the level the acquire came from, and the release returns to it. */
static void wdm_spin_in_stack_handle_keeps_old_irql(struct kunit *test)
{
	static const KIRQL from[] = { PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL };
	struct spin_ctx *c = test->priv;
	KLOCK_QUEUE_HANDLE handle;
	KIRQL old, held, after;
	int i;

	for (i = 0; i < ARRAY_SIZE(from); i++) {
		KeRaiseIrql(from[i], &old);
		KeAcquireInStackQueuedSpinLock(&c->lock, &handle);
		held = KeGetCurrentIrql();
		KeReleaseInStackQueuedSpinLock(&handle);
		after = KeGetCurrentIrql();
		KeLowerIrql(old);
		KUNIT_EXPECT_EQ(test, handle.OldIrql, from[i]);
		KUNIT_EXPECT_EQ(test, held, DISPATCH_LEVEL);
		KUNIT_EXPECT_EQ(test, after, from[i]);
	}
	/* At DISPATCH_LEVEL, the AtDpcLevel form neither raises nor lowers. */
	old = KeRaiseIrqlToDpcLevel();
	KeAcquireInStackQueuedSpinLockAtDpcLevel(&c->lock, &handle);
	held = KeGetCurrentIrql();
	KeReleaseInStackQueuedSpinLockFromDpcLevel(&handle);
	after = KeGetCurrentIrql();
	KeLowerIrql(old);
	KUNIT_EXPECT_EQ(test, held, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, after, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/* The ...AtDpcLevel forms at PASSIVE_LEVEL: each call reported once. */
static void wdm_spin_at_dpc_level_below_dispatch_reported(struct kunit *test)
{
	KLOCK_QUEUE_HANDLE handle;
	unsigned long bugs;
	KSPIN_LOCK lock;
	BOOLEAN taken;

	/* A lock of its own: lockdep sees it taken with bottom halves on. */
	KeInitializeSpinLock(&lock);
	bugs = wdm_bugs_reported();
	KeAcquireSpinLockAtDpcLevel(&lock);
	KeReleaseSpinLockFromDpcLevel(&lock);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);

	bugs = wdm_bugs_reported();
	KeAcquireInStackQueuedSpinLockAtDpcLevel(&lock, &handle);
	KeReleaseInStackQueuedSpinLockFromDpcLevel(&handle);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);

	bugs = wdm_bugs_reported();
	taken = KeTryToAcquireSpinLockAtDpcLevel(&lock);
	if (taken)
		KeReleaseSpinLockFromDpcLevel(&lock);
	KUNIT_EXPECT_EQ(test, wdm_bugs_reported() - bugs, 1UL);
	KUNIT_EXPECT_EQ(test, taken, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
}

/*
 * A DPC queued under the lock (DISPATCH_LEVEL) waits for the release: it
 * has run, on this CPU and with the lock free, when KeReleaseSpinLock()
 * returns.
 */
static void wdm_spin_dpc_waits_for_release(struct kunit *test)
{
	struct spin_ctx *c = test->priv;
	BOOLEAN queued;
	int cpu, runs;
	KIRQL old;

	KeAcquireSpinLock(&c->lock, &old);
	cpu = smp_processor_id();
	queued = KeInsertQueueDpc(&c->dpc, NULL, NULL);
	runs = READ_ONCE(c->runs);
	KeReleaseSpinLock(&c->lock, old);
	KUNIT_EXPECT_EQ(test, queued, (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, runs, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	KUNIT_EXPECT_EQ(test, c->cpu, cpu);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->dpc_saw_free, (BOOLEAN)TRUE);
}

/*
 * Lock A, then lock B (initialised at another call site, so another lockdep
 * class), with both acquire forms; lockdep stays on.
 */
static void wdm_spin_nested_two_locks(struct kunit *test)
{
	KSPIN_LOCK a, b;
	KIRQL old_a, old_b, in_b, after_b, after_a;
	BOOLEAN a_held_after_b;

	KUNIT_ASSERT_TRUE(test, debug_locks);
	KeInitializeSpinLock(&a);
	KeInitializeSpinLock(&b);
	KeAcquireSpinLock(&a, &old_a);
	KeAcquireSpinLock(&b, &old_b);
	in_b = KeGetCurrentIrql();
	KeReleaseSpinLock(&b, old_b);
	after_b = KeGetCurrentIrql();
	a_held_after_b = !KeTestSpinLock(&a);
	KeReleaseSpinLock(&a, old_a);
	after_a = KeGetCurrentIrql();
	KUNIT_EXPECT_EQ(test, old_a, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, old_b, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, in_b, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, after_b, DISPATCH_LEVEL);
	KUNIT_EXPECT_TRUE(test, a_held_after_b);
	KUNIT_EXPECT_EQ(test, after_a, PASSIVE_LEVEL);

	KeAcquireSpinLock(&a, &old_a);
	KeAcquireSpinLockAtDpcLevel(&b);
	in_b = KeGetCurrentIrql();
	KeReleaseSpinLockFromDpcLevel(&b);
	KeReleaseSpinLock(&a, old_a);
	KUNIT_EXPECT_EQ(test, in_b, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

static void wdm_spin_for_dpc_at_passive(struct kunit *test)
{
	struct spin_ctx *c = test->priv;
	KIRQL old, held;
	bool bh_off_held;

	old = KeAcquireSpinLockForDpc(&c->lock);
	held = KeGetCurrentIrql();
	bh_off_held = in_softirq();
	KeReleaseSpinLockForDpc(&c->lock, old);
	KUNIT_EXPECT_EQ(test, old, PASSIVE_LEVEL);
	KUNIT_EXPECT_EQ(test, held, DISPATCH_LEVEL);
	KUNIT_EXPECT_TRUE(test, bh_off_held);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), PASSIVE_LEVEL);
	KUNIT_EXPECT_TRUE(test, preemptible());
}

/* In a DPC, KeAcquireSpinLockForDpc() finds DISPATCH_LEVEL and leaves it so. */
static void wdm_spin_for_dpc_in_dpc(struct kunit *test)
{
	struct spin_ctx *c = test->priv;

	KeInitializeDpc(&c->dpc, spin_dpc_for_dpc, c);
	KUNIT_EXPECT_EQ(test, KeInsertQueueDpc(&c->dpc, NULL, NULL), (BOOLEAN)TRUE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->runs), 1);
	KUNIT_EXPECT_EQ(test, c->for_dpc_old, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->for_dpc_held, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, c->dpc_irql, DISPATCH_LEVEL);
	KUNIT_EXPECT_EQ(test, KeTestSpinLock(&c->lock), (BOOLEAN)TRUE);
}

static struct kunit_case wdm_spinlock_cases[] = {
	KUNIT_CASE(wdm_spin_acquire_raises_to_dispatch_level),
	KUNIT_CASE(wdm_spin_test_spinlock),
	KUNIT_CASE_SLOW(wdm_spin_two_cpus_count),
	KUNIT_CASE_SLOW(wdm_spin_two_cpus_count_in_stack_queued),
	KUNIT_CASE_SLOW(wdm_spin_two_cpus_count_at_dpc_level),
	KUNIT_CASE(wdm_spin_try_fails_while_other_cpu_holds),
	KUNIT_CASE(wdm_spin_in_stack_handle_keeps_old_irql),
	KUNIT_CASE(wdm_spin_at_dpc_level_below_dispatch_reported),
	KUNIT_CASE(wdm_spin_dpc_waits_for_release),
	KUNIT_CASE(wdm_spin_nested_two_locks),
	KUNIT_CASE(wdm_spin_for_dpc_at_passive),
	KUNIT_CASE(wdm_spin_for_dpc_in_dpc),
	{}
};

static struct kunit_suite wdm_spinlock_suite = {
	.name = "wdm_spinlock",
	.init = spin_init,
	.exit = spin_exit,
	.test_cases = wdm_spinlock_cases,
};

kunit_test_suite(wdm_spinlock_suite);
